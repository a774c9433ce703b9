package dev.sluice.core.layout;

import static dev.sluice.core.layout.EcsLayoutTest.get;
import static dev.sluice.core.layout.EcsLayoutTest.map;
import static dev.sluice.core.layout.EcsLayoutTest.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.InterfaceCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link EcsLayout#writeCounters}: sFlow counter samples as ECS metric documents. */
class EcsCountersTest {

    private static final JsonFactory JSON = new JsonFactory();

    private final EcsLayout layout = new EcsLayout();

    @Test
    void counterSampleIsAMetricDocumentWithEveryCounter() throws IOException {
        TestCounters c = TestCounters.full();

        Map<String, Object> doc = write(c);

        assertThat(doc.keySet()).containsExactly("@timestamp", "ecs", "event", "observer", "sflow");
        assertThat(doc.get("@timestamp")).as("the receive time").isEqualTo("2015-10-09T09:47:51.000Z");
        assertThat(get(doc, "ecs.version")).isEqualTo(EcsLayout.ECS_VERSION);
        assertThat(get(doc, "event")).isEqualTo(map(
                "kind", "metric",
                "category", List.of("network"),
                "type", List.of("info"),
                "action", "sflow_counters",
                "dataset", "sflow.counters",
                "module", "sflow"));
        assertThat(get(doc, "observer")).isEqualTo(map("ip", "192.0.2.10",
                "ingress", map("interface", map("id", "1043"))));
        assertThat(get(doc, "sflow")).isEqualTo(map(
                "agent", map("address", "192.0.2.10", "sub_agent_id", 3L),
                "datagram", map("sequence_number", 77L, "uptime_millis", 3_600_000L),
                "counters", map(
                        "sequence_number", 12L,
                        "source_id_type", 0L,
                        "source_id_index", 1043L,
                        "if_index", 1043L,
                        "if_type", 6L,
                        "if_speed", 10_000_000_000L,
                        "if_direction", 1L,
                        "if_admin_status", "up",
                        "if_oper_status", "down",
                        "if_in_octets", 123_456_789_012L,
                        "if_in_ucast_pkts", 1001L,
                        "if_in_multicast_pkts", 1002L,
                        "if_in_broadcast_pkts", 1003L,
                        "if_in_discards", 1004L,
                        "if_in_errors", 1005L,
                        "if_in_unknown_protos", 1006L,
                        "if_out_octets", 987_654_321L,
                        "if_out_ucast_pkts", 2001L,
                        "if_out_multicast_pkts", 2002L,
                        "if_out_broadcast_pkts", 2003L,
                        "if_out_discards", 2004L,
                        "if_out_errors", 2005L,
                        "if_promiscuous_mode", 2L,
                        "dot3_stats_alignment_errors", 1L,
                        "dot3_stats_fcs_errors", 2L,
                        "dot3_stats_single_collision_frames", 3L,
                        "dot3_stats_multiple_collision_frames", 4L,
                        "dot3_stats_sqe_test_errors", 5L,
                        "dot3_stats_deferred_transmissions", 6L,
                        "dot3_stats_late_collisions", 7L,
                        "dot3_stats_excessive_collisions", 8L,
                        "dot3_stats_internal_mac_transmit_errors", 9L,
                        "dot3_stats_carrier_sense_errors", 10L,
                        "dot3_stats_frame_too_longs", 11L,
                        "dot3_stats_internal_mac_receive_errors", 12L,
                        "dot3_stats_symbol_errors", 13L,
                        "raw", map("1001", "0000000a", "4413:5", "beef", "1001_2", ""))));
    }

    @Test
    void unavailableCountersAreLeftOutAndWideOnesStayUnsigned() throws IOException {
        TestCounters c = TestCounters.full();
        c.inDiscards = 0xFFFF_FFFFL;
        c.dot3SymbolErrors = 0xFFFF_FFFFL;
        c.ifSpeed = -1L; // 2^64-1: unavailable
        c.outOctets = -1L;
        c.inOctets = 0x8000_0000_0000_0001L; // a 64-bit counter above Long.MAX_VALUE
        c.inErrors = 0xFFFF_FFFEL;

        Map<String, Object> counters = object(write(c), "sflow.counters");

        assertThat(counters).doesNotContainKeys("if_in_discards", "dot3_stats_symbol_errors", "if_speed",
                "if_out_octets");
        assertThat(counters.get("if_in_octets")).isEqualTo(new BigInteger("9223372036854775809"));
        assertThat(counters.get("if_in_errors")).isEqualTo(4_294_967_294L);
    }

