package dev.sluice.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.decoders.DecoderStatistics;
import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole corpus (the 52 logstash cases and the goflow2 vectors, NetFlow v5/v9, IPFIX and sFlow) sent as UDP
 * datagrams, one loopback source address per case, arrives decoded exactly as a {@link FlowDecoder} fed the same
 * bytes directly decodes it: the same per-exporter statistics, and every record, options record and counter sample
 * in the sink. On epoll also with batched reads (recvmmsg, slots of 2048 bytes: the corpus's largest datagram has
 * 1728).
 */
class CorpusOverUdpTest {

    @ParameterizedTest
    @CsvSource({"EPOLL, 65535", "EPOLL, 2048", "NIO, 65535"})
    void theCorpusArrivesDecodedInFull(FlowCollector.Transport transport, int maxDatagramBytes) throws Exception {
        List<List<byte[]>> sessions = new ArrayList<>();
        for (List<String> c : TestCorpus.logstashCases()) {
            List<byte[]> datagrams = new ArrayList<>();
            c.forEach(f -> datagrams.add(TestCorpus.dat(f)));
            sessions.add(datagrams);
        }
        for (List<Path> s : TestCorpus.goflowSessions()) {
            List<byte[]> datagrams = new ArrayList<>();
            s.forEach(p -> datagrams.add(TestCorpus.read(p)));
            sessions.add(datagrams);
        }
        assertThat(sessions).hasSizeGreaterThan(60);

        CapturingSink sink = new CapturingSink();
        Map<InetAddress, DecoderStatistics> expected = new LinkedHashMap<>();
        long[] expectedTotals = new long[3];
        try (FlowCollector collector = FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(2)
                .transport(transport).maxDatagramBytes(maxDatagramBytes).sink(sink).build().start()) {
            assertThat(collector.transport()).isEqualTo(transport.name().toLowerCase());
            InetSocketAddress to = collector.udpAddresses().get(0);
            for (int i = 0; i < sessions.size(); i++) {
                String source = "127.0." + (1 + i / 200) + "." + (1 + i % 200);
                try (Udp udp = new Udp(source, to)) {
                    FlowDecoder direct = new FlowDecoder();
                    for (byte[] d : sessions.get(i)) {
                        udp.send(d);
                        direct.decode(Unpooled.wrappedBuffer(d), udp.source(), System.currentTimeMillis(),
                                counting(expectedTotals));
                    }
                    expected.put(udp.source(), direct.exporterStatistics().get(udp.source()));
                    int sent = sessions.get(i).size();
                    Udp.await(Duration.ofSeconds(10), "datagrams of " + source, () -> {
                        ExporterMetrics m = collector.metrics().exporter(udp.source());
                        return m != null && m.datagrams() == sent;
                    });
                }
            }
            CollectorMetrics m = collector.metrics();
            for (Map.Entry<InetAddress, DecoderStatistics> e : expected.entrySet()) {
                assertThat(m.exporter(e.getKey()).decoder()).as("exporter " + e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(expectedTotals[0]).as("the corpus has flow records").isGreaterThan(500);
            assertThat(expectedTotals[1]).as("the corpus has options records").isPositive();
            assertThat(m.total().records()).isEqualTo(expectedTotals[0]);
            assertThat(m.total().optionsRecords()).isEqualTo(expectedTotals[1]);
            assertThat(m.total().counterSamples()).isEqualTo(expectedTotals[2]);
            assertThat(m.total().sinkAccepted()).isEqualTo(expectedTotals[0] + expectedTotals[1] + expectedTotals[2]);
            assertThat(sink.records.get()).isEqualTo(expectedTotals[0]);
            assertThat(sink.options.get()).isEqualTo(expectedTotals[1]);
            assertThat(sink.counters.get()).isEqualTo(expectedTotals[2]);
            assertThat(m.kernelDrops()).isZero();
            ListenerMetrics l = m.listeners().get(0);
            assertThat(l.sockets()).isEqualTo(transport == FlowCollector.Transport.EPOLL ? 2 : 1);
            assertThat(l.receiveBufferGranted()).isPositive();
        }
        assertThat(sink.closed).isTrue();
    }

    private static FlowHandler counting(long[] totals) {
        return new FlowHandler() {
            @Override
            public void onRecord(FlowRecord record) {
                totals[0]++;
            }

            @Override
            public void onOptions(FlowRecord record) {
                totals[1]++;
            }

            @Override
            public void onCounters(InterfaceCounters counters) {
                totals[2]++;
            }
        };
    }
}
