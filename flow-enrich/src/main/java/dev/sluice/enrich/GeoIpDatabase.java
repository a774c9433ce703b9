package dev.sluice.enrich;

import dev.sluice.core.enrich.GeoLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A GeoIP database in MMDB form, read once into a {@link PrefixTable} of shared {@link GeoLocation}s: a lookup is a
 * binary search that allocates nothing. English names. Immutable and thread-safe; reload by loading again (see
 * {@link WatchedFile}).
 *
 * <p>Record layouts, told apart per record by their fields:
 * <ul>
 *   <li>MaxMind GeoIP2 / GeoLite2 City and Country, and DB-IP Lite City and Country (the same layout): nested
 *       {@code continent}, {@code country}, {@code city} (names under {@code names.en}), {@code subdivisions},
 *       {@code location.latitude}/{@code longitude};</li>
 *   <li>flat layouts: IPinfo Lite ({@code country_code} + {@code country} as the name, {@code continent_code} +
 *       {@code continent}), IPinfo Country / Country ASN ({@code country} as the ISO code + {@code country_name},
 *       {@code continent} as the code + {@code continent_name}), ip-location-db ({@code country_code}, {@code city},
 *       {@code state1}, {@code latitude}, {@code longitude}); also {@code region}/{@code region_code} and
 *       {@code lat}/{@code lng}. Coordinates may be numbers or numeric strings.</li>
 * </ul>
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

    private static GeoLocation convert(Map<String, Object> d, MmdbLoader.Strings s) {
        boolean nested = d.get("country") instanceof Map || d.get("continent") instanceof Map
                || d.get("city") instanceof Map || d.get("location") instanceof Map;
        return nested ? maxmind(d, s) : flat(d, s);
    }

    /** A flat record (IPinfo, ip-location-db); see the class comment. */
    private static GeoLocation flat(Map<String, Object> d, MmdbLoader.Strings s) {
        String countryIso = text(d, "country_code");
        String countryName = text(d, "country_name");
        if (countryIso == null) {
            countryIso = text(d, "country"); // IPinfo Country / Country ASN: the code
        } else if (countryName == null) {
            countryName = text(d, "country"); // IPinfo Lite: the name
        }
        String continentCode = text(d, "continent_code");
        String continentName = text(d, "continent_name");
        String continent = text(d, "continent");
        if (continent != null) {
            if (continentCode == null && continent.length() == 2) {
                continentCode = continent;
            } else if (continentName == null && !continent.equals(continentCode)) {
                continentName = continent;
            }
        }
        String regionName = text(d, "region") != null ? text(d, "region") : text(d, "state1");
        Double lat = coordinate(d, "latitude", "lat");
        Double lon = coordinate(d, "longitude", "lng", "lon");
        GeoLocation g = new GeoLocation(s.of(continentCode), s.of(continentName), s.of(countryIso), s.of(countryName),
                s.of(text(d, "region_code")), s.of(regionName), s.of(text(d, "city")), lat != null && lon != null,
                lat != null ? lat : 0, lon != null ? lon : 0);
        return g.isEmpty() ? null : g;
    }

    private static String text(Map<String, Object> d, String key) {
        Object v = d.get(key);
        if (v == null || v instanceof Map || v instanceof List) {
            return null;
        }
        String t = v.toString().strip();
        return t.isEmpty() ? null : t;
    }

    private static Double coordinate(Map<String, Object> d, String... keys) {
        for (String k : keys) {
            Object v = d.get(k);
            if (v instanceof Number) {
                return ((Number) v).doubleValue();
            }
            if (v instanceof String) {
                try {
                    double x = Double.parseDouble(((String) v).strip());
                    if (Double.isFinite(x)) {
                        return x;
                    }
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The MaxMind / DB-IP layout. */
    @SuppressWarnings("unchecked")
    private static GeoLocation maxmind(Map<String, Object> d, MmdbLoader.Strings s) {
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

    PrefixTable<GeoLocation> table() {
        return table;
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
