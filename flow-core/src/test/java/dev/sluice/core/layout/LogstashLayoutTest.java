package dev.sluice.core.layout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.ie.InformationElement;
import dev.sluice.core.ie.InformationElementRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link LogstashLayout} on hand-built records: every value format of the codec, field for field. */
class LogstashLayoutTest {

    private static final JsonFactory FACTORY = new JsonFactory();
    /** 2016-09-10T16:24:08Z. */
    private static final long EXPORT_SECONDS = 1_473_524_648L;

    @Nested
    class Documents {
        @Test
        void netflowV9() {
            Rec r = Rec.v9(1025).u(8, 4, 0xC0A80166L).u(12, 4, 0x0A02005FL).u(2, 4, 21).u(22, 4, 3000)
                    .u(21, 4, 4000).u(7, 2, 47690).u(4, 1, 6);
            r.start = EXPORT_SECONDS * 1000 - 2000;
            r.end = EXPORT_SECONDS * 1000 - 1000;
            assertThat(json(new LogstashLayout(), r)).isEqualTo("{\"@timestamp\":\"2016-09-10T16:24:08.000Z\","
                    + "\"netflow\":{\"version\":9,\"flow_seq_num\":31664,\"flowset_id\":1025,"
                    + "\"ipv4_src_addr\":\"192.168.1.102\",\"ipv4_dst_addr\":\"10.2.0.95\",\"in_pkts\":21,"
                    + "\"first_switched\":\"2016-09-10T16:24:06.000Z\",\"last_switched\":\"2016-09-10T16:24:07.000Z\","
                    + "\"l4_src_port\":47690,\"protocol\":6},\"@version\":\"1\"}");
        }

        @Test
        void netflowV5HeaderAndMicrosecondTimes() {
            Rec r = Rec.v5().u(8, 4, 0x0A000202L).u(22, 4, 1000).u(21, 4, 2000).u(210, 1, 0);
            r.packet.exportNanos = 280_328_000;
            r.packet.exportMillis = EXPORT_SECONDS * 1000 + 280;
            r.packet.engineType = 1;
            r.packet.engineId = 2;
            r.packet.samplingAlgorithm = 1;
            r.packet.samplingInterval = 1000;
            r.packet.count = 2;
            r.start = r.packet.exportMillis - 3382;
            r.end = r.packet.exportMillis - 804;
            assertThat(json(new LogstashLayout(), r)).isEqualTo("{\"@timestamp\":\"2016-09-10T16:24:08.280328Z\","
                    + "\"netflow\":{\"version\":5,\"flow_seq_num\":31664,\"engine_type\":1,\"engine_id\":2,"
                    + "\"sampling_algorithm\":1,\"sampling_interval\":1000,\"flow_records\":2,"
                    + "\"ipv4_src_addr\":\"10.0.2.2\",\"first_switched\":\"2016-09-10T16:24:04.898328Z\","
                    + "\"last_switched\":\"2016-09-10T16:24:07.476328Z\"},\"@version\":\"1\"}");
        }

        @Test
        void switchedTimeNotBackingTheRecordsStartUsesTheSameArithmetic() {
            // The record reports no start time (say, a template with an absolute start elsewhere): the field's
            // own value, made absolute as the decoder does (32-bit age, so uptime wrap-around is harmless).
            Rec r = Rec.v9(300).u(22, 4, 0xFFFF_FF00L);
            r.packet.uptime = 0x100;
            assertThat(json(new LogstashLayout(), r)).contains("\"first_switched\":\"2016-09-10T16:24:07.488Z\"");
        }

        @Test
        void ipfixFlowsetIdOnlyWhenConfigured() {
            Rec r = Rec.ipfix(256).u(8, 4, 0x01020304L);
            assertThat(json(new LogstashLayout(), r)).isEqualTo("{\"@timestamp\":\"2016-09-10T16:24:08.000Z\","
                    + "\"netflow\":{\"version\":10,\"sourceIPv4Address\":\"1.2.3.4\"},\"@version\":\"1\"}");
            LogstashLayout configured = new LogstashLayout().withIncludeFlowsetId(true);
            assertThat(configured.includeFlowsetId()).isTrue();
            assertThat(json(configured, r)).contains("{\"version\":10,\"flowset_id\":256,\"sourceIPv4Address\"");
        }

