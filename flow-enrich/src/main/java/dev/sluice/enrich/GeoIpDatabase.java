package dev.sluice.enrich;

import dev.sluice.core.enrich.GeoLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A MaxMind GeoIP2 / GeoLite2 City or Country database (or any MMDB with the same record layout: DB-IP Lite City and
 * Country use it), read once into a {@link PrefixTable} of shared {@link GeoLocation}s: a lookup is a binary search
 * that allocates nothing. English names. Immutable and thread-safe; reload by loading again (see {@link WatchedFile}).
 */
public final class GeoIpDatabase {

    private final String type;
    private final PrefixTable<GeoLocation> table;
    private final int networks;

    private GeoIpDatabase(MmdbLoader.Loaded<GeoLocation> loaded) {
        this.type = loaded.databaseType;
        this.table = loaded.table;
        this.networks = loaded.networks;
    }

    /** Reads the file. */
    public static GeoIpDatabase load(Path file) throws IOException {
        MmdbLoader.Strings strings = new MmdbLoader.Strings();
        return new GeoIpDatabase(MmdbLoader.load(file, data -> convert(data, strings)));
    }

    @SuppressWarnings("unchecked")
    private static GeoLocation convert(Map<String, Object> d, MmdbLoader.Strings s) {
        Object lat = MmdbLoader.path(d, "location", "latitude");
        Object lon = MmdbLoader.path(d, "location", "longitude");
        Object subdivisions = d.get("subdivisions");
        Map<String, Object> region = null;
        if (subdivisions instanceof List && !((List<?>) subdivisions).isEmpty()
                && ((List<?>) subdivisions).get(0) instanceof Map) {
            region = (Map<String, Object>) ((List<?>) subdivisions).get(0);
        }
        GeoLocation g = new GeoLocation(
                s.of(MmdbLoader.path(d, "continent", "code")),
                s.of(MmdbLoader.path(d, "continent", "names", "en")),
                s.of(MmdbLoader.path(d, "country", "iso_code")),
                s.of(MmdbLoader.path(d, "country", "names", "en")),
                region == null ? null : s.of(region.get("iso_code")),
                region == null ? null : s.of(MmdbLoader.path(region, "names", "en")),
                s.of(MmdbLoader.path(d, "city", "names", "en")),
                lat instanceof Number && lon instanceof Number,
                lat instanceof Number ? ((Number) lat).doubleValue() : 0,
                lon instanceof Number ? ((Number) lon).doubleValue() : 0);
        return g.isEmpty() ? null : g;
    }

    /** The location of an address ({@code length} 4 or 16 bytes), or null (always for {@link ReservedNetworks}). */
    public GeoLocation lookup(byte[] address, int length) {
        return table.lookup(address, length);
    }

    /** The database type from its metadata, e.g. {@code GeoLite2-City}. */
    public String type() {
        return type;
    }

    /** Networks read from the file. */
    public int networks() {
        return networks;
    }
}
