package dev.sluice.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.decoders.DecoderLimits;
import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link FlowCollector.Builder#warmUp}: the synthetic traffic decodes without an error and covers every protocol and
 * both address families; a warm-up over real loopback sockets decodes a great deal of it before the collector binds,
 * and leaves no trace in the collector's counters, processor or sinks.
 */
class WarmUpTest {

    @Test
    void theWarmUpTrafficDecodesCleanlyAndCoversEveryProtocol() {
        List<WarmUpTraffic.Datagram> traffic = WarmUpTraffic.datagrams();
        long[] items = WarmUp.itemsOf(traffic, DecoderLimits.defaults()); // throws on any decode error
        Set<FlowProtocol> protocols = EnumSet.noneOf(FlowProtocol.class);
        boolean[] ipv6 = {false};
        long[] counters = {0};
        long[] options = {0};
        Set<Integer> transports = new java.util.TreeSet<>();
        FlowDecoder decoder = new FlowDecoder();
        for (int i = 0; i < traffic.size(); i++) {
            WarmUpTraffic.Datagram d = traffic.get(i);
            assertThat(d.bytes().length).as("datagram %d", i).isBetween(100, 1400);
            if (d.templates()) {
                assertThat(items[i]).as("items of template datagram %d", i).isZero();
            } else {
                assertThat(items[i]).as("items of data datagram %d", i).isGreaterThanOrEqualTo(5);
            }
            decoder.decode(Unpooled.wrappedBuffer(d.bytes()), InetAddress.getLoopbackAddress(), 0, new FlowHandler() {
                @Override
                public void onRecord(FlowRecord r) {
                    protocols.add(r.protocol());
                    ipv6[0] |= r.isIpv6(FlowField.SOURCE_ADDRESS);
                    assertThat(r.bytes()).isPositive();
                    assertThat(r.protocolNumber()).isIn(1, 6, 17, 47, 58);
                    if (r.protocol() == FlowProtocol.SFLOW_V5) {
                        transports.add(r.protocolNumber());
                    }
                }

                @Override
                public void onOptions(FlowRecord r) {
                    assertThat(r.getLong(FlowField.SAMPLING_INTERVAL)).isEqualTo(1);
                    options[0]++;
                }

                @Override
                public void onCounters(InterfaceCounters c) {
                    counters[0]++;
                }

                @Override
                public void onError(DecodeError e) {
                    throw new AssertionError(e.toString());
                }
            });
        }
        assertThat(protocols).containsExactlyInAnyOrder(FlowProtocol.NETFLOW_V5, FlowProtocol.NETFLOW_V9,
                FlowProtocol.IPFIX, FlowProtocol.SFLOW_V5);
        assertThat(ipv6[0]).as("IPv6 flows").isTrue();
        assertThat(counters[0]).as("sFlow counter samples").isEqualTo(4);
        assertThat(options[0]).as("options records of v9 and IPFIX").isEqualTo(2);
        assertThat(transports).as("transports of the sFlow frames").containsExactly(1, 6, 17, 47, 58);
        assertThat(decoder.statistics().templateMisses()).isZero();
    }

    @Test
    void theWarmUpIsBoundedAndEndsEarlyWhenItsThreadIsInterrupted() throws Exception {
        assertThatThrownBy(() -> FlowCollector.builder().warmUp(Duration.ofMinutes(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> FlowCollector.builder().warmUp(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        AtomicReference<FlowCollector> started = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                started.set(FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(1)
                        .warmUp(FlowCollector.Builder.MAX_WARM_UP).build().start());
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "starter");
        starter.start();
        Thread.sleep(500);
        starter.interrupt();
        starter.join(20_000);
        assertThat(starter.isAlive()).as("start() returned after the interrupt").isFalse();
        assertThat(failed.get()).isNull();
        try (FlowCollector c = started.get()) {
            assertThat(c.udpAddresses()).hasSize(1);
            assertThat(c.warmUpResult.nanos()).isLessThan(Duration.ofSeconds(20).toNanos());
        }
    }

    @ParameterizedTest
    @EnumSource(value = FlowCollector.Transport.class, names = {"EPOLL", "NIO"})
    void aWarmUpRunsBeforeBindingAndLeavesNoTrace(FlowCollector.Transport transport) throws Exception {
        CapturingSink sink = new CapturingSink();
        AtomicLong processed = new AtomicLong();
        FlowProcessor processor = r -> processed.incrementAndGet() >= 0;
        long start = System.nanoTime();
        try (FlowCollector c = FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(2).transport(transport)
                .processor(processor).sink(sink).warmUp(Duration.ofMillis(700)).build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            assertThat(System.nanoTime() - start).as("start() returns after the warm-up")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(700).toNanos());
            WarmUp.Result r = c.warmUpResult;
            assertThat(r).isNotNull();
            assertThat(r.datagrams()).isGreaterThan(100);
            assertThat(r.items()).as("records decoded by the throwaway workers").isGreaterThan(1_000);

            CollectorMetrics before = c.metrics();
            assertThat(before.total().datagrams()).isZero();
            assertThat(before.total().records()).isZero();
            assertThat(before.exporters()).isEmpty();
            assertThat(processed.get()).isZero();
            assertThat(sink.records.get() + sink.counters.get() + sink.options.get()).isZero();

            udp.send(Packets.v5(0, 3, 1));
            Udp.await(Duration.ofSeconds(20), "the first real datagram", () -> sink.records.get() == 3);
            assertThat(c.metrics().total().datagrams()).isEqualTo(1);
            assertThat(processed.get()).isEqualTo(3);
        }
    }
}
