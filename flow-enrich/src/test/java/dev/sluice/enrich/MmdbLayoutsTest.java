package dev.sluice.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.enrich.GeoLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MMDB record layouts of other vendors (DB-IP Lite, IPinfo, ip-location-db), with files written in the test by
 * {@link MmdbWriter} (the field names as those vendors document them), IPv4 and IPv6.
 */
class MmdbLayoutsTest {

    @TempDir
    Path dir;

    private static final String V4 = "8.8.8.0/24";
    private static final String V6 = "2606:4700::/32";

    private static byte[] ip(String s) {
        return V5.ip(s).getAddress();
    }

    private static GeoLocation geo(GeoIpDatabase db, String ip) {
        byte[] a = ip(ip);
        return db.lookup(a, a.length);
    }

    private static AutonomousSystem as(AsnDatabase db, String ip) {
        byte[] a = ip(ip);
        return db.lookup(a, a.length);
    }

    @Test
    void dbIpLiteCityAndAsnUseTheMaxmindLayout() throws IOException {
        Map<String, Object> london = Map.of(
                "city", Map.of("names", Map.of("en", "London", "de", "London")),
                "continent", Map.of("code", "EU", "names", Map.of("en", "Europe")),
                "country", Map.of("iso_code", "GB", "names", Map.of("en", "United Kingdom")),
                "location", Map.of("latitude", 51.5085, "longitude", -0.1257),
                "subdivisions", List.of(Map.of("names", Map.of("en", "England"))));
        Path city = new MmdbWriter("DBIP-City-Lite").add("81.2.69.0/24", london).add("2a02:c7c::/32", london)
                .write(dir.resolve("dbip-city-lite.mmdb"));
        GeoIpDatabase db = GeoIpDatabase.load(city);
        assertThat(db.type()).isEqualTo("DBIP-City-Lite");
        for (String ip : List.of("81.2.69.160", "2a02:c7c:1::1")) {
            GeoLocation g = geo(db, ip);
            assertThat(g).as(ip).isNotNull();
            assertThat(g.countryIsoCode()).isEqualTo("GB");
            assertThat(g.countryName()).isEqualTo("United Kingdom");
            assertThat(g.cityName()).isEqualTo("London");
            assertThat(g.continentCode()).isEqualTo("EU");
            assertThat(g.regionName()).isEqualTo("England");
            assertThat(g.latitude()).isEqualTo(51.5085);
            assertThat(g.longitude()).isEqualTo(-0.1257);
        }
        assertThat(geo(db, "81.2.70.1")).isNull();

        Map<String, Object> google = Map.of("autonomous_system_number", 15169L,
                "autonomous_system_organization", "Google LLC");
        AsnDatabase asn = AsnDatabase.load(new MmdbWriter("DBIP-ASN-Lite (compat=GeoLite2-ASN)").add(V4, google)
                .add("2001:4860::/32", google).write(dir.resolve("dbip-asn-lite.mmdb")));
        assertThat(as(asn, "8.8.8.8").number()).isEqualTo(15169);
        assertThat(as(asn, "2001:4860:4860::8888").organization()).isEqualTo("Google LLC");
    }

    @Test
    void ipinfoLiteHasCountryAndAsInOneFile() throws IOException {
        Map<String, Object> google = Map.of("asn", "AS15169", "as_name", "Google LLC", "as_domain", "google.com",
                "country_code", "US", "country", "United States", "continent_code", "NA",
                "continent", "North America");
        Map<String, Object> countryOnly = Map.of("country_code", "DE", "country", "Germany", "continent_code", "EU",
                "continent", "Europe");
        Path file = new MmdbWriter("ipinfo_lite.mmdb").add(V4, google).add("2001:4860::/32", google)
                .add("5.9.0.0/16", countryOnly).write(dir.resolve("ipinfo_lite.mmdb"));
        GeoIpDatabase geo = GeoIpDatabase.load(file);
        AsnDatabase asn = AsnDatabase.load(file);
        for (String ip : List.of("8.8.8.8", "2001:4860:4860::8844")) {
            GeoLocation g = geo(geo, ip);
            assertThat(g.countryIsoCode()).as(ip).isEqualTo("US");
            assertThat(g.countryName()).isEqualTo("United States");
            assertThat(g.continentCode()).isEqualTo("NA");
            assertThat(g.continentName()).isEqualTo("North America");
            assertThat(g.cityName()).isNull();
            assertThat(g.hasLocation()).isFalse();
            assertThat(as(asn, ip).number()).isEqualTo(15169);
            assertThat(as(asn, ip).organization()).isEqualTo("Google LLC");
        }
        assertThat(geo(geo, "5.9.1.1").countryName()).isEqualTo("Germany");
        assertThat(as(asn, "5.9.1.1")).as("no AS in that record").isNull();
        assertThat(geo.networks()).isEqualTo(3);
        assertThat(asn.networks()).isEqualTo(2);
    }

