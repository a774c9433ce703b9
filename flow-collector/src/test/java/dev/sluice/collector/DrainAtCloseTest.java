package dev.sluice.collector;

import static dev.sluice.collector.Packets.v5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.FlowRecord;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Graceful close over real loopback UDP: datagrams already queued in a socket when {@link FlowCollector#close()} is
 * called are read and decoded before the socket closes; the wait is bounded by
 * {@link FlowCollector.Builder#drainTimeout}, and what a close without (enough) draining discards is reported in
 * {@link CollectorMetrics#unreadAtClose()}. The receiving thread is held up by a processor that waits on a gate, so
 * the datagrams pile up in the kernel's receive queue.
 */
@EnabledOnOs(OS.LINUX) // receive queues are read from /proc
class DrainAtCloseTest {

    private static final int QUEUED = 200;
    private static final int RECORDS = 30;

    /** Holds the receiving thread on its first record until the gate opens. */
    static final class Gate implements FlowProcessor {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicBoolean held = new AtomicBoolean();

        @Override
        public boolean onRecord(FlowRecord record) {
            if (held.compareAndSet(false, true)) {
                entered.countDown();
                try {
                    open.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        }
    }

    /**
     * Queues {@code QUEUED} datagrams behind a held receiving thread, closes the collector on another thread, opens
     * the gate after {@code openAfterMillis}, and returns the final metrics.
     */
    private static CollectorMetrics closeWithQueuedDatagrams(FlowCollector.Transport transport, Duration drain,
            long openAfterMillis, CapturingSink sink) throws Exception {
        Gate gate = new Gate();
        FlowCollector c = FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(1).transport(transport)
                .processor(gate).drainTimeout(drain).sink(sink).build().start();
        try (Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            udp.send(v5(0, RECORDS, 1));
            assertThat(gate.entered.await(20, TimeUnit.SECONDS)).as("the thread reached the gate").isTrue();
            for (int i = 1; i <= QUEUED; i++) {
                udp.send(v5((long) RECORDS * i, RECORDS, 1));
            }
            Udp.await(Duration.ofSeconds(10), "the datagrams queued in the socket", () -> {
                java.util.Map<String, Long> q = KernelDrops.receiveQueues(
                        c.udpAddresses().toArray(new java.net.InetSocketAddress[0]));
                return q != null && q.values().stream().mapToLong(Long::longValue).sum() > 0;
            });
        }
        Thread closer = new Thread(c::close, "closer");
        long start = System.nanoTime();
        closer.start();
        Thread.sleep(openAfterMillis);
        gate.open.countDown();
        closer.join(30_000);
        assertThat(closer.isAlive()).isFalse();
        CollectorMetrics m = c.metrics();
        assertThat(m.kernelDrops()).as("everything fitted the receive buffer").isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("close is bounded")
                .isLessThan(openAfterMillis + drain.toMillis() + 10_000);
        return m;
    }

    @ParameterizedTest
    @EnumSource(value = FlowCollector.Transport.class, names = {"EPOLL", "NIO"})
    void datagramsQueuedAtCloseAreDecodedBeforeTheSocketsClose(FlowCollector.Transport transport) throws Exception {
        CapturingSink sink = new CapturingSink();
        CollectorMetrics m = closeWithQueuedDatagrams(transport, Duration.ofSeconds(10), 300, sink);

        long expected = (long) (QUEUED + 1) * RECORDS;
        assertThat(m.total().datagrams()).isEqualTo(QUEUED + 1);
        assertThat(m.total().records()).isEqualTo(expected);
        assertThat(sink.records.get()).as("every record reached the sink").isEqualTo(expected);
        assertThat(m.total().decoder().sequenceLost()).isZero();
        assertThat(m.unreadAtClose()).isZero();
        assertThat(sink.closed).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = FlowCollector.Transport.class, names = {"EPOLL", "NIO"})
    void theDrainIsBoundedAndWhatItLeavesIsReported(FlowCollector.Transport transport) throws Exception {
        CapturingSink sink = new CapturingSink();
        // the gate opens only after the drain has given up
        CollectorMetrics m = closeWithQueuedDatagrams(transport, Duration.ofMillis(200), 1_500, sink);

        assertThat(m.total().records()).as("datagrams left in the socket are lost")
                .isLessThan((long) (QUEUED + 1) * RECORDS);
        assertThat(m.unreadAtClose()).as("and reported").isPositive();
        assertThat(sink.records.get()).isEqualTo(m.total().records());
    }

    @ParameterizedTest
    @EnumSource(value = FlowCollector.Transport.class, names = {"EPOLL"})
    void withoutADrainTheQueuedDatagramsAreDiscardedAndReported(FlowCollector.Transport transport) throws Exception {
        CapturingSink sink = new CapturingSink();
        CollectorMetrics m = closeWithQueuedDatagrams(transport, Duration.ZERO, 300, sink);

        assertThat(m.total().datagrams()).as("only what the thread had read").isLessThan(QUEUED + 1);
        assertThat(m.unreadAtClose()).isPositive();
    }
}