        @Test
        void target() {
            Rec r = Rec.ipfix(256).u(4, 1, 17);
            LogstashLayout layout = new LogstashLayout().withTarget("flow");
            assertThat(layout.target()).isEqualTo("flow");
            assertThat(json(layout, r)).contains("\"flow\":{\"version\":10,\"protocolIdentifier\":17}");
        }

        @Test
        void v9OptionsScopeFieldsZeroLengthAndSkippedFields() {
            Rec r = Rec.v9(256).u(1, 4, 0xC1C3_0043L).u(2, 0, 0).u(9, 2, 7).u(34, 4, 1000).u(35, 1, 2)
                    .u(0, 2, 9).u(21, 0, 0);
            r.options = true;
            r.scopes = 3;
            assertThat(json(new LogstashLayout(), r)).contains("\"flowset_id\":256,\"scope_system\":3250782275,"
                    + "\"sampling_interval\":1000,\"sampling_algorithm\":2},");
            assertThat(json(new LogstashLayout(), r)).as("unknown scope type 9 is read over").doesNotContain(":7");
        }

        @Test
        void writeOptionsIsTheSameDocument() {
            Rec r = Rec.ipfix(512).u(34, 4, 1000);
            r.options = true;
            r.scopes = 1;
            StringWriter w = new StringWriter();
            try (JsonGenerator g = FACTORY.createGenerator(w)) {
                new LogstashLayout().writeOptions(r, g);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertThat(w.toString()).isEqualTo(json(new LogstashLayout(), r));
        }

        @Test
        void sflowSampleHasIpfixNamesAndAnSflowObject() {
            Rec r = new Rec(FlowProtocol.SFLOW_V5, 0).u(8, 4, 0xAC1020FEL).u(4, 1, 1).u(1, 4, 82).u(2, 4, 1)
                    .b(56, "ffabcdefab64").u(305, 4, 2048).u(89, 1, 128)
                    .e(4300, 1003, "00000001c0000201").e(4300, 4413 << 12 | 5, "dead").e(4300, 1003, "");
            r.packet.exportMillis = EXPORT_SECONDS * 1000 + 765;
            r.packet.sequence = 426;
            r.packet.uptime = 1_743_694_337L;
            r.packet.domain = 1;
            assertThat(new LogstashLayout().codecWouldDecode(r)).as("the codec never decoded sFlow").isFalse();
            assertThat(json(new LogstashLayout(), r)).isEqualTo("{\"@timestamp\":\"2016-09-10T16:24:08.765Z\","
                    + "\"netflow\":{\"version\":5,\"sourceIPv4Address\":\"172.16.32.254\",\"protocolIdentifier\":1,"
                    + "\"octetDeltaCount\":82,\"packetDeltaCount\":1,\"sourceMacAddress\":\"ff:ab:cd:ef:ab:64\","
                    + "\"samplingPacketInterval\":2048,\"forwardingStatus\":128},"
                    + "\"sflow\":{\"agent_address\":\"127.0.0.1\",\"sub_agent_id\":1,\"sequence_number\":426,"
                    + "\"uptime_in_ms\":1743694337,"
                    + "\"raw\":{\"1003\":\"00000001c0000201\",\"4413:5\":\"dead\",\"1003_2\":\"\"}},"
                    + "\"@version\":\"1\"}");
        }

        @Test
        void sflowSampleHasNoFlowsetIdAndKeepsItsSflowObjectBesideAnotherTarget() {
            Rec r = new Rec(FlowProtocol.SFLOW_V5, 0).u(4, 1, 17);
            LogstashLayout layout = new LogstashLayout().withIncludeFlowsetId(true).withTarget("flow");
            assertThat(json(layout, r)).contains("\"flow\":{\"version\":5,\"protocolIdentifier\":17},"
                    + "\"sflow\":{\"agent_address\":\"127.0.0.1\",\"sub_agent_id\":0,");
            assertThat(json(layout, r)).doesNotContain("flowset_id").doesNotContain("raw");
        }

        @Test
        void enterprise4300ElementsOfIpfixAreNotSflowRecords() {
            Rec r = Rec.ipfix(256).u(4, 1, 17).e(4300, 1003, "00");
            assertThat(json(new LogstashLayout(), r)).doesNotContain("sflow").doesNotContain("raw");
        }
    }

