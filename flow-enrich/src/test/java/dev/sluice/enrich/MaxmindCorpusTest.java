package dev.sluice.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.enrich.GeoLocation;
import dev.sluice.core.layout.EcsLayout;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoIP and ASN against MaxMind's test databases and the expected lookups in the shared corpus. */
class MaxmindCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path corpus() {
        String p = System.getProperty("sluice.corpus");
        assertThat(p).as("system property sluice.corpus (set by the parent pom)").isNotNull();
        Path dir = Path.of(p, "maxmind");
        assertThat(dir.resolve("test-data")).as("the MaxMind corpus").isDirectory();
        return dir;
    }

    static Path db(String name) {
        return corpus().resolve("test-data").resolve(name + ".mmdb");
    }

    private static JsonNode expected(String name) throws IOException {
        return JSON.readTree(corpus().resolve("expected_lookups").resolve(name + ".json").toFile());
    }

    private static String text(JsonNode n, String... path) {
        for (String p : path) {
            n = n == null ? null : n.get(p);
        }
        return n == null || n.isNull() ? null : n.asText();
    }

    private void checkGeo(String name) throws IOException {
        GeoIpDatabase db = GeoIpDatabase.load(db(name));
        int v4 = 0;
        int v6 = 0;
        for (JsonNode row : expected(name).get("rows")) {
            String ip = row.get("lookup_ip").asText();
            byte[] a = V5.ip(ip).getAddress();
            JsonNode ex = row.get("expected");
            GeoLocation g = db.lookup(a, a.length);
            String what = name + " " + ip;
            if (ex == null || ex.isNull() || ex.isEmpty()) {
                continue;
            }
            if (a.length == 4) {
                v4++;
            } else {
                v6++;
            }
            String iso = text(ex, "country", "iso_code");
            String city = text(ex, "city", "name_en");
            if (iso == null && city == null && text(ex, "continent", "code") == null && !ex.has("location")) {
                continue; // e.g. only registered_country: nothing this layout uses
            }
            assertThat(g).as(what).isNotNull();
            assertThat(g.countryIsoCode()).as(what).isEqualTo(iso);
            assertThat(g.countryName()).as(what).isEqualTo(text(ex, "country", "name_en"));
            assertThat(g.continentCode()).as(what).isEqualTo(text(ex, "continent", "code"));
            assertThat(g.continentName()).as(what).isEqualTo(text(ex, "continent", "name_en"));
            assertThat(g.cityName()).as(what).isEqualTo(city);
            JsonNode sub = ex.get("subdivisions");
            assertThat(g.regionIsoCode()).as(what).isEqualTo(sub == null || sub.isEmpty() ? null
                    : text(sub.get(0), "iso_code"));
            JsonNode loc = ex.get("location");
            if (loc != null && loc.has("latitude")) {
                assertThat(g.hasLocation()).as(what).isTrue();
                assertThat(g.latitude()).as(what).isEqualTo(loc.get("latitude").asDouble());
                assertThat(g.longitude()).as(what).isEqualTo(loc.get("longitude").asDouble());
            } else {
                assertThat(g.hasLocation()).as(what).isFalse();
            }
        }
        assertThat(v4).as(name + " IPv4 rows").isPositive();
        assertThat(v6).as(name + " IPv6 rows").isPositive();
    }

    @Test
    void geoLite2City() throws IOException {
        checkGeo("GeoLite2-City-Test");
    }

    @Test
    void geoIp2City() throws IOException {
        checkGeo("GeoIP2-City-Test");
    }

    @Test
    void geoIp2Country() throws IOException {
        checkGeo("GeoIP2-Country-Test");
    }

    @Test
    void geoLite2Asn() throws IOException {
        AsnDatabase db = AsnDatabase.load(db("GeoLite2-ASN-Test"));
        int v4 = 0;
        int v6 = 0;
        for (JsonNode row : expected("GeoLite2-ASN-Test").get("rows")) {
            String ip = row.get("lookup_ip").asText();
            byte[] a = V5.ip(ip).getAddress();
            JsonNode ex = row.get("expected");
            AutonomousSystem as = db.lookup(a, a.length);
            assertThat(as).as(ip).isNotNull();
            assertThat(as.number()).as(ip).isEqualTo(ex.get("asn").asLong());
            assertThat(as.organization()).as(ip).isEqualTo(text(ex, "as_org"));
            if (a.length == 4) {
                v4++;
            } else {
                v6++;
            }
        }
        assertThat(v4).isPositive();
        assertThat(v6).isPositive();
        assertThat(db.type()).isEqualTo("GeoLite2-ASN");
    }

    @Test
    void reservedAddressesAnswerNullFromTheDatabasesThemselves() throws IOException {
        GeoIpDatabase city = GeoIpDatabase.load(db("GeoLite2-City-Test"));
        AsnDatabase asn = AsnDatabase.load(db("GeoLite2-ASN-Test"));
        for (String ip : new String[] {"10.1.2.3", "192.168.0.1", "127.0.0.1", "224.0.0.5", "100.64.1.1", "::1",
            "fe80::1", "2001:db8::5", "fd00::1", "::ffff:10.0.0.1"}) {
            byte[] a = V5.ip(ip).getAddress();
            assertThat(ReservedNetworks.contains(a, a.length)).as(ip).isTrue();
            assertThat(city.lookup(a, a.length)).as(ip).isNull();
            assertThat(asn.lookup(a, a.length)).as(ip).isNull();
        }
        // the ranges around them still answer (81.2.69.142 is London, 1.128.0.0/11 Telstra)
        assertThat(city.lookup(V5.v4("81.2.69.142"), 4).countryIsoCode()).isEqualTo("GB");
        assertThat(asn.lookup(V5.v4("1.128.0.1"), 4).number()).isEqualTo(1221);
    }

    @Test
    void endToEndRecordsThroughTheChainIntoEcsDocuments() throws IOException {
        GeoIpDatabase city = GeoIpDatabase.load(db("GeoLite2-City-Test"));
        AsnDatabase asn = AsnDatabase.load(db("GeoLite2-ASN-Test"));
        EnrichmentChain chain = EnrichmentChain.builder()
                .add("sampling", SamplingCorrectionStage.builder().exporter("192.0.2.1", 100).build())
                .add("derived", new DerivedFieldsStage())
                .add("names", new NamesStage())
                .add("exporters", ExporterDictionary.builder().add("192.0.2.1", "edge-1", "lon1", "dc-1").build())
                .add("geo", new GeoIpStage(city))
                .add("asn", new AsnStage(asn))
                .add("locality", new LocalityStage(List.of("10.0.0.0/8")))
                .add("community-id", new CommunityIdStage())
                .build();
        EcsLayout layout = new EcsLayout();
        FlowEvent event = new FlowEvent();
        List<JsonNode> docs = new ArrayList<>();
        byte[] packet = V5.packet(0, new V5.Flow().src("10.1.1.1").dst("81.2.69.142"),
                new V5.Flow().src("1.128.0.1").dst("10.1.1.1").ports(443, 50000),
                new V5.Flow().src("10.1.1.1").dst("10.2.2.2"));
        V5.decode(packet, "192.0.2.1", r -> {
            assertThat(chain.process(r, event)).isTrue();
            StringWriter w = new StringWriter();
            try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
                layout.write(r, event, g);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            try {
                docs.add(JSON.readTree(w.toString()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(docs).hasSize(3);
        JsonNode out = docs.get(0);
        assertThat(out.at("/destination/geo/country_iso_code").asText()).isEqualTo("GB");
        assertThat(out.at("/destination/geo/city_name").asText()).isEqualTo("London");
        assertThat(out.at("/destination/geo/location/lat").isNumber()).isTrue();
        assertThat(out.at("/source/geo").isMissingNode()).as("private source skipped").isTrue();
        assertThat(out.at("/network/direction").asText()).isEqualTo("outbound");
        assertThat(out.at("/network/bytes").asLong()).isEqualTo(150_000);
        assertThat(out.at("/netflow/in_bytes").isMissingNode() && out.at("/netflow/octet_delta_count").asLong() == 1500)
                .as("raw bytes kept: %s", out.get("netflow")).isTrue();
        assertThat(out.at("/observer/name").asText()).isEqualTo("edge-1");
        assertThat(out.at("/network/community_id").asText()).startsWith("1:");
        JsonNode in = docs.get(1);
        assertThat(in.at("/source/as/number").asLong()).isEqualTo(1221);
        assertThat(in.at("/source/as/organization/name").asText()).isEqualTo("Telstra Pty Ltd");
        assertThat(in.at("/network/direction").asText()).isEqualTo("inbound");
        assertThat(in.at("/network/application").asText()).isEqualTo("https");
        assertThat(docs.get(2).at("/flow/locality").asText()).isEqualTo("internal");
    }

    @Test
    void reloadUnderTrafficSwapsWithoutFailures(@TempDir Path dir) throws Exception {
        Path live = dir.resolve("city.mmdb");
        Files.copy(db("GeoLite2-City-Test"), live);
        byte[] ip = V5.v4("81.2.69.142"); // London in GeoLite2-City, absent from GeoIP2-Country's city data
        try (WatchedFile<GeoIpDatabase> watched = WatchedFile.watch(live, GeoIpDatabase::load,
                java.time.Duration.ofMillis(20))) {
            GeoIpStage stage = new GeoIpStage(watched);
            EnrichmentChain chain = EnrichmentChain.builder().add("geo", stage).build();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong done = new AtomicLong();
            AtomicLong withCity = new AtomicLong();
            AtomicLong withoutCity = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            byte[] packet = V5.packet(0, new V5.Flow().src("10.1.1.1").dst("81.2.69.142"));
            Thread traffic = new Thread(() -> {
                FlowEvent e = new FlowEvent();
                try {
                    while (!stop.get()) {
                        V5.decode(packet, "192.0.2.1", r -> {
                            chain.process(r, e);
                            GeoLocation g = e.destination().geo();
                            assertThat(g).isNotNull();
                            assertThat(g.countryIsoCode()).isEqualTo("GB");
                            (g.cityName() != null ? withCity : withoutCity).incrementAndGet();
                            done.incrementAndGet();
                        });
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            traffic.start();
            while (withCity.get() < 1000) {
                Thread.sleep(5);
            }
            // replace the file atomically with a database without city data
            Path tmp = dir.resolve("city.mmdb.tmp");
            Files.copy(db("GeoIP2-Country-Test"), tmp);
            Files.move(tmp, live, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (withoutCity.get() < 1000 && System.nanoTime() < deadline && failure.get() == null) {
                Thread.sleep(5);
            }
            stop.set(true);
            traffic.join();
            assertThat(failure.get()).isNull();
            assertThat(watched.reloads()).isGreaterThanOrEqualTo(1);
            assertThat(watched.get().type()).isEqualTo("GeoIP2-Country");
            assertThat(withoutCity.get()).as("new data seen").isGreaterThanOrEqualTo(1000);
            assertThat(chain.failures("geo")).isZero();
            ip[0] = ip[0];
        }
    }
}
