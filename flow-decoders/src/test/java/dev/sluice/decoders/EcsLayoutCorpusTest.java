package dev.sluice.decoders;

import static dev.sluice.decoders.SflowTestData.counterSample;
import static dev.sluice.decoders.SflowTestData.datagram;
import static dev.sluice.decoders.SflowTestData.extendedGateway;
import static dev.sluice.decoders.SflowTestData.flowSample;
import static dev.sluice.decoders.SflowTestData.rawHeader;
import static dev.sluice.decoders.SflowTestData.tagged;
import static dev.sluice.decoders.SflowTestData.vector;
import static dev.sluice.decoders.SflowTestData.xdr;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.layout.EcsLayout;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ECS layout over real exporter data: the shared corpus decoded by {@link FlowDecoder}, every record written by
 * {@link EcsLayout}, the documents parsed back. Expected values come from the Logstash codec's expectations and
 * Wireshark's decodes of the same files (the {@code expected/} and {@code wireshark_ref/} folders), translated to
 * the ECS layout's names and formats.
 */
class EcsLayoutCorpusTest {

    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String EXPORTER = "192.0.2.10";

    @Test
    void netflowV5() throws IOException {
        List<JsonNode> docs = decode("netflow5.dat");

        JsonNode first = docs.get(0);
        assertThat(first.at("/event/action").asText()).isEqualTo("netflow_flow");
        assertThat(first.at("/source/ip").asText()).isEqualTo("10.0.2.2");
        assertThat(first.at("/source/port").asInt()).isEqualTo(54435);
        assertThat(first.at("/source/bytes").asLong()).isEqualTo(230);
        assertThat(first.at("/source/packets").asLong()).isEqualTo(5);
        assertThat(first.at("/destination/ip").asText()).isEqualTo("10.0.2.15");
        assertThat(first.at("/destination/port").asInt()).isEqualTo(22);
        assertThat(first.at("/network/transport").asText()).isEqualTo("tcp");
        assertThat(first.at("/network/iana_number").isTextual()).isTrue();
        assertThat(first.at("/network/iana_number").asText()).isEqualTo("6");
        assertThat(first.at("/network/type").asText()).isEqualTo("ipv4");
        assertThat(first.at("/network/bytes").asLong()).isEqualTo(230);
        assertThat(first.at("/netflow/tcp_control_bits").asInt()).isEqualTo(0x10);
        // Header: export time 1430591888.280328, uptime 3.381 s (Wireshark); the flow ends at uptime 2.577 s
        // and lasted 2.578 s (its start uptime wrapped to 4294967295).
        assertThat(first.at("/netflow/exporter")).isEqualTo(JSON.readTree("{\"address\":\"192.0.2.10\","
                + "\"engine_type\":0,\"engine_id\":0,\"sampling_interval\":0,"
                + "\"timestamp\":\"2015-05-02T18:38:08.280Z\",\"uptime_millis\":3381,\"version\":5}"));
        assertThat(first.at("/event/end").asText()).isEqualTo("2015-05-02T18:38:07.476Z");
        assertThat(first.at("/@timestamp").asText()).isEqualTo("2015-05-02T18:38:07.476Z");
        assertThat(first.at("/event/duration").asLong()).isEqualTo(2_578_000_000L);
        assertThat(first.at("/netflow/flow_start_sys_up_time").asLong()).isEqualTo(4294967295L);
        assertThat(first.at("/netflow/flow_end_sys_up_time").asLong()).isEqualTo(2577);
        assertThat(first.at("/netflow").has("padding_octets")).isFalse();

        JsonNode second = docs.get(1);
        assertThat(second.at("/source/ip").asText()).isEqualTo("10.0.2.15");
        assertThat(second.at("/source/port").asInt()).isEqualTo(22);
        assertThat(second.at("/destination/ip").asText()).isEqualTo("10.0.2.2");
        assertThat(second.at("/destination/port").asInt()).isEqualTo(54435);
        assertThat(second.at("/network/bytes").asLong()).isEqualTo(304);
        assertThat(second.at("/network/packets").asLong()).isEqualTo(4);
        assertThat(second.at("/netflow/tcp_control_bits").asInt()).isEqualTo(0x18);
    }

