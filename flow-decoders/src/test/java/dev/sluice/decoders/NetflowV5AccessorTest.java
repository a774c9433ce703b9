package dev.sluice.decoders;

import static dev.sluice.decoders.ExportPacketBuilder.v5;
import static dev.sluice.decoders.ExportPacketBuilder.v5Record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RecordView's NetFlow v5 short path (typed accessors at NetflowV5Parser's constant offsets) against the v5
 * template's plan, the generic {@code getLong}/{@code ipv4} path and the values written, for heap buffers with an
 * array offset, direct buffers, datagrams that do not start at index 0, and copies.
 */
class NetflowV5AccessorTest {

    private static final long NOW = 1_700_000_000_000L;

    @Test
    void theConstantOffsetsAreTheTemplatesPlan() {
        Template t = Template.NETFLOW_V5;
        assertThat(t.recordLength).isEqualTo(NetflowV5Parser.RECORD);
        int[][] numbers = {
            {FlowField.INPUT_INTERFACE.ordinal(), NetflowV5Parser.INPUT, 2},
            {FlowField.OUTPUT_INTERFACE.ordinal(), NetflowV5Parser.OUTPUT, 2},
            {FlowField.PACKETS.ordinal(), NetflowV5Parser.PACKETS, 4},
            {FlowField.BYTES.ordinal(), NetflowV5Parser.OCTETS, 4},
            {FlowField.SOURCE_PORT.ordinal(), NetflowV5Parser.SRC_PORT, 2},
            {FlowField.DESTINATION_PORT.ordinal(), NetflowV5Parser.DST_PORT, 2},
            {FlowField.TCP_FLAGS.ordinal(), NetflowV5Parser.TCP_FLAGS, 1},
            {FlowField.PROTOCOL.ordinal(), NetflowV5Parser.PROTOCOL, 1},
            {FlowField.TOS.ordinal(), NetflowV5Parser.TOS, 1},
            {FlowField.SOURCE_AS.ordinal(), NetflowV5Parser.SRC_AS, 2},
            {FlowField.DESTINATION_AS.ordinal(), NetflowV5Parser.DST_AS, 2},
        };
        for (int[] n : numbers) {
            assertThat(t.fastOffset[n[0]]).as("offset of %s", FlowField.values()[n[0]]).isEqualTo(n[1]);
            assertThat((int) t.fastWidth[n[0]]).as("width of %s", FlowField.values()[n[0]]).isEqualTo(n[2]);
        }
        int[][] others = {
            {FlowField.SOURCE_ADDRESS.ordinal(), NetflowV5Parser.SRC_ADDR, 4},
            {FlowField.DESTINATION_ADDRESS.ordinal(), NetflowV5Parser.DST_ADDR, 4},
            {FlowField.NEXT_HOP.ordinal(), NetflowV5Parser.NEXT_HOP, 4},
            {FlowField.START_MILLIS.ordinal(), NetflowV5Parser.FIRST, 4},
            {FlowField.END_MILLIS.ordinal(), NetflowV5Parser.LAST, 4},
        };
        for (int[] f : others) {
            int i = t.fieldIndex[f[0]];
            assertThat(t.offsets[i]).as("offset of %s", FlowField.values()[f[0]]).isEqualTo(f[1]);
            assertThat(t.lengths[i]).as("length of %s", FlowField.values()[f[0]]).isEqualTo(f[2]);
        }
        assertThat(t.startKind).isEqualTo(Template.TimeKind.UPTIME_HEADER);
        assertThat(t.endKind).isEqualTo(Template.TimeKind.UPTIME_HEADER);
    }