    @Nested
    class UnknownAndDuplicateFields {
        @Test
        void unknownFieldsAreLeftOutAndTheCodecWouldDropTheRecord() {
            Rec r = Rec.v9(260).u(8, 4, 0x01020304L).u(64_999, 2, 5);
            LogstashLayout layout = new LogstashLayout();
            assertThat(json(layout, r)).contains("\"ipv4_src_addr\":\"1.2.3.4\"},");
            assertThat(layout.codecWouldDecode(r)).isFalse();
            assertThat(layout.codecWouldDecode(Rec.v9(260).u(8, 4, 1))).isTrue();
            Rec vendor = Rec.ipfix(300).e(99_999, 1, 4, 5);
            assertThat(layout.codecWouldDecode(vendor)).isFalse();
            assertThat(json(layout, vendor)).contains("{\"version\":10},");
        }

        @Test
        void aRepeatedElementIsWrittenOnceTheFirst() {
            Rec r = Rec.ipfix(300).u(7, 2, 1).u(7, 2, 2);
            assertThat(json(new LogstashLayout(), r)).contains("{\"version\":10,\"sourceTransportPort\":1},");
            assertThat(new LogstashLayout().codecWouldDecode(r)).as("BinData refuses duplicate names").isFalse();
            // v9 types 225 and 40001 are both xlate_src_addr_ipv4 in the codec's definitions
            Rec asa = Rec.v9(263).u(225, 4, 0x0A000001L).u(40_001, 4, 0x0A000002L);
            assertThat(json(new LogstashLayout(), asa)).contains("\"xlate_src_addr_ipv4\":\"10.0.0.1\"},");
        }

        @Test
        void applicationIdLengthsTheCodecRefuses() {
            LogstashLayout layout = new LogstashLayout();
            assertThat(layout.codecWouldDecode(Rec.v9(260).b(95, "0d000001"))).isTrue();
            assertThat(layout.codecWouldDecode(Rec.v9(260).b(95, "0d"))).isFalse();
            assertThat(layout.codecWouldDecode(Rec.v9(260).b(95, "0d0000000001"))).isFalse();
            assertThat(layout.codecWouldDecode(Rec.v9(260).b(95, "0d00000000000000000001"))).isFalse();
        }

        @Test
        void zeroLengthV9OptionFieldsMakeTheCodecRefuseThePacket() {
            Rec r = Rec.v9(256).u(1, 4, 0).u(34, 0, 0);
            r.options = true;
            r.scopes = 1;
            assertThat(new LogstashLayout().codecWouldDecode(r)).isFalse();
            Rec data = Rec.v9(256).u(1, 4, 0).u(34, 0, 0);
            assertThat(new LogstashLayout().codecWouldDecode(data)).as("data templates skip them").isTrue();
        }
    }

