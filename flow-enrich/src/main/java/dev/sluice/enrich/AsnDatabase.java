package dev.sluice.enrich;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A MaxMind GeoLite2 ASN database (fields {@code autonomous_system_number}, {@code autonomous_system_organization}; also
 * the {@code asn}/{@code as_org} layout of ip-location-db and IPinfo files) read once into a {@link PrefixTable}.
 * Immutable and thread-safe.
 */
public final class AsnDatabase {

    private final String type;
    private final PrefixTable<AutonomousSystem> table;
    private final int networks;

    private AsnDatabase(MmdbLoader.Loaded<AutonomousSystem> loaded) {
        this.type = loaded.databaseType;
        this.table = loaded.table;
        this.networks = loaded.networks;
    }

    public static AsnDatabase load(Path file) throws IOException {
        MmdbLoader.Strings strings = new MmdbLoader.Strings();
        return new AsnDatabase(MmdbLoader.load(file, d -> {
            Object number = d.containsKey("autonomous_system_number") ? d.get("autonomous_system_number") : d.get("asn");
            Object org = d.containsKey("autonomous_system_organization") ? d.get("autonomous_system_organization")
                    : d.get("as_org");
            long n;
            if (number instanceof Number) {
                n = ((Number) number).longValue();
            } else if (number instanceof String && ((String) number).matches("(?i)(AS)?[0-9]+")) {
                n = Long.parseLong(((String) number).replaceFirst("(?i)^AS", ""));
            } else {
                return null;
            }
            return new AutonomousSystem(n, strings.of(org));
        }));
    }

    /** The AS of an address ({@code length} 4 or 16 bytes), or null (always for {@link ReservedNetworks}). */
    public AutonomousSystem lookup(byte[] address, int length) {
        return table.lookup(address, length);
    }

    public String type() {
        return type;
    }

    public int networks() {
        return networks;
    }
}
