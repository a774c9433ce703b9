package dev.sluice.collector;

import static dev.sluice.collector.Packets.dataSet;
import static dev.sluice.collector.Packets.ipfix;
import static dev.sluice.collector.Packets.templateSet;
import static dev.sluice.collector.Packets.v5;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Datagram size bounds over real loopback UDP: with the default {@link FlowCollector.Builder#maxDatagramBytes} (and
 * recvmmsg batches on epoll) a datagram of exactly the bound arrives whole and one a byte longer is counted as
 * truncated, never decoded in part or lost silently; with 65535 the largest IPv4 UDP payload arrives whole; a burst
 * of datagrams read in batches arrives in full.
 */
class DatagramSizeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** An IPFIX message of exactly {@code length} bytes (32 + 4 k): template 256 and k 4-byte octet counts. */
    static byte[] ipfixOfLength(int length, long sequence) {
        int records = (length - 32) / 4;
        assertThat(32 + 4 * records).as("IPFIX test message length").isEqualTo(length);
        byte[][] recs = new byte[records][];
        for (int i = 0; i < records; i++) {
            recs[i] = ByteBuffer.allocate(4).putInt(1000 + i).array();
        }
        return ipfix(1, sequence, templateSet(256, 1, 4), dataSet(256, recs));
    }

    @ParameterizedTest
    @EnumSource(value = FlowCollector.Transport.class, names = {"EPOLL", "NIO"})
    void theDefaultBoundTakesJumboDatagramsAndCountsLongerOnes(FlowCollector.Transport transport) throws Exception {
        int bound = FlowCollector.DEFAULT_MAX_DATAGRAM_BYTES;
        assertThat(bound).isEqualTo(9216);
        try (FlowCollector c = FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(1).transport(transport)
                .build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            byte[] fits = ipfixOfLength(bound, 0);
            byte[] tooLong = ipfixOfLength(bound + 4, (bound - 32) / 4);
            byte[] small = v5(0, 3, 1);
            udp.send(fits);
            udp.send(tooLong);
            udp.send(small);
            udp.send(ipfixOfLength(bound, (bound - 32) / 4 * 2L + 1));
            Udp.await(WAIT, "four datagrams", () -> {
                ExporterMetrics m = c.metrics().exporter(udp.source());
                return m != null && m.datagrams() == 4;
            });
            ExporterMetrics m = c.metrics().exporter(udp.source());
            assertThat(m.datagramsTruncated()).as("the datagram over the bound").isEqualTo(1);
            assertThat(m.records()).as("two whole IPFIX messages and a v5 packet")
                    .isEqualTo(2L * (bound - 32) / 4 + 3);
            assertThat(m.bytes()).isEqualTo(2L * bound + small.length);
            assertThat(m.errorCount()).isZero();
            assertThat(m.decoder().sequenceLost()).as("the records of the truncated message are missing")
                    .isEqualTo((bound + 4 - 32) / 4);
        }
    }

    @ParameterizedTest
    @EnumSource(value = FlowCollector.Transport.class, names = {"EPOLL", "NIO"})
    void withTheBoundAt65535TheLargestUdpPayloadArrivesWhole(FlowCollector.Transport transport) throws Exception {
        try (FlowCollector c = FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(1).transport(transport)
                .maxDatagramBytes(65_535).build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            byte[] largest = ipfixOfLength(65_504, 0); // IPv4 allows 65507 bytes of UDP payload
            udp.send(largest);
            udp.send(v5(0, 1, 1));
            Udp.await(WAIT, "two datagrams", () -> {
                ExporterMetrics m = c.metrics().exporter(udp.source());
                return m != null && m.datagrams() == 2;
            });
            ExporterMetrics m = c.metrics().exporter(udp.source());
            assertThat(m.datagramsTruncated()).isZero();
            assertThat(m.records()).isEqualTo((65_504 - 32) / 4 + 1);
            assertThat(m.errorCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = FlowCollector.Transport.class, names = {"EPOLL", "NIO"})
    void aBurstReadInBatchesArrivesInFull(FlowCollector.Transport transport) throws Exception {
        int datagrams = 1000;
        try (FlowCollector c = FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(1).transport(transport)
                .maxDatagramBytes(1500).build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            for (int i = 0; i < datagrams; i++) {
                udp.send(v5(30L * i, 30, 1)); // 1464 bytes
            }
            Udp.await(WAIT, datagrams + " datagrams", () -> {
                CollectorMetrics m = c.metrics();
                return m.total().datagrams() + Math.max(0, m.kernelDrops()) >= datagrams;
            });
            CollectorMetrics m = c.metrics();
            assertThat(m.kernelDrops()).as("1.5 MB of datagrams fit the receive buffer").isZero();
            ExporterMetrics e = m.exporter(udp.source());
            assertThat(e.datagrams()).isEqualTo(datagrams);
            assertThat(e.datagramsTruncated()).isZero();
            assertThat(e.records()).isEqualTo(30L * datagrams);
            assertThat(e.decoder().sequenceLost()).isZero();
            assertThat(e.errorCount()).isZero();
        }
    }
}