    @Nested
    class Values {
        @Test
        void ipv6AsRubyPrintsIt() {
            assertThat(ipv6("00000000000000000000000000000000")).isEqualTo("::");
            assertThat(ipv6("00000000000000000000000000000001")).isEqualTo("::1");
            assertThat(ipv6("fe80000000000000000000fffe001201")).isEqualTo("fe80::ff:fe00:1201");
            assertThat(ipv6("ff020000000000000000000000010003")).isEqualTo("ff02::1:3");
            assertThat(ipv6("20010db8000000000000000000000001")).isEqualTo("2001:db8::1");
            assertThat(ipv6("00010000000000020000000000000003")).as("longest run").isEqualTo("1:0:0:2::3");
            assertThat(ipv6("00010000000000020000000000030004")).as("leftmost of equal runs")
                    .isEqualTo("1::2:0:0:3:4");
            assertThat(ipv6("00010000000200030004000500060007")).as("a single zero stays")
                    .isEqualTo("1:0:2:3:4:5:6:7");
            assertThat(ipv6("00010000000000000000000000000000")).isEqualTo("1::");
            assertThat(ipv6("00000000000100000000000000000000")).isEqualTo("0:0:1::");
            assertThat(ipv6("00000000000000000000ffffc0000201")).isEqualTo("::ffff:192.0.2.1");
            assertThat(ipv6("000000000000000000000000c0000201")).isEqualTo("::192.0.2.1");
            assertThat(ipv6("00000000000000000000ffff00000000")).isEqualTo("::ffff:0.0.0.0");
            assertThat(ipv6("00000000000000000000000000010000")).isEqualTo("::0.1.0.0");
            assertThat(ipv6("0000000000000000000000ab00010002")).isEqualTo("::ab:1:2");
            assertThat(ipv6("abcd0000000000000000ffffc0000201")).isEqualTo("abcd::ffff:c000:201");
        }

        private String ipv6(String hex) {
            return field(Rec.ipfix(256).b(27, hex), "sourceIPv6Address");
        }

        @Test
        void addressesAndMacs() {
            Rec r = Rec.ipfix(256).b(8, "c0a80001").b(56, "0006bEEFbeb9").b(12, "0000");
            String doc = json(new LogstashLayout(), r);
            assertThat(doc).contains("\"sourceIPv4Address\":\"192.168.0.1\"", "\"sourceMacAddress\":\"00:06:be:ef:be:b9\"",
                    "\"destinationIPv4Address\":0");
        }

        @Test
        void strings() {
            assertThat(field(Rec.v9(260).b(82, hex("Gi0/1\0\0\0")), "if_name")).isEqualTo("Gi0/1");
            assertThat(field(Rec.v9(260).b(82, hex("a\0b\0")), "if_name")).as("inner NULs stay").isEqualTo("a\0b");
            assertThat(field(Rec.v9(260).b(82, "00c100"), "if_name")).as("one char per byte").isEqualTo("\0\u00c1");
            assertThat(field(Rec.ipfix(260).b(82, ""), "interfaceName")).as("an empty IPFIX string").isEmpty();
            assertThat(json(new LogstashLayout(), Rec.v9(260).b(82, ""))).as("v9 zero-length fields are left out")
                    .doesNotContain("if_name");
        }

        @Test
        void octetArraysAndAsaAclIds() {
            assertThat(field(Rec.ipfix(256).e(5951, 192, "00e0ed1c9ca80300efb4255884850600"),
                    "netscalerConnectionChainID")).isEqualTo("00e0ed1c9ca80300efb4255884850600");
            assertThat(field(Rec.v9(263).b(33_000, "0f8e7ff3fc1a030f00000000"), "ingress_acl_id"))
                    .isEqualTo("0f8e7ff3-fc1a030f-00000000");
        }

        @Test
        void applicationIds() {
            assertThat(field(Rec.v9(260).b(95, "050026"), "application_id")).isEqualTo("5..38");
            assertThat(field(Rec.v9(260).b(95, "0d0001af"), "application_id")).isEqualTo("13..431");
            assertThat(field(Rec.v9(260).b(95, "0000000052"), "application_id")).isEqualTo("0..82");
            assertThat(field(Rec.v9(260).b(95, "14000030448f34"), "application_id")).isEqualTo("20..12356..36660");
            assertThat(field(Rec.v9(260).b(95, "1400003044008f34"), "application_id"))
                    .isEqualTo("20..12356..36660");
            assertThat(field(Rec.v9(260).b(95, "140000304400008f34"), "application_id"))
                    .isEqualTo("20..12356..36660");
            assertThat(field(Rec.v9(260).b(95, "1400008f34"), "application_id")).as("no PEN form under 7 bytes")
                    .isEqualTo("20..36660");
            assertThat(field(Rec.v9(260).b(95, "0dffffffffffffffff"), "application_id"))
                    .isEqualTo("13..18446744073709551615");
        }