    @Test
    void ethernetOnlyFromAVlanDataSourceNamesNoInterface() throws IOException {
        TestCounters c = TestCounters.full();
        c.generic = false;
        c.sourceIdType = 1; // smonVlanDataSource: the index is a VLAN, not an ifIndex
        c.sourceIdIndex = 30;
        c.others.clear();

        Map<String, Object> doc = write(c);

        assertThat(get(doc, "observer")).isEqualTo(map("ip", "192.0.2.10"));
        Map<String, Object> counters = object(doc, "sflow.counters");
        assertThat(counters.keySet()).containsExactly("sequence_number", "source_id_type", "source_id_index",
                "dot3_stats_alignment_errors", "dot3_stats_fcs_errors", "dot3_stats_single_collision_frames",
                "dot3_stats_multiple_collision_frames", "dot3_stats_sqe_test_errors",
                "dot3_stats_deferred_transmissions", "dot3_stats_late_collisions", "dot3_stats_excessive_collisions",
                "dot3_stats_internal_mac_transmit_errors", "dot3_stats_carrier_sense_errors",
                "dot3_stats_frame_too_longs", "dot3_stats_internal_mac_receive_errors", "dot3_stats_symbol_errors");
        assertThat(counters.get("source_id_type")).isEqualTo(1L);
    }

    @Test
    void genericOnlyFromAnIfIndexSourceWithoutAgentAddress() throws IOException {
        TestCounters c = TestCounters.full();
        c.ethernet = false;
        c.packet.exporter = null;
        c.ifStatus = 3;

        Map<String, Object> doc = write(c);

        assertThat(get(doc, "observer")).isEqualTo(map("ingress", map("interface", map("id", "1043"))));
        assertThat(get(doc, "sflow.agent")).isEqualTo(map("sub_agent_id", 3L));
        Map<String, Object> counters = object(doc, "sflow.counters");
        assertThat(counters).doesNotContainKey("dot3_stats_fcs_errors");
        assertThat(counters.get("if_admin_status")).isEqualTo("up");
        assertThat(counters.get("if_oper_status")).isEqualTo("up");
    }

