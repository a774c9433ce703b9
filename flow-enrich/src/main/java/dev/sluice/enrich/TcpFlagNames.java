package dev.sluice.enrich;

import java.util.ArrayList;
import java.util.List;

/** The names of the TCP flags set in a flags octet, one shared array per value. */
public final class TcpFlagNames {

    private static final String[] BITS = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    private static final String[][] NAMES = new String[256][];

    static {
        for (int v = 0; v < 256; v++) {
            List<String> n = new ArrayList<>();
            for (int b = 0; b < 8; b++) {
                if ((v & (1 << b)) != 0) {
                    n.add(BITS[b]);
                }
            }
            NAMES[v] = n.toArray(new String[0]);
        }
    }

    private TcpFlagNames() {
    }

    /** The names (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR order) of the low 8 bits. Do not modify. */
    public static String[] of(int flags) {
        return NAMES[flags & 0xFF];
    }
}