        @Test
        void forwardingStatusAndMplsLabels() {
            String doc = json(new LogstashLayout(), Rec.v9(260).b(89, "42").b(201, "0a1b2d04"));
            assertThat(doc).contains("\"forwarding_status\":{\"status\":1,\"reason\":2}",
                    "\"mpls_label_stack_octets\":{\"label\":41394,\"experimental\":6,\"bottom_of_stack\":1,"
                            + "\"ttl\":4}");
        }

        @Test
        void numbers() {
            String doc = json(new LogstashLayout(), Rec.ipfix(300).b(1, "ffffffffffffffff").b(2, "0102")
                    .e(15397, 11, "fffffffe").e(15397, 59, "80").e(3054, 126, "41f2a3d7")
                    .b(311, "3ff8000000000000").b(85, "0102030405060708090a"));
            assertThat(doc).contains("\"octetDeltaCount\":18446744073709551615", "\"packetDeltaCount\":258",
                    "\"proceraInternalRtt\":-2", "\"proceraIncomingDot1qPriorityLevel1\":-128",
                    "\"ixiaSrcLatitude\":30.329999923706055", "\"samplingProbability\":1.5",
                    "\"octetTotalCount\":4759477275222530853130");
        }

        @Test
        void ipfixTimes() {
            String doc = json(new LogstashLayout(), Rec.ipfix(300).u(150, 4, 1_523_762_700L)
                    .u(152, 8, 1_540_470_259_882L).u(154, 8, 0xDBD0_336F_0008_5F98L).u(157, 8, 0xDBD0_336F_0000_0000L)
                    .u(22, 4, 12345).u(158, 4, 77));
            assertThat(doc).contains("\"flowStartSeconds\":\"2018-04-15T03:25:00.000Z\"",
                    "\"flowStartMilliseconds\":\"2018-10-25T12:24:19.882Z\"",
                    "\"flowStartMicroseconds\":\"2016-11-11T12:09:19.000127768Z\"",
                    "\"flowEndNanoseconds\":\"2016-11-11T12:09:19.000Z\"",
                    "\"flowStartSysUpTime\":12345", "\"flowStartDeltaMicroseconds\":77");
        }

        @Test
        void v9TimeElementsAreNumbers() {
            assertThat(json(new LogstashLayout(), Rec.v9(266).u(150, 4, 1_512_147_866L)))
                    .contains("\"flowStartSeconds\":1512147866");
        }
    }

    @Nested
    class Timestamps {
        @Test
        void logstash8Precision() {
            LogstashText t = new LogstashText();
            assertThat(text(t, t.timestamp(0, 0))).isEqualTo("1970-01-01T00:00:00.000Z");
            assertThat(text(t, t.timestamp(1_430_591_888L, 280_000_000))).isEqualTo("2015-05-02T18:38:08.280Z");
            assertThat(text(t, t.timestamp(1_430_591_888L, 280_328_000))).isEqualTo("2015-05-02T18:38:08.280328Z");
            assertThat(text(t, t.timestamp(1_430_591_888L, 1))).isEqualTo("2015-05-02T18:38:08.000000001Z");
            assertThat(text(t, t.timestampMillis(-1))).isEqualTo("1969-12-31T23:59:59.999Z");
            assertThat(text(t, t.timestamp(951_782_400L, 0))).as("leap day").isEqualTo("2000-02-29T00:00:00.000Z");
            assertThat(text(t, t.timestamp(253_402_300_800L, 0))).isEqualTo("+10000-01-01T00:00:00.000Z");
            for (long s = -100_000_000_000L; s < 300_000_000_000L; s += 86_399_999L) {
                assertThat(text(t, t.timestamp(s, 0))).as("%d", s)
                        .isEqualTo(java.time.Instant.ofEpochSecond(s).toString().replace("Z", ".000Z"));
            }
        }