    @Test
    void countersAndFlowsFollowEachOtherInOneGenerator() throws IOException {
        TestCounters c = TestCounters.full();
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
            layout.writeCounters(c, out);
            layout.write(new EcsLayoutTest.TestRecord().add(8, EcsLayoutTest.TestRecord.ip("10.0.0.1")).build(), out);
            layout.writeCounters(c, out);
        }
        String[] lines = text.toString().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(get(EcsLayoutTest.parse(lines[1]), "event.kind")).isEqualTo("event");
        assertThat(lines[2]).as("raw keys numbered from 1 again").isEqualTo(lines[0]);
    }

    @Test
    void steadyStateCounterWritesAllocateNothing() throws IOException {
        TestCounters c = TestCounters.full();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        try (JsonGenerator out = JSON.createGenerator(OutputStream.nullOutputStream())) {
            for (int i = 0; i < 20_000; i++) {
                layout.writeCounters(c, out);
            }
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 50_000; i++) {
                layout.writeCounters(c, out);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertThat(allocated).as("bytes allocated for 50000 counter documents").isLessThan(64 * 1024);
        }
    }

    private Map<String, Object> write(InterfaceCounters counters) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            layout.writeCounters(counters, out);
        }
        return EcsLayoutTest.parse(text.toString());
    }

    /**
     * Hand-built {@link InterfaceCounters} (flow-core cannot use the decoders): every value settable, the other
     * records' bodies in one buffer at a non-zero offset, as a decoder's view over a datagram would have them.
     */
    static final class TestCounters implements InterfaceCounters {

        /** The sFlow datagram header of the counters. */
        static final class Packet implements ExportPacket {
            InetAddress exporter = address("192.0.2.10");
            long observationDomain = 3;
            long sequenceNumber = 77;
            long exportTimeMillis = 1_444_384_071_000L; // 2015-10-09T09:47:51Z
            long systemUptimeMillis = 3_600_000;

            @Override
            public FlowProtocol protocol() {
                return FlowProtocol.SFLOW_V5;
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
                return 1;
            }

            @Override
            public int engineType() {
                return 0;
            }

            @Override
            public int engineId() {
                return 0;
            }

            @Override
            public int samplingAlgorithm() {
                return 0;
            }

            @Override
            public long headerSamplingInterval() {
                return 0;
            }
        }

        final Packet packet = new Packet();
        long sequence = 12;
        int sourceIdType;
        long sourceIdIndex = 1043;
        boolean generic = true;
        boolean ethernet = true;
        long ifIndex = 1043;
        long ifType = 6;
        long ifSpeed = 10_000_000_000L;
        int ifDirection = 1;
        int ifStatus = 1; // admin up, oper down
        long inOctets = 123_456_789_012L;
        long inUnicast = 1001;
        long inMulticast = 1002;
        long inBroadcast = 1003;
        long inDiscards = 1004;
        long inErrors = 1005;
        long inUnknownProtos = 1006;
        long outOctets = 987_654_321L;
        long outUnicast = 2001;
        long outMulticast = 2002;
        long outBroadcast = 2003;
        long outDiscards = 2004;
        long outErrors = 2005;
        long promiscuous = 2;
        long dot3SymbolErrors = 13;
        /** Other records: data format and body. */
        final List<Object[]> others = new ArrayList<>();
        private ByteBuf buf;
        private int[] offsets;

        /** Generic and Ethernet counters and three other records (one vendor, one format twice, one empty). */
        static TestCounters full() {
            TestCounters c = new TestCounters();
            c.others.add(new Object[] {1001, new byte[] {0, 0, 0, 10}});
            c.others.add(new Object[] {4413 << 12 | 5, new byte[] {(byte) 0xbe, (byte) 0xef}});
            c.others.add(new Object[] {1001, new byte[0]});
            return c;
        }

        private void layoutOthers() {
            if (buf != null && offsets.length == others.size()) {
                return;
            }
            buf = Unpooled.buffer();
            buf.writeZero(5);
            offsets = new int[others.size()];
            for (int k = 0; k < others.size(); k++) {
                offsets[k] = buf.writerIndex();
                buf.writeBytes((byte[]) others.get(k)[1]);
            }
        }

        @Override
        public ExportPacket packet() {
            return packet;
        }

        @Override
        public long sequenceNumber() {
            return sequence;
        }

        @Override
        public int sourceIdType() {
            return sourceIdType;
        }

        @Override
        public long sourceIdIndex() {
            return sourceIdIndex;
        }

        @Override
        public boolean hasGeneric() {
            return generic;
        }

        @Override
        public boolean hasEthernet() {
            return ethernet;
        }

        private long g(long v) {
            return generic ? v : 0;
        }

        private long e(long v) {
            return ethernet ? v : 0;
        }

        @Override
        public long ifIndex() {
            return generic ? ifIndex : sourceIdIndex;
        }

        @Override
        public long ifType() {
            return g(ifType);
        }

        @Override
        public long ifSpeed() {
            return g(ifSpeed);
        }

        @Override
        public int ifDirection() {
            return (int) g(ifDirection);
        }

        @Override
        public int ifStatus() {
            return (int) g(ifStatus);
        }

        @Override
        public long inOctets() {
            return g(inOctets);
        }

        @Override
        public long inUnicastPackets() {
            return g(inUnicast);
        }

        @Override
        public long inMulticastPackets() {
            return g(inMulticast);
        }

        @Override
        public long inBroadcastPackets() {
            return g(inBroadcast);
        }

        @Override
        public long inDiscards() {
            return g(inDiscards);
        }

        @Override
        public long inErrors() {
            return g(inErrors);
        }

        @Override
        public long inUnknownProtos() {
            return g(inUnknownProtos);
        }

        @Override
        public long outOctets() {
            return g(outOctets);
        }

        @Override
        public long outUnicastPackets() {
            return g(outUnicast);
        }

        @Override
        public long outMulticastPackets() {
            return g(outMulticast);
        }

        @Override
        public long outBroadcastPackets() {
            return g(outBroadcast);
        }

        @Override
        public long outDiscards() {
            return g(outDiscards);
        }

        @Override
        public long outErrors() {
            return g(outErrors);
        }

        @Override
        public long promiscuousMode() {
            return g(promiscuous);
        }

        @Override
        public long dot3AlignmentErrors() {
            return e(1);
        }

        @Override
        public long dot3FcsErrors() {
            return e(2);
        }

        @Override
        public long dot3SingleCollisionFrames() {
            return e(3);
        }

        @Override
        public long dot3MultipleCollisionFrames() {
            return e(4);
        }

        @Override
        public long dot3SqeTestErrors() {
            return e(5);
        }

        @Override
        public long dot3DeferredTransmissions() {
            return e(6);
        }

        @Override
        public long dot3LateCollisions() {
            return e(7);
        }

        @Override
        public long dot3ExcessiveCollisions() {
            return e(8);
        }

        @Override
        public long dot3InternalMacTransmitErrors() {
            return e(9);
        }

        @Override
        public long dot3CarrierSenseErrors() {
            return e(10);
        }

        @Override
        public long dot3FrameTooLongs() {
            return e(11);
        }

        @Override
        public long dot3InternalMacReceiveErrors() {
            return e(12);
        }

        @Override
        public long dot3SymbolErrors() {
            return e(dot3SymbolErrors);
        }

        @Override
        public int otherRecordCount() {
            return others.size();
        }

        @Override
        public int otherRecordFormat(int index) {
            return (Integer) others.get(index)[0];
        }

        @Override
        public int otherRecordLength(int index) {
            return ((byte[]) others.get(index)[1]).length;
        }

        @Override
        public ByteBuf buffer() {
            layoutOthers();
            return buf;
        }

        @Override
        public int otherRecordOffset(int index) {
            layoutOthers();
            return offsets[index];
        }

        @Override
        public InterfaceCounters copy() {
            return this;
        }

        static InetAddress address(String address) {
            try {
                return InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