    @Test
    void netflowV9CiscoAsa() throws IOException {
        List<JsonNode> docs = decode("netflow9_test_cisco_asa_1_tpl.dat", "netflow9_test_cisco_asa_1_data.dat");

        assertThat(docs).hasSize(14);
        JsonNode doc = docs.get(1); // Logstash's json_events[0]
        assertThat(doc.at("/@timestamp").asText()).as("no end time: the export time")
                .isEqualTo("2015-10-09T09:47:51.000Z");
        assertThat(doc.at("/event/start").asText()).as("flow_start_msec 1444384068169")
                .isEqualTo("2015-10-09T09:47:48.169Z");
        assertThat(doc.at("/event").has("end")).isFalse();
        assertThat(doc.at("/source/ip").asText()).isEqualTo("192.168.23.22");
        assertThat(doc.at("/source/port").asInt()).isEqualTo(17549);
        assertThat(doc.at("/source/bytes").asLong()).as("in_permanent_bytes").isEqualTo(56);
        assertThat(doc.at("/destination/ip").asText()).isEqualTo("164.164.37.11");
        assertThat(doc.at("/destination/port").asInt()).isEqualTo(0);
        assertThat(doc.at("/network/transport").asText()).isEqualTo("icmp");
        assertThat(doc.at("/network/iana_number").asText()).isEqualTo("1");
        assertThat(doc.at("/observer/ip").asText()).isEqualTo(EXPORTER);
        JsonNode netflow = doc.at("/netflow");
        assertThat(netflow.at("/exporter/version").asInt()).isEqualTo(9);
        assertThat(netflow.at("/flow_id").asLong()).as("conn_id").isEqualTo(8501);
        assertThat(netflow.at("/ingress_interface").asInt()).isEqualTo(2);
        assertThat(netflow.at("/egress_interface").asInt()).isEqualTo(3);
        assertThat(netflow.at("/icmp_type_ipv4").asInt()).isEqualTo(8);
        assertThat(netflow.at("/xlate_src_addr_ipv4").asText()).isEqualTo("192.168.23.22");
        assertThat(netflow.at("/xlate_dst_addr_ipv4").asText()).isEqualTo("164.164.37.11");
        assertThat(netflow.at("/fw_ext_event").asInt()).isEqualTo(2025);
        assertThat(netflow.at("/observation_time_milliseconds").asText()).as("event_time_msec 1444384070179")
                .isEqualTo("2015-10-09T09:47:50.179Z");
        assertThat(netflow.at("/octet_total_count").asLong()).isEqualTo(56);
        assertThat(netflow.at("/ingress_acl_id").asText()).as("the codec's 0f8e7ff3-fc1a030f-00000000")
                .isEqualTo("0f8e7ff3fc1a030f00000000");
        assertThat(netflow.at("/username").asText()).isEmpty();
    }

