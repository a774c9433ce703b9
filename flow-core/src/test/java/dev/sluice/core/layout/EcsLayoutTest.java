package dev.sluice.core.layout;

import static dev.sluice.core.layout.EcsLayoutTest.TestRecord.bytes;
import static dev.sluice.core.layout.EcsLayoutTest.TestRecord.ip;
import static dev.sluice.core.layout.EcsLayoutTest.TestRecord.u;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.ie.DataType;
import dev.sluice.core.ie.InformationElement;
import dev.sluice.core.ie.InformationElementRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcsLayoutTest {

    private static final JsonFactory JSON = new JsonFactory();
    private static final long START = 1_444_384_068_169L; // 2015-10-09T09:47:48.169Z
    private static final long END = 1_444_384_070_179L; // 2015-10-09T09:47:50.179Z

    private final EcsLayout layout = new EcsLayout();

    @Test
    void flowDocumentHasTheFilebeatEcsFields() throws IOException {
        TestRecord record = new TestRecord()
                .add(8, ip("10.0.0.1"))
                .add(12, ip("192.168.1.20"))
                .add(7, u(51000, 2))
                .add(11, u(443, 2))
                .add(4, u(6, 1))
                .add(1, u(1500, 8))
                .add(2, u(10, 8))
                .add(56, bytes(0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e))
                .add(61, u(1, 1))
                .add(152, u(START, 8))
                .add(153, u(END, 8))
                .add(210, new byte[3])
                .times(START, END)
                .build();
        record.packet.observationDomain = 7;

        Map<String, Object> doc = write(record);

        assertThat(doc.keySet()).containsExactly("@timestamp", "ecs", "event", "observer", "source", "destination",
                "network", "related", "netflow");
        assertThat(doc.get("@timestamp")).as("the flow's end").isEqualTo("2015-10-09T09:47:50.179Z");
        assertThat(get(doc, "ecs.version")).isEqualTo(EcsLayout.ECS_VERSION);
        assertThat(get(doc, "event")).isEqualTo(map(
                "kind", "event",
                "category", List.of("network"),
                "type", List.of("connection"),
                "action", "netflow_flow",
                "dataset", "netflow.log",
                "module", "netflow",
                "start", "2015-10-09T09:47:48.169Z",
                "end", "2015-10-09T09:47:50.179Z",
                "duration", 2_010_000_000L));
        assertThat(get(doc, "observer")).isEqualTo(map("ip", "192.0.2.10"));
        assertThat(get(doc, "source")).isEqualTo(map(
                "ip", "10.0.0.1", "port", 51000L, "mac", "00-1A-2B-3C-4D-5E", "bytes", 1500L, "packets", 10L));
        assertThat(get(doc, "destination")).isEqualTo(map("ip", "192.168.1.20", "port", 443L));
        assertThat(get(doc, "network")).isEqualTo(map(
                "type", "ipv4", "transport", "tcp", "iana_number", "6", "bytes", 1500L, "packets", 10L,
                "direction", "outbound"));
        assertThat(get(doc, "related.ip")).isEqualTo(List.of("10.0.0.1", "192.168.1.20"));
        assertThat(get(doc, "netflow")).isEqualTo(map(
                "type", "netflow_flow",
                "exporter", map("address", "192.0.2.10", "source_id", 7L, "timestamp", "2015-10-09T09:47:51.000Z",
                        "version", 10L),
                "source_ipv4_address", "10.0.0.1",
                "destination_ipv4_address", "192.168.1.20",
                "source_transport_port", 51000L,
                "destination_transport_port", 443L,
                "protocol_identifier", 6L,
                "octet_delta_count", 1500L,
                "packet_delta_count", 10L,
                "source_mac_address", "00-1A-2B-3C-4D-5E",
                "flow_direction", 1L,
                "flow_start_milliseconds", "2015-10-09T09:47:48.169Z",
                "flow_end_milliseconds", "2015-10-09T09:47:50.179Z"));
    }

    @Test
    void withoutFlowTimesTheTimestampIsTheExportTime() throws IOException {
        TestRecord record = new TestRecord().add(8, ip("10.0.0.1")).add(4, u(17, 1)).build();
        Map<String, Object> doc = write(record);
        assertThat(doc.get("@timestamp")).isEqualTo("2015-10-09T09:47:51.000Z");
        assertThat(object(doc, "event")).doesNotContainKeys("start", "end", "duration");
        assertThat(get(doc, "network.direction")).isEqualTo("unknown");
        assertThat(get(doc, "network.transport")).isEqualTo("udp");
        assertThat(get(doc, "related.ip")).isEqualTo(List.of("10.0.0.1"));
        assertThat(doc).doesNotContainKey("destination");
    }

    @Test
    void ipv6FlowAndInboundDirection() throws IOException {
        TestRecord record = new TestRecord()
                .add(27, ip("2001:db8:0:0:1:0:0:1"))
                .add(28, ip("fe80::ff:fe00:401"))
                .add(4, u(58, 1))
                .add(61, u(0, 1))
                .build();
        Map<String, Object> doc = write(record);
        assertThat(get(doc, "source.ip")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(get(doc, "destination.ip")).isEqualTo("fe80::ff:fe00:401");
        assertThat(get(doc, "network.type")).isEqualTo("ipv6");
        assertThat(get(doc, "network.transport")).isEqualTo("ipv6-icmp");
        assertThat(get(doc, "network.iana_number")).isEqualTo("58");
        assertThat(get(doc, "network.direction")).isEqualTo("inbound");
        assertThat(get(doc, "netflow.source_ipv6_address")).isEqualTo("2001:db8::1:0:0:1");
    }

    @Test
    void unnamedProtocolHasOnlyItsNumber() throws IOException {
        Map<String, Object> doc = write(new TestRecord().add(4, u(253, 1)).build());
        assertThat(object(doc, "network")).doesNotContainKey("transport");
        assertThat(get(doc, "network.iana_number")).isEqualTo("253");
        doc = write(new TestRecord().add(4, u(47, 1)).build());
        assertThat(get(doc, "network.transport")).isEqualTo("gre");
    }

    @Test
    void elementValuesAreTypedByTheirAbstractDataType() throws IOException {
        long ntpSeconds = 1_478_866_159L + 2_208_988_800L; // 2016-11-11T12:09:19Z
        TestRecord record = new TestRecord()
                .add(1, u(-1L, 8)) // unsigned64 above Long.MAX_VALUE
                .add(2, u(0x010203, 3)) // reduced-size unsigned64
                .add(element(DataType.SIGNED8, "testSigned8"), u(0xFE, 1))
                .add(element(DataType.SIGNED16, "testSigned16"), u(0x8000, 2))
                .add(434, u(-5, 4)) // mibObjectValueInteger, signed32
                .add(element(DataType.SIGNED64, "testSigned64"), u(0xFFFFFF, 3)) // reduced size: -1
                .add(element(DataType.FLOAT32, "testFloat32"), u(Float.floatToIntBits(1.5f), 4))
                .add(311, u(Double.doubleToLongBits(0.001), 8)) // samplingProbability, float64
                .add(320, u(Float.floatToIntBits(0.25f), 4)) // absoluteError: float64 sent in 4 bytes
                .add(276, u(1, 1)) // dataRecordsReliability, boolean true
                .add(388, u(2, 1)) // dot1qDEI, boolean false
                .add(389, u(3, 1)) // dot1qCustomerDEI: 3 is no boolean, left out
                .add(81, bytes(0xaa, 0xbb, 0xcc, 0x00, 0x11, 0x22)) // postSourceMacAddress
                .add(82, "Gi0/1\0\0".getBytes(StandardCharsets.UTF_8)) // interfaceName, NUL padded
                .add(83, "caf\u00e9 \u2603".getBytes(StandardCharsets.UTF_8)) // interfaceDescription
                .add(84, bytes('a', 0xff, 'b')) // samplerName: invalid UTF-8
                .add(96, new byte[0]) // applicationName, empty
                .add(150, u(1_444_384_071L, 4)) // flowStartSeconds
                .add(152, u(START, 8)) // flowStartMilliseconds
                .add(154, u(ntpSeconds << 32 | 0x8000_0000L, 8)) // flowStartMicroseconds, .5 s
                .add(156, u(ntpSeconds << 32 | 0x4000_0000L, 8)) // flowStartNanoseconds, .25 s
                .add(157, u(0x10L << 32, 8)) // flowEndNanoseconds in NTP era 1
                .add(155, u(0, 8)) // flowEndMicroseconds all zero: not set
                .add(15, ip("192.0.2.1")) // ipNextHopIPv4Address
                .add(62, bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1)) // IPv4-mapped next hop
                .add(63, new byte[5]) // bgpNextHopIPv6Address of a wrong length: left out
                .add(313, bytes(0x45, 0x00, 0xAB)) // ipHeaderPacketSection, octetArray
                .add(291, bytes(0xff, 0x00, 0x01)) // basicList: raw hex
                .add(9999, 1234, bytes(0xde, 0xad)) // unknown enterprise element
                .add(0, 32767, bytes(0x01)) // unknown IANA id
                .add(210, new byte[4]) // padding
                .add(3, new byte[0]) // deltaFlowCount of zero length: left out
                .add(314, new byte[0]) // ipPayloadPacketSection, an empty octetArray: left out
                .build();

        Map<String, Object> netflow = netflow(write(record));

        assertThat(netflow.get("octet_delta_count")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(netflow.get("packet_delta_count")).isEqualTo(66051L);
        assertThat(netflow.get("test_signed8")).isEqualTo(-2L);
        assertThat(netflow.get("test_signed16")).isEqualTo(-32768L);
        assertThat(netflow.get("mib_object_value_integer")).isEqualTo(-5L);
        assertThat(netflow.get("test_signed64")).isEqualTo(-1L);
        assertThat(netflow.get("test_float32")).isEqualTo(1.5);
        assertThat(netflow.get("sampling_probability")).isEqualTo(0.001);
        assertThat(netflow.get("absolute_error")).isEqualTo(0.25);
        assertThat(netflow.get("data_records_reliability")).isEqualTo(true);
        assertThat(netflow.get("dot1q_dei")).isEqualTo(false);
        assertThat(netflow).doesNotContainKey("dot1q_customer_dei");
        assertThat(netflow.get("post_source_mac_address")).isEqualTo("AA-BB-CC-00-11-22");
        assertThat(netflow.get("interface_name")).isEqualTo("Gi0/1");
        assertThat(netflow.get("interface_description")).isEqualTo("caf\u00e9 \u2603");
        assertThat(netflow.get("sampler_name")).isEqualTo("a\uFFFDb");
        assertThat(netflow.get("application_name")).isEqualTo("");
        assertThat(netflow.get("flow_start_seconds")).isEqualTo("2015-10-09T09:47:51.000Z");
        assertThat(netflow.get("flow_start_milliseconds")).isEqualTo("2015-10-09T09:47:48.169Z");
        assertThat(netflow.get("flow_start_microseconds")).isEqualTo("2016-11-11T12:09:19.500000Z");
        assertThat(netflow.get("flow_start_nanoseconds")).isEqualTo("2016-11-11T12:09:19.250000000Z");
        assertThat(netflow.get("flow_end_nanoseconds")).isEqualTo("2036-02-07T06:28:32.000000000Z");
        assertThat(netflow).doesNotContainKey("flow_end_microseconds");
        assertThat(netflow.get("ip_next_hop_ipv4_address")).isEqualTo("192.0.2.1");
        assertThat(netflow.get("ip_next_hop_ipv6_address")).isEqualTo("::ffff:192.0.2.1");
        assertThat(netflow).doesNotContainKey("bgp_next_hop_ipv6_address");
        assertThat(netflow.get("ip_header_packet_section")).isEqualTo("4500ab");
        assertThat(netflow.get("basic_list")).isEqualTo("ff0001");
        assertThat(netflow.get("unknown_9999_1234")).isEqualTo("dead");
        assertThat(netflow.get("unknown_0_32767")).isEqualTo("01");
        assertThat(netflow).doesNotContainKeys("padding_octets", "delta_flow_count", "ip_payload_packet_section");
    }

    @Test
    void repeatedElementsGetNumberedNames() throws IOException {
        InformationElement clash = new InformationElement(4242, 1, "ingressInterface", DataType.UNSIGNED32);
        TestRecord record = new TestRecord()
                .add(10, u(1, 4)) // ingressInterface
                .add(10, u(2, 4))
                .add(clash, u(3, 4)) // another element with the same name
                .add(10, u(4, 2))
                .add(element(DataType.STRING, "type"), "mine".getBytes(StandardCharsets.UTF_8))
                .add(element(DataType.UNSIGNED8, "exporter"), u(9, 1))
                .build();

        // A second write must number from 1 again.
        write(record);
        Map<String, Object> netflow = netflow(write(record));

        assertThat(netflow.get("ingress_interface")).isEqualTo(1L);
        assertThat(netflow.get("ingress_interface_2")).isEqualTo(2L);
        assertThat(netflow.get("ingress_interface_3")).isEqualTo(3L);
        assertThat(netflow.get("ingress_interface_4")).isEqualTo(4L);
        assertThat(netflow.get("type")).as("the layout's own key").isEqualTo("netflow_flow");
        assertThat(netflow.get("type_2")).isEqualTo("mine");
        assertThat(netflow.get("exporter_2")).isEqualTo(9L);
    }

    @Test
    void biflowFromTheReverseInitiatorSwapsSourceAndDestination() throws IOException {
        TestRecord record = new TestRecord()
                .add(8, ip("10.0.0.1"))
                .add(12, ip("10.0.0.2"))
                .add(7, u(80, 2))
                .add(11, u(40000, 2))
                .add(4, u(6, 1))
                .add(1, u(5000, 8))
                .add(2, u(7, 8))
                .add(29305, 1, u(300, 8)) // reverseOctetDeltaCount
                .add(29305, 2, u(3, 8)) // reversePacketDeltaCount
                .add(239, u(2, 1)) // biflowDirection: reverseInitiator
                .build();

        Map<String, Object> doc = write(record);

        assertThat(get(doc, "event.category")).isEqualTo(List.of("network", "session"));
        assertThat(get(doc, "source")).isEqualTo(map("ip", "10.0.0.2", "port", 40000L, "bytes", 300L, "packets", 3L));
        assertThat(get(doc, "destination")).isEqualTo(map("ip", "10.0.0.1", "port", 80L, "bytes", 5000L,
                "packets", 7L));
        assertThat(get(doc, "client")).isEqualTo(get(doc, "source"));
        assertThat(get(doc, "server")).isEqualTo(get(doc, "destination"));
        assertThat(get(doc, "network.bytes")).isEqualTo(5300L);
        assertThat(get(doc, "network.packets")).isEqualTo(10L);
        assertThat(get(doc, "netflow.reverse_octet_delta_count")).isEqualTo(300L);
    }

    @Test
    void uniflowWithReverseCountersAndInitiatorOctets() throws IOException {
        TestRecord record = new TestRecord()
                .add(8, ip("10.0.0.1"))
                .add(231, u(100, 4)) // initiatorOctets
                .add(298, u(2, 4)) // initiatorPackets
                .add(232, u(900, 4)) // responderOctets
                .add(299, u(4, 4)) // responderPackets
                .build();
        Map<String, Object> doc = write(record);
        assertThat(get(doc, "event.category")).isEqualTo(List.of("network"));
        assertThat(get(doc, "source")).isEqualTo(map("ip", "10.0.0.1", "bytes", 100L, "packets", 2L));
        assertThat(get(doc, "destination")).isEqualTo(map("bytes", 900L, "packets", 4L));
        assertThat(get(doc, "network.bytes")).isEqualTo(1000L);
        assertThat(get(doc, "network.packets")).isEqualTo(6L);
        assertThat(doc).doesNotContainKeys("client", "server");
    }

    @Test
    void netflowV5ExporterFields() throws IOException {
        TestRecord record = new TestRecord().add(8, ip("10.0.0.1")).build();
        record.packet.protocol = FlowProtocol.NETFLOW_V5;
        record.packet.engineType = 1;
        record.packet.engineId = 2;
        record.packet.headerSamplingInterval = 100;
        record.packet.systemUptimeMillis = 3381;
        record.packet.exporter = TestRecord.address("2001:db8::7");
        Map<String, Object> doc = write(record);
        assertThat(get(doc, "netflow.exporter")).isEqualTo(map("address", "2001:db8::7", "engine_type", 1L,
                "engine_id", 2L, "sampling_interval", 100L, "timestamp", "2015-10-09T09:47:51.000Z",
                "uptime_millis", 3381L, "version", 5L));
        assertThat(get(doc, "observer.ip")).isEqualTo("2001:db8::7");
    }

    @Test
    void optionsRecordKeepsScopeAndOptionFieldsApart() throws IOException {
        TestRecord record = new TestRecord()
                .add(144, u(3, 4)) // exportingProcessId, the scope
                .add(10, u(74, 4)) // ingressInterface
                .add(83, "TenGigE0_0_1_0".getBytes(StandardCharsets.UTF_8))
                .add(34, u(1000, 4)) // samplingInterval
                .add(10, u(75, 4))
                .options(1)
                .build();
        record.packet.observationDomain = 2177;
        record.packet.systemUptimeMillis = 1_704_794_749L;
        record.packet.protocol = FlowProtocol.NETFLOW_V9;

        Map<String, Object> doc = writeOptions(record);

        assertThat(doc.keySet()).containsExactly("@timestamp", "ecs", "event", "observer", "netflow");
        assertThat(doc.get("@timestamp")).isEqualTo("2015-10-09T09:47:51.000Z");
        assertThat(get(doc, "event")).isEqualTo(map("kind", "state", "category", List.of("network"),
                "type", List.of("info"), "action", "netflow_options", "dataset", "netflow.log", "module", "netflow"));
        assertThat(get(doc, "netflow")).isEqualTo(map(
                "type", "netflow_options",
                "exporter", map("address", "192.0.2.10", "source_id", 2177L, "timestamp", "2015-10-09T09:47:51.000Z",
                        "uptime_millis", 1_704_794_749L, "version", 9L),
                "scope", map("exporting_process_id", 3L),
                "options", map("ingress_interface", 74L, "interface_description", "TenGigE0_0_1_0",
                        "sampling_interval", 1000L, "ingress_interface_2", 75L)));
    }

    @Test
    void optionsRecordWithoutScopeFields() throws IOException {
        TestRecord record = new TestRecord().add(34, u(1000, 4)).options(0).build();
        assertThat(get(writeOptions(record), "netflow.options")).isEqualTo(map("sampling_interval", 1000L));
        assertThat(object(writeOptions(record), "netflow")).doesNotContainKey("scope");
    }

    @Test
    void documentsFollowEachOtherInOneGenerator() throws IOException {
        TestRecord a = new TestRecord().add(8, ip("10.0.0.1")).build();
        TestRecord b = new TestRecord().add(8, ip("10.0.0.2")).options(0).build();
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
            layout.write(a, out);
            layout.writeOptions(b, out);
            layout.write(a, out);
        }
        String[] lines = text.toString().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(get(parse(lines[0]), "source.ip")).isEqualTo("10.0.0.1");
        assertThat(get(parse(lines[1]), "netflow.type")).isEqualTo("netflow_options");
        assertThat(lines[2]).isEqualTo(lines[0]);
    }

    @Test
    void exporterChangesAreNoticed() throws IOException {
        TestRecord record = new TestRecord().add(8, ip("10.0.0.1")).build();
        assertThat(get(write(record), "observer.ip")).isEqualTo("192.0.2.10");
        record.packet.exporter = TestRecord.address("198.51.100.3");
        assertThat(get(write(record), "observer.ip")).isEqualTo("198.51.100.3");
        record.packet.exporter = null;
        Map<String, Object> doc = write(record);
        assertThat(doc).doesNotContainKey("observer");
        assertThat(object(doc, "netflow.exporter")).doesNotContainKey("address");
    }

    @Test
    void longValuesGrowTheBuffers() throws IOException {
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 'x');
        TestRecord record = new TestRecord()
                .add(82, big)
                .add(313, big)
                .add(8, ip("10.0.0.1"))
                .build();
        Map<String, Object> netflow = netflow(write(record));
        assertThat((String) netflow.get("interface_name")).hasSize(5000);
        assertThat((String) netflow.get("ip_header_packet_section")).hasSize(10000).startsWith("7878");
        assertThat(netflow.get("source_ipv4_address")).isEqualTo("10.0.0.1");
    }

    @Test
    void steadyStateWritesAllocateNothing() throws IOException {
        TestRecord flow = new TestRecord()
                .add(27, ip("2001:db8::1"))
                .add(28, ip("2001:db8::2"))
                .add(7, u(51000, 2))
                .add(11, u(443, 2))
                .add(4, u(6, 1))
                .add(1, u(-1L, 8))
                .add(2, u(10, 8))
                .add(56, bytes(0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e))
                .add(61, u(1, 1))
                .add(10, u(1, 4))
                .add(10, u(2, 4))
                .add(82, "Gi0/1\0".getBytes(StandardCharsets.UTF_8))
                .add(152, u(START, 8))
                .add(153, u(END, 8))
                .add(154, u((1_478_866_159L + 2_208_988_800L) << 32 | 0x8000_0000L, 8))
                .add(313, bytes(0x45, 0x00, 0xAB))
                .add(9999, 1234, bytes(0xde, 0xad))
                .add(29305, 1, u(300, 8))
                .add(239, u(2, 1))
                .add(210, new byte[2])
                .times(START, END)
                .build();
        TestRecord options = new TestRecord().add(144, u(3, 4)).add(34, u(1000, 4)).options(1).build();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        try (JsonGenerator out = JSON.createGenerator(OutputStream.nullOutputStream())) {
            for (int i = 0; i < 10_000; i++) { // warm up: fill the name cache, let the JIT settle
                layout.write(flow, out);
                layout.writeOptions(options, out);
            }
            long before = threads.getThreadAllocatedBytes(thread);
            int records = 50_000;
            for (int i = 0; i < records; i++) {
                layout.write(flow, out);
                layout.writeOptions(options, out);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertThat(allocated).as("bytes allocated for %d records", 2 * records).isLessThan(64 * 1024);
        }
    }

    // ---------------------------------------------------------------- sFlow flow samples

    /** An sFlow sample as the sFlow decoder presents it: IPFIX elements, then records kept raw (enterprise 4300). */
    private static TestRecord sflowSample() {
        TestRecord record = new TestRecord()
                .add(8, ip("172.16.32.254"))
                .add(12, ip("172.16.32.241"))
                .add(4, u(1, 1))
                .add(32, u(0x0800, 2)) // icmpTypeCodeIPv4: echo request
                .add(1, u(82, 4)) // octetDeltaCount: the frame length
                .add(2, u(1, 4)) // packetDeltaCount: always 1
                .add(10, u(1194, 4))
                .add(14, u(1043, 4))
                .add(58, u(32, 2))
                .add(56, bytes(0xff, 0xab, 0xcd, 0xef, 0xab, 0x64))
                .add(305, u(2048, 4)) // samplingPacketInterval: the sampling rate
                .add(60, u(4, 1))
                .add(4300, 1003, bytes(0, 0, 0, 1, 0xc0, 0, 2, 1)) // extended gateway, kept whole
                .add(4300, 4413 << 12 | 5, bytes(0xde, 0xad)) // a vendor record
                .add(4300, 1003, new byte[0]) // the same format again, empty
                .build();
        record.packet.protocol = FlowProtocol.SFLOW_V5;
        record.packet.exporter = TestRecord.address("172.16.0.17");
        record.packet.observationDomain = 1;
        record.packet.sequenceNumber = 426;
        record.packet.systemUptimeMillis = 1_743_694_337L;
        return record;
    }

    @Test
    void sflowSampleHasItsOwnActionAndAnSflowGroupInsteadOfTheNetflowExporter() throws IOException {
        Map<String, Object> doc = write(sflowSample());

        assertThat(doc.keySet()).containsExactly("@timestamp", "ecs", "event", "observer", "source", "destination",
                "network", "related", "netflow", "sflow");
        assertThat(doc.get("@timestamp")).as("no flow times: the receive time").isEqualTo("2015-10-09T09:47:51.000Z");
        assertThat(get(doc, "event")).isEqualTo(map(
                "kind", "event",
                "category", List.of("network"),
                "type", List.of("connection"),
                "action", "sflow_flow",
                "dataset", "netflow.log",
                "module", "netflow"));
        assertThat(get(doc, "observer")).isEqualTo(map("ip", "172.16.0.17"));
        assertThat(get(doc, "source")).isEqualTo(map(
                "ip", "172.16.32.254", "mac", "FF-AB-CD-EF-AB-64", "bytes", 82L, "packets", 1L));
        assertThat(get(doc, "network")).isEqualTo(map(
                "type", "ipv4", "transport", "icmp", "iana_number", "1", "bytes", 82L, "packets", 1L,
                "direction", "unknown"));
        assertThat(get(doc, "netflow")).isEqualTo(map(
                "type", "sflow_flow",
                "source_ipv4_address", "172.16.32.254",
                "destination_ipv4_address", "172.16.32.241",
                "protocol_identifier", 1L,
                "icmp_type_code_ipv4", 2048L,
                "octet_delta_count", 82L,
                "packet_delta_count", 1L,
                "ingress_interface", 1194L,
                "egress_interface", 1043L,
                "vlan_id", 32L,
                "source_mac_address", "FF-AB-CD-EF-AB-64",
                "sampling_packet_interval", 2048L,
                "ip_version", 4L));
        assertThat(get(doc, "sflow")).isEqualTo(map(
                "agent", map("address", "172.16.0.17", "sub_agent_id", 1L),
                "datagram", map("sequence_number", 426L, "uptime_millis", 1_743_694_337L),
                "sampling_rate", 2048L,
                "raw", map("1003", "00000001c0000201", "4413:5", "dead", "1003_2", "")));
    }

    @Test
    void sflowSampleWithoutRawRecordsOrSamplingRateOrAgent() throws IOException {
        TestRecord record = new TestRecord().add(27, ip("2001:db8::1")).add(1, u(64, 4)).build();
        record.packet.protocol = FlowProtocol.SFLOW_V5;
        record.packet.exporter = null;
        Map<String, Object> doc = write(record);
        assertThat(doc).doesNotContainKey("observer");
        assertThat(get(doc, "sflow")).isEqualTo(map(
                "agent", map("sub_agent_id", 0L),
                "datagram", map("sequence_number", 0L)));
        assertThat(object(doc, "netflow")).doesNotContainKey("exporter");
    }

    @Test
    void enterprise4300ElementsOfOtherProtocolsStayNetflowElements() throws IOException {
        // Only the sFlow decoder uses 4300 as its raw-record namespace; an IPFIX exporter's element is an element.
        Map<String, Object> doc = write(new TestRecord().add(4300, 7, bytes(0x01)).build());
        assertThat(get(doc, "netflow.unknown_4300_7")).isEqualTo("01");
        assertThat(doc).doesNotContainKey("sflow");
    }

    @Test
    void steadyStateSflowWritesAllocateNothing() throws IOException {
        TestRecord record = sflowSample();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        try (JsonGenerator out = JSON.createGenerator(OutputStream.nullOutputStream())) {
            for (int i = 0; i < 20_000; i++) {
                layout.write(record, out);
            }
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 50_000; i++) {
                layout.write(record, out);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertThat(allocated).as("bytes allocated for 50000 sFlow documents").isLessThan(64 * 1024);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static InformationElement element(DataType type, String name) {
        return new InformationElement(4242, name.hashCode() & 0x7FFF, name, type);
    }

    private Map<String, Object> write(FlowRecord record) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            layout.write(record, out);
        }
        return parse(text.toString());
    }

    private Map<String, Object> writeOptions(FlowRecord record) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            layout.writeOptions(record, out);
        }
        return parse(text.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> netflow(Map<String, Object> doc) {
        return (Map<String, Object>) doc.get("netflow");
    }

    /** Parses a document into maps and lists, failing on a repeated key. Integers come back as Long or BigInteger. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) throws IOException {
        JsonFactory strict = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        try (JsonParser p = strict.createParser(json)) {
            p.nextToken();
            Map<String, Object> doc = (Map<String, Object>) read(p);
            assertThat(p.nextToken()).as("one document").isNull();
            return doc;
        }
    }

    private static Object read(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
                    String key = p.currentName();
                    p.nextToken();
                    map.put(key, read(p));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    list.add(read(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
                        : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            default:
                return null;
        }
    }

    /** The value at a dotted path of nested objects. */
    @SuppressWarnings("unchecked")
    static Object get(Map<String, Object> doc, String path) {
        Object node = doc;
        for (String part : path.split("\\.")) {
            assertThat(node).as(path).isInstanceOf(Map.class);
            assertThat((Map<String, Object>) node).as(path).containsKey(part);
            node = ((Map<String, Object>) node).get(part);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> doc, String path) {
        return (Map<String, Object>) get(doc, path);
    }

    /** An ordered map of key, value pairs (Map.of does not keep order, and order is part of the shape). */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /**
     * A hand-built {@link FlowRecord} for the ECS layout tests (flow-core cannot use the decoders): fields are added with
     * their raw bytes, the typed {@link FlowField}s are mapped from the usual IANA ids the way the decoders map them,
     * and nothing allocates once built.
     */
    static final class TestRecord implements FlowRecord {

        /** The packet header of a test record. */
        static final class Packet implements ExportPacket {
            FlowProtocol protocol = FlowProtocol.IPFIX;
            InetAddress exporter;
            long observationDomain;
            long sequenceNumber;
            long exportTimeMillis;
            long systemUptimeMillis = -1;
            int engineType;
            int engineId;
            long headerSamplingInterval;

            @Override
            public FlowProtocol protocol() {
                return protocol;
            }

            @Override
            public InetAddress exporter() {
                return exporter;
            }

            @Override
            public long observationDomain() {
                return observationDomain;
            }

            @Override
            public long sequenceNumber() {
                return sequenceNumber;
            }

            @Override
            public long exportTimeMillis() {
                return exportTimeMillis;
            }

            @Override
            public long exportNanos() {
                return 0;
            }

            @Override
            public long systemUptimeMillis() {
                return systemUptimeMillis;
            }

            @Override
            public int count() {
                return -1;
            }

            @Override
            public int engineType() {
                return engineType;
            }

            @Override
            public int engineId() {
                return engineId;
            }

            @Override
            public int samplingAlgorithm() {
                return 0;
            }

            @Override
            public long headerSamplingInterval() {
                return headerSamplingInterval;
            }
        }

        final Packet packet = new Packet();
        private final List<InformationElement> elementList = new ArrayList<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final List<int[]> spans = new ArrayList<>(); // offset, length

        private InformationElement[] elements;
        private int[] offsets;
        private int[] lengths;
        private ByteBuf buf;
        private final int[] fieldIndex = new int[FlowField.values().length];
        private boolean options;
        private int scopes;
        private long start = Long.MIN_VALUE;
        private long end = Long.MIN_VALUE;

        TestRecord() {
            packet.exporter = address("192.0.2.10");
            packet.exportTimeMillis = 1_444_384_071_000L; // 2015-10-09T09:47:51Z
        }

        /** Adds an IANA element (enterprise 0) with its value's bytes. */
        TestRecord add(int elementId, byte[] value) {
            return add(InformationElementRegistry.standard().ipfix(0, elementId), value);
        }

        TestRecord add(long enterpriseId, int elementId, byte[] value) {
            return add(InformationElementRegistry.standard().ipfix(enterpriseId, elementId), value);
        }

        TestRecord add(InformationElement element, byte[] value) {
            elementList.add(element);
            spans.add(new int[] {bytes.size(), value.length});
            bytes.writeBytes(value);
            return this;
        }

        TestRecord times(long startMillis, long endMillis) {
            this.start = startMillis;
            this.end = endMillis;
            return this;
        }

        TestRecord options(int scopeCount) {
            this.options = true;
            this.scopes = scopeCount;
            return this;
        }

        /** Freezes the fields: call after the last {@code add}. */
        TestRecord build() {
            elements = elementList.toArray(new InformationElement[0]);
            offsets = new int[elements.length];
            lengths = new int[elements.length];
            byte[] data = bytes.toByteArray();
            // Place the record at a non-zero offset of a bigger buffer, as a decoder's view would be.
            byte[] framed = new byte[data.length + 16];
            System.arraycopy(data, 0, framed, 7, data.length);
            buf = Unpooled.wrappedBuffer(framed);
            for (int i = 0; i < elements.length; i++) {
                offsets[i] = 7 + spans.get(i)[0];
                lengths[i] = spans.get(i)[1];
            }
            Arrays.fill(fieldIndex, -1);
            map(FlowField.SOURCE_ADDRESS, 8, 27);
            map(FlowField.DESTINATION_ADDRESS, 12, 28);
            map(FlowField.SOURCE_PORT, 7);
            map(FlowField.DESTINATION_PORT, 11);
            map(FlowField.PROTOCOL, 4);
            map(FlowField.BYTES, 1, 85);
            map(FlowField.PACKETS, 2, 86);
            map(FlowField.SOURCE_MAC, 56);
            map(FlowField.DESTINATION_MAC, 80);
            map(FlowField.DIRECTION, 61);
            map(FlowField.IP_VERSION, 60);
            map(FlowField.SAMPLING_INTERVAL, 305, 34);
            map(FlowField.INPUT_INTERFACE, 10);
            map(FlowField.OUTPUT_INTERFACE, 14);
            map(FlowField.TCP_FLAGS, 6);
            map(FlowField.SOURCE_AS, 16);
            map(FlowField.DESTINATION_AS, 17);
            map(FlowField.ICMP_TYPE_CODE, 32, 139);
            return this;
        }

        private void map(FlowField field, int... ids) {
            for (int id : ids) {
                int i = indexOf(0, id);
                if (i >= 0 && !(options && i < scopes)) {
                    fieldIndex[field.ordinal()] = i;
                    return;
                }
            }
        }

        @Override
        public ExportPacket packet() {
            return packet;
        }

        @Override
        public int templateId() {
            return 256;
        }

        @Override
        public boolean isOptions() {
            return options;
        }

        @Override
        public int scopeFieldCount() {
            return scopes;
        }

        @Override
        public boolean has(FlowField field) {
            switch (field) {
                case START_MILLIS:
                    return start != Long.MIN_VALUE;
                case END_MILLIS:
                    return end != Long.MIN_VALUE;
                case IP_VERSION:
                    return fieldIndex[field.ordinal()] >= 0 || has(FlowField.SOURCE_ADDRESS)
                            || has(FlowField.DESTINATION_ADDRESS);
                default:
                    return fieldIndex[field.ordinal()] >= 0;
            }
        }

        @Override
        public long getLong(FlowField field) {
            switch (field) {
                case START_MILLIS:
                    return has(field) ? start : 0;
                case END_MILLIS:
                    return has(field) ? end : 0;
                case IP_VERSION:
                    if (fieldIndex[field.ordinal()] < 0) {
                        FlowField a = has(FlowField.SOURCE_ADDRESS) ? FlowField.SOURCE_ADDRESS : FlowField.DESTINATION_ADDRESS;
                        return !has(a) ? 0 : isIpv6(a) ? 6 : 4;
                    }
                    return unsignedValue(fieldIndex[field.ordinal()]);
                default:
                    int i = fieldIndex[field.ordinal()];
                    return i < 0 ? 0 : unsignedValue(i);
            }
        }

        @Override
        public boolean isIpv6(FlowField field) {
            int i = fieldIndex[field.ordinal()];
            return i >= 0 && lengths[i] == 16;
        }

        @Override
        public int ipv4(FlowField field) {
            int i = fieldIndex[field.ordinal()];
            return i < 0 || lengths[i] != 4 ? 0 : buf.getInt(offsets[i]);
        }

        @Override
        public int copyAddress(FlowField field, byte[] dst) {
            int i = fieldIndex[field.ordinal()];
            if (i < 0 || (lengths[i] != 4 && lengths[i] != 16)) {
                return 0;
            }
            buf.getBytes(offsets[i], dst, 0, lengths[i]);
            return lengths[i];
        }

        @Override
        public long mac(FlowField field) {
            int i = fieldIndex[field.ordinal()];
            return i < 0 || lengths[i] != 6 ? 0 : unsignedValue(i);
        }

        @Override
        public int fieldCount() {
            return elements.length;
        }

        @Override
        public int elementId(int index) {
            return elements[index].elementId();
        }

        @Override
        public long enterpriseId(int index) {
            return elements[index].enterpriseId();
        }

        @Override
        public int fieldLength(int index) {
            return lengths[index];
        }

        @Override
        public InformationElement element(int index) {
            return elements[index];
        }

        @Override
        public ByteBuf buffer() {
            return buf;
        }

        @Override
        public int fieldOffset(int index) {
            return offsets[index];
        }

        @Override
        public long unsignedValue(int index) {
            int len = Math.min(lengths[index], 8);
            int off = offsets[index] + lengths[index] - len;
            long v = 0;
            for (int k = 0; k < len; k++) {
                v = v << 8 | buf.getUnsignedByte(off + k);
            }
            return v;
        }

        @Override
        public byte[] bytesValue(int index) {
            byte[] b = new byte[lengths[index]];
            buf.getBytes(offsets[index], b);
            return b;
        }

        @Override
        public FlowRecord copy() {
            return this;
        }

        // ---------------------------------------------------------------- value helpers

        static byte[] u(long value, int length) {
            byte[] b = new byte[length];
            for (int k = length - 1; k >= 0; k--) {
                b[k] = (byte) value;
                value >>>= 8;
            }
            return b;
        }

        static byte[] ip(String address) {
            return address(address).getAddress();
        }

        static byte[] bytes(int... values) {
            byte[] b = new byte[values.length];
            for (int k = 0; k < values.length; k++) {
                b[k] = (byte) values[k];
            }
            return b;
        }

        static InetAddress address(String address) {
            try {
                return InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }}
