package dev.sluice.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ReceiveWorker}'s per-exporter tallies, including around the address it uses for "no previous exporter". */
class ReceiveWorkerTest {

    @Test
    void datagramsAreTalliedPerExporterIncludingOneAtTheBroadcastAddress() throws Exception {
        InetAddress broadcast = InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
        InetAddress other = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 7});
        ReceiveWorker w = new ReceiveWorker(0, new FlowDecoder(), Allowlist.of(List.of()), null, new SinkOutlet[0],
                65_535);
        byte[] v5 = v5();

        w.datagram(Unpooled.wrappedBuffer(v5), broadcast, 1_000);
        w.datagram(Unpooled.wrappedBuffer(v5), broadcast, 1_000);
        w.datagram(Unpooled.wrappedBuffer(v5), other, 1_000);
        w.datagram(Unpooled.wrappedBuffer(v5), broadcast, 1_000);

        ReceiveWorker.Snapshot s = w.snapshot();
        assertThat(s.exporters()).containsOnlyKeys(broadcast, other);
        assertThat(s.exporters().get(broadcast).datagrams).isEqualTo(3);
        assertThat(s.exporters().get(other).datagrams).isEqualTo(1);
        assertThat(s.total().datagrams).isEqualTo(4);

        // forgotten when idle, then counted afresh
        w.housekeeping(100_000, 10_000);
        w.datagram(Unpooled.wrappedBuffer(v5), broadcast, 100_001);
        s = w.snapshot();
        assertThat(s.exporters()).containsOnlyKeys(broadcast);
        assertThat(s.exporters().get(broadcast).datagrams).isEqualTo(1);
        assertThat(s.total().datagrams).isEqualTo(5);
    }

    /** A NetFlow v5 datagram of one record. */
    private static byte[] v5() {
        byte[] b = new byte[24 + 48];
        b[1] = 5;
        b[3] = 1;
        return b;
    }
}