    @Test
    void ipfixMikrotikIpv4AndIpv6() throws IOException {
        List<JsonNode> docs = decode("ipfix_test_mikrotik_tpl.dat", "ipfix_test_mikrotik_data258.dat",
                "ipfix_test_mikrotik_data259.dat");

        assertThat(docs).hasSize(46);
        JsonNode v4 = docs.get(0);
        assertThat(v4.at("/@timestamp").asText()).isEqualTo("2017-07-19T16:18:08.000Z");
        assertThat(v4.at("/source/ip").asText()).isEqualTo("10.10.8.197");
        assertThat(v4.at("/source/port").asInt()).isEqualTo(123);
        assertThat(v4.at("/destination/ip").asText()).isEqualTo("192.168.128.17");
        assertThat(v4.at("/network/transport").asText()).isEqualTo("udp");
        assertThat(v4.at("/network/bytes").asLong()).isEqualTo(152);
        assertThat(v4.at("/network/packets").asLong()).isEqualTo(2);
        assertThat(v4.at("/netflow/post_nat_destination_ipv4_address").asText()).isEqualTo("192.168.128.17");
        assertThat(v4.at("/netflow/post_nat_source_ipv4_address").asText()).isEqualTo("192.168.230.216");
        assertThat(v4.at("/netflow/ip_next_hop_ipv4_address").asText()).isEqualTo("192.168.224.1");
        assertThat(v4.at("/netflow/flow_start_sys_up_time").asLong()).isEqualTo(2666794170L);
        assertThat(v4.at("/netflow/exporter/version").asInt()).isEqualTo(10);
        assertThat(v4.at("/netflow/exporter/source_id").asLong()).isEqualTo(0);

        JsonNode v6 = docs.get(45);
        assertThat(v6.at("/network/type").asText()).isEqualTo("ipv6");
        assertThat(v6.at("/source/ip").asText()).isEqualTo("fe80::ff:fe00:1201");
        assertThat(v6.at("/destination/ip").asText()).isEqualTo("fe80::ff:fe00:1201");
        assertThat(v6.at("/related/ip")).hasSize(1);
        assertThat(v6.at("/source/port").asInt()).isEqualTo(5678);
        assertThat(v6.at("/source/bytes").asLong()).isEqualTo(370);
        assertThat(v6.at("/netflow/ip_next_hop_ipv6_address").asText()).isEqualTo("ff02::1");
        assertThat(v6.at("/netflow/source_ipv6_address").asText()).isEqualTo("fe80::ff:fe00:1201");
        assertThat(v6.at("/netflow/ingress_interface").asInt()).isEqualTo(17);
        assertThat(v6.at("/netflow/ip_version").asInt()).isEqualTo(6);
    }

    @Test
    void ipfixVmwareIpv6WithFlowTimesAndDirection() throws IOException {
        List<JsonNode> docs = decode("ipfix_test_vmware_vds_tpl.dat", "ipfix_test_vmware_vds_data264.dat",
                "ipfix_test_vmware_vds_data266.dat", "ipfix_test_vmware_vds_data266_267.dat");

        assertThat(docs).hasSize(5);
        JsonNode doc = docs.get(4);
        assertThat(doc.at("/source/ip").asText()).isEqualTo("fe80::5187:5cd8:d750:cdc9");
        assertThat(doc.at("/destination/ip").asText()).isEqualTo("ff02::1:3");
        assertThat(doc.at("/destination/port").asInt()).isEqualTo(5355);
        assertThat(doc.at("/source/bytes").asLong()).isEqualTo(144);
        assertThat(doc.at("/network/type").asText()).isEqualTo("ipv6");
        assertThat(doc.at("/network/direction").asText()).as("flowDirection 1, egress").isEqualTo("outbound");
        assertThat(doc.at("/@timestamp").asText()).as("the flow's end").isEqualTo("2016-12-22T12:25:49.000Z");
        assertThat(doc.at("/event/start").asText()).isEqualTo("2016-12-22T12:25:49.000Z");
        assertThat(doc.at("/event/duration").asLong()).isEqualTo(0);
        assertThat(doc.at("/netflow/exporter/timestamp").asText()).isEqualTo("2016-12-22T12:26:04.000Z");
        assertThat(doc.at("/netflow/flow_end_milliseconds").asText()).isEqualTo("2016-12-22T12:25:49.000Z");
        assertThat(doc.at("/netflow/maximum_ttl").asInt()).isEqualTo(1);
        assertThat(doc.at("/related/ip").toString()).isEqualTo("[\"fe80::5187:5cd8:d750:cdc9\",\"ff02::1:3\"]");
    }

