package dev.sluice.decoders;

import static dev.sluice.decoders.ExportPacketBuilder.f;
import static dev.sluice.decoders.ExportPacketBuilder.ipfix;
import static dev.sluice.decoders.ExportPacketBuilder.rec;
import static dev.sluice.decoders.ExportPacketBuilder.v5;
import static dev.sluice.decoders.ExportPacketBuilder.v5Record;
import static dev.sluice.decoders.ExportPacketBuilder.v9;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.FlowHandler;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Header sequence numbers: gaps, late packets and resets counted in each protocol's own unit. */
class SequenceTrackingTest {

    private static final InetAddress A = InetAddress.getLoopbackAddress();
    private static final FlowHandler IGNORE = record -> { };

    private final FlowDecoder decoder = new FlowDecoder();

    private void feed(byte[] packet) {
        decoder.decode(Unpooled.wrappedBuffer(packet), A, 0, IGNORE);
    }

    private DecoderStatistics stats() {
        return decoder.statistics();
    }

    private static byte[] v5Packet(long sequence, int records) {
        ExportPacketBuilder.V5 p = v5().sequence(sequence);
        for (int i = 0; i < records; i++) {
            p.record(v5Record());
        }
        return p.build();
    }

    @Test
    void netflowV5CountsFlowRecords() {
        feed(v5Packet(0, 10));
        feed(v5Packet(10, 10));   // in order
        feed(v5Packet(50, 5));    // records 20..49 lost
        feed(v5Packet(55, 1));
        assertThat(stats().sequenceGaps()).isEqualTo(1);
        assertThat(stats().sequenceLost()).isEqualTo(30);
        assertThat(stats().sequenceResets()).isZero();
    }

    @Test
    void netflowV9CountsPacketsPerSourceId() {
        for (long seq : new long[] {100, 101, 102, 105, 106}) {   // 103 and 104 lost
            feed(v9(1).sequence(seq).template(256, f(1, 4)).build());
        }
        for (long seq : new long[] {7, 8, 9}) {                    // another source id: its own counter
            feed(v9(2).sequence(seq).template(256, f(1, 4)).build());
        }
        assertThat(stats().sequenceGaps()).isEqualTo(1);
        assertThat(stats().sequenceLost()).isEqualTo(2);
        assertThat(stats().sequenceResets()).isZero();
    }

    @Test
    void aLatePacketIsReorderedAndNoLongerLost() {
        for (long seq : new long[] {1, 2, 4, 3, 5}) {
            feed(v9(1).sequence(seq).template(256, f(1, 4)).build());
        }
        assertThat(stats().sequenceReordered()).isEqualTo(1);
        assertThat(stats().sequenceLost()).as("3 came late, nothing is lost").isZero();
    }

    @Test
    void aRestartIsAResetNotALoss() {
        feed(v9(1).sequence(5_000_000).template(256, f(1, 4)).build());
        feed(v9(1).sequence(5_000_001).template(256, f(1, 4)).build());
        feed(v9(1).sequence(0).template(256, f(1, 4)).build());     // exporter restarted
        feed(v9(1).sequence(1).template(256, f(1, 4)).build());
        assertThat(stats().sequenceResets()).isEqualTo(1);
        assertThat(stats().sequenceLost()).isZero();
        assertThat(decoder.templateCount()).as("a sequence reset keeps the templates").isEqualTo(1);
    }

    @Test
    void wrapAroundIsNotAGap() {
        feed(v9(1).sequence(0xFFFFFFFEL).template(256, f(1, 4)).build());
        feed(v9(1).sequence(0xFFFFFFFFL).template(256, f(1, 4)).build());
        feed(v9(1).sequence(0).template(256, f(1, 4)).build());
        assertThat(stats().sequenceGaps()).isZero();
        assertThat(stats().sequenceResets()).isZero();
    }

    @Test
    void ipfixCountsDataRecords() {
        feed(ipfix(1).sequence(0).template(256, f(7, 2)).data(256, rec().u16(1), rec().u16(2), rec().u16(3)).build());
        feed(ipfix(1).sequence(3).data(256, rec().u16(4), rec().u16(5)).build());
        feed(ipfix(1).sequence(9).data(256, rec().u16(6)).build());   // records 5..8 lost
        assertThat(stats().records()).isEqualTo(6);
        assertThat(stats().sequenceGaps()).isEqualTo(1);
        assertThat(stats().sequenceLost()).isEqualTo(4);
    }

    @Test
    void ipfixDataHeldForItsTemplateDoesNotLookLikeLoss() {
        feed(ipfix(1).sequence(0).data(256, rec().u16(1), rec().u16(2)).build());     // template not known yet
        feed(ipfix(1).sequence(2).template(256, f(7, 2)).data(256, rec().u16(3)).build());
        feed(ipfix(1).sequence(3).data(256, rec().u16(4)).build());
        assertThat(stats().records()).isEqualTo(4);
        assertThat(stats().sequenceLost()).isZero();
        assertThat(stats().sequenceGaps()).isZero();
    }

    @Test
    void perExporterStatisticsCarryTheCounters() {
        feed(v5Packet(0, 2));
        feed(v5Packet(4, 2));
        assertThat(decoder.exporterStatistics().get(A).sequenceLost()).isEqualTo(2);
    }

}