    @Test
    void typedAccessorsReadWhatWasWrittenFromEveryKindOfBuffer() throws Exception {
        Random rnd = new Random(5);
        for (int round = 0; round < 20; round++) {
            List<ExportPacketBuilder.V5Record> written = new ArrayList<>();
            ExportPacketBuilder.V5 p = v5().sysUptime(rnd.nextInt() & 0xFFFFFFFFL)
                    .unixTime(1_700_000_000L + rnd.nextInt(1000), rnd.nextInt(1_000_000_000));
            int n = 1 + rnd.nextInt(NetflowV5Parser.MAX_RECORDS);
            for (int k = 0; k < n; k++) {
                ExportPacketBuilder.V5Record r = v5Record()
                        .addresses(ip(rnd), ip(rnd), ip(rnd))
                        .interfaces(rnd.nextInt(0x10000), rnd.nextInt(0x10000))
                        .counts(rnd.nextInt() & 0xFFFFFFFFL, rnd.nextInt() & 0xFFFFFFFFL)
                        .switched(rnd.nextInt() & 0xFFFFFFFFL, rnd.nextInt() & 0xFFFFFFFFL)
                        .ports(rnd.nextInt(0x10000), rnd.nextInt(0x10000))
                        .protocol(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256))
                        .as(rnd.nextInt(0x10000), rnd.nextInt(0x10000), rnd.nextInt(33), rnd.nextInt(33));
                written.add(r);
                p.record(r);
            }
            byte[] datagram = p.build();
            int lead = 1 + rnd.nextInt(40);
            byte[] padded = new byte[lead + datagram.length + 7];
            System.arraycopy(datagram, 0, padded, lead, datagram.length);

            List<ByteBuf> buffers = new ArrayList<>();
            buffers.add(Unpooled.wrappedBuffer(datagram));
            buffers.add(Unpooled.wrappedBuffer(padded, lead, datagram.length)); // array offset
            buffers.add(Unpooled.wrappedBuffer(padded).setIndex(lead, lead + datagram.length)); // reader index
            buffers.add(Unpooled.wrappedBuffer(padded).slice(lead, datagram.length)); // slice of a heap buffer
            ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(padded.length).writeBytes(padded);
            direct.readerIndex(lead).writerIndex(lead + datagram.length);
            buffers.add(direct);
            FlowDecoder d = new FlowDecoder();
            try {
                for (ByteBuf b : buffers) {
                    Check c = new Check(written);
                    assertThat(d.decode(b, InetAddress.getByName("192.0.2.1"), NOW, c)).isEqualTo(n);
                    assertThat(c.errors).isEmpty();
                    assertThat(c.seen).isEqualTo(n);
                    for (int k = 0; k < n; k++) {
                        check(c.copies.get(k), written.get(k)); // owned copies take the same path
                        same(c.copies.get(k), c.copies.get(k));
                    }
                }
            } finally {
                buffers.forEach(ByteBuf::release);
            }
        }
    }

    private static final class Check implements FlowHandler {
        final List<ExportPacketBuilder.V5Record> expected;
        final List<FlowRecord> copies = new ArrayList<>();
        final List<DecodeError> errors = new ArrayList<>();
        int seen;

        Check(List<ExportPacketBuilder.V5Record> expected) {
            this.expected = expected;
        }

        @Override
        public void onRecord(FlowRecord r) {
            check(r, expected.get(seen++));
            same(r, r);
            FlowRecord c = r.copy();
            same(c, r);
            copies.add(c);
        }

        @Override
        public void onError(DecodeError error) {
            errors.add(error);
        }
    }

    /** The record's typed accessors against the values written. */
    private static void check(FlowRecord r, ExportPacketBuilder.V5Record w) {
        assertThat(r.ipv4(FlowField.SOURCE_ADDRESS)).isEqualTo(ipv4(w.src));
        assertThat(r.ipv4(FlowField.DESTINATION_ADDRESS)).isEqualTo(ipv4(w.dst));
        assertThat(r.ipv4(FlowField.NEXT_HOP)).isEqualTo(ipv4(w.nextHop));
        assertThat(r.isIpv6(FlowField.SOURCE_ADDRESS)).isFalse();
        assertThat(r.isIpv6(FlowField.DESTINATION_ADDRESS)).isFalse();
        assertThat(r.isIpv6(FlowField.NEXT_HOP)).isFalse();
        assertThat(r.inputInterface()).isEqualTo(w.input);
        assertThat(r.outputInterface()).isEqualTo(w.output);
        assertThat(r.packets()).isEqualTo(w.packets);
        assertThat(r.bytes()).isEqualTo(w.bytes);
        assertThat(r.startMillis()).isEqualTo(r.packet().uptimeToEpochMillis(w.first));
        assertThat(r.endMillis()).isEqualTo(r.packet().uptimeToEpochMillis(w.last));
        assertThat(r.sourcePort()).isEqualTo(w.srcPort);
        assertThat(r.destinationPort()).isEqualTo(w.dstPort);
        assertThat(r.tcpFlags()).isEqualTo(w.tcpFlags);
        assertThat(r.protocolNumber()).isEqualTo(w.protocol);
        assertThat(r.tos()).isEqualTo(w.tos);
        assertThat(r.sourceAs()).isEqualTo(w.srcAs);
        assertThat(r.destinationAs()).isEqualTo(w.dstAs);
    }

    /** The typed accessors of {@code r} against the generic path of {@code g} (FlowRecord's default methods). */
    private static void same(FlowRecord r, FlowRecord g) {
        assertThat(r.sourcePort()).isEqualTo((int) g.getLong(FlowField.SOURCE_PORT));
        assertThat(r.destinationPort()).isEqualTo((int) g.getLong(FlowField.DESTINATION_PORT));
        assertThat(r.protocolNumber()).isEqualTo((int) g.getLong(FlowField.PROTOCOL));
        assertThat(r.bytes()).isEqualTo(g.getLong(FlowField.BYTES));
        assertThat(r.packets()).isEqualTo(g.getLong(FlowField.PACKETS));
        assertThat(r.startMillis()).isEqualTo(g.getLong(FlowField.START_MILLIS));
        assertThat(r.endMillis()).isEqualTo(g.getLong(FlowField.END_MILLIS));
        assertThat(r.tcpFlags()).isEqualTo((int) g.getLong(FlowField.TCP_FLAGS));
        assertThat(r.tos()).isEqualTo((int) g.getLong(FlowField.TOS));
        assertThat(r.inputInterface()).isEqualTo(g.getLong(FlowField.INPUT_INTERFACE));
        assertThat(r.outputInterface()).isEqualTo(g.getLong(FlowField.OUTPUT_INTERFACE));
        assertThat(r.sourceAs()).isEqualTo(g.getLong(FlowField.SOURCE_AS));
        assertThat(r.destinationAs()).isEqualTo(g.getLong(FlowField.DESTINATION_AS));
        byte[] a = new byte[16];
        for (FlowField f : new FlowField[] {FlowField.SOURCE_ADDRESS, FlowField.DESTINATION_ADDRESS,
                FlowField.NEXT_HOP}) {
            assertThat(g.copyAddress(f, a)).isEqualTo(4);
            assertThat(r.ipv4(f)).isEqualTo((a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8
                    | (a[3] & 0xFF));
        }
    }

    private static String ip(Random rnd) {
        return (rnd.nextInt(255) + 1) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
    }

    private static int ipv4(String s) {
        String[] p = s.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8
                | Integer.parseInt(p[3]);
    }
}
