package dev.sluice.collector;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Datagrams the kernel dropped for full receive buffers, per local port, for the sockets of this process: the
 * {@code drops} column of /proc/net/udp and /proc/net/udp6 (Linux), on lines whose inode is a socket this
 * process holds open (listed in /proc/self/fd). Elsewhere it says -1.
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
     * The drops of each listener (a port, in the IPv4 or the IPv6 table), summed over this process's sockets; -1
     * each if unknown.
     */
    static long[] read(int[] ports, boolean[] v6) {
        long[] drops = new long[ports.length];
        if (!available()) {
            java.util.Arrays.fill(drops, -1);
            return drops;
        }
        try {
            Set<String> inodes = socketInodes();
            add(UDP, false, ports, v6, inodes, drops);
            if (Files.isReadable(UDP6)) {
                add(UDP6, true, ports, v6, inodes, drops);
            }
        } catch (IOException | RuntimeException e) {
            java.util.Arrays.fill(drops, -1);
        }
        return drops;
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

    private static void add(Path table, boolean v6Table, int[] ports, boolean[] v6, Set<String> inodes, long[] drops)
            throws IOException {
        List<String> lines = Files.readAllLines(table);
        for (int i = 1; i < lines.size(); i++) {
            String[] col = lines.get(i).trim().split("\\s+");
            if (col.length < 13) {
                continue;
            }
            String local = col[1];
            int colon = local.lastIndexOf(':');
            if (colon < 0 || !inodes.contains(col[9])) {
                continue;
            }
            int port = Integer.parseInt(local.substring(colon + 1), 16);
            for (int p = 0; p < ports.length; p++) {
                if (ports[p] == port && v6[p] == v6Table) {
                    drops[p] += Long.parseLong(col[12]);
                }
            }
        }
    }
}
