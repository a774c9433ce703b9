package dev.sluice.examples.flowctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowctl decode} end to end with the real decoder session ({@link DecoderSession}) over corpus files: raw
 * payload files and a pcap built from them, both layouts, {@code --stats}, bad input. Documents are parsed back
 * from stdout (NDJSON) and checked against values the Logstash codec's expectations and Wireshark's decodes give
 * for the same files (the {@code expected/} and {@code wireshark_ref/} folders of the corpus).
 *
 * <p>The runs go through {@link Flowctl#run(String[], java.io.OutputStream, PrintStream, DatagramSinkFactory)}
 * with a {@link DecoderSession} whose decode-error stream is the captured stderr ({@link DecoderWiring} hands it
 * {@code System.err}); {@link #theDefaultWiringPrintsTheSameDocuments} checks that the wired session is the same.
 */
class FlowctlDecodeCorpusTest {

    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final String ASA_TEMPLATE = "netflow9_test_cisco_asa_1_tpl.dat";
    private static final String ASA_DATA = "netflow9_test_cisco_asa_1_data.dat";
    private static final String MIKROTIK_TEMPLATE = "ipfix_test_mikrotik_tpl.dat";
    private static final String MIKROTIK_DATA = "ipfix_test_mikrotik_data258.dat";
    private static final String NETFLOW5 = "netflow5.dat";
    private static final String SFLOW = "sflow_test__TestSFlowDecode__data__L11.bin";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);

    // ---------------------------------------------------------------- NetFlow v9, IPFIX, NetFlow v5

    @Test
    void netflowV9TemplateThenDataInBothLayouts() throws IOException {
        String tpl = logstash(ASA_TEMPLATE).toString();
        String data = logstash(ASA_DATA).toString();

        assertThat(run("decode", tpl, data)).as(err()).isZero();
        assertThat(err()).isEmpty();
        List<JsonNode> ecs = documents();
        assertThat(ecs).hasSize(14).allMatch(d -> d.at("/event/action").asText().equals("netflow_flow"));
        JsonNode doc = ecs.get(1); // the codec's json_events[0]
        assertThat(doc.at("/@timestamp").asText()).isEqualTo("2015-10-09T09:47:51.000Z");
        assertThat(doc.at("/event/start").asText()).isEqualTo("2015-10-09T09:47:48.169Z");
        assertThat(doc.at("/observer/ip").asText()).as("raw payload files come from 127.0.0.1").isEqualTo("127.0.0.1");
        assertThat(doc.at("/source/ip").asText()).isEqualTo("192.168.23.22");
        assertThat(doc.at("/source/port").asInt()).isEqualTo(17549);
        assertThat(doc.at("/source/bytes").asLong()).isEqualTo(56);
        assertThat(doc.at("/destination/ip").asText()).isEqualTo("164.164.37.11");
        assertThat(doc.at("/network/transport").asText()).isEqualTo("icmp");
        assertThat(doc.at("/netflow/exporter/version").asInt()).isEqualTo(9);
        assertThat(doc.at("/netflow/flow_id").asLong()).isEqualTo(8501);
        assertThat(doc.at("/netflow/ingress_acl_id").asText()).isEqualTo("0f8e7ff3fc1a030f00000000");

        reset();
        assertThat(run("decode", "--layout", "logstash", tpl, data)).as(err()).isZero();
        List<JsonNode> logstash = documents();
        assertThat(logstash).hasSize(14);
        assertThat(logstash).contains(expectedEvent("netflow_9_cisco_asa.json", 0));
        assertThat(logstash.get(1)).isEqualTo(expectedEvent("netflow_9_cisco_asa.json", 0));
    }

    @Test
    void ipfixTemplateThenDataInBothLayouts() throws IOException {
        String tpl = logstash(MIKROTIK_TEMPLATE).toString();
        String data = logstash(MIKROTIK_DATA).toString();

        assertThat(run("decode", tpl, data)).as(err()).isZero();
        List<JsonNode> ecs = documents();
        assertThat(ecs).hasSize(28);
        JsonNode v4 = ecs.get(0);
        assertThat(v4.at("/@timestamp").asText()).isEqualTo("2017-07-19T16:18:08.000Z");
        assertThat(v4.at("/source/ip").asText()).isEqualTo("10.10.8.197");
        assertThat(v4.at("/source/port").asInt()).isEqualTo(123);
        assertThat(v4.at("/destination/ip").asText()).isEqualTo("192.168.128.17");
        assertThat(v4.at("/network/transport").asText()).isEqualTo("udp");
        assertThat(v4.at("/network/bytes").asLong()).isEqualTo(152);
        assertThat(v4.at("/network/packets").asLong()).isEqualTo(2);
        assertThat(v4.at("/netflow/post_nat_source_ipv4_address").asText()).isEqualTo("192.168.230.216");
        assertThat(v4.at("/netflow/exporter/version").asInt()).isEqualTo(10);

        reset();
        assertThat(run("decode", "--layout=logstash", tpl, data)).as(err()).isZero();
        List<JsonNode> logstash = documents();
        assertThat(logstash).hasSize(28);
        assertThat(logstash.get(0)).isEqualTo(expectedEvent("ipfix_mikrotik_routeros_6_39_2.json", 0));
    }

    /** netflow5.dat is 12 v5 packets in one file: all of them are decoded (Wireshark and the codec see only one). */
    @Test
    void netflowV5ConcatenatedPacketsInBothLayouts() throws IOException {
        String v5 = logstash(NETFLOW5).toString();

        assertThat(run("decode", "--stats", v5)).as(err()).isZero();
        List<JsonNode> ecs = documents();
        assertThat(ecs).hasSize(30);
        JsonNode first = ecs.get(0);
        assertThat(first.at("/source/ip").asText()).isEqualTo("10.0.2.2");
        assertThat(first.at("/source/port").asInt()).isEqualTo(54435);
        assertThat(first.at("/source/bytes").asLong()).isEqualTo(230);
        assertThat(first.at("/destination/port").asInt()).isEqualTo(22);
        assertThat(first.at("/event/end").asText()).isEqualTo("2015-05-02T18:38:07.476Z");
        assertThat(first.at("/event/duration").asLong()).isEqualTo(2_578_000_000L);
        assertThat(first.at("/netflow/exporter/timestamp").asText()).isEqualTo("2015-05-02T18:38:08.280Z");
        assertThat(ecs.get(29).at("/netflow/exporter/timestamp").asText()).as("the twelfth packet")
                .isEqualTo("2015-05-02T18:39:09.348Z");
        assertThat(ecs.get(29).at("/network/bytes").asLong()).isEqualTo(580);
        assertThat(statsLines()).containsExactly(
                "flowctl: stats: capture packets=1 datagrams=1 partial_datagrams=0 not_udp=0 later_fragments=0"
                        + " truncated=0 malformed=0 unsupported_link_type=0",
                "flowctl: stats: decoder documents=30 packets=12 bytes=1728 records=30 options_records=0 templates=0"
                        + " templates_active=0 templates_withdrawn=0 template_misses=0 pending_sets=0"
                        + " pending_records_decoded=0 counter_samples=0 drop_samples=0 skipped_formats=0"
                        + " sequence_gaps=0 sequence_lost=0 errors=0",
                "flowctl: stats: exporter 127.0.0.1 packets=12 bytes=1728 records=30 options_records=0 templates=0"
                        + " templates_active=0 templates_withdrawn=0 template_misses=0 pending_sets=0"
                        + " pending_records_decoded=0 counter_samples=0 drop_samples=0 skipped_formats=0"
                        + " sequence_gaps=0 sequence_lost=0 errors=0");

        reset();
        assertThat(run("decode", "--layout", "logstash", v5)).as(err()).isZero();
        List<JsonNode> logstash = documents();
        assertThat(logstash).hasSize(30);
        // The codec's event but for first/last_switched, which this layout takes from the record on purpose (the
        // codec's v5 arithmetic puts first_switched weeks after last_switched here).
        ObjectNode expected = (ObjectNode) expectedEvent("netflow_5_valid_01.json", 0).deepCopy();
        ((ObjectNode) expected.get("netflow")).put("first_switched", "2015-05-02T18:38:04.898328Z")
                .put("last_switched", "2015-05-02T18:38:07.476328Z");
        assertThat(logstash.get(0)).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- sFlow

    /** goflow2's flow sample datagram with a counter sample appended: one flow document, one counters document. */
    @Test
    void sflowFlowAndCounterSampleInTheEcsLayout() throws IOException {
        Path file = Files.write(dir.resolve("sflow-with-counters.bin"), sflowWithCounters());

        assertThat(run("decode", "--stats", file.toString())).as(err()).isZero();
        List<JsonNode> docs = documents();
        assertThat(docs).hasSize(2);

        JsonNode flow = docs.get(0);
        assertThat(flow.at("/@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(flow.at("/event/action").asText()).isEqualTo("sflow_flow");
        assertThat(flow.at("/observer/ip").asText()).as("the agent address").isEqualTo("172.16.0.17");
        assertThat(flow.at("/source/ip").asText()).isEqualTo("172.16.32.254");
        assertThat(flow.at("/destination/ip").asText()).isEqualTo("172.16.32.241");
        assertThat(flow.at("/source/bytes").asLong()).isEqualTo(82);
        assertThat(flow.at("/network/transport").asText()).isEqualTo("icmp");
        assertThat(flow.at("/netflow/type").asText()).isEqualTo("sflow_flow");
        assertThat(flow.at("/netflow/vlan_id").asInt()).isEqualTo(32);
        assertThat(flow.at("/sflow")).isEqualTo(JSON.readTree("{\"agent\":{\"address\":\"172.16.0.17\","
                + "\"sub_agent_id\":1},\"datagram\":{\"sequence_number\":426,\"uptime_millis\":1743694337},"
                + "\"sampling_rate\":2048}"));

        JsonNode counters = docs.get(1);
        assertThat(counters.at("/@timestamp")).isEqualTo(flow.at("/@timestamp"));
        assertThat(counters.at("/event")).isEqualTo(JSON.readTree("{\"kind\":\"metric\",\"category\":[\"network\"],"
                + "\"type\":[\"info\"],\"action\":\"sflow_counters\",\"dataset\":\"sflow.counters\","
                + "\"module\":\"sflow\"}"));
        assertThat(counters.at("/observer")).isEqualTo(JSON.readTree(
                "{\"ip\":\"172.16.0.17\",\"ingress\":{\"interface\":{\"id\":\"1043\"}}}"));
        JsonNode c = counters.at("/sflow/counters");
        assertThat(c.at("/sequence_number").asLong()).isEqualTo(7);
        assertThat(c.at("/source_id_type").asInt()).isZero();
        assertThat(c.at("/source_id_index").asLong()).isEqualTo(1043);
        assertThat(c.at("/if_index").asLong()).isEqualTo(1043);
        assertThat(c.at("/if_type").asLong()).isEqualTo(6);
        assertThat(c.at("/if_speed").asLong()).isEqualTo(10_000_000_000L);
        assertThat(c.at("/if_direction").asInt()).isEqualTo(1);
        assertThat(c.at("/if_admin_status").asText()).isEqualTo("up");
        assertThat(c.at("/if_oper_status").asText()).isEqualTo("up");
        assertThat(c.at("/if_in_octets").asLong()).isEqualTo(123_456_789_012L);
        assertThat(c.at("/if_in_ucast_pkts").asLong()).isEqualTo(1001);
        assertThat(c.at("/if_in_unknown_protos").asLong()).isEqualTo(1006);
        assertThat(c.at("/if_out_octets").asLong()).isEqualTo(987_654_321L);
        assertThat(c.at("/if_out_discards").asLong()).isEqualTo(2004);
        assertThat(c.has("if_out_errors")).as("sent as 0xFFFFFFFF: unavailable").isFalse();
        assertThat(c.at("/if_promiscuous_mode").asInt()).isEqualTo(2);
        assertThat(c.at("/dot3_stats_alignment_errors").asLong()).isEqualTo(101);
        assertThat(c.at("/dot3_stats_fcs_errors").asLong()).isEqualTo(102);
        assertThat(c.at("/dot3_stats_symbol_errors").asLong()).isEqualTo(113);
        assertThat(c.at("/raw")).isEqualTo(JSON.readTree(
                "{\"1001\":\"00000005000000060000000700000000000004000000000000000200\"}"));

        assertThat(statsLines()).hasSize(3);
        assertThat(statsLines().get(1)).startsWith("flowctl: stats: decoder documents=2 packets=1 bytes="
                + sflowWithCounters().length + " records=1 ").contains(" counter_samples=1 ")
                .contains(" skipped_formats=1 ").endsWith(" errors=0");
    }

    @Test
    void sflowFlowAndCounterSampleInTheLogstashLayout() throws IOException {
        Path file = Files.write(dir.resolve("sflow-with-counters.bin"), sflowWithCounters());

        assertThat(run("decode", "--layout", "logstash", file.toString())).as(err()).isZero();
        List<JsonNode> docs = documents();
        assertThat(docs).hasSize(2);

        JsonNode flow = docs.get(0);
        assertThat(fieldNames(flow)).containsExactly("@timestamp", "netflow", "sflow", "@version");
        assertThat(flow.at("/netflow/version").asInt()).isEqualTo(5);
        assertThat(flow.at("/netflow/sourceIPv4Address").asText()).isEqualTo("172.16.32.254");
        assertThat(flow.at("/netflow/destinationIPv4Address").asText()).isEqualTo("172.16.32.241");
        assertThat(flow.at("/netflow/octetDeltaCount").asLong()).isEqualTo(82);
        assertThat(flow.at("/netflow/sourceMacAddress").asText()).isEqualTo("ff:ab:cd:ef:ab:64");
        assertThat(flow.at("/netflow/vlanId").asInt()).isEqualTo(32);
        assertThat(flow.at("/netflow/samplingPacketInterval").asLong()).isEqualTo(2048);
        assertThat(flow.at("/netflow/ingressInterface").asLong()).isEqualTo(1194);
        assertThat(flow.at("/sflow")).isEqualTo(JSON.readTree("{\"agent_address\":\"172.16.0.17\","
                + "\"sub_agent_id\":1,\"sequence_number\":426,\"uptime_in_ms\":1743694337}"));

        JsonNode counters = docs.get(1);
        assertThat(fieldNames(counters)).containsExactly("@timestamp", "sflow", "@version");
        JsonNode c = counters.get("sflow");
        assertThat(c.at("/agent_address").asText()).isEqualTo("172.16.0.17");
        assertThat(c.at("/sample_seq_number").asLong()).isEqualTo(7);
        assertThat(c.at("/source_id_index").asLong()).isEqualTo(1043);
        assertThat(c.at("/interface_index").asLong()).isEqualTo(1043);
        assertThat(c.at("/interface_speed").asLong()).isEqualTo(10_000_000_000L);
        assertThat(c.at("/interface_status").asInt()).isEqualTo(3);
        assertThat(c.at("/input_octets").asLong()).isEqualTo(123_456_789_012L);
        assertThat(c.at("/input_packets").asLong()).isEqualTo(1001);
        assertThat(c.at("/output_errors").asLong()).as("as sent").isEqualTo(4_294_967_295L);
        assertThat(c.at("/promiscous_mode").asInt()).isEqualTo(2);
        assertThat(c.at("/dot3StatsFCSErrors").asLong()).isEqualTo(102);
        assertThat(c.at("/raw/1001").asText()).isEqualTo("00000005000000060000000700000000000004000000000000000200");
    }

    // ---------------------------------------------------------------- pcap

    /** The same payloads in one pcap: the same documents, with the exporters and capture times of the pcap. */
    @Test
    void aPcapOfThosePayloadsGivesTheSameDocuments() throws IOException {
        byte[] exporterA = {10, 0, 0, 1};
        byte[] exporterB = {10, 0, 0, 2};
        byte[] agentUdpSource = address("2001:db8::17");
        Pcap pcap = new Pcap()
                .udp(exporterA, 2055, 1_700_000_000, 100_000, bytes(logstash(ASA_TEMPLATE)))
                .udp(exporterA, 2055, 1_700_000_000, 200_000, bytes(logstash(ASA_DATA)))
                .udp(exporterB, 4739, 1_700_000_000, 300_000, bytes(logstash(MIKROTIK_TEMPLATE)))
                .udp(exporterB, 4739, 1_700_000_000, 400_000, bytes(logstash(MIKROTIK_DATA)))
                .udp(agentUdpSource, 6343, 1_700_000_001, 250_000, sflowWithCounters())
                .udp(exporterA, 9995, 1_700_000_002, 0, bytes(logstash(NETFLOW5)));
        Path file = Files.write(dir.resolve("corpus.pcap"), pcap.bytes());

        assertThat(run("decode", "--stats", file.toString())).as(err()).isZero();
        List<JsonNode> docs = documents();
        assertThat(docs).hasSize(14 + 28 + 2 + 30);
        assertThat(docs.subList(0, 14)).allMatch(d -> d.at("/observer/ip").asText().equals("10.0.0.1"));
        assertThat(docs.subList(14, 42)).allMatch(d -> d.at("/observer/ip").asText().equals("10.0.0.2"));
        assertThat(docs.get(1).at("/source/ip").asText()).isEqualTo("192.168.23.22");
        assertThat(docs.get(14).at("/source/ip").asText()).isEqualTo("10.10.8.197");
        JsonNode sflow = docs.get(42);
        assertThat(sflow.at("/event/action").asText()).isEqualTo("sflow_flow");
        assertThat(sflow.at("/@timestamp").asText()).as("the capture time").isEqualTo("2023-11-14T22:13:21.250Z");
        assertThat(sflow.at("/observer/ip").asText()).as("the agent address, not the UDP source")
                .isEqualTo("172.16.0.17");
        JsonNode counters = docs.get(43);
        assertThat(counters.at("/event/kind").asText()).isEqualTo("metric");
        assertThat(counters.at("/@timestamp").asText()).isEqualTo("2023-11-14T22:13:21.250Z");
        assertThat(counters.at("/sflow/counters/if_in_octets").asLong()).isEqualTo(123_456_789_012L);
        assertThat(docs.get(44).at("/source/bytes").asLong()).isEqualTo(230);
        assertThat(docs.get(44).at("/observer/ip").asText()).isEqualTo("10.0.0.1");

        List<String> stats = statsLines();
        assertThat(stats.get(0)).startsWith("flowctl: stats: capture packets=6 datagrams=6 ");
        assertThat(stats.get(1)).startsWith("flowctl: stats: decoder documents=74 packets=17 ")
                .contains(" records=73 ").contains(" counter_samples=1 ").endsWith(" errors=0");
        assertThat(stats).anyMatch(l -> l.startsWith("flowctl: stats: exporter 10.0.0.1 packets=14 "))
                .anyMatch(l -> l.startsWith("flowctl: stats: exporter 10.0.0.2 packets=2 "));

        // The logstash layout over the same capture: the codec's events for the v9 and IPFIX payloads.
        reset();
        assertThat(run("decode", "--layout", "logstash", file.toString())).as(err()).isZero();
        List<JsonNode> logstash = documents();
        assertThat(logstash).hasSize(74);
        assertThat(logstash.get(1)).isEqualTo(expectedEvent("netflow_9_cisco_asa.json", 0));
        assertThat(logstash.get(14)).isEqualTo(expectedEvent("ipfix_mikrotik_routeros_6_39_2.json", 0));
        assertThat(logstash.get(42).at("/@timestamp").asText()).isEqualTo("2023-11-14T22:13:21.250Z");
        assertThat(logstash.get(43).at("/sflow/interface_index").asLong()).isEqualTo(1043);
    }

    // ---------------------------------------------------------------- bad input

    /** Bad payloads are decode errors, one stderr line each; the run goes on, prints what was good and exits 0. */
    @Test
    void truncatedAndGarbageFilesGiveDecodeErrorsAndTheGoodRecords() throws IOException {
        byte[] data = bytes(logstash(ASA_DATA));
        Path truncated = Files.write(dir.resolve("truncated.dat"), Arrays.copyOf(data, 700));
        Path garbage = Files.write(dir.resolve("garbage.bin"), "garbage!garbage!garbage!".getBytes(
                StandardCharsets.US_ASCII));
        Path sflowCut = Files.write(dir.resolve("sflow-cut.bin"), Arrays.copyOf(goflow2(SFLOW), 100));

        assertThat(run("decode", "--stats", logstash(ASA_TEMPLATE).toString(), truncated.toString(),
                garbage.toString(), sflowCut.toString())).as(err()).isZero();

        List<JsonNode> docs = documents();
        assertThat(docs).as("the records complete in the first 700 bytes").hasSize(6);
        List<String> errors = err().lines().filter(l -> l.startsWith("flowctl: decode error: "))
                .collect(Collectors.toList());
        // One line per error: reason, exporter, offset, what (the wording is the decoders').
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).matches("flowctl: decode error: TRUNCATED from 127\\.0\\.0\\.1 at offset 20: .*")
                .contains("flowset 265");
        assertThat(errors.get(1))
                .matches("flowctl: decode error: UNKNOWN_VERSION from 127\\.0\\.0\\.1 at offset 0: .*");
        assertThat(errors.get(2)).matches("flowctl: decode error: TRUNCATED from 127\\.0\\.0\\.1 at offset \\d+: .*")
                .contains("sFlow sample 1 of 1");
        assertThat(err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(statsLines().get(1)).contains(" records=6 ").contains(" errors=3 ")
                .contains(" errors.truncated=2").contains(" errors.unknown_version=1");

        // The good records are the first six of the whole file's.
        List<JsonNode> good = new ArrayList<>(docs);
        reset();
        assertThat(run("decode", logstash(ASA_TEMPLATE).toString(), logstash(ASA_DATA).toString())).isZero();
        assertThat(good).isEqualTo(documents().subList(0, 6));
    }

    @Test
    void aMissingFileIsExit1BeforeAnythingIsDecoded() {
        Path missing = dir.resolve("missing.dat");

        int code = run("decode", logstash(ASA_TEMPLATE).toString(), missing.toString());

        assertThat(code).isEqualTo(Flowctl.EXIT_BAD_INPUT).isEqualTo(1);
        assertThat(err().strip()).isEqualTo("flowctl: " + missing + ": no such file");
        assertThat(out()).isEmpty();
    }

    @Test
    void theDefaultWiringPrintsTheSameDocuments() throws IOException {
        Path file = Files.write(dir.resolve("sflow-with-counters.bin"), sflowWithCounters());
        String[] args = {"decode", "--layout", "logstash", logstash(ASA_TEMPLATE).toString(),
            logstash(ASA_DATA).toString(), file.toString()};

        assertThat(Flowctl.run(args, stdout, err)).as(err()).isZero();
        List<JsonNode> wired = withoutTimestampsOfSflow(documents());
        reset();
        assertThat(run(args)).isZero();
        assertThat(wired).hasSize(16).isEqualTo(withoutTimestampsOfSflow(documents()));
    }

    // ---------------------------------------------------------------- plumbing

    private int run(String... args) {
        return Flowctl.run(args, stdout, err, DecoderWiring.sessions(err));
    }

    private void reset() {
        stdout.reset();
        stderr.reset();
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    private List<String> statsLines() {
        return err().lines().filter(l -> l.startsWith("flowctl: stats: ")).collect(Collectors.toList());
    }

    /** stdout as NDJSON: one JSON object per line, every line a document, no repeated key. */
    private List<JsonNode> documents() {
        String text = out();
        assertThat(text).as("NDJSON ends with a newline").satisfiesAnyOf(t -> assertThat(t).isEmpty(),
                t -> assertThat(t).endsWith("\n"));
        List<JsonNode> docs = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode doc = JSON.readTree(line);
                assertThat(doc.isObject()).as(line).isTrue();
                docs.add(doc);
            } catch (IOException e) {
                throw new AssertionError("not a JSON document: " + line, e);
            }
        }
        return docs;
    }

    private static List<JsonNode> withoutTimestampsOfSflow(List<JsonNode> docs) {
        List<JsonNode> copy = new ArrayList<>();
        for (JsonNode d : docs) {
            ObjectNode o = d.deepCopy();
            if (o.has("sflow")) {
                o.remove("@timestamp"); // the receive time: now, for a raw payload file
            }
            copy.add(o);
        }
        return copy;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The event the Logstash codec produced, as its test case spells it ({@code json_events[i].event}). */
    private static JsonNode expectedEvent(String testCase, int index) {
        try {
            JsonNode spec = JSON.readTree(corpus().resolve("logstash/expected").resolve(testCase).toFile());
            return spec.get("json_events").get(index).get("event");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path corpus() {
        String root = System.getProperty("sluice.corpus");
        if (root == null) {
            throw new IllegalStateException("system property sluice.corpus is not set (the parent pom sets it)");
        }
        return Paths.get(root);
    }

    private static Path logstash(String name) {
        Path path = corpus().resolve("logstash/dat").resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("corpus file missing: " + path);
        }
        return path;
    }

    private static byte[] goflow2(String name) {
        return bytes(corpus().resolve("goflow2/vectors").resolve(name));
    }

    private static byte[] bytes(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] address(String text) {
        try {
            return java.net.InetAddress.getByName(text).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * goflow2's TestSFlowDecode datagram (agent 172.16.0.17, one flow sample) with a counter sample appended, since
     * no corpus vector holds one: generic interface counters of ifIndex 1043 (out errors sent as 0xFFFFFFFF,
     * "unavailable"), Ethernet counters 101..113, and a processor record (format 1001) that the decoder keeps raw.
     */
    static byte[] sflowWithCounters() {
        byte[] vector = goflow2(SFLOW);
        ByteBuffer generic = ByteBuffer.allocate(88)
                .putInt(1043).putInt(6).putLong(10_000_000_000L).putInt(1).putInt(3)
                .putLong(123_456_789_012L).putInt(1001).putInt(1002).putInt(1003).putInt(1004).putInt(1005).putInt(1006)
                .putLong(987_654_321L).putInt(2001).putInt(2002).putInt(2003).putInt(2004).putInt(0xFFFFFFFF).putInt(2);
        ByteBuffer ethernet = ByteBuffer.allocate(52);
        for (int i = 1; i <= 13; i++) {
            ethernet.putInt(100 + i);
        }
        ByteBuffer processor = ByteBuffer.allocate(28).putInt(5).putInt(6).putInt(7).putLong(1024).putLong(512);
        int bodyLength = 12 + 8 + 88 + 8 + 52 + 8 + 28;
        ByteBuffer d = ByteBuffer.allocate(vector.length + 8 + bodyLength).put(vector);
        d.putInt(24, 2); // the datagram's sample count: one more
        d.putInt(2).putInt(bodyLength) // counter sample
                .putInt(7).putInt(1043).putInt(3) // sequence number, source id (type 0, index 1043), records
                .putInt(1).putInt(88).put(generic.array())
                .putInt(2).putInt(52).put(ethernet.array())
                .putInt(1001).putInt(28).put(processor.array());
        return d.array();
    }

    /**
     * A little-endian microsecond pcap of Ethernet frames, each one UDP datagram to 192.0.2.1 port 6343/2055/...
     * from the given source (IPv4 or IPv6). The capture helpers of the capture tests are package-private there.
     */
    private static final class Pcap {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pcap() {
            out.writeBytes(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(262_144).putInt(1).array());
        }

        Pcap udp(byte[] source, int destinationPort, long seconds, int micros, byte[] payload) {
            int udpLength = 8 + payload.length;
            ByteBuffer udp = ByteBuffer.allocate(udpLength).putShort((short) 50_000)
                    .putShort((short) destinationPort).putShort((short) udpLength).putShort((short) 0).put(payload);
            ByteBuffer ip;
            int etherType;
            if (source.length == 4) {
                etherType = 0x0800;
                ip = ByteBuffer.allocate(20 + udpLength)
                        .put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength)).putInt(0)
                        .put((byte) 64).put((byte) 17).putShort((short) 0)
                        .put(source).put(new byte[] {(byte) 192, 0, 2, 1}).put(udp.array());
            } else {
                etherType = 0x86DD;
                ip = ByteBuffer.allocate(40 + udpLength)
                        .putInt(0x6000_0000).putShort((short) udpLength).put((byte) 17).put((byte) 64)
                        .put(source).put(address("2001:db8::1")).put(udp.array());
            }
            byte[] frame = ByteBuffer.allocate(14 + ip.capacity())
                    .put(new byte[] {0, 0, 0, 0, 0, 2}).put(new byte[] {0, 0, 0, 0, 0, 1})
                    .putShort((short) etherType).put(ip.array()).array();
            out.writeBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt((int) seconds).putInt(micros).putInt(frame.length).putInt(frame.length).array());
            out.writeBytes(frame);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