    @Test
    void ipfixYafBiflowCountersAndOptions() throws IOException {
        List<Rendered> docs = render("ipfix_test_yaf_tpls_option_tpl.dat", "ipfix_test_yaf_tpl45841.dat",
                "ipfix_test_yaf_data45841.dat", "ipfix_test_yaf_data45873.dat", "ipfix_test_yaf_data53248.dat");

        assertThat(docs).extracting(r -> r.options).containsExactly(false, false, true);
        JsonNode dns = docs.get(0).doc;
        assertThat(dns.at("/source/bytes").asLong()).as("octetTotalCount").isEqualTo(132);
        assertThat(dns.at("/destination/bytes").asLong()).as("reverseOctetTotalCount").isEqualTo(200);
        assertThat(dns.at("/destination/packets").asLong()).isEqualTo(2);
        assertThat(dns.at("/network/bytes").asLong()).isEqualTo(332);
        assertThat(dns.at("/network/packets").asLong()).isEqualTo(4);
        assertThat(dns.at("/netflow/silk_app_label").asInt()).isEqualTo(53);
        assertThat(dns.at("/netflow/reverse_octet_total_count").asLong()).isEqualTo(200);
        assertThat(dns.at("/event/start").asText()).isEqualTo("2016-12-25T12:58:35.818Z");
        assertThat(dns.at("/event/end").asText()).isEqualTo("2016-12-25T12:58:35.819Z");
        assertThat(dns.at("/event/duration").asLong()).isEqualTo(1_000_000);
        assertThat(docs.get(1).doc.at("/netflow/initial_tcp_flags").asInt()).isEqualTo(194);

        JsonNode stats = docs.get(2).doc;
        assertThat(stats.at("/event/kind").asText()).isEqualTo("state");
        assertThat(stats.at("/event/action").asText()).isEqualTo("netflow_options");
        assertThat(stats.at("/netflow/type").asText()).isEqualTo("netflow_options");
        assertThat(stats.at("/@timestamp").asText()).isEqualTo("2016-12-25T13:03:33.000Z");
        assertThat(stats.has("source")).isFalse();
        JsonNode all = merged(stats.at("/netflow/scope"), stats.at("/netflow/options"));
        assertThat(all.at("/flow_table_peak_count").asInt()).isEqualTo(58);
        assertThat(all.at("/ignored_packet_total_count").asInt()).isEqualTo(58);
        assertThat(all.at("/exporter_ipv4_address").asText()).isEqualTo("172.16.32.201");
        assertThat(all.at("/system_init_time_milliseconds").asText()).as("1482670712000")
                .isEqualTo("2016-12-25T12:58:32.000Z");
    }

    @Test
    void netflowV9OptionsFromCiscoAsr9k() throws IOException {
        List<Rendered> docs = render("netflow9_test_cisco_asr9k_opttpl256.dat",
                "netflow9_test_cisco_asr9k_data256.dat");

        assertThat(docs).hasSize(19).allMatch(r -> r.options);
        JsonNode doc = docs.get(18).doc;
        assertThat(doc.at("/event/kind").asText()).isEqualTo("state");
        assertThat(doc.at("/event/type").toString()).isEqualTo("[\"info\"]");
        assertThat(doc.at("/netflow/scope")).isEqualTo(JSON.readTree("{\"v9_scope_system\":3250896451}"));
        assertThat(doc.at("/netflow/options/interface_description").asText()).isEqualTo("TenGigE0_6_0_2");
        assertThat(doc.at("/netflow/options/ingress_interface").asInt()).isEqualTo(104);
        assertThat(doc.at("/netflow/exporter/version").asInt()).isEqualTo(9);
        assertThat(doc.at("/@timestamp").asText()).isEqualTo("2016-12-06T10:09:48.000Z");
    }

    @Test
    void ipfixOptionsFromJuniperMx240() throws IOException {
        List<Rendered> docs = render("ipfix_test_juniper_mx240_junos151r6s3_opttpl512.dat",
                "ipfix_test_juniper_mx240_junos151r6s3_data512.dat");

        assertThat(docs).hasSize(1);
        JsonNode doc = docs.get(0).doc;
        JsonNode all = merged(doc.at("/netflow/scope"), doc.at("/netflow/options"));
        assertThat(all.at("/exporter_ipv4_address").asText()).isEqualTo("10.0.0.1");
        assertThat(all.at("/exporter_ipv6_address").asText()).isEqualTo("::");
        assertThat(all.at("/system_init_time_milliseconds").asText()).as("1262761598000")
                .isEqualTo("2010-01-06T07:06:38.000Z");
        assertThat(all.at("/sampling_interval").asInt()).isEqualTo(1000);
        assertThat(all.at("/exporting_process_id").asInt()).isEqualTo(2);
    }

