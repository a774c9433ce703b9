package dev.sluice.collector;

import static dev.sluice.collector.Packets.dataSet;
import static dev.sluice.collector.Packets.ipfix;
import static dev.sluice.collector.Packets.templateSet;
import static dev.sluice.collector.Packets.u16;
import static dev.sluice.collector.Packets.v5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.layout.EcsLayout;
import dev.sluice.core.sink.NdjsonSink;
import dev.sluice.decoders.DecoderStatistics;
import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector over real loopback sockets: sessions, allowlist, floods, sequence accounting, shutdown. */
class CollectorBehaviourTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static FlowCollector.Builder collector() {
        return FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(2);
    }

    private static long recordsOf(FlowCollector c, InetAddress exporter) {
        ExporterMetrics m = c.metrics().exporter(exporter);
        return m == null ? 0 : m.records();
    }

    private static long datagramsOf(FlowCollector c, InetAddress exporter) {
        ExporterMetrics m = c.metrics().exporter(exporter);
        return m == null ? 0 : m.datagrams();
    }

    private static DecoderStatistics direct(byte[]... datagrams) {
        FlowDecoder d = new FlowDecoder();
        FlowHandler ignore = r -> { };
        for (byte[] b : datagrams) {
            d.decode(Unpooled.wrappedBuffer(b), InetAddress.getLoopbackAddress(), 0, ignore);
        }
        return d.statistics();
    }

    @Test
    void aRestartedCollectorDecodesDataAtOnceWithItsPersistedTemplates(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("templates.txt");
        byte[] v9Template = TestCorpus.dat("netflow9_test_cisco_asa_1_tpl.dat");
        byte[] v9Data = TestCorpus.dat("netflow9_test_cisco_asa_1_data.dat");
        byte[] ipfixTemplate = TestCorpus.dat("ipfix_test_netscaler_tpl.dat");
        byte[] ipfixData = TestCorpus.dat("ipfix_test_netscaler_data.dat");
        DecoderStatistics v9Direct = direct(v9Template, v9Data);
        DecoderStatistics ipfixDirect = direct(ipfixTemplate, ipfixData);
        long v9Records = v9Direct.records();
        long ipfixRecords = ipfixDirect.records();
        assertThat(v9Records).isPositive();
        assertThat(ipfixRecords).isPositive();

        try (FlowCollector first = collector().templateStore(new FileTemplateStore(store)).build().start();
                Udp asa = new Udp("127.0.0.1", first.udpAddresses().get(0));
                Udp netscaler = new Udp("127.0.0.2", first.udpAddresses().get(0))) {
            asa.send(v9Template);
            netscaler.send(ipfixTemplate);
            Udp.await(WAIT, "templates", () -> first.metrics().total().decoder().activeTemplates() >= 2);
        }
        assertThat(Files.exists(store)).isTrue();
        assertThat(new FileTemplateStore(store).load()).hasSizeGreaterThanOrEqualTo(2);

        CapturingSink sink = new CapturingSink();
        try (FlowCollector second = collector().templateStore(new FileTemplateStore(store)).sink(sink).build()
                .start();
                Udp asa = new Udp("127.0.0.1", second.udpAddresses().get(0));
                Udp netscaler = new Udp("127.0.0.2", second.udpAddresses().get(0))) {
            assertThat(second.metrics().templatesRestored()).as("every thread's decoder").isGreaterThanOrEqualTo(4);
            asa.send(v9Data);
            netscaler.send(ipfixData);
            Udp.await(WAIT, "records", () -> sink.records.get() == v9Records + ipfixRecords);
            CollectorMetrics m = second.metrics();
            assertThat(m.exporter(asa.source()).records()).isEqualTo(v9Records);
            assertThat(m.exporter(netscaler.source()).records()).isEqualTo(ipfixRecords);
            assertThat(m.exporter(asa.source()).decoder().templateMisses()).isEqualTo(v9Direct.templateMisses());
            assertThat(m.exporter(netscaler.source()).decoder().templateMisses())
                    .isEqualTo(ipfixDirect.templateMisses());
            assertThat(m.templateStoreErrors()).isZero();
        }
    }

    @Test
    void aCorruptTemplateStoreIsReportedAndIgnored(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("templates.txt");
        Files.writeString(store, "sluice-templates 1\ncount 1\nt nonsense\ncrc32 00000000\n");
        CapturingSink sink = new CapturingSink();
        try (FlowCollector c = collector().templateStore(new FileTemplateStore(store)).sink(sink).build().start();
                Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            assertThat(c.metrics().templateStoreErrors()).isEqualTo(1);
            udp.send(v5(0, 3, 1000));
            Udp.await(WAIT, "records", () -> sink.records.get() == 3);
        }
        assertThat(new FileTemplateStore(store).load()).as("rewritten at close").isEmpty();
    }

    @Test
    void anExporterOutsideTheAllowlistIsDroppedAndCounted() throws Exception {
        CapturingSink sink = new CapturingSink();
        try (FlowCollector c = collector().allow("127.0.0.1/32", "2001:db8::/32").sink(sink).build().start();
                Udp allowed = new Udp("127.0.0.1", c.udpAddresses().get(0));
                Udp denied = new Udp("127.0.0.2", c.udpAddresses().get(0))) {
            for (int i = 0; i < 5; i++) {
                denied.send(v5(i * 2L, 2, 2000));
                allowed.send(v5(i * 2L, 2, 1000));
            }
            Udp.await(WAIT, "both senders", () -> {
                CollectorMetrics m = c.metrics();
                return m.exporter(allowed.source()) != null && m.exporter(allowed.source()).records() == 10
                        && m.exporter(denied.source()) != null
                        && m.exporter(denied.source()).allowlistDropped() == 5;
            });
            CollectorMetrics m = c.metrics();
            ExporterMetrics d = m.exporter(denied.source());
            assertThat(d.datagrams()).isZero();
            assertThat(d.records()).isZero();
            assertThat(d.decoder().packets()).as("never reached a decoder").isZero();
            assertThat(m.total().allowlistDropped()).isEqualTo(5);
            assertThat(sink.records.get()).isEqualTo(10);
        }
    }

    @Test
    void aFloodOfMalformedDatagramsDoesNotStopGoodTraffic() throws Exception {
        CapturingSink sink = new CapturingSink();
        int flood = 50_000;
        int goodPackets = 200;
        Random random = new Random(7);
        try (FlowCollector c = collector().sink(sink).build().start();
                Udp bad = new Udp("127.0.0.4", c.udpAddresses().get(0));
                Udp good = new Udp("127.0.0.5", c.udpAddresses().get(0))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int goodSent = 0;
            for (int i = 0; i < flood; i++) {
                bad.send(malformed(random));
                if (i % (flood / goodPackets) == 0 && goodSent < goodPackets) {
                    good.send(v5(goodSent * 30L, 30, 1));
                    goodSent++;
                }
                if (i % 100 == 99) {
                    // keep what is in flight well within even a default-sized socket buffer: this tests the
                    // collector, not the kernel
                    int sentSoFar = i + 1 + goodSent;
                    Udp.await(WAIT, "the collector to catch up",
                            () -> c.metrics().total().datagrams() >= sentSoFar - 50);
                }
                assertThat(System.nanoTime()).as("flood within its time bound").isLessThan(deadline);
            }
            int sent = goodSent;
            Udp.await(WAIT, "all good records", () -> recordsOf(c, good.source()) == sent * 30L);
            Udp.await(WAIT, "the whole flood", () -> datagramsOf(c, bad.source()) == flood);
            CollectorMetrics m = c.metrics();
            ExporterMetrics g = m.exporter(good.source());
            assertThat(g.records()).isEqualTo(goodPackets * 30L);
            assertThat(g.errorCount()).isZero();
            assertThat(g.decoder().sequenceLost()).isZero();
            ExporterMetrics b = m.exporter(bad.source());
            assertThat(b.errorCount()).as("every malformed datagram is an error").isGreaterThanOrEqualTo(flood);
            assertThat(m.kernelDrops()).isZero();
            assertThat(sink.records.get()).isEqualTo(goodPackets * 30L + b.records());
        }
    }

    /** Bytes that look like an export packet of some version but are broken. */
    private static byte[] malformed(Random r) {
        byte[] b = new byte[1 + r.nextInt(120)];
        r.nextBytes(b);
        if (b.length >= 4) {
            int[] versions = {5, 9, 10, 0, 0xFFFF};
            int v = versions[r.nextInt(versions.length)];
            b[0] = (byte) (v >> 8);
            b[1] = (byte) v;
            if (v == 0) {
                b[2] = 0;
                b[3] = 5; // sFlow version 5
            }
        }
        if (b.length >= 2 && b[0] == 0 && b[1] == 5 && b.length >= 24 + 48) {
            b[0] = 1; // never a valid v5 by chance
        }
        return b;
    }

    @Test
    void twoExportersWithTheSameTemplateIdDoNotCollide() throws Exception {
        CapturingSink sink = new CapturingSink();
        sink.keep = true;
        try (FlowCollector c = collector().sink(sink).build().start();
                Udp one = new Udp("127.0.0.1", c.udpAddresses().get(0));
                Udp three = new Udp("127.0.0.3", c.udpAddresses().get(0))) {
            // template 256: source port then destination port at 127.0.0.1; the other way round at 127.0.0.3
            one.send(ipfix(1, 0, templateSet(256, 7, 2, 11, 2)));
            three.send(ipfix(1, 0, templateSet(256, 11, 2, 7, 2)));
            Udp.await(WAIT, "templates", () -> c.metrics().total().decoder().activeTemplates() == 2);
            one.send(ipfix(1, 0, dataSet(256, u16(1111, 80))));
            three.send(ipfix(1, 0, dataSet(256, u16(443, 3333))));
            Udp.await(WAIT, "records", () -> sink.records.get() == 2);
        }
        List<String> seen = new ArrayList<>();
        for (FlowRecord r : sink.kept) {
            seen.add(r.exporter().getHostAddress() + " " + r.sourcePort() + ">" + r.destinationPort());
        }
        assertThat(seen).containsExactlyInAnyOrder("127.0.0.1 1111>80", "127.0.0.3 3333>443");
    }

    @Test
    void sequenceGapsAreCountedExactly() throws Exception {
        try (FlowCollector c = collector().build().start();
                Udp v5 = new Udp("127.0.0.6", c.udpAddresses().get(0));
                Udp ipfix = new Udp("127.0.0.7", c.udpAddresses().get(0))) {
            // NetFlow v5 counts flow records: packets of 10 records; packets 3 and 4 and 7 are never sent
            int v5Sent = 0;
            for (int p = 0; p < 10; p++) {
                if (p == 3 || p == 4 || p == 7) {
                    continue;
                }
                v5.send(v5(p * 10L, 10, 1));
                v5Sent++;
            }
            // IPFIX counts data records: 2 records per message; messages 2 and 5 are never sent
            ipfix.send(ipfix(9, 0, templateSet(300, 7, 2, 11, 2)));
            int ipfixSent = 1;
            for (int p = 0; p < 8; p++) {
                if (p == 2 || p == 5) {
                    continue;
                }
                ipfix.send(ipfix(9, p * 2L, dataSet(300, u16(1, 2), u16(3, 4))));
                ipfixSent++;
            }
            int a = v5Sent;
            int b = ipfixSent;
            Udp.await(WAIT, "datagrams", () -> datagramsOf(c, v5.source()) == a && datagramsOf(c, ipfix.source()) == b);
            CollectorMetrics m = c.metrics();
            assertThat(m.exporter(v5.source()).decoder().sequenceGaps()).isEqualTo(2);
            assertThat(m.exporter(v5.source()).decoder().sequenceLost()).isEqualTo(30);
            assertThat(m.exporter(ipfix.source()).decoder().sequenceGaps()).isEqualTo(2);
            assertThat(m.exporter(ipfix.source()).decoder().sequenceLost()).isEqualTo(4);
            assertThat(m.total().decoder().sequenceLost()).isEqualTo(34);
            assertThat(m.total().decoder().sequenceResets()).isZero();
        }
    }

    @Test
    void closingFlushesTheNdjsonSinkAndPersistsTemplates(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("flows.ndjson");
        Path store = dir.resolve("templates.txt");
        NdjsonSink ndjson = NdjsonSink.builder(out).layout(EcsLayout::new).flushBytes(1 << 20)
                .flushInterval(Duration.ZERO).build();
        FlowCollector c = collector().sink(ndjson).templateStore(new FileTemplateStore(store))
                .templateSaveInterval(Duration.ZERO).build().start();
        try (Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            udp.send(ipfix(1, 0, templateSet(256, 7, 2, 11, 2)));
            for (int i = 0; i < 20; i++) {
                udp.send(v5(i * 5L, 5, 100));
            }
            udp.send(ipfix(1, 0, dataSet(256, u16(1, 2), u16(3, 4))));
            Udp.await(WAIT, "records", () -> c.metrics().total().sinkAccepted() == 102);
            assertThat(Files.size(out)).as("all still buffered").isZero();
            assertThat(Files.exists(store)).isFalse();
        } finally {
            c.close();
        }
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(102);
        assertThat(lines).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
        assertThat(new FileTemplateStore(store).load()).singleElement()
                .satisfies(t -> assertThat(t.templateId()).isEqualTo(256));
        CollectorMetrics m = c.metrics();
        assertThat(m.templateSaves()).isEqualTo(1);
        assertThat(m.sinks()).singleElement().satisfies(s -> assertThat(s.sink().accepted()).isEqualTo(102));
        c.close(); // idempotent
    }

    @Test
    void idleExportersAreForgottenButTheirCountsStay() throws Exception {
        try (FlowCollector c = collector().exporterIdleTimeout(Duration.ofMillis(300)).build().start();
                Udp udp = new Udp("127.0.0.8", c.udpAddresses().get(0))) {
            udp.send(ipfix(1, 0, templateSet(256, 7, 2)));
            udp.send(ipfix(1, 0, dataSet(256, u16(1))));
            Udp.await(WAIT, "the record", () -> recordsOf(c, udp.source()) == 1);
            Udp.await(WAIT, "expiry", () -> c.metrics().exporter(udp.source()) == null);
            CollectorMetrics m = c.metrics();
            assertThat(m.exportersExpired()).isEqualTo(1);
            assertThat(m.total().records()).isEqualTo(1);
            assertThat(m.total().datagrams()).isEqualTo(2);
            assertThat(m.total().decoder().activeTemplates()).isZero();
            udp.send(ipfix(1, 1, dataSet(256, u16(1))));
            Udp.await(WAIT, "the miss", () -> c.metrics().total().decoder().templateMisses() == 1);
        }
    }

    @Test
    void ipv6ExportersAreReceived() throws Exception {
        CapturingSink sink = new CapturingSink();
        try (FlowCollector c = FlowCollector.builder().listen("::1", 0).listen("127.0.0.1", 0).receiveThreads(1)
                .allow("::1/128", "127.0.0.0/8").sink(sink).build().start();
                Udp v6 = new Udp("::1", c.udpAddresses().get(0));
                Udp v4 = new Udp("127.0.0.1", c.udpAddresses().get(1))) {
            v6.send(v5(0, 4, 1));
            v4.send(v5(0, 3, 1));
            Udp.await(WAIT, "records", () -> sink.records.get() == 7);
            CollectorMetrics m = c.metrics();
            assertThat(m.exporter(InetAddress.getByName("::1")).records()).isEqualTo(4);
            assertThat(m.listeners()).hasSize(2).allSatisfy(l -> assertThat(l.kernelDrops()).isZero());
        }
    }

    @Test
    void decodeErrorsAreCountedPerReason() throws Exception {
        try (FlowCollector c = collector().build().start();
                Udp udp = new Udp("127.0.0.9", c.udpAddresses().get(0))) {
            udp.send(new byte[] {0, 42, 0, 0});
            udp.send(new byte[] {1});
            Udp.await(WAIT, "errors", () -> datagramsOf(c, udp.source()) == 2);
            ExporterMetrics m = c.metrics().exporter(udp.source());
            assertThat(m.errors(DecodeError.Reason.UNKNOWN_VERSION)).isEqualTo(1);
            assertThat(m.errors(DecodeError.Reason.TRUNCATED)).isEqualTo(1);
        }
    }

    @Test
    void aDatagramOverTheBoundIsCountedAsTruncatedAndNotDecoded() throws Exception {
        for (FlowCollector.Transport t : new FlowCollector.Transport[] {FlowCollector.Transport.EPOLL,
            FlowCollector.Transport.NIO}) {
            try (FlowCollector c = collector().transport(t).maxDatagramBytes(256).build().start();
                    Udp udp = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
                udp.send(v5(0, 30, 1)); // 1464 bytes
                udp.send(v5(30, 4, 1)); // 216 bytes
                Udp.await(WAIT, "both datagrams", () -> datagramsOf(c, udp.source()) == 2);
                ExporterMetrics m = c.metrics().exporter(udp.source());
                assertThat(m.datagramsTruncated()).as(t.name()).isEqualTo(1);
                assertThat(m.bytes()).as(t.name() + ": only the datagram within the bound is decoded").isEqualTo(216);
                assertThat(m.records()).as(t.name()).isEqualTo(4);
                assertThat(m.errorCount()).as(t.name()).isZero();
                assertThat(c.metrics().total().datagramsTruncated()).as(t.name()).isEqualTo(1);
            }
        }
    }

    @Test
    void aPortInUseFailsTheStartAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("templates.txt");
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            for (FlowCollector.Transport t : new FlowCollector.Transport[] {FlowCollector.Transport.EPOLL,
                FlowCollector.Transport.NIO}) {
                CapturingSink sink = new CapturingSink();
                FlowCollector c = FlowCollector.builder().listen("127.0.0.1", taken.getLocalPort()).transport(t)
                        .templateStore(new FileTemplateStore(store)).sink(sink).build();
                org.assertj.core.api.Assertions.assertThatThrownBy(c::start).as(t.name())
                        .isInstanceOf(java.io.IOException.class).hasMessageContaining("bind UDP");
                assertThat(sink.closed).isTrue();
                assertThat(Files.exists(store)).as("a failed start writes no store").isFalse();
                c.close();
            }
        }
    }

    @Test
    void defaultsListenOnTheWellKnownPorts() {
        FlowCollector c = FlowCollector.builder().build();
        assertThat(c.udpAddresses()).containsExactly(new InetSocketAddress("0.0.0.0", 2055),
                new InetSocketAddress("0.0.0.0", 4739), new InetSocketAddress("0.0.0.0", 6343));
        c.close();
    }
}
