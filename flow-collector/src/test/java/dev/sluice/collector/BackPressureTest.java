package dev.sluice.collector;

import static dev.sluice.collector.Packets.v5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.sink.SinkPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Full sinks: bounded waits, drops, and everything counted; the processing hook before the sinks. */
class BackPressureTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static FlowCollector.Builder collector() {
        return FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(1);
    }

    private static SinkMetrics sinkMetrics(FlowCollector c, int i) {
        return c.metrics().sinks().get(i);
    }

    @Test
    void aStuckSinkHoldsTheThreadForABoundedTimeAndIsCounted() throws Exception {
        CapturingSink stuck = new CapturingSink(SinkPolicy.block(Duration.ofMillis(300)));
        stuck.full = true;
        try (FlowCollector c = collector().sink(stuck).build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            long start = System.nanoTime();
            udp.send(v5(0, 10, 1));
            Udp.await(WAIT, "the drops", () -> sinkMetrics(c, 0).policyDropped() == 10);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            SinkMetrics s = sinkMetrics(c, 0);
            assertThat(s.waits()).as("one wait, then dropping until the sink takes again").isEqualTo(1);
            assertThat(s.waitTimeouts()).isEqualTo(1);
            assertThat(s.waitedMillis()).isBetween(290L, 3_000L);
            assertThat(tookMillis).as("bounded").isLessThan(10_000);
            assertThat(c.metrics().total().sinkDropped()).isEqualTo(10);

            udp.send(v5(10, 10, 1));
            Udp.await(WAIT, "more drops", () -> sinkMetrics(c, 0).policyDropped() == 20);
            assertThat(sinkMetrics(c, 0).waits()).isEqualTo(1);

            stuck.makeRoom();
            udp.send(v5(20, 10, 1));
            Udp.await(WAIT, "accepted again", () -> stuck.records.get() == 10);

            stuck.full = true;
            udp.send(v5(30, 1, 1));
            Udp.await(WAIT, "a new wait", () -> sinkMetrics(c, 0).waitTimeouts() == 2);
            ExporterMetrics e = c.metrics().exporter(udp.source());
            assertThat(e.sinkAccepted()).isEqualTo(10);
            assertThat(e.sinkDropped()).isEqualTo(21);
            assertThat(e.datagrams()).isEqualTo(4);
        }
    }

    @Test
    void aSinkThatMakesRoomGetsEveryRecord() throws Exception {
        CapturingSink slow = new CapturingSink(SinkPolicy.block(Duration.ofSeconds(5)));
        slow.fullTimes.set(5);
        try (FlowCollector c = collector().sink(slow).build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            udp.send(v5(0, 10, 1));
            Udp.await(WAIT, "all records", () -> slow.records.get() == 10);
            SinkMetrics s = sinkMetrics(c, 0);
            assertThat(s.full()).isEqualTo(5);
            assertThat(s.waits()).isEqualTo(1);
            assertThat(s.waitTimeouts()).isZero();
            assertThat(s.policyDropped()).isZero();
            assertThat(s.sink().accepted()).isEqualTo(10);
        }
    }

    @Test
    void aDroppingSinkDoesNotHoldUpTheOthers() throws Exception {
        CapturingSink dropping = new CapturingSink(SinkPolicy.block(Duration.ofMinutes(1)));
        dropping.full = true;
        CapturingSink fine = new CapturingSink();
        try (FlowCollector c = collector().sink(dropping, SinkPolicy.drop()).sink(fine).build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            for (int i = 0; i < 5; i++) {
                udp.send(v5(i * 10L, 10, 1));
            }
            Udp.await(WAIT, "all records", () -> fine.records.get() == 50);
            SinkMetrics d = sinkMetrics(c, 0);
            assertThat(d.policy()).isEqualTo(SinkPolicy.drop());
            assertThat(d.policyDropped()).isEqualTo(50);
            assertThat(d.waits()).isZero();
            assertThat(c.metrics().total().sinkAccepted()).isEqualTo(50);
            assertThat(c.metrics().total().sinkDropped()).isEqualTo(50);
        }
    }

    @Test
    void theProcessorFiltersAndItsFailuresAreCounted() throws Exception {
        CapturingSink sink = new CapturingSink();
        FlowProcessor processor = (FlowRecord r) -> {
            if (r.sourcePort() == 13) {
                throw new IllegalStateException("unlucky");
            }
            return r.sourcePort() % 2 == 0;
        };
        try (FlowCollector c = collector().processor(processor).sink(sink).build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            udp.send(v5(0, 20, 0)); // source ports 0..19
            Udp.await(WAIT, "the records", () -> c.metrics().total().records() == 20);
            ExporterMetrics e = c.metrics().exporter(udp.source());
            assertThat(sink.records.get()).isEqualTo(10);
            assertThat(e.filtered()).isEqualTo(9);
            assertThat(e.processorErrors()).isEqualTo(1);
            assertThat(e.sinkAccepted()).isEqualTo(10);
        }
    }

    @Test
    void kernelDropsAndABusyThreadAreReported() throws Exception {
        CapturingSink stuck = new CapturingSink(SinkPolicy.block(Duration.ofSeconds(20)));
        stuck.full = true;
        try (FlowCollector c = collector().receiveBufferBytes(4_096).sink(stuck).build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            udp.send(v5(0, 1, 1));
            Thread.sleep(200); // the receiving thread now waits for the sink
            for (int i = 0; i < 300; i++) {
                udp.send(v5(1 + i * 30L, 30, 1));
            }
            CollectorMetrics busy = c.metrics();
            assertThat(busy.stale()).as("the waiting thread cannot answer; its last report stands in").isTrue();
            assertThat(busy.kernelDrops()).as("the small socket buffer overflowed").isPositive();
            assertThat(busy.listeners().get(0).receiveBufferRequested()).isEqualTo(4_096);
            stuck.makeRoom();
            Udp.await(WAIT, "every datagram received or dropped by the kernel", () -> {
                CollectorMetrics m = c.metrics();
                return !m.stale() && m.total().datagrams() + m.kernelDrops() == 301;
            });
            CollectorMetrics m = c.metrics();
            assertThat(m.sinks().get(0).waitTimeouts()).isZero();
        }
    }
}
