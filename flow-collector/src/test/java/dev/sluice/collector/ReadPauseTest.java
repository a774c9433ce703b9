package dev.sluice.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link FlowCollector.Builder#readPause}: a receiving thread that pauses after every read still reads every datagram
 * of a burst, and an idle one does not spin.
 */
class ReadPauseTest {

    @Test
    void thePauseIsBounded() {
        assertThatThrownBy(() -> FlowCollector.builder().readPause(Duration.ofMillis(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> FlowCollector.builder().readPause(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FlowCollector.Builder.DEFAULT_READ_PAUSE).isEqualTo(Duration.ofNanos(250_000));
    }

    @ParameterizedTest
    @EnumSource(value = FlowCollector.Transport.class, names = {"EPOLL", "NIO"})
    void aPausingThreadReadsEveryDatagramOfABurstAndIdlesQuietly(FlowCollector.Transport transport) throws Exception {
        CapturingSink sink = new CapturingSink();
        try (FlowCollector c = FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(1).transport(transport)
                .readPause(Duration.ofMillis(2)).sink(sink).build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            for (int i = 0; i < 300; i++) {
                udp.send(Packets.v5(3L * i, 3, 1));
            }
            Udp.await(Duration.ofSeconds(20), "900 records", () -> sink.records.get() == 900);
            ExporterMetrics m = c.metrics().exporter(udp.source());
            assertThat(m.datagrams()).isEqualTo(300);
            assertThat(m.decoder().sequenceLost()).isZero();

            long before = receivingThreadsCpuNanos();
            Thread.sleep(1_000);
            long idle = receivingThreadsCpuNanos() - before;
            assertThat(idle).as("CPU of the idle receiving thread over 1 s").isLessThan(200_000_000L);

            udp.send(Packets.v5(900, 3, 1));
            Udp.await(Duration.ofSeconds(20), "a datagram after the idle second", () -> sink.records.get() == 903);
        }
    }

    private static long receivingThreadsCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("sluice-receive")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }
}