    @Test
    void netflowV9MacAddresses() throws IOException {
        List<JsonNode> docs = decode("netflow9_test_macaddr_tpl.dat", "netflow9_test_macaddr_data.dat");
        JsonNode doc = docs.get(1); // the codec's in_src_mac 00:50:56:c0:00:01, in_dst_mac 00:0c:29:70:86:09
        assertThat(doc.at("/source/mac").asText()).isEqualTo("00-50-56-C0-00-01");
        assertThat(doc.at("/destination/mac").asText()).isEqualTo("00-0C-29-70-86-09");
        assertThat(doc.at("/source/ip").asText()).isEqualTo("172.16.32.1");
        assertThat(doc.at("/destination/port").asInt()).isEqualTo(22);
        assertThat(doc.at("/netflow/source_mac_address").asText()).isEqualTo("00-50-56-C0-00-01");
    }

    /** Every record of every Logstash case renders as one well-formed document with the ECS basics. */
    @Test
    void everyCorpusRecordRendersAsAValidDocument() throws IOException {
        int total = 0;
        try (Stream<Path> cases = Files.list(Corpus.logstash("expected"))) {
            for (Path path : cases.sorted().toList()) {
                JsonNode spec = JSON.readTree(path.toFile());
                List<String> files = new ArrayList<>();
                spec.get("input_files").forEach(f -> files.add(f.asText()));
                for (Rendered r : render(files.toArray(new String[0]))) {
                    total++;
                    JsonNode doc = r.doc;
                    String where = path.getFileName() + ": " + doc;
                    assertThat(doc.at("/@timestamp").asText()).as(where).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                    assertThat(doc.at("/event/kind").asText()).as(where).isEqualTo(r.options ? "state" : "event");
                    assertThat(doc.at("/netflow/type").asText()).as(where)
                            .isEqualTo(r.options ? "netflow_options" : "netflow_flow");
                    assertThat(doc.at("/observer/ip").asText()).as(where).isEqualTo(EXPORTER);
                    for (String side : new String[] {"/source/ip", "/destination/ip"}) {
                        if (!doc.at(side).isMissingNode()) {
                            String ip = doc.at(side).asText();
                            assertThat(ip).as(where).isEqualTo(ip.toLowerCase());
                            assertThat(InetAddress.getByName(ip)).as(where).isNotNull();
                        }
                    }
                    assertThat(doc.at("/netflow").has("padding_octets")).as(where).isFalse();
                }
            }
        }
        assertThat(total).isGreaterThan(300);
    }

    // ---------------------------------------------------------------- sFlow

    /** goflow2's TestSFlowDecode datagram; expected values from TShark's decode (wireshark_ref). */
    @Test
    void sflowFlowSampleFromGoflow2() throws IOException {
        List<Rendered> docs = renderPayloads(vector("sflow_test__TestSFlowDecode__data__L11.bin"));

        assertThat(docs).hasSize(1);
        JsonNode doc = docs.get(0).doc;
        assertThat(doc.at("/@timestamp").asText()).as("no flow times: the receive time")
                .isEqualTo("2015-10-09T09:47:51.000Z");
        assertThat(doc.at("/event").has("start")).isFalse();
        assertThat(doc.at("/event/kind").asText()).isEqualTo("event");
        assertThat(doc.at("/event/action").asText()).isEqualTo("sflow_flow");
        assertThat(doc.at("/observer/ip").asText()).as("the agent address, not the UDP source")
                .isEqualTo("172.16.0.17");
        assertThat(doc.at("/source/ip").asText()).isEqualTo("172.16.32.254");
        assertThat(doc.at("/source/mac").asText()).isEqualTo("FF-AB-CD-EF-AB-64");
        assertThat(doc.at("/source/bytes").asLong()).as("frame length").isEqualTo(82);
        assertThat(doc.at("/source/packets").asLong()).isEqualTo(1);
        assertThat(doc.at("/destination/ip").asText()).isEqualTo("172.16.32.241");
        assertThat(doc.at("/destination/mac").asText()).isEqualTo("00-FF-12-34-35-1B");
        assertThat(doc.at("/network/transport").asText()).isEqualTo("icmp");
        JsonNode netflow = doc.at("/netflow");
        assertThat(netflow.at("/type").asText()).isEqualTo("sflow_flow");
        assertThat(netflow.has("exporter")).isFalse();
        assertThat(netflow.at("/icmp_type_code_ipv4").asInt()).as("type 8 code 0").isEqualTo(0x0800);
        assertThat(netflow.at("/vlan_id").asInt()).isEqualTo(32);
        assertThat(netflow.at("/ip_ttl").asInt()).isEqualTo(124);
        assertThat(netflow.at("/ingress_interface").asLong()).isEqualTo(1194);
        assertThat(netflow.at("/egress_interface").asLong()).isEqualTo(1043);
        assertThat(doc.at("/sflow")).isEqualTo(JSON.readTree("{\"agent\":{\"address\":\"172.16.0.17\","
                + "\"sub_agent_id\":1},\"datagram\":{\"sequence_number\":426,\"uptime_millis\":1743694337},"
                + "\"sampling_rate\":2048}"));
    }

