package dev.sluice.core.layout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.layout.EcsCountersTest.TestCounters;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@link LogstashLayout#writeCounters}: sFlow counter samples with the names of logstash-codec-sflow. */
class LogstashCountersTest {

    private static final JsonFactory FACTORY = new JsonFactory();

    @Test
    void counterSampleIsOneFlatSflowObject() {
        TestCounters c = TestCounters.full();
        c.packet.exportTimeMillis = 1_473_524_648_765L;

        assertThat(json(new LogstashLayout(), c)).isEqualTo("{\"@timestamp\":\"2016-09-10T16:24:08.765Z\","
                + "\"sflow\":{\"agent_address\":\"192.0.2.10\",\"sub_agent_id\":3,\"sequence_number\":77,"
                + "\"uptime_in_ms\":3600000,\"sample_seq_number\":12,\"source_id_type\":0,\"source_id_index\":1043,"
                + "\"interface_index\":1043,\"interface_type\":6,\"interface_speed\":10000000000,"
                + "\"interface_direction\":1,\"interface_status\":1,\"input_octets\":123456789012,"
                + "\"input_packets\":1001,\"input_multicast_packets\":1002,\"input_broadcast_packets\":1003,"
                + "\"input_discarded_packets\":1004,\"input_errors\":1005,\"input_unknown_protocol_packets\":1006,"
                + "\"output_octets\":987654321,\"output_packets\":2001,\"output_multicast_packets\":2002,"
                + "\"output_broadcast_packets\":2003,\"output_discarded_packets\":2004,\"output_errors\":2005,"
                + "\"promiscous_mode\":2,"
                + "\"dot3StatsAlignmentErrors\":1,\"dot3StatsFCSErrors\":2,\"dot3StatsSingleCollisionFrames\":3,"
                + "\"dot3StatsMultipleCollisionFrames\":4,\"dot3StatsSQETestErrors\":5,"
                + "\"dot3StatsDeferredTransmissions\":6,\"dot3StatsLateCollisions\":7,"
                + "\"dot3StatsExcessiveCollisions\":8,\"dot3StatsInternalMacTransmitErrors\":9,"
                + "\"dot3StatsCarrierSenseErrors\":10,\"dot3StatsFrameTooLongs\":11,"
                + "\"dot3StatsInternalMacReceiveErrors\":12,\"dot3StatsSymbolErrors\":13,"
                + "\"raw\":{\"1001\":\"0000000a\",\"4413:5\":\"beef\",\"1001_2\":\"\"}},\"@version\":\"1\"}");
    }

    @Test
    void valuesAreWrittenAsSentUnavailableAndWideOnesIncluded() {
        TestCounters c = TestCounters.full();
        c.ethernet = false;
        c.others.clear();
        c.inDiscards = 0xFFFF_FFFFL;
        c.ifSpeed = -1L;
        c.inOctets = 0x8000_0000_0000_0001L;
        c.packet.exporter = null;
        c.packet.systemUptimeMillis = -1;

        String json = json(new LogstashLayout(), c);

        assertThat(json).contains("\"sflow\":{\"sub_agent_id\":3,\"sequence_number\":77,\"sample_seq_number\":12,")
                .contains("\"interface_speed\":18446744073709551615,")
                .contains("\"input_octets\":9223372036854775809,")
                .contains("\"input_discarded_packets\":4294967295,")
                .doesNotContain("dot3").doesNotContain("raw");
    }

    @Test
    void ethernetOnly() {
        TestCounters c = TestCounters.full();
        c.generic = false;
        c.others.clear();
        assertThat(json(new LogstashLayout(), c)).contains("\"source_id_index\":1043,\"dot3StatsAlignmentErrors\":1,")
                .doesNotContain("interface_index");
    }

    @Test
    void theTargetDoesNotMoveTheSflowObject() {
        TestCounters c = TestCounters.full();
        assertThat(json(new LogstashLayout().withTarget("flow"), c)).contains(",\"sflow\":{\"agent_address\"")
                .doesNotContain("\"flow\":");
    }

    @Test
    void steadyStateCounterAndSflowRecordWritesDoNotAllocate() throws IOException {
        TestCounters c = TestCounters.full();
        c.packet.exporter = InetAddress.getLoopbackAddress(); // one agent, as in a real datagram
        LogstashLayoutTest.Rec sample = new LogstashLayoutTest.Rec(FlowProtocol.SFLOW_V5, 0)
                .u(8, 4, 0xAC1020FEL).u(4, 1, 1).u(1, 4, 82).u(2, 4, 1).u(305, 4, 2048).b(56, "ffabcdefab64")
                .e(4300, 1003, "00000001c0000201").e(4300, 4413 << 12 | 5, "dead");
        LogstashLayout layout = new LogstashLayout();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (JsonGenerator g = FACTORY.createGenerator(OutputStream.nullOutputStream())) {
            for (int i = 0; i < 20_000; i++) {
                layout.writeCounters(c, g);
                layout.write(sample, g);
            }
            g.flush();
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                layout.writeCounters(c, g);
                layout.write(sample, g);
            }
            g.flush();
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated for 20000 documents").isLessThan(10_000);
        }
    }

    static String json(LogstashLayout layout, InterfaceCounters c) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            layout.writeCounters(c, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
