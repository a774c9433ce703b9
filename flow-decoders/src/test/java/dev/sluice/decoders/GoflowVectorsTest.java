package dev.sluice.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NetFlow test vectors of goflow2 ({@code ../shared/corpus/goflow2/vectors/netflow_*.bin}) against what its tests
 * assert ({@code expected.json}), and, beyond those few assertions, every record against Wireshark's decode of the
 * same vectors ({@code wireshark_ref}). The sFlow vectors belong to the sFlow decoder.
 */
class GoflowVectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InetAddress EXPORTER = InetAddress.getLoopbackAddress();

    private static JsonNode expected;

    @BeforeAll
    static void load() throws IOException {
        expected = JSON.readTree(goflow("expected.json").toFile());
    }

    @Test
    void everyNetflowVectorIsCovered() throws IOException {
        List<String> vectors;
        try (var s = Files.list(goflow("vectors"))) {
            vectors = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("netflow_")).sorted().toList();
        }
        List<String> asserted = new ArrayList<>();
        expected.get("netflow9").forEach(v -> asserted.add(v.get("vector").asText()));
        expected.get("netflow5").forEach(v -> asserted.add(v.get("vector").asText()));
        assertThat(vectors).hasSize(3).containsExactlyInAnyOrderElementsOf(asserted);
    }

    /** The v9 template vector, then the data vector cut to {@code data[:89]} as goflow2's test decodes it. */
    @Test
    void netflowV9TemplateThenTruncatedData() {
        JsonNode template = vector("netflow9", "template");
        JsonNode data = vector("netflow9", "data");
        assertThat(data.get("decode_input").asText()).startsWith("first 89 bytes");
        FlowDecoder decoder = new FlowDecoder();
        Collected t = decode(decoder, bytes(template), -1);
        assertThat(t.records).as("a template packet has no records").isEmpty();
        assertThat(t.errors).isEmpty();
        assertThat(decoder.statistics().templates()).isEqualTo(1);
        assertThat(decoder.templateCount()).isEqualTo(1);

        Collected d = decode(decoder, bytes(data), 89);
        // The slice ends inside the flowset: reported as truncated, and its one complete record decoded.
        assertThat(d.errors).singleElement().extracting(DecodeError::reason).isEqualTo(DecodeError.Reason.TRUNCATED);
        JsonNode flowset = data.get("expected").get("flowsets").get(0);
        JsonNode records = flowset.get("records_decoded_from_truncated_input");
        assertThat(d.records).hasSize(records.size()).hasSize(1);
        SoftAssertions soft = new SoftAssertions();
        checkHeader(soft, d.records.get(0), data.get("expected").get("header"));
        checkTemplateFields(soft, d.records.get(0), template.get("expected").get("flowsets").get(0).get("records")
                .get(0));
        soft.assertThat(d.records.get(0).templateId()).isEqualTo(flowset.get("id").asInt());
        checkRawValues(soft, d.records.get(0), records.get(0));
        soft.assertAll();
    }

    /** The whole data vector: its 21 records, the first as goflow2 asserts it, all as Wireshark decodes them. */
    @Test
    void netflowV9WholeDataVector() throws IOException {
        JsonNode template = vector("netflow9", "template");
        JsonNode data = vector("netflow9", "data");
        FlowDecoder decoder = new FlowDecoder();
        decode(decoder, bytes(template), -1);
        Collected d = decode(decoder, bytes(data), -1);
        assertThat(d.errors).isEmpty();
        JsonNode header = data.get("expected").get("header");
        assertThat(d.records).hasSize(header.get("count").asInt()).hasSize(21);
        SoftAssertions soft = new SoftAssertions();
        checkRawValues(soft, d.records.get(0),
                data.get("expected").get("flowsets").get(0).get("records_decoded_from_truncated_input").get(0));
        for (FlowRecord r : d.records) {
            checkHeader(soft, r, header);
        }
        JsonNode cflow = wireshark("netflow9_template_then_data.json").get(1).get("_source").get("layers").get("cflow");
        checkAgainstWireshark(soft, d.records, cflow, "FlowSet 1 [id=260] (21 flows)", "Flow ");
        soft.assertAll();
    }

    @Test
    void netflowV5() throws IOException {
        JsonNode v5 = expected.get("netflow5").get(0);
        FlowDecoder decoder = new FlowDecoder();
        Collected d = decode(decoder, bytes(v5), -1);
        assertThat(d.errors).isEmpty();
        JsonNode e = v5.get("expected");
        assertThat(d.records).isNotEmpty();
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(d.records.get(0).protocol()).isEqualTo(FlowProtocol.NETFLOW_V5);
        soft.assertThat(d.records.get(0).protocol().version()).isEqualTo(e.get("version").asInt());
        soft.assertThat(d.records.get(0).inputInterface()).isEqualTo(e.get("records[0].input").asLong());
        assertThat(e.size()).as("goflow2 asserts only these").isEqualTo(2);

        JsonNode cflow = wireshark("netflow5.json").get(0).get("_source").get("layers").get("cflow");
        soft.assertThat(d.records).hasSize(cflow.get("cflow.count").asInt());
        FlowRecord first = d.records.get(0);
        soft.assertThat(first.packet().sequenceNumber()).isEqualTo(cflow.get("cflow.sequence").asLong());
        soft.assertThat(first.packet().engineType()).isEqualTo(cflow.get("cflow.engine_type").asInt());
        soft.assertThat(first.packet().engineId()).isEqualTo(cflow.get("cflow.engine_id").asInt());
        soft.assertThat(first.packet().samplingAlgorithm()).isEqualTo(cflow.get("cflow.samplingmode").asInt());
        soft.assertThat(first.packet().headerSamplingInterval()).isEqualTo(cflow.get("cflow.samplerate").asLong());
        soft.assertThat(first.packet().exportNanos())
                .isEqualTo(cflow.get("cflow.timestamp_tree").get("cflow.unix_nsecs").asLong());
        checkAgainstWireshark(soft, d.records, cflow, null, "pdu ");
        soft.assertAll();
    }

    // ------------------------------------------------------------------ checks

    private static void checkHeader(SoftAssertions soft, FlowRecord r, JsonNode header) {
        soft.assertThat(r.protocol().version()).isEqualTo(header.get("version").asInt());
        soft.assertThat(r.packet().count()).isEqualTo(header.get("count").asInt());
        soft.assertThat(r.packet().systemUptimeMillis()).isEqualTo(header.get("system_uptime").asLong());
        soft.assertThat(r.packet().exportTimeMillis()).isEqualTo(header.get("unix_seconds").asLong() * 1000);
        soft.assertThat(r.packet().sequenceNumber()).isEqualTo(header.get("sequence_number").asLong());
        soft.assertThat(r.observationDomain()).isEqualTo(header.get("source_id").asLong());
    }

    private static void checkTemplateFields(SoftAssertions soft, FlowRecord r, JsonNode template) {
        JsonNode fields = template.get("fields");
        soft.assertThat(r.fieldCount()).isEqualTo(template.get("field_count").asInt()).isEqualTo(fields.size());
        for (int i = 0; i < Math.min(r.fieldCount(), fields.size()); i++) {
            soft.assertThat(r.elementId(i)).as("field " + i + " type").isEqualTo(fields.get(i).get("type").asInt());
            soft.assertThat(r.fieldLength(i)).as("field " + i + " length")
                    .isEqualTo(fields.get(i).get("length").asInt());
        }
    }

    /** goflow2 asserts the raw bytes of every field; the typed accessors must read the same values. */
    private static void checkRawValues(SoftAssertions soft, FlowRecord r, JsonNode fields) {
        soft.assertThat(r.fieldCount()).isEqualTo(fields.size());
        for (int i = 0; i < Math.min(r.fieldCount(), fields.size()); i++) {
            JsonNode f = fields.get(i);
            soft.assertThat(r.elementId(i)).as("field " + i + " type").isEqualTo(f.get("type").asInt());
            soft.assertThat(r.enterpriseId(i)).as("field " + i + " pen").isEqualTo(f.get("pen").asLong());
            String hex = f.get("value_hex").asText();
            soft.assertThat(ByteBufUtil.hexDump(r.bytesValue(i))).as("field " + i + " value").isEqualTo(hex);
            FlowField typed = TYPED.get(r.elementId(i));
            if (typed != null) {
                soft.assertThat(r.getLong(typed)).as(typed + " of field " + i).isEqualTo(Long.parseLong(hex, 16));
            }
        }
        long src = Long.parseLong(hexOf(fields, 8), 16);
        soft.assertThat(r.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo((int) src);
        soft.assertThat(r.ipv4(FlowField.DESTINATION_ADDRESS)).isEqualTo((int) Long.parseLong(hexOf(fields, 12), 16));
    }

    /** NetFlow v9 field types read by the typed accessor of the same value. */
    private static final Map<Integer, FlowField> TYPED = Map.ofEntries(
            Map.entry(1, FlowField.BYTES), Map.entry(2, FlowField.PACKETS), Map.entry(4, FlowField.PROTOCOL),
            Map.entry(5, FlowField.TOS), Map.entry(6, FlowField.TCP_FLAGS), Map.entry(7, FlowField.SOURCE_PORT),
            Map.entry(9, FlowField.SOURCE_MASK), Map.entry(10, FlowField.INPUT_INTERFACE),
            Map.entry(11, FlowField.DESTINATION_PORT), Map.entry(13, FlowField.DESTINATION_MASK),
            Map.entry(14, FlowField.OUTPUT_INTERFACE), Map.entry(16, FlowField.SOURCE_AS),
            Map.entry(17, FlowField.DESTINATION_AS), Map.entry(61, FlowField.DIRECTION));

    private static String hexOf(JsonNode fields, int type) {
        for (JsonNode f : fields) {
            if (f.get("type").asInt() == type) {
                return f.get("value_hex").asText();
            }
        }
        throw new AssertionError("no field " + type);
    }

    /**
     * Every record against Wireshark's: counters, addresses, ports, interfaces, AS, masks, protocol, flags, ToS, and
     * the start/end times (Wireshark shows them as uptime seconds; ours are epoch millis from the header).
     */
    private static void checkAgainstWireshark(SoftAssertions soft, List<FlowRecord> records, JsonNode cflow,
            String flowset, String flowPrefix) {
        JsonNode container = flowset == null ? cflow : cflow.get(flowset);
        List<JsonNode> flows = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : container.properties()) {
            if (e.getKey().startsWith(flowPrefix)) {
                flows.add(e.getValue());
            }
        }
        soft.assertThat(records).hasSize(flows.size());
        long uptime = millis(cflow.get("cflow.sysuptime").asText());
        for (int i = 0; i < Math.min(records.size(), flows.size()); i++) {
            FlowRecord r = records.get(i);
            JsonNode w = flows.get(i);
            String at = "record " + i + " ";
            soft.assertThat(r.packets()).as(at + "packets").isEqualTo(w.get("cflow.packets").asLong());
            soft.assertThat(r.bytes()).as(at + "bytes").isEqualTo(w.get("cflow.octets").asLong());
            soft.assertThat(r.address(FlowField.SOURCE_ADDRESS).getHostAddress()).as(at + "src")
                    .isEqualTo(w.get("cflow.srcaddr").asText());
            soft.assertThat(r.address(FlowField.DESTINATION_ADDRESS).getHostAddress()).as(at + "dst")
                    .isEqualTo(w.get("cflow.dstaddr").asText());
            soft.assertThat(r.inputInterface()).as(at + "in").isEqualTo(w.get("cflow.inputint").asLong());
            soft.assertThat(r.outputInterface()).as(at + "out").isEqualTo(w.get("cflow.outputint").asLong());
            soft.assertThat(r.sourcePort()).as(at + "sport").isEqualTo(w.get("cflow.srcport").asInt());
            soft.assertThat(r.destinationPort()).as(at + "dport").isEqualTo(w.get("cflow.dstport").asInt());
            soft.assertThat(r.sourceAs()).as(at + "srcas").isEqualTo(w.get("cflow.srcas").asLong());
            soft.assertThat(r.destinationAs()).as(at + "dstas").isEqualTo(w.get("cflow.dstas").asLong());
            soft.assertThat(r.getLong(FlowField.SOURCE_MASK)).as(at + "srcmask")
                    .isEqualTo(w.get("cflow.srcmask").asLong());
            soft.assertThat(r.getLong(FlowField.DESTINATION_MASK)).as(at + "dstmask")
                    .isEqualTo(w.get("cflow.dstmask").asLong());
            soft.assertThat(r.protocolNumber()).as(at + "protocol").isEqualTo(w.get("cflow.protocol").asInt());
            soft.assertThat(r.tcpFlags()).as(at + "flags").isEqualTo(Integer.decode(w.get("cflow.tcpflags").asText()));
            soft.assertThat(r.tos()).as(at + "tos").isEqualTo(Integer.decode(w.get("cflow.tos").asText()));
            if (w.has("cflow.nexthop")) {
                soft.assertThat(r.address(FlowField.NEXT_HOP).getHostAddress()).as(at + "next hop")
                        .isEqualTo(w.get("cflow.nexthop").asText());
            } else if (w.has("cflow.bgpnexthop")) {
                soft.assertThat(r.address(FlowField.NEXT_HOP).getHostAddress()).as(at + "bgp next hop")
                        .isEqualTo(w.get("cflow.bgpnexthop").asText());
            }
            JsonNode times = w.get("cflow.timedelta_tree");
            long export = r.packet().exportTimeMillis();
            soft.assertThat(r.startMillis()).as(at + "start")
                    .isEqualTo(export - (uptime - millis(times.get("cflow.timestart").asText())));
            soft.assertThat(r.endMillis()).as(at + "end")
                    .isEqualTo(export - (uptime - millis(times.get("cflow.timeend").asText())));
        }
    }

    /** Wireshark's "seconds.nanoseconds" as milliseconds. */
    private static long millis(String seconds) {
        int dot = seconds.indexOf('.');
        return Long.parseLong(seconds.substring(0, dot)) * 1000 + Long.parseLong(seconds.substring(dot + 1, dot + 4));
    }

    // ------------------------------------------------------------------ plumbing

    /** What decoding produced. */
    static final class Collected {
        final List<FlowRecord> records = new ArrayList<>();
        final List<DecodeError> errors = new ArrayList<>();
    }

    /** Decodes the first {@code limit} bytes (all when negative), keeping copies of the records. */
    private static Collected decode(FlowDecoder decoder, byte[] datagram, int limit) {
        byte[] input = limit < 0 ? datagram : Arrays.copyOf(datagram, limit);
        Collected c = new Collected();
        decoder.decode(Unpooled.wrappedBuffer(input), EXPORTER, 0L, new FlowHandler() {
            @Override
            public void onRecord(FlowRecord record) {
                c.records.add(record.copy());
            }

            @Override
            public void onOptions(FlowRecord record) {
                c.records.add(record.copy());
            }

            @Override
            public void onError(DecodeError error) {
                c.errors.add(error);
            }
        });
        return c;
    }

    /** The netflow9 entry whose vector is goflow2's {@code variable} ("template" or "data"). */
    private static JsonNode vector(String kind, String variable) {
        for (JsonNode v : expected.get(kind)) {
            if (v.get("vector").asText().contains("__" + variable + "__")) {
                return v;
            }
        }
        throw new AssertionError("no " + kind + " vector " + variable);
    }

    private static byte[] bytes(JsonNode vector) {
        try {
            return Files.readAllBytes(goflow("vectors").resolve(vector.get("vector").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode wireshark(String file) throws IOException {
        return JSON.readTree(goflow("wireshark_ref").resolve(file).toFile());
    }

    private static Path goflow(String name) {
        Path p = Corpus.root().resolve("goflow2").resolve(name);
        if (!Files.exists(p)) {
            throw new IllegalStateException("the goflow2 corpus is missing at " + p.toAbsolutePath());
        }
        return p;
    }
}