    /** goflow2's TestExpandedSFlowDecode datagram: five expanded flow samples with extended switch records. */
    @Test
    void sflowExpandedFlowSamplesFromGoflow2() throws IOException {
        List<Rendered> docs = renderPayloads(vector("sflow_test__TestExpandedSFlowDecode__data__L30.bin"));

        assertThat(docs).hasSize(5).allMatch(r -> r.doc.at("/event/action").asText().equals("sflow_flow"));
        JsonNode first = docs.get(0).doc;
        assertThat(first.at("/observer/ip").asText()).isEqualTo("1.2.3.4");
        assertThat(first.at("/source/ip").asText()).isEqualTo("185.59.220.147");
        assertThat(first.at("/source/port").asInt()).isEqualTo(443);
        assertThat(first.at("/destination/ip").asText()).isEqualTo("88.238.78.19");
        assertThat(first.at("/destination/port").asInt()).isEqualTo(53206);
        assertThat(first.at("/source/bytes").asLong()).isEqualTo(1514);
        assertThat(first.at("/network/transport").asText()).isEqualTo("tcp");
        assertThat(first.at("/netflow/vlan_id").asInt()).isEqualTo(30);
        assertThat(first.at("/netflow/post_vlan_id").asInt()).isEqualTo(30);
        assertThat(first.at("/netflow/ingress_interface").asLong()).isEqualTo(1000100);
        assertThat(first.at("/netflow/egress_interface").asLong()).isEqualTo(1000018);
        assertThat(first.at("/sflow/sampling_rate").asLong()).isEqualTo(16383);
        assertThat(first.at("/sflow/datagram/sequence_number").asLong()).isEqualTo(262632130L);
        assertThat(first.at("/sflow/datagram/uptime_millis").asLong()).isEqualTo(259421000L);
        assertThat(first.at("/sflow/agent/sub_agent_id").asLong()).isZero();
    }

