package dev.sluice.enrich;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An ASN database in MMDB form, read once into a {@link PrefixTable}. Immutable and thread-safe. Record layouts: MaxMind
 * GeoLite2 ASN, DB-IP ASN Lite and ip-location-db ({@code autonomous_system_number},
 * {@code autonomous_system_organization}); IPinfo Lite and Country ASN ({@code asn} as {@code "AS15169"} or a number,
 * {@code as_name}); also {@code as_org}. Records without an AS number (e.g. the countries of an IPinfo file) are left
 * out.
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

    /** Reads the file. */
    public static AsnDatabase load(Path file) throws IOException {
        MmdbLoader.Strings strings = new MmdbLoader.Strings();
        return new AsnDatabase(MmdbLoader.load(file, d -> {
            Object number = d.containsKey("autonomous_system_number") ? d.get("autonomous_system_number") : d.get("asn");
            Object org = d.containsKey("autonomous_system_organization") ? d.get("autonomous_system_organization")
                    : d.containsKey("as_name") ? d.get("as_name") : d.get("as_org");
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

    PrefixTable<AutonomousSystem> table() {
        return table;
    }

    /** The database type from its metadata, e.g. {@code GeoLite2-ASN}. */
    public String type() {
        return type;
    }

    /** Networks read from the file (with an AS number). */
    public int networks() {
        return networks;
    }
}
