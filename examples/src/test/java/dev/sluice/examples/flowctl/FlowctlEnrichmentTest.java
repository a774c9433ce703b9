package dev.sluice.examples.flowctl;

import static dev.sluice.examples.flowctl.EnrichmentFixtures.CID_SEED1;
import static dev.sluice.examples.flowctl.EnrichmentFixtures.LONDON;
import static dev.sluice.examples.flowctl.EnrichmentFixtures.TELSTRA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowctl decode} with the enrichment options: the MaxMind test databases of the shared corpus, exporter and
 * interface dictionaries, CIDR tags, locality, sampling overrides and Community ID, checked in the ECS documents.
 */
class FlowctlEnrichmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int run(List<String> args) {
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        return Flowctl.run(args.toArray(new String[0]), stdout, err, DecoderWiring.sessions(err));
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    private List<JsonNode> documents() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                docs.add(JSON.readTree(line));
            }
        }
        return docs;
    }

    private Path datagram() throws IOException {
        return Files.write(dir.resolve("v5.bin"), EnrichmentFixtures.v5Datagram());
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void everyOptionShowsInTheEcsDocuments() throws IOException {
        int code = run(List.of("decode",
                "--geoip", EnrichmentFixtures.mmdb("GeoLite2-City-Test").toString(),
                "--asn", EnrichmentFixtures.mmdb("GeoLite2-ASN-Test").toString(),
                "--exporters", EnrichmentFixtures.exporters(dir).toString(),
                "--interfaces=" + EnrichmentFixtures.interfaces(dir),
                "--cidr-tags", EnrichmentFixtures.cidrTags(dir).toString(),
                "--internal", "10.0.0.0/8,192.168.0.0/16", "--internal", "2001:db8::/32",
                "--sampling", "127.0.0.0/8=10", "--sampling", "127.0.0.1=100",
                "--community-id-seed", "1",
                datagram().toString()));
        assertThat(code).as(err()).isZero();
        List<JsonNode> docs = documents();
        assertThat(docs).hasSize(3);

        JsonNode london = docs.get(0);
        JsonNode geo = EnrichmentFixtures.expected("GeoLite2-City-Test", LONDON);
        assertThat(london.at("/source/ip").asText()).isEqualTo(LONDON);
        assertThat(london.at("/source/geo/country_iso_code").asText()).isEqualTo(geo.at("/country/iso_code").asText())
                .isEqualTo("GB");
        assertThat(london.at("/source/geo/country_name").asText()).isEqualTo(geo.at("/country/name_en").asText());
        assertThat(london.at("/source/geo/city_name").asText()).isEqualTo(geo.at("/city/name_en").asText())
                .isEqualTo("London");
        assertThat(london.at("/source/geo/continent_code").asText()).isEqualTo(geo.at("/continent/code").asText());
        assertThat(london.at("/source/geo/location/lat").asDouble()).isEqualTo(geo.at("/location/latitude").asDouble());
        assertThat(london.at("/source/geo/location/lon").asDouble()).isEqualTo(geo.at("/location/longitude").asDouble());
        assertThat(london.at("/destination/geo").isMissingNode()).as("10.1.2.3 is private: skipped").isTrue();
        // exporter dictionary (the most specific of the two would be 127.0.0.1 itself)
        assertThat(london.at("/observer/ip").asText()).isEqualTo("127.0.0.1");
        assertThat(london.at("/observer/name").asText()).isEqualTo("edge-1");
        assertThat(london.at("/observer/geo/name").asText()).isEqualTo("lon1");
        assertThat(london.at("/labels/datacenter").asText()).isEqualTo("dc-west");
        // interface dictionary
        assertThat(london.at("/observer/ingress/interface/id").asText()).isEqualTo("10");
        assertThat(london.at("/observer/ingress/interface/name").asText()).isEqualTo("xe-0/0/0");
        assertThat(london.at("/observer/ingress/interface/alias").asText()).isEqualTo("uplink to transit");
        assertThat(london.at("/observer/egress/interface/name").asText()).isEqualTo("ae1.100");
        // CIDR tags (source network) and interface tags
        assertThat(texts(london.get("tags"))).contains("london-office", "transit", "provider-a", "customer");
        assertThat(london.at("/labels/owner").asText()).isEqualTo("netops");
        // locality and direction
        assertThat(london.at("/source/locality").asText()).isEqualTo("external");
        assertThat(london.at("/destination/locality").asText()).isEqualTo("internal");
        assertThat(london.at("/network/direction").asText()).isEqualTo("inbound");
        // sampling: the exporter's own address beats 127.0.0.0/8; raw values kept under netflow.*
        assertThat(london.at("/flow/sampling_interval").asLong()).isEqualTo(100);
        assertThat(london.at("/source/bytes").asLong()).isEqualTo(1500 * 100);
        assertThat(london.at("/source/packets").asLong()).isEqualTo(10 * 100);
        assertThat(london.at("/netflow/octet_delta_count").asLong()).isEqualTo(1500);
        // derived fields over the corrected counters and the 2 s duration
        assertThat(london.at("/flow/bits").asLong()).isEqualTo(1500L * 100 * 8);
        assertThat(london.at("/flow/duration_millis").asLong()).isEqualTo(2000);
        assertThat(london.at("/flow/bits_per_second").asLong()).isEqualTo(1500L * 100 * 8 / 2);
        // names
        assertThat(london.at("/network/transport").asText()).isEqualTo("tcp");
        assertThat(london.at("/network/application").asText()).isEqualTo("https");
        assertThat(texts(london.at("/flow/tcp_flags"))).containsExactlyInAnyOrder("ACK", "PSH");

        JsonNode telstra = docs.get(1);
        JsonNode as = EnrichmentFixtures.expected("GeoLite2-ASN-Test", "1.128.0.0");
        assertThat(telstra.at("/destination/as/number").asLong()).isEqualTo(as.get("asn").asLong()).isEqualTo(1221);
        assertThat(telstra.at("/destination/as/organization/name").asText()).isEqualTo(as.get("as_org").asText());
        assertThat(telstra.at("/source/as").isMissingNode()).isTrue();
        assertThat(telstra.at("/network/direction").asText()).isEqualTo("outbound");
        assertThat(telstra.at("/network/application").asText()).isEqualTo("domain");
        assertThat(telstra.at("/network/transport").asText()).isEqualTo("udp");

        // Community ID v1 with seed 1, the specification's baseline value
        assertThat(docs.get(2).at("/network/community_id").asText()).isEqualTo(CID_SEED1);
        assertThat(docs.get(2).at("/network/direction").asText()).isEqualTo("external");
        assertThat(docs.get(0).at("/network/community_id").asText()).startsWith("1:").isNotEqualTo(CID_SEED1);
    }

    @Test
    void aCorpusFileWithDictionariesAndTheTestDatabases() throws IOException {
        Path juniper = EnrichmentFixtures.corpus().resolve("logstash/dat/netflow5_test_juniper_mx80.dat");
        assertThat(run(List.of("decode", juniper.toString()))).as(err()).isZero();
        List<JsonNode> plain = documents();
        stdout.reset();

        int code = run(List.of("decode",
                "--geoip", EnrichmentFixtures.mmdb("GeoIP2-City-Test").toString(),
                "--asn", EnrichmentFixtures.mmdb("GeoLite2-ASN-Test").toString(),
                "--exporters", EnrichmentFixtures.exporters(dir).toString(),
                "--interfaces", EnrichmentFixtures.interfaces(dir).toString(),
                "--cidr-tags", EnrichmentFixtures.cidrTags(dir).toString(),
                "--internal", "192.168.0.0/16",
                "--community-id",
                juniper.toString()));
        assertThat(code).as(err()).isZero();
        List<JsonNode> docs = documents();
        assertThat(docs).hasSameSizeAs(plain).hasSizeGreaterThan(5);
        int googlebot = 0;
        for (int i = 0; i < docs.size(); i++) {
            JsonNode d = docs.get(i);
            JsonNode p = plain.get(i);
            // the record's own fields are unchanged by enrichment
            assertThat(d.get("netflow")).isEqualTo(p.get("netflow"));
            assertThat(d.at("/source/ip")).isEqualTo(p.at("/source/ip"));
            assertThat(p.at("/observer/name").isMissingNode()).isTrue();
            assertThat(d.at("/observer/name").asText()).isEqualTo("edge-1");
            assertThat(d.at("/observer/ingress/interface/id").asText())
                    .isEqualTo(p.at("/netflow/ingress_interface").asText()).isEqualTo("542");
            assertThat(d.at("/observer/ingress/interface/name").asText()).isEqualTo("ge-1/0/1");
            assertThat(d.at("/observer/egress/interface/name").asText()).isEqualTo("ge-1/0/2");
            assertThat(d.at("/observer/egress/interface/alias").asText()).isEqualTo("office LAN");
            assertThat(d.at("/network/community_id").asText()).matches("1:[A-Za-z0-9+/]{27}=");
            assertThat(d.at("/destination/locality").asText()).isEqualTo("internal");
            String src = d.at("/source/ip").asText();
            if (src.startsWith("66.249.")) {
                googlebot++;
                assertThat(texts(d.get("tags"))).contains("googlebot", "transit", "internal");
                assertThat(d.at("/labels/org").asText()).isEqualTo("google");
                assertThat(d.at("/network/direction").asText()).isEqualTo("inbound");
                // 66.249.64.0/19 is in neither MaxMind test database
                assertThat(d.at("/source/geo").isMissingNode()).isTrue();
            } else {
                assertThat(src).startsWith("10.");
                assertThat(d.at("/source/geo").isMissingNode()).as("private").isTrue();
                assertThat(d.at("/network/direction").asText()).as("10/8 is not declared internal here")
                        .isEqualTo("inbound");
            }
        }
        assertThat(googlebot).isPositive();
    }

    @Test
    void enrichAloneAddsTheDefaultStagesAndNoNamesLeavesNamesOut() throws IOException {
        Path v5 = datagram();
        assertThat(run(List.of("decode", "--enrich", v5.toString()))).as(err()).isZero();
        JsonNode d = documents().get(0);
        assertThat(d.at("/network/application").asText()).isEqualTo("https");
        assertThat(d.at("/flow/bits").asLong()).isEqualTo(1500 * 8);
        assertThat(d.at("/source/geo").isMissingNode()).isTrue();
        assertThat(d.at("/network/community_id").isMissingNode()).isTrue();
        stdout.reset();

        assertThat(run(List.of("decode", "--no-names", "--sampling", "127.0.0.1=4", v5.toString()))).as(err()).isZero();
        d = documents().get(0);
        assertThat(d.at("/network/application").isMissingNode()).isTrue();
        assertThat(d.at("/flow/tcp_flags").isMissingNode()).isTrue();
        assertThat(d.at("/flow/bits").asLong()).isEqualTo(1500 * 4 * 8);
        stdout.reset();

        assertThat(run(List.of("decode", v5.toString()))).as(err()).isZero();
        d = documents().get(0);
        assertThat(d.get("flow")).as("no enrichment without options").isNull();
        assertThat(d.at("/network/application").isMissingNode()).isTrue();
    }

    @Test
    void yamlDictionaries() throws IOException {
        Path exporters = Files.writeString(dir.resolve("exporters.yaml"),
                "exporters:\n  - {address: 127.0.0.0/8, name: loopback-edge, site: lab, datacenter: dc-test}\n");
        Path interfaces = Files.writeString(dir.resolve("interfaces.yml"), String.join("\n",
                "- exporter: 127.0.0.1",
                "  interfaces:",
                "    - {ifindex: 10, name: et-0/0/10, description: peering, tags: [peering]}",
                ""));
        Path tags = Files.writeString(dir.resolve("networks.yaml"),
                "- cidr: 81.2.69.0/24\n  tags: [gb-test]\n  labels: {country: gb}\n");
        assertThat(run(List.of("decode", "--exporters", exporters.toString(), "--interfaces", interfaces.toString(),
                "--cidr-tags", tags.toString(), datagram().toString()))).as(err()).isZero();
        JsonNode d = documents().get(0);
        assertThat(d.at("/observer/name").asText()).isEqualTo("loopback-edge");
        assertThat(d.at("/labels/datacenter").asText()).isEqualTo("dc-test");
        assertThat(d.at("/observer/ingress/interface/name").asText()).isEqualTo("et-0/0/10");
        assertThat(d.at("/observer/egress").isMissingNode()).isTrue();
        assertThat(texts(d.get("tags"))).contains("gb-test", "peering");
        assertThat(d.at("/labels/country").asText()).isEqualTo("gb");

        stderr.reset();
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "- exporter: 127.0.0.1\n  ifindex: ten\n");
        assertThat(run(List.of("decode", "--interfaces", bad.toString(), datagram().toString())))
                .isEqualTo(Flowctl.EXIT_USAGE);
        assertThat(err()).contains("--interfaces " + bad).contains("entry 1: 'ifindex' is not a whole number: ten");
    }

    @Test
    void badEnrichmentOptionsAreUsageErrorsNamingTheOption() throws IOException {
        Path v5 = datagram();
        Path badCsv = Files.writeString(dir.resolve("bad-interfaces.csv"), "127.0.0.1,not-a-number,eth0\n");
        String asn = EnrichmentFixtures.mmdb("GeoLite2-ASN-Test").toString();
        String city = EnrichmentFixtures.mmdb("GeoLite2-City-Test").toString();
        String[][] cases = {
            {"--geoip", dir.resolve("missing.mmdb").toString(), "--geoip " + dir.resolve("missing.mmdb")
                    + ": no such file"},
            {"--geoip", dir.toString(), "is a directory"},
            {"--geoip", asn, "not a City or Country database (type GeoLite2-ASN)"},
            {"--asn", city, "not an ASN database (type GeoLite2-City)"},
            {"--asn", badCsv.toString(), "--asn " + badCsv + ": cannot load"},
            {"--interfaces", badCsv.toString(), "--interfaces " + badCsv + ": cannot load"},
            {"--sampling", "127.0.0.1", "is not EXPORTER=N"},
            {"--sampling", "127.0.0.1=0", "out of range"},
            {"--sampling", "host.example=10", "is not an address or CIDR"},
            {"--internal", "10.0.0.0/33", "is not an address or CIDR"},
            {"--community-id-seed", "70000", "out of range"},
            {"--public-asn", "AS1", "is not a number"},
            {"--reload", "5", "only applies to collect"},
            {"--community-id=yes", "(value inline)", "takes no value"},
            {"--geoip", null, "needs a value"},
        };
        for (String[] c : cases) {
            stderr.reset();
            List<String> args = new ArrayList<>(List.of("decode"));
            if (c[1] == null) {
                args.add(v5.toString());
                args.add(c[0]);
            } else {
                args.add(c[0]);
                if (!c[0].contains("=")) {
                    args.add(c[1]);
                }
                args.add(v5.toString());
            }
            int code = run(args);
            assertThat(code).as("%s: %s", args, err()).isEqualTo(Flowctl.EXIT_USAGE);
            assertThat(err()).as("%s", args).startsWith("flowctl: ").contains(c[2]).doesNotContain("\tat ");
            assertThat(err().strip().lines()).as("%s", args).hasSize(1);
        }
        assertThat(stdout.size()).as("nothing decoded").isZero();
    }

    @Test
    void theHelpListsTheEnrichmentOptions() {
        assertThat(run(List.of("decode", "--help"))).isZero();
        String help = stdout.toString(StandardCharsets.UTF_8);
        for (String option : EnrichmentOptions.KEYS) {
            boolean onByDefault = option.equals("names") || option.equals("derived");
            assertThat(help).contains((onByDefault ? "--no-" : "--") + option + " ");
        }
        assertThat(help).contains("enrich.geoip");
    }
}
