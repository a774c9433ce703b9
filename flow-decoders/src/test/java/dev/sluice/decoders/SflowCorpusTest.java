package dev.sluice.decoders;

import static dev.sluice.decoders.SflowTestData.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The goflow2 sFlow vectors ({@code ../shared/corpus/goflow2}): what goflow2's tests assert
 * ({@code expected.json}) and, field by field, what TShark 4.0 decodes from the same bytes
 * ({@code wireshark_ref/}).
 */
class SflowCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String DECODE = "sflow_test__TestSFlowDecode__data__L11.bin";
    private static final String EXPANDED = "sflow_test__TestExpandedSFlowDecode__data__L30.bin";
    private static final String LITERAL = "sflow_test__getExpandedSFlowDecode__literal__L21.bin";
    private static final String DROP_QUEUE = "sflow_test__TestSFlowDecodeDropEgressQueue__data__L133.bin";
    private static final String DROP_ACL = "sflow_test__TestSFlowDecodeDropExtendedACL__data__L153.bin";
    private static final String DROP_FUNCTION = "sflow_test__TestSFlowDecodeDropExtendedFunction__data__L174.bin";

    @Test
    void expectedJsonListsTheVectorsTested() throws IOException {
        JsonNode expected = JSON.readTree(goflow2("expected.json").toFile());
        List<String> vectors = new ArrayList<>();
        expected.get("sflow5").forEach(n -> vectors.add(n.get("vector").asText()));
        assertThat(vectors).containsExactlyInAnyOrder(DECODE, EXPANDED, LITERAL, DROP_QUEUE, DROP_ACL, DROP_FUNCTION);
    }

    @Test
    void flowSampleDecodesLikeTshark() throws IOException {
        FlowDecoder d = new FlowDecoder();
        Collected c = decode(d, vector(DECODE));
        assertThat(c.errors).isEmpty();
        assertThat(c.records).hasSize(1);
        FlowRecord r = c.records.get(0);
        // datagram header
        assertThat(r.protocol()).isEqualTo(FlowProtocol.SFLOW_V5);
        assertThat(r.exporter()).isEqualTo(ip("172.16.0.17"));
        assertThat(r.observationDomain()).isEqualTo(1);
        assertThat(r.packet().sequenceNumber()).isEqualTo(426);
        assertThat(r.packet().systemUptimeMillis()).isEqualTo(1743694337L);
        assertThat(r.packet().count()).isEqualTo(1);
        // values read off the hex dump (ICMP echo request in 802.1Q VLAN 32)
        assertThat(r.samplingInterval()).isEqualTo(2048);
        assertThat(r.inputInterface()).isEqualTo(1194);
        assertThat(r.outputInterface()).isEqualTo(1043);
        assertThat(r.bytes()).isEqualTo(82);
        assertThat(r.packets()).isEqualTo(1);
        assertThat(r.vlan()).isEqualTo(32);
        assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("172.16.32.254"));
        assertThat(r.address(FlowField.DESTINATION_ADDRESS)).isEqualTo(ip("172.16.32.241"));
        assertThat(r.protocolNumber()).isEqualTo(1);
        assertThat(r.getLong(FlowField.ICMP_TYPE_CODE)).isEqualTo(8 << 8);
        assertThat(r.has(FlowField.SOURCE_PORT)).isFalse();
        assertThat(r.has(FlowField.TCP_FLAGS)).isFalse();
        assertThat(r.mac(FlowField.DESTINATION_MAC)).isEqualTo(0x00ff1234351bL);
        assertThat(r.mac(FlowField.SOURCE_MAC)).isEqualTo(0xffabcdefab64L);
        compareWithTshark(c.records, "sflow_test__TestSFlowDecode__data__L11.json", true);
        assertThat(d.statistics().records()).isEqualTo(1);
        assertThat(d.statistics().errorCount()).isZero();
    }

    @Test
    void expandedFlowSamplesDecodeLikeTshark() throws IOException {
        FlowDecoder d = new FlowDecoder();
        Collected c = decode(d, vector(EXPANDED));
        assertThat(c.errors).isEmpty();
        assertThat(c.records).hasSize(5);
        FlowRecord r = c.records.get(0);
        assertThat(r.exporter()).isEqualTo(ip("1.2.3.4"));
        assertThat(r.observationDomain()).isZero();
        assertThat(r.packet().sequenceNumber()).isEqualTo(262632130L);
        compareWithTshark(c.records, "sflow_test__TestExpandedSFlowDecode__data__L30.json", true);
        // spot checks beside the TShark comparison
        assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("185.59.220.147"));
        assertThat(r.sourcePort()).isEqualTo(443);
        assertThat(r.tcpFlags()).isEqualTo(0x10);
        assertThat(r.samplingInterval()).isEqualTo(16383);
        assertThat(r.getLong(FlowField.POST_VLAN)).isEqualTo(30);
        assertThat(d.statistics().records()).isEqualTo(5);
        assertThat(d.statistics().skippedFormats()).isZero();
    }

    /**
     * goflow2's old literal (utils/sflow_test.go at 1298b94) only has to decode without error in goflow2, which
     * then read records by their structure and ignored their lengths. Its extended switch records announce 6
     * bytes but hold 16, so record by record it does not parse: TShark, which also reads by structure, shows
     * the headers behind them (with a bogus IPv4 version). This decoder goes by the lengths, as XDR says: it
     * reports each short extended switch record as BAD_LENGTH, keeps the sample values (rate, pool,
     * interfaces), and still finds every sample by its own length.
     */
    @Test
    void goflow2LiteralWithShortSwitchRecordsIsReportedNotFatal() throws IOException {
        FlowDecoder d = new FlowDecoder();
        Collected c = decode(d, vector(LITERAL));
        assertThat(c.records).hasSize(6);
        assertThat(c.errors).isNotEmpty().allSatisfy(e -> {
            assertThat(e.reason()).isEqualTo(DecodeError.Reason.BAD_LENGTH);
            assertThat(e.detail()).doesNotContain("internal");
        });
        assertThat(d.statistics().errorCount()).isEqualTo(c.errors.size());
        compareWithTshark(c.records, "sflow_test__getExpandedSFlowDecode__literal__L21.json", false);
    }

    @Test
    void dropSamplesAreCheckedAndCounted() throws IOException {
        JsonNode expected = JSON.readTree(goflow2("expected.json").toFile());
        for (JsonNode n : expected.get("sflow5")) {
            String v = n.get("vector").asText();
            if (!v.contains("Drop")) {
                continue;
            }
            FlowDecoder d = new FlowDecoder();
            Collected c = decode(d, vector(v));
            assertThat(c.errors).as(v).isEmpty();
            assertThat(c.records).as(v).isEmpty();
            assertThat(c.counters).as(v).isEmpty();
            DecoderStatistics s = d.statistics();
            assertThat(s.dropSamples()).as(v).isEqualTo(n.get("expected").get("samples").asLong());
            assertThat(s.skippedFormats()).as(v).isZero(); // 1036, 1037 and 1038 are known
            assertThat(s.packets()).isEqualTo(1);
            // TShark 4.0 does not know format 5 (SUMMARY.json: sflow_unknown_samples 1)
            JsonNode summary = JSON.readTree(goflow2("wireshark_ref/SUMMARY.json").toFile())
                    .get(v.replace(".bin", ".json"));
            assertThat(summary.get("sflow_unknown_samples").asInt()).isEqualTo(1);
        }
    }

    @Test
    void producerHeaderEthernetIpv6Tcp() {
        // goflow2 producer_test TestProcessMessageSFlow: an Ethernet/IPv6/TCP sampled header
        byte[] header = vector("producer_test__TestProcessMessageSFlow__HeaderData__L80.bin");
        Collected c = decode(datagram("10.0.0.1", 0, 1, 1,
                flowSample(1, 7, 100, 100, 0, 7, 8, rawHeader(1, header.length + 4, 4, header))));
        assertThat(c.errors).isEmpty();
        FlowRecord r = c.records.get(0);
        assertThat(r.getLong(FlowField.IP_VERSION)).isEqualTo(6);
        assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("fd01:0:ff01:8210:cdff:ff1c:0:150"));
        assertThat(r.address(FlowField.DESTINATION_ADDRESS)).isEqualTo(ip("fd01:0:ff01:1:2ff:ff93:0:246"));
        assertThat(r.protocolNumber()).isEqualTo(6);
        assertThat(r.sourcePort()).isEqualTo(0xcfca);
        assertThat(r.destinationPort()).isEqualTo(80);
        assertThat(r.tcpFlags()).isEqualTo(0x18);
        assertThat(r.mac(FlowField.DESTINATION_MAC)).isEqualTo(0xffabcdefabcdL);
        assertThat(r.mac(FlowField.SOURCE_MAC)).isEqualTo(0xffabcdefabbcL);
        assertThat(r.tos()).isEqualTo(0x02);
        assertThat(r.bytes()).isEqualTo(header.length + 4);
    }

    /**
     * goflow2 producer_test getSflowPacket: a flow sample with records 1001 / 1 / 1003 / 1002 around an
     * Ethernet/802.1Q/IPv4/TCP header, whose expected BgpNextHop, BgpCommunities, AsPath and NextHop are in
     * expected.json. The Go struct is rebuilt here as a datagram.
     */
    @Test
    void producerSflowPacketWithGatewayAndRouter() throws IOException {
        JsonNode expected = null;
        for (JsonNode n : JSON.readTree(goflow2("expected.json").toFile()).get("sampled_headers")) {
            if (n.get("vector").asText().contains("getSflowPacket")) {
                expected = n.get("expected");
            }
        }
        assertThat(expected).isNotNull();
        byte[] header = vector("producer_test__getSflowPacket__HeaderData__L174.bin");
        long[] communities = new long[expected.get("BgpCommunities").size()];
        for (int i = 0; i < communities.length; i++) {
            communities[i] = expected.get("BgpCommunities").get(i).asLong();
        }
        long[] path = new long[expected.get("AsPath").size()];
        for (int i = 0; i < path.length; i++) {
            path[i] = expected.get("AsPath").get(i).asLong();
        }
        byte[] dg = datagram("1.2.3.4", 0, 3178205882L, 1, flowSample(1, 1, 1, 1, 0, 1, 2,
                extendedSwitch(952, 0, 952, 0),
                rawHeader(1, 1518, 4, header),
                extendedGateway(expected.get("BgpNextHop").asText(), 123, 0, 65000, path, communities, 100),
                extendedRouter(expected.get("NextHop").asText(), 24, 16)));
        Collected c = decode(dg);
        assertThat(c.errors).isEmpty();
        FlowRecord r = c.records.get(0);
        assertThat(r.address(FlowField.NEXT_HOP)).isEqualTo(ip(expected.get("NextHop").asText()));
        assertThat(r.getLong(FlowField.DESTINATION_AS)).isEqualTo(path[path.length - 1]);
        assertThat(r.getLong(FlowField.SOURCE_AS)).isEqualTo(123); // src_as 0: the router's own AS
        int bgpNextHop = r.indexOf(0, 18);
        assertThat(bgpNextHop).isNotNegative();
        assertThat(r.bytesValue(bgpNextHop)).isEqualTo(ip(expected.get("BgpNextHop").asText()).getAddress());
        assertThat(r.unsignedValue(r.indexOf(0, 128))).isEqualTo(path[0]);
        assertThat(r.unsignedValue(r.indexOf(0, 129))).isEqualTo(65000);
        assertThat(r.getLong(FlowField.SOURCE_MASK)).isEqualTo(24);
        assertThat(r.getLong(FlowField.DESTINATION_MASK)).isEqualTo(16);
        // the gateway record whole, raw: its communities read back
        int raw = r.indexOf(SflowRecordView.RAW_ENTERPRISE, 1003);
        assertThat(raw).isNotNegative();
        byte[] body = r.bytesValue(raw);
        int communityCount = (body.length - 4) / 4;
        assertThat(body.length).isEqualTo(8 + 12 + 4 + 8 + 4 * path.length + 4 + 4 * communities.length + 4);
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(body);
        int at = 8 + 12 + 4 + 8 + 4 * path.length;
        assertThat(b.getInt(at)).isEqualTo(communities.length).isLessThan(communityCount);
        for (int i = 0; i < communities.length; i++) {
            assertThat(b.getUnsignedInt(at + 4 + 4 * i)).isEqualTo(communities[i]);
        }
        // the header: Ethernet / 802.1Q 952 / IPv4 / TCP
        assertThat(r.vlan()).isEqualTo(952);
        assertThat(r.address(FlowField.SOURCE_ADDRESS)).isEqualTo(ip("185.59.223.182"));
        assertThat(r.address(FlowField.DESTINATION_ADDRESS)).isEqualTo(ip("50.68.5.137"));
        assertThat(r.sourcePort()).isEqualTo(0x2378);
        assertThat(r.destinationPort()).isEqualTo(0xc906);
        assertThat(r.tcpFlags()).isEqualTo(0x10);
        assertThat(r.packet().sequenceNumber()).isEqualTo(3178205882L);
    }

    // ------------------------------------------------------------------ TShark comparison

    /**
     * Compares each delivered record with TShark's flow sample of the same position: sample fields always,
     * record fields (switch, header layers) when {@code records} is true.
     */
    private static void compareWithTshark(List<FlowRecord> got, String refFile, boolean records) throws IOException {
        JsonNode sflow = JSON.readTree(goflow2("wireshark_ref").resolve(refFile).toFile()).get(0).get("_source")
                .get("layers").get("sflow");
        List<JsonNode> samples = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sflow.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().contains("low sample")) {
                samples.add(e.getValue());
            }
        }
        assertThat(got).hasSameSizeAs(samples);
        int compared = 0;
        for (int i = 0; i < samples.size(); i++) {
            JsonNode s = samples.get(i);
            FlowRecord r = got.get(i);
            String at = refFile + " sample " + i;
            assertThat(r.samplingInterval()).as(at).isEqualTo(s.get("sflow.flow_sample.sampling_rate").asLong());
            JsonNode in = first(s, "sflow.flow_sample.input_interface_value", "sflow.flow_sample.input_interface");
            assertThat(r.inputInterface()).as(at).isEqualTo(in.asLong());
            JsonNode out = s.has("sflow.flow_sample.output_interface_tree")
                    ? s.get("sflow.flow_sample.output_interface_tree").get("sflow.flow_sample.output_interface_value")
                    : s.get("sflow.flow_sample.output_interface_value");
            assertThat(r.outputInterface()).as(at).isEqualTo(out.asLong());
            if (!records) {
                continue;
            }
            JsonNode sw = s.get("Extended switch data");
            if (sw != null) {
                assertThat(r.vlan()).as(at).isEqualTo(sw.get("sflow_245.vlan.in").asInt());
                assertThat(r.getLong(FlowField.POST_VLAN)).as(at).isEqualTo(sw.get("sflow_245.vlan.out").asInt());
            }
            JsonNode h = s.get("Raw packet header");
            if (h == null) {
                continue;
            }
            assertThat(r.bytes()).as(at).isEqualTo(h.get("sflow_245.header.frame_length").asLong());
            JsonNode tree = h.get("sflow_245.header_tree");
            JsonNode eth = tree.get("eth");
            assertThat(r.mac(FlowField.DESTINATION_MAC)).as(at).isEqualTo(mac48(eth.get("eth.dst").asText()));
            assertThat(r.mac(FlowField.SOURCE_MAC)).as(at).isEqualTo(mac48(eth.get("eth.src").asText()));
            JsonNode vlan = tree.get("vlan");
            if (vlan != null && sw == null) {
                assertThat(r.vlan()).as(at).isEqualTo(vlan.get("vlan.id").asInt());
            }
            JsonNode ipv4 = tree.get("ip");
            if (ipv4 != null && ipv4.has("ip.src")) {
                assertThat(r.address(FlowField.SOURCE_ADDRESS)).as(at).isEqualTo(ip(ipv4.get("ip.src").asText()));
                assertThat(r.address(FlowField.DESTINATION_ADDRESS)).as(at)
                        .isEqualTo(ip(ipv4.get("ip.dst").asText()));
                assertThat(r.protocolNumber()).as(at).isEqualTo(ipv4.get("ip.proto").asInt());
                assertThat(r.tos()).as(at).isEqualTo(Integer.decode(ipv4.get("ip.dsfield").asText()));
                assertThat(r.unsignedValue(r.indexOf(0, 192))).as(at).isEqualTo(ipv4.get("ip.ttl").asLong());
                assertThat(r.unsignedValue(r.indexOf(0, 224))).as(at).isEqualTo(ipv4.get("ip.len").asLong());
            } else {
                assertThat(r.has(FlowField.SOURCE_ADDRESS)).as(at).isFalse();
            }
            JsonNode tcp = tree.get("tcp");
            if (tcp != null) {
                assertThat(r.sourcePort()).as(at).isEqualTo(tcp.get("tcp.srcport").asInt());
                assertThat(r.destinationPort()).as(at).isEqualTo(tcp.get("tcp.dstport").asInt());
                assertThat(r.tcpFlags()).as(at).isEqualTo(Integer.decode(tcp.get("tcp.flags").asText()));
            }
            JsonNode udp = tree.get("udp");
            if (udp != null) {
                assertThat(r.sourcePort()).as(at).isEqualTo(udp.get("udp.srcport").asInt());
                assertThat(r.destinationPort()).as(at).isEqualTo(udp.get("udp.dstport").asInt());
            }
            JsonNode icmp = tree.get("icmp");
            if (icmp != null) {
                assertThat(r.getLong(FlowField.ICMP_TYPE_CODE)).as(at)
                        .isEqualTo(icmp.get("icmp.type").asInt() << 8 | icmp.get("icmp.code").asInt());
            }
            compared++;
        }
        if (records) {
            assertThat(compared).isPositive();
        }
    }

    private static JsonNode first(JsonNode n, String... keys) {
        for (String k : keys) {
            if (n.has(k)) {
                return n.get(k);
            }
        }
        throw new AssertionError("none of " + String.join(", ", keys) + " in " + n);
    }

    private static long mac48(String s) {
        return Long.parseLong(s.replace(":", ""), 16);
    }
}
