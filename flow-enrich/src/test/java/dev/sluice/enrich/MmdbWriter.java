package dev.sluice.enrich;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal MaxMind DB (MMDB, format 2.0) writer for tests only, so that the database layouts of other vendors (DB-IP,
 * IPinfo, ip-location-db) can be tested with files made in the test: MaxMind's own writer
 * ({@code com.maxmind.db:maxmind-db-writer}) is not on Maven Central.
 *
 * <p>What it writes, following the MaxMind DB File Format Specification 2.0: an IPv6 search tree (IPv4 networks at
 * {@code ::a.b.c.d/96+n}) with 24-bit records, the 16-byte separator, a data section with maps, UTF-8 strings,
 * doubles, unsigned 16/32/64-bit integers, booleans and arrays (no pointers: every network gets its own copy of its
 * value), and the metadata map after {@code \xAB\xCD\xEFMaxMind.com}. Networks must not overlap.
 */
final class MmdbWriter {

    private static final int EMPTY = Integer.MIN_VALUE;

    private final String databaseType;
    private final List<int[]> nodes = new ArrayList<>(); // [left, right]: >= 0 node, < 0 -(data offset + 1), EMPTY
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    MmdbWriter(String databaseType) {
        this.databaseType = databaseType;
        nodes.add(new int[] {EMPTY, EMPTY});
    }

    /** Adds a network ({@code 1.2.3.0/24}, {@code 2001:db8::/32}) with its value (maps, strings, numbers, lists). */
    MmdbWriter add(String cidr, Map<String, ?> value) throws IOException {
        int slash = cidr.indexOf('/');
        byte[] a = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        if (a.length == 4) {
            byte[] v6 = new byte[16];
            System.arraycopy(a, 0, v6, 12, 4);
            a = v6;
            prefix += 96;
        }
        int offset = data.size();
        encode(value, data);
        int node = 0;
        for (int depth = 0; depth < prefix; depth++) {
            int bit = (a[depth >> 3] >> (7 - (depth & 7))) & 1;
            int[] n = nodes.get(node);
            if (depth == prefix - 1) {
                if (n[bit] != EMPTY) {
                    throw new IllegalArgumentException("overlapping network " + cidr);
                }
                n[bit] = -(offset + 1);
            } else if (n[bit] == EMPTY) {
                nodes.add(new int[] {EMPTY, EMPTY});
                n[bit] = nodes.size() - 1;
                node = n[bit];
            } else if (n[bit] < 0) {
                throw new IllegalArgumentException("overlapping network " + cidr);
            } else {
                node = n[bit];
            }
        }
        return this;
    }

    /** Writes the file. */
    Path write(Path file) throws IOException {
        int count = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] n : nodes) {
            for (int r : n) {
                long v = r == EMPTY ? count : r >= 0 ? r : count + 16L + (-r - 1);
                if (v >= 1L << 24) {
                    throw new IllegalStateException("too big for 24-bit records");
                }
                out.write((int) (v >>> 16));
                out.write((int) (v >>> 8));
                out.write((int) v);
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("binary_format_major_version", new U16(2));
        meta.put("binary_format_minor_version", new U16(0));
        meta.put("build_epoch", new U64(1_700_000_000L));
        meta.put("database_type", databaseType);
        meta.put("description", Map.of("en", "Sluice test database"));
        meta.put("ip_version", new U16(6));
        meta.put("languages", List.of("en"));
        meta.put("node_count", (long) count);
        meta.put("record_size", new U16(24));
        encode(meta, out);
        return Files.write(file, out.toByteArray());
    }

    /** An unsigned 16-bit value (a plain Integer/Long is written as uint32). */
    record U16(int value) {
    }

    /** An unsigned 64-bit value. */
    record U64(long value) {
    }

    private static void encode(Object v, ByteArrayOutputStream out) {
        if (v instanceof String) {
            byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
            control(2, b.length, out);
            out.write(b, 0, b.length);
        } else if (v instanceof Double) {
            control(3, 8, out);
            long bits = Double.doubleToLongBits((Double) v);
            unsigned(bits, 8, out);
        } else if (v instanceof U16) {
            number(5, ((U16) v).value(), out);
        } else if (v instanceof Integer || v instanceof Long) {
            number(6, ((Number) v).longValue(), out);
        } else if (v instanceof U64) {
            number(9, ((U64) v).value(), out);
        } else if (v instanceof Boolean) {
            control(14, (Boolean) v ? 1 : 0, out);
        } else if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            control(7, m.size(), out);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                encode(e.getKey().toString(), out);
                encode(e.getValue(), out);
            }
        } else if (v instanceof List) {
            List<?> l = (List<?>) v;
            control(11, l.size(), out);
            for (Object o : l) {
                encode(o, out);
            }
        } else {
            throw new IllegalArgumentException("cannot encode " + v);
        }
    }

    private static void number(int type, long value, ByteArrayOutputStream out) {
        int n = 0;
        for (long x = value; x != 0; x >>>= 8) {
            n++;
        }
        control(type, n, out);
        unsigned(value, n, out);
    }

    private static void unsigned(long value, int bytes, ByteArrayOutputStream out) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }

    /** The control byte(s): type (extended types after a 0 type), then the size in the low 5 bits and beyond. */
    private static void control(int type, int size, ByteArrayOutputStream out) {
        int first = (type <= 7 ? type : 0) << 5;
        byte[] extra;
        if (size < 29) {
            first |= size;
            extra = new byte[0];
        } else if (size < 29 + 256) {
            first |= 29;
            extra = new byte[] {(byte) (size - 29)};
        } else if (size < 285 + 65536) {
            first |= 30;
            int s = size - 285;
            extra = new byte[] {(byte) (s >>> 8), (byte) s};
        } else {
            first |= 31;
            int s = size - 65821;
            extra = new byte[] {(byte) (s >>> 16), (byte) (s >>> 8), (byte) s};
        }
        out.write(first);
        if (type > 7) {
            out.write(type - 7);
        }
        out.write(extra, 0, extra.length);
    }
}
