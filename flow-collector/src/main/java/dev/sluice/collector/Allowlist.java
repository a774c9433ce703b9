package dev.sluice.collector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Exporter address ranges (CIDRs, IPv4 and IPv6) that may send; empty means everyone may. */
final class Allowlist {
    private final byte[][] networks;
    private final int[] prefixes;

    private Allowlist(List<byte[]> networks, List<Integer> prefixes) {
        this.networks = networks.toArray(new byte[0][]);
        this.prefixes = prefixes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Parses {@code a.b.c.d/n}, {@code x:y::z/n} or a single address (a host route). Only literals: no DNS. */
    static Allowlist of(List<String> cidrs) {
        List<byte[]> nets = new ArrayList<>();
        List<Integer> lens = new ArrayList<>();
        for (String c : cidrs) {
            String s = c.trim();
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            if (addr.isEmpty() || !(addr.indexOf(':') >= 0 ? addr.matches("[0-9a-fA-F:.]+")
                    : addr.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
                throw new IllegalArgumentException("not an IP address range: '" + c + "'");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address range: '" + c + "'", e);
            }
            if (addr.indexOf(':') >= 0 && bytes.length == 4) {
                throw new IllegalArgumentException("IPv4-mapped IPv6 ranges are not supported, write the IPv4 range: '"
                        + c + "'");
            }
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad prefix length in '" + c + "'", e);
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("prefix length out of 0.." + bits + " in '" + c + "'");
                }
            }
            nets.add(bytes);
            lens.add(prefix);
        }
        return new Allowlist(nets, lens);
    }

    boolean isEmpty() {
        return networks.length == 0;
    }

    boolean allows(InetAddress address) {
        if (networks.length == 0) {
            return true;
        }
        byte[] a = address.getAddress();
        for (int i = 0; i < networks.length; i++) {
            if (networks[i].length == a.length && matches(networks[i], a, prefixes[i])) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] net, byte[] a, int prefix) {
        int full = prefix >>> 3;
        for (int i = 0; i < full; i++) {
            if (net[i] != a[i]) {
                return false;
            }
        }
        int rest = prefix & 7;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (net[full] & mask) == (a[full] & mask);
    }
}
