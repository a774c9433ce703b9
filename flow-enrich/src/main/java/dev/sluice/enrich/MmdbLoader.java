package dev.sluice.enrich;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads every network of a MaxMind DB file once (through MaxMind's reader) and builds a {@link PrefixTable} of
 * shared values: lookups afterwards never touch the reader and allocate nothing. Equal records share one value and
 * equal strings one instance. {@link ReservedNetworks} are built in: networks of the file inside them are left out and
 * the reserved ranges themselves answer null.
 */
final class MmdbLoader {

    private MmdbLoader() {
    }

    /** The database type of the file (e.g. {@code GeoLite2-City}) and its table. */
    static final class Loaded<T> {
        final String databaseType;
        final PrefixTable<T> table;
        final int networks;

        Loaded(String databaseType, PrefixTable<T> table, int networks) {
            this.databaseType = databaseType;
            this.table = table;
            this.networks = networks;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> Loaded<T> load(Path file, Function<Map<String, Object>, T> convert) throws IOException {
        try (Reader reader = new Reader(file.toFile())) {
            PrefixTable.Builder<T> b = PrefixTable.builder();
            Map<Object, T> shared = new HashMap<>();
            int count = 0;
            Networks<Map> networks;
            try {
                networks = reader.networks(false, Map.class);
            } catch (com.maxmind.db.InvalidNetworkException e) {
                throw new IOException(e);
            }
            while (networks.hasNext()) {
                DatabaseRecord<Map> rec = networks.next();
                Map<String, Object> data = rec.getData();
                if (data == null) {
                    continue;
                }
                T value = shared.get(data);
                if (value == null && !shared.containsKey(data)) {
                    value = convert.apply(data);
                    shared.put(data, value);
                }
                if (value == null) {
                    continue;
                }
                InetAddress a = rec.getNetwork().getNetworkAddress();
                int prefix = rec.getNetwork().getPrefixLength();
                byte[] bytes = a.getAddress();
                if (!(a instanceof Inet4Address) && prefix >= 96 && isZero(bytes, 12)) {
                    // IPv4 inside an IPv6 tree (::a.b.c.d/96+n)
                    byte[] v4 = new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
                    if (ReservedNetworks.containsNetwork(v4, prefix - 96)) {
                        continue;
                    }
                    b.add(v4, prefix - 96, value);
                    b.add(bytes, prefix, value); // also as ::a.b.c.d, the MMDB tree's own IPv4 place
                } else {
                    if (ReservedNetworks.containsNetwork(bytes, prefix)) {
                        continue;
                    }
                    b.add(bytes, prefix, value);
                }
                count++;
            }
            // Reserved ranges as ranges without a value: more specific than (or equal to, and added after) any
            // network of the file that holds them, so a lookup there answers null without a second search.
            ReservedNetworks.addTo(b);
            return new Loaded<>(reader.getMetadata().getDatabaseType(), b.build(), count);
        }
    }

    private static boolean isZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A string pool for one load, so that equal strings are one instance. */
    static final class Strings {
        private final Map<String, String> pool = new HashMap<>();

        String of(Object o) {
            if (o == null) {
                return null;
            }
            String s = o.toString();
            return pool.computeIfAbsent(s, k -> k);
        }
    }

    @SuppressWarnings("unchecked")
    static Object path(Map<String, Object> data, String... keys) {
        Object node = data;
        for (String k : keys) {
            if (!(node instanceof Map)) {
                return null;
            }
            node = ((Map<String, Object>) node).get(k);
        }
        return node;
    }
}