        private String text(LogstashText t, int n) {
            return new String(t.chars(), 0, n);
        }
    }

    /** Rendering a record allocates nothing once the buffers have grown. */
    @Test
    void steadyStateWritesDoNotAllocate() throws IOException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Rec v9 = Rec.v9(1025).u(8, 4, 0xC0A80166L).u(12, 4, 0x0A02005FL).u(2, 4, 21).u(22, 4, 3000)
                .u(21, 4, 4000).u(7, 2, 47690).u(4, 1, 6).b(80, "44d9e7beef8e").b(201, "0a1b2d04").b(89, "40")
                .b(95, "14000030448f34").b(82, hex("Gi0/1\0"));
        v9.start = EXPORT_SECONDS * 1000 - 2000;
        v9.end = EXPORT_SECONDS * 1000 - 1000;
        Rec ipfix = Rec.ipfix(300).b(27, "fe80000000000000000000fffe001201").u(152, 8, 1_540_470_259_882L)
                .u(154, 8, 0xDBD0_336F_0008_5F98L).e(5951, 192, "00e0ed1c9ca80300efb4255884850600").u(1, 8, 5);
        LogstashLayout layout = new LogstashLayout().withIncludeFlowsetId(true);
        try (JsonGenerator g = FACTORY.createGenerator(OutputStream.nullOutputStream())) {
            for (int i = 0; i < 20_000; i++) {
                layout.write(v9, g);
                layout.write(ipfix, g);
            }
            g.flush();
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                layout.write(v9, g);
                layout.write(ipfix, g);
            }
            g.flush();
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated for 20000 documents").isLessThan(10_000);
        }
    }

    // ------------------------------------------------------------------ plumbing

    static String json(LogstashLayout layout, FlowRecord r) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            layout.write(r, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** The JSON string value of one field of the document (test helper: a plain search). */
    static String field(Rec r, String name) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            new LogstashLayout().write(r, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            var parser = FACTORY.createParser(w.toString());
            while (parser.nextToken() != null) {
                if (parser.currentToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME
                        && parser.currentName().equals(name)) {
                    parser.nextToken();
                    return parser.getText();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no field " + name + " in " + w);
    }

    static String hex(String latin1) {
        return HexFormat.of().formatHex(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A packet header with settable values. */
    static final class Packet implements ExportPacket {
        final FlowProtocol protocol;
        long exportMillis = EXPORT_SECONDS * 1000;
        long exportNanos;
        long uptime = 10_000;
        long sequence = 31664;
        long domain;
        int count = -1;
        int engineType;
        int engineId;
        int samplingAlgorithm;
        long samplingInterval;

        Packet(FlowProtocol protocol) {
            this.protocol = protocol;
        }

        @Override
        public FlowProtocol protocol() {
            return protocol;
        }

        @Override
        public InetAddress exporter() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public long observationDomain() {
            return domain;
        }

        @Override
        public long sequenceNumber() {
            return sequence;
        }

        @Override
        public long exportTimeMillis() {
            return exportMillis;
        }

        @Override
        public long exportNanos() {
            return exportNanos;
        }

        @Override
        public long systemUptimeMillis() {
            return uptime;
        }

        @Override
        public int count() {
            return count;
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
            return samplingAlgorithm;
        }

        @Override
        public long headerSamplingInterval() {
            return samplingInterval;
        }
    }

    /** A record built field by field over one buffer; start/end times are set directly. */
    static final class Rec implements FlowRecord {
        final Packet packet;
        final int templateId;
        boolean options;
        int scopes;
        long start = Long.MIN_VALUE;
        long end = Long.MIN_VALUE;
        private final List<long[]> fields = new ArrayList<>(); // enterprise, id, length, offset
        private final ByteBuf buf = Unpooled.buffer();

        Rec(FlowProtocol protocol, int templateId) {
            this.packet = new Packet(protocol);
            this.templateId = templateId;
        }

        static Rec v5() {
            return new Rec(FlowProtocol.NETFLOW_V5, 0);
        }

        static Rec v9(int templateId) {
            return new Rec(FlowProtocol.NETFLOW_V9, templateId);
        }

        static Rec ipfix(int templateId) {
            return new Rec(FlowProtocol.IPFIX, templateId);
        }

        /** An unsigned field of {@code length} bytes. */
        Rec u(int id, int length, long value) {
            fields.add(new long[] {0, id, length, buf.writerIndex()});
            for (int k = length - 1; k >= 0; k--) {
                buf.writeByte((int) (k >= 8 ? 0 : value >>> (8 * k)));
            }
            return this;
        }

        /** A field with these bytes (hex). */
        Rec b(int id, String hex) {
            return e(0, id, hex);
        }

        Rec e(long enterprise, int id, String hex) {
            byte[] bytes = HexFormat.of().parseHex(hex.toLowerCase());
            fields.add(new long[] {enterprise, id, bytes.length, buf.writerIndex()});
            buf.writeBytes(bytes);
            return this;
        }

        Rec e(long enterprise, int id, int length, long value) {
            fields.add(new long[] {enterprise, id, length, buf.writerIndex()});
            for (int k = length - 1; k >= 0; k--) {
                buf.writeByte((int) (value >>> (8 * k)));
            }
            return this;
        }

        @Override
        public ExportPacket packet() {
            return packet;
        }

        @Override
        public int templateId() {
            return templateId;
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
            if (field == FlowField.START_MILLIS) {
                return start != Long.MIN_VALUE;
            }
            if (field == FlowField.END_MILLIS) {
                return end != Long.MIN_VALUE;
            }
            return false;
        }

        @Override
        public long getLong(FlowField field) {
            if (field == FlowField.START_MILLIS) {
                return start;
            }
            if (field == FlowField.END_MILLIS) {
                return end;
            }
            return 0;
        }

        @Override
        public boolean isIpv6(FlowField field) {
            return false;
        }

        @Override
        public int ipv4(FlowField field) {
            return 0;
        }

        @Override
        public int copyAddress(FlowField field, byte[] dst) {
            return 0;
        }

        @Override
        public long mac(FlowField field) {
            return 0;
        }

        @Override
        public int fieldCount() {
            return fields.size();
        }

        @Override
        public int elementId(int index) {
            return (int) fields.get(index)[1];
        }

        @Override
        public long enterpriseId(int index) {
            return fields.get(index)[0];
        }

        @Override
        public int fieldLength(int index) {
            return (int) fields.get(index)[2];
        }

        @Override
        public InformationElement element(int index) {
            return InformationElementRegistry.standard().ipfix(enterpriseId(index), elementId(index));
        }

        @Override
        public ByteBuf buffer() {
            return buf;
        }

        @Override
        public int fieldOffset(int index) {
            return (int) fields.get(index)[3];
        }

        @Override
        public long unsignedValue(int index) {
            int len = fieldLength(index);
            int off = fieldOffset(index);
            if (len > 8) {
                off += len - 8;
                len = 8;
            }
            long v = 0;
            for (int k = 0; k < len; k++) {
                v = (v << 8) | buf.getUnsignedByte(off + k);
            }
            return v;
        }

        @Override
        public byte[] bytesValue(int index) {
            byte[] b = new byte[fieldLength(index)];
            buf.getBytes(fieldOffset(index), b);
            return b;
        }

        @Override
        public FlowRecord copy() {
            return this;
        }
    }
}
