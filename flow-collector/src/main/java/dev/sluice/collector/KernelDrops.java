package dev.sluice.collector;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the kernel says about this process's UDP sockets (Linux: /proc/net/udp and /proc/net/udp6, on lines whose
 * inode is a socket this process holds open, listed in /proc/self/fd): datagrams dropped for full receive buffers,
 * per listener ({@code drops} column), and the receive queue of each socket ({@code rx_queue}), for draining at
 * close. Elsewhere it says -1 or null.
 */
final class KernelDrops {
    private static final Path UDP = Path.of("/proc/net/udp");
    private static final Path UDP6 = Path.of("/proc/net/udp6");
    private static final Path FDS = Path.of("/proc/self/fd");

    private KernelDrops() {
    }

    static boolean available() {
        return Files.isReadable(UDP) && Files.isDirectory(FDS);
    }

    /**
     * The drops of each listener (a local address and port), summed over this process's sockets in both tables
     * (a Java socket bound to an IPv4 address is often an IPv6 socket, listed in /proc/net/udp6); -1 each if
     * unknown. A wildcard address on either side matches any address of that port.
     */
    static long[] read(InetSocketAddress[] listeners) {
        long[] drops = new long[listeners.length];
        if (!available()) {
            Arrays.fill(drops, -1);
            return drops;
        }
        try {
            for (String[] col : ownSockets()) {
                for (int p = matching(col[1], listeners, 0); p >= 0; p = matching(col[1], listeners, p + 1)) {
                    drops[p] += Long.parseLong(col[12]);
                }
            }
        } catch (IOException | RuntimeException e) {
            Arrays.fill(drops, -1);
        }
        return drops;
    }

    /**
     * The receive queue of each of this process's UDP sockets bound to one of the listeners, by socket inode: the
     * bytes of receive-buffer memory its unread datagrams hold ({@code rx_queue}; 0 = nothing left to read); null
     * where the OS does not say.
     */
    static Map<String, Long> receiveQueues(InetSocketAddress[] listeners) {
        if (!available()) {
            return null;
        }
        try {
            Map<String, Long> queues = new HashMap<>();
            for (String[] col : ownSockets()) {
                if (matching(col[1], listeners, 0) >= 0) {
                    String txRx = col[4];
                    queues.put(col[9], Long.parseLong(txRx.substring(txRx.indexOf(':') + 1), 16));
                }
            }
            return queues;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The columns of the lines of /proc/net/udp and /proc/net/udp6 (where readable) whose inode is a socket this
     * process holds open.
     */
    private static List<String[]> ownSockets() throws IOException {
        Set<String> inodes = socketInodes();
        List<String[]> rows = new ArrayList<>();
        for (Path table : new Path[] {UDP, UDP6}) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (int i = 1; i < lines.size(); i++) {
                String[] col = lines.get(i).trim().split("\\s+");
                if (col.length >= 13 && inodes.contains(col[9])) {
                    rows.add(col);
                }
            }
        }
        return rows;
    }

    /**
     * The index of the first listener from {@code from} on that a /proc local address ({@code HEX:PORT}) belongs to,
     * or -1.
     */
    private static int matching(String local, InetSocketAddress[] listeners, int from) {
        int colon = local.lastIndexOf(':');
        if (colon < 0) {
            return -1;
        }
        int port = Integer.parseInt(local.substring(colon + 1), 16);
        InetAddress address = address(local.substring(0, colon));
        for (int p = from; p < listeners.length; p++) {
            InetAddress mine = listeners[p].getAddress();
            if (listeners[p].getPort() == port && (address == null || address.isAnyLocalAddress()
                    || mine == null || mine.isAnyLocalAddress() || mine.equals(address))) {
                return p;
            }
        }
        return -1;
    }

    private static Set<String> socketInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && target.endsWith("]")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException | UnsupportedOperationException ignored) {
                    // closed meanwhile
                }
            }
        }
        return inodes;
    }

    /** The address of a /proc/net/udp{,6} line: 32-bit words in hex, each in host (little-endian) order. */
    static InetAddress address(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            return null;
        }
        byte[] b = new byte[hex.length() / 2];
        for (int word = 0; word < b.length / 4; word++) {
            long v = Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
            for (int k = 0; k < 4; k++) {
                b[word * 4 + k] = (byte) (v >>> (8 * k)); // little-endian host order
            }
        }
        try {
            return InetAddress.getByAddress(b); // an IPv4-mapped IPv6 address becomes an Inet4Address
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