    @Test
    void ipinfoCountryAsnNamesTheCountryByItsCode() throws IOException {
        Map<String, Object> cloudflare = Map.of("country", "AU", "country_name", "Australia", "continent", "OC",
                "continent_name", "Oceania", "asn", "AS13335", "as_name", "Cloudflare, Inc.",
                "as_domain", "cloudflare.com");
        Path file = new MmdbWriter("ipinfo country_asn.mmdb").add("1.1.1.0/24", cloudflare).add(V6, cloudflare)
                .write(dir.resolve("country_asn.mmdb"));
        GeoIpDatabase geo = GeoIpDatabase.load(file);
        AsnDatabase asn = AsnDatabase.load(file);
        for (String ip : List.of("1.1.1.1", "2606:4700:4700::1111")) {
            GeoLocation g = geo(geo, ip);
            assertThat(g.countryIsoCode()).as(ip).isEqualTo("AU");
            assertThat(g.countryName()).isEqualTo("Australia");
            assertThat(g.continentCode()).isEqualTo("OC");
            assertThat(g.continentName()).isEqualTo("Oceania");
            assertThat(as(asn, ip).number()).isEqualTo(13335);
            assertThat(as(asn, ip).organization()).isEqualTo("Cloudflare, Inc.");
        }
    }

    @Test
    void ipLocationDbCityCountryAndAsn() throws IOException {
        Map<String, Object> city = Map.of("city", "Mountain View", "country_code", "US", "state1", "California",
                "postcode", "94043", "latitude", 37.4056, "longitude", -122.0775, "timezone", "America/Los_Angeles");
        GeoIpDatabase cities = GeoIpDatabase.load(new MmdbWriter("dbip-city-ipv4").add(V4, city)
                .add("2001:4860::/32", Map.of("city", "Mountain View", "country_code", "US",
                        "latitude", "37.4056", "longitude", "-122.0775"))
                .write(dir.resolve("dbip-city.mmdb")));
        GeoLocation g = geo(cities, "8.8.8.8");
        assertThat(g.countryIsoCode()).isEqualTo("US");
        assertThat(g.countryName()).isNull();
        assertThat(g.cityName()).isEqualTo("Mountain View");
        assertThat(g.regionName()).isEqualTo("California");
        assertThat(g.hasLocation()).isTrue();
        assertThat(g.latitude()).isEqualTo(37.4056);
        GeoLocation v6 = geo(cities, "2001:4860::1");
        assertThat(v6.longitude()).as("coordinates as strings").isEqualTo(-122.0775);

        GeoIpDatabase countries = GeoIpDatabase.load(new MmdbWriter("geo-whois-asn-country")
                .add(V4, Map.of("country_code", "US")).add(V6, Map.of("country_code", "US"))
                .write(dir.resolve("country.mmdb")));
        assertThat(geo(countries, "8.8.8.8").countryIsoCode()).isEqualTo("US");
        assertThat(geo(countries, "2606:4700::6810:84e5").countryIsoCode()).isEqualTo("US");

        AsnDatabase asn = AsnDatabase.load(new MmdbWriter("asn").add(V4, Map.of("autonomous_system_number", 15169L,
                "autonomous_system_organization", "Google LLC")).write(dir.resolve("asn.mmdb")));
        assertThat(as(asn, "8.8.8.8").number()).isEqualTo(15169);
        // an ASN file is no GeoIP database: nothing with a location in it
        assertThat(GeoIpDatabase.load(dir.resolve("asn.mmdb")).networks()).isZero();
    }

    @Test
    void theWriterMakesFilesMaxmindsReaderAgreesWith() throws IOException {
        // a MaxMind-layout file of our own must read like the MaxMind test database it imitates
        Map<String, Object> rec = Map.of("country", Map.of("iso_code", "SE", "names", Map.of("en", "Sweden")),
                "continent", Map.of("code", "EU", "names", Map.of("en", "Europe")));
        Path file = new MmdbWriter("GeoIP2-Country").add("89.160.20.112/28", rec).write(dir.resolve("se.mmdb"));
        GeoIpDatabase ours = GeoIpDatabase.load(file);
        GeoIpDatabase maxmind = GeoIpDatabase.load(MaxmindCorpusTest.db("GeoIP2-Country-Test"));
        GeoLocation a = geo(ours, "89.160.20.113");
        GeoLocation b = geo(maxmind, "89.160.20.113");
        assertThat(b).isNotNull();
        assertThat(a.countryIsoCode()).isEqualTo(b.countryIsoCode());
        assertThat(a.countryName()).isEqualTo(b.countryName());
        assertThat(a.continentCode()).isEqualTo(b.continentCode());
    }
}
