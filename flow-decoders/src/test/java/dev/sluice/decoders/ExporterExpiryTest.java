package dev.sluice.decoders;

import static dev.sluice.decoders.ExportPacketBuilder.f;
import static dev.sluice.decoders.ExportPacketBuilder.ipfix;
import static dev.sluice.decoders.ExportPacketBuilder.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowHandler;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Idle exporters are forgotten with all their state; the decoder-wide counters keep what they did. */
class ExporterExpiryTest {

    private static final InetAddress A = address(1);
    private static final InetAddress B = address(2);
    private static final FlowHandler IGNORE = record -> { };

    private static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private final FlowDecoder decoder = new FlowDecoder();

    private int feed(InetAddress from, long now, byte[] packet) {
        return decoder.decode(Unpooled.wrappedBuffer(packet), from, now, IGNORE);
    }

    @Test
    void anIdleExporterLosesItsTemplatesAndHeldDataButNotItsCounts() {
        feed(A, 1_000, ipfix(1).template(256, f(7, 2)).build());
        feed(A, 1_000, ipfix(1).data(256, rec().u16(80)).build());
        feed(A, 1_000, ipfix(1).data(300, rec().u16(1)).build());           // held for template 300
        feed(B, 5_000, ipfix(1).template(256, f(11, 2)).build());
        assertThat(decoder.templateCount()).isEqualTo(2);
        assertThat(decoder.statistics().pendingSets()).isEqualTo(1);

        List<InetAddress> gone = decoder.expireIdleExporters(6_000, 2_000);

        assertThat(gone).containsExactly(A);
        assertThat(decoder.exporterStatistics()).containsOnlyKeys(B);
        assertThat(decoder.exporterCount()).isEqualTo(1);
        assertThat(decoder.templateCount()).isEqualTo(1);
        assertThat(decoder.templates()).singleElement().extracting(TemplateDefinition::exporter).isEqualTo(B);
        DecoderStatistics total = decoder.statistics();
        assertThat(total.records()).as("A's record stays counted").isEqualTo(1);
        assertThat(total.packets()).isEqualTo(4);
        assertThat(total.activeTemplates()).isEqualTo(1);
        assertThat(total.pendingSets()).isZero();
        assertThat(total.pendingBytes()).isZero();
        assertThat(total.errors(DecodeError.Reason.PENDING_EXPIRED)).as("the held set is dropped").isEqualTo(1);

        // A comes back: a new exporter without its template, so its data waits again
        assertThat(feed(A, 7_000, ipfix(1).data(256, rec().u16(80)).build())).isZero();
        assertThat(decoder.statistics().templateMisses()).isEqualTo(2);
        assertThat(decoder.exporterStatistics().get(A).records()).isZero();
    }

    /** The decoder stands for "no previous exporter" with 255.255.255.255; an exporter of that address is still one. */
    @Test
    void anExporterAtTheBroadcastAddressIsAnExporterLikeAnyOther() throws Exception {
        InetAddress broadcast = InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
        feed(broadcast, 1_000, ipfix(1).template(256, f(7, 2)).build());
        assertThat(feed(broadcast, 1_000, ipfix(1).data(256, rec().u16(80)).build())).isEqualTo(1);
        feed(A, 1_000, ipfix(1).data(256, rec().u16(80)).build()); // no template of A's: held
        assertThat(feed(broadcast, 1_000, ipfix(1).data(256, rec().u16(81)).build())).isEqualTo(1);

        assertThat(decoder.exporterStatistics()).containsOnlyKeys(broadcast, A);
        assertThat(decoder.exporterStatistics().get(broadcast).records()).isEqualTo(2);
        assertThat(decoder.exporterStatistics().get(broadcast).packets()).isEqualTo(3);

        assertThat(decoder.expireIdleExporters(9_000, 2_000)).containsExactlyInAnyOrder(broadcast, A);
        assertThat(feed(broadcast, 9_500, ipfix(1).data(256, rec().u16(80)).build())).as("held: a new exporter")
                .isZero();
        assertThat(decoder.exporterStatistics()).containsOnlyKeys(broadcast);
    }

    @Test
    void restoredExportersStartTheirIdleTimeAtTheFirstSweep() {
        FlowDecoder old = new FlowDecoder();
        old.decode(Unpooled.wrappedBuffer(ipfix(1).template(256, f(7, 2)).build()), A, 0, IGNORE);
        assertThat(decoder.restoreTemplates(old.templates())).isEqualTo(1);

        assertThat(decoder.expireIdleExporters(1_000_000, 10)).isEmpty();
        assertThat(decoder.expireIdleExporters(1_000_010, 10)).isEmpty();
        assertThat(decoder.expireIdleExporters(1_000_011, 10)).containsExactly(A);
        assertThat(decoder.templateCount()).isZero();
    }

    @Test
    void activeExportersStay() {
        feed(A, 1_000, ipfix(1).template(256, f(7, 2)).build());
        assertThat(decoder.expireIdleExporters(3_000, 2_000)).isEmpty();
        assertThat(feed(A, 3_000, ipfix(1).data(256, rec().u16(80)).build())).isEqualTo(1);
    }
}