    /** Records the decoder keeps raw go under sflow.raw, never netflow.unknown_4300_*; counters become metrics. */
    @Test
    void sflowRawRecordsAndCounterSamples() throws IOException {
        byte[] frame = SflowTestData.hex("00ff1234351bffabcdefab6408004500003c5c0700007c0148a0ac1020feac1020f1"
                + "08009761a9480cb2");
        byte[] user = tagged(1004, xdr().u32(3).opaque("alice".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .u32(3).opaque(new byte[0]).build()); // extended user: a record the decoder keeps raw
        byte[] generic = xdr().u32(17).u32(6).u32(0).u32(1_000_000_000L).u32(1).u32(3)
                .u32(0x1).u32(0x23456789L).u32(10).u32(11).u32(12).u32(13).u32(14).u32(15)
                .u32(0x2).u32(0x3456789AL).u32(20).u32(21).u32(22).u32(23).u32(0xFFFFFFFFL).u32(2).build();
        SflowTestData.Xdr eth = xdr();
        for (int i = 1; i <= 13; i++) {
            eth.u32(100 + i);
        }
        byte[] processor = xdr().u32(5).u32(6).u32(7).u32(0).u32(1024).u32(0).u32(512).build();
        byte[] dg = datagram("10.2.2.2", 9, 500, 600_000,
                flowSample(1, 17, 512, 5120, 0, 17, 18, rawHeader(1, 82, 4, frame),
                        extendedGateway("192.0.2.1", 65000, 65001, 65002, new long[] {65002, 65003}, new long[0], 100),
                        user),
                counterSample(false, 42, 0, 17, tagged(1, generic), tagged(2, eth.build()), tagged(1001, processor)));

        List<Rendered> docs = renderPayloads(dg);

        assertThat(docs).extracting(r -> r.kind).containsExactly("flow", "counters");
        JsonNode flow = docs.get(0).doc;
        assertThat(flow.at("/netflow/bgp_source_as_number").asLong()).isEqualTo(65001);
        assertThat(flow.at("/netflow/bgp_destination_as_number").asLong()).isEqualTo(65003);
        List<String> netflowKeys = new ArrayList<>();
        flow.at("/netflow").fieldNames().forEachRemaining(netflowKeys::add);
        assertThat(netflowKeys).noneMatch(k -> k.startsWith("unknown_"));
        JsonNode raw = flow.at("/sflow/raw");
        List<String> rawKeys = new ArrayList<>();
        raw.fieldNames().forEachRemaining(rawKeys::add);
        assertThat(rawKeys).containsExactly("1003", "1004");
        assertThat(raw.at("/1004").asText()).isEqualTo("0000000300000005616c6963650000000000000300000000");
        assertThat(raw.at("/1003").asText()).startsWith("00000001c0000201" + "0000fde8" + "0000fde9" + "0000fdea");
        assertThat(flow.at("/sflow/sampling_rate").asLong()).isEqualTo(512);

        JsonNode counters = docs.get(1).doc;
        assertThat(counters.at("/@timestamp").asText()).isEqualTo("2015-10-09T09:47:51.000Z");
        assertThat(counters.at("/event/kind").asText()).isEqualTo("metric");
        assertThat(counters.at("/event/dataset").asText()).isEqualTo("sflow.counters");
        assertThat(counters.at("/observer")).isEqualTo(JSON.readTree(
                "{\"ip\":\"10.2.2.2\",\"ingress\":{\"interface\":{\"id\":\"17\"}}}"));
        assertThat(counters.at("/sflow/agent")).isEqualTo(JSON.readTree(
                "{\"address\":\"10.2.2.2\",\"sub_agent_id\":9}"));
        assertThat(counters.at("/sflow/datagram")).isEqualTo(JSON.readTree(
                "{\"sequence_number\":500,\"uptime_millis\":600000}"));
        JsonNode c = counters.at("/sflow/counters");
        assertThat(c.at("/sequence_number").asLong()).isEqualTo(42);
        assertThat(c.at("/source_id_index").asLong()).isEqualTo(17);
        assertThat(c.at("/if_index").asLong()).isEqualTo(17);
        assertThat(c.at("/if_type").asLong()).isEqualTo(6);
        assertThat(c.at("/if_speed").asLong()).isEqualTo(1_000_000_000L);
        assertThat(c.at("/if_admin_status").asText()).isEqualTo("up");
        assertThat(c.at("/if_oper_status").asText()).isEqualTo("up");
        assertThat(c.at("/if_in_octets").asLong()).isEqualTo(0x1_2345_6789L);
        assertThat(c.at("/if_in_ucast_pkts").asLong()).isEqualTo(10);
        assertThat(c.at("/if_in_unknown_protos").asLong()).isEqualTo(15);
        assertThat(c.at("/if_out_octets").asLong()).isEqualTo(0x2_3456_789AL);
        assertThat(c.at("/if_out_discards").asLong()).isEqualTo(23);
        assertThat(c.has("if_out_errors")).as("0xFFFFFFFF: unavailable").isFalse();
        assertThat(c.at("/if_promiscuous_mode").asLong()).isEqualTo(2);
        assertThat(c.at("/dot3_stats_alignment_errors").asLong()).isEqualTo(101);
        assertThat(c.at("/dot3_stats_symbol_errors").asLong()).isEqualTo(113);
        assertThat(c.at("/raw/1001").asText()).isEqualTo("00000005000000060000000700000000000004000000000000000200");
    }

    // ---------------------------------------------------------------- helpers

    private static final class Rendered {
        final JsonNode doc;
        final boolean options;
        final String kind;

        Rendered(JsonNode doc, boolean options) {
            this(doc, options, options ? "options" : "flow");
        }

        Rendered(JsonNode doc, boolean options, String kind) {
            this.doc = doc;
            this.options = options;
            this.kind = kind;
        }
    }

    /** Feeds whole datagrams (from the UDP source 192.0.2.99) to one decoder session, rendering every callback. */
    private static List<Rendered> renderPayloads(byte[]... datagrams) throws IOException {
        FlowDecoder decoder = new FlowDecoder();
        EcsLayout layout = new EcsLayout();
        List<Rendered> out = new ArrayList<>();
        List<DecodeError> errors = new ArrayList<>();
        FlowHandler handler = new FlowHandler() {
            @Override
            public void onRecord(FlowRecord record) {
                out.add(new Rendered(write(layout, record, false), false));
            }

            @Override
            public void onOptions(FlowRecord record) {
                out.add(new Rendered(write(layout, record, true), true));
            }

            @Override
            public void onCounters(InterfaceCounters counters) {
                try {
                    StringWriter text = new StringWriter();
                    try (JsonGenerator g = FACTORY.createGenerator(text)) {
                        layout.writeCounters(counters, g);
                    }
                    out.add(new Rendered(JSON.readTree(text.toString()), false, "counters"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void onError(DecodeError error) {
                errors.add(error);
            }
        };
        for (byte[] datagram : datagrams) {
            decoder.decode(Unpooled.wrappedBuffer(datagram), SflowTestData.UDP_SOURCE, 1_444_384_071_000L, handler);
        }
        assertThat(errors).isEmpty();
        return out;
    }

    private static List<JsonNode> decode(String... files) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (Rendered r : render(files)) {
            docs.add(r.doc);
        }
        return docs;
    }

    /** Feeds the files to one decoder session and renders every record inside the callback. */
    private static List<Rendered> render(String... files) throws IOException {
        FlowDecoder decoder = new FlowDecoder();
        EcsLayout layout = new EcsLayout();
        InetAddress exporter = InetAddress.getByName(EXPORTER);
        List<Rendered> out = new ArrayList<>();
        FlowHandler handler = new FlowHandler() {
            @Override
            public void onRecord(FlowRecord record) {
                out.add(new Rendered(write(layout, record, false), false));
            }

            @Override
            public void onOptions(FlowRecord record) {
                out.add(new Rendered(write(layout, record, true), true));
            }

            @Override
            public void onError(DecodeError error) {
                // Decode errors are the decoders' business (the invalid files); the layout sees what was decoded.
            }
        };
        for (String file : files) {
            decoder.decode(Unpooled.wrappedBuffer(Corpus.dat(file)), exporter, 0, handler);
        }
        return out;
    }

    private static JsonNode write(EcsLayout layout, FlowRecord record, boolean options) {
        try {
            StringWriter text = new StringWriter();
            try (JsonGenerator out = FACTORY.createGenerator(text)) {
                if (options) {
                    layout.writeOptions(record, out);
                } else {
                    layout.write(record, out);
                }
            }
            return JSON.readTree(text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scope and option fields in one object, for assertions that do not care which side a field is on. */
    private static JsonNode merged(JsonNode scope, JsonNode options) {
        com.fasterxml.jackson.databind.node.ObjectNode all = JSON.createObjectNode();
        for (JsonNode part : new JsonNode[] {scope, options}) {
            if (part.isObject()) {
                for (Iterator<String> names = part.fieldNames(); names.hasNext();) {
                    String name = names.next();
                    all.set(name, part.get(name));
                }
            }
        }
        return all;
    }
}
