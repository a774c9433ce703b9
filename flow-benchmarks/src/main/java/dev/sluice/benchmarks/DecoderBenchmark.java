package dev.sluice.benchmarks;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding throughput of whole datagrams, in records per second (each benchmark's
 * {@link OperationsPerInvocation} is the number of records its datagram holds, so the score is per record).
 *
 * <p>Every invocation decodes one data datagram whose template the decoder learned during setup, and the
 * handler reads the ten common fields of every record (source and destination address, ports, protocol,
 * bytes, packets, start and end time, TCP flags) into a {@link Blackhole}. The setup checks that each
 * datagram yields exactly the expected number of records and no decode error, and fails otherwise.
 *
 * <p>The {@code *TemplateRefresh} benchmarks decode a template datagram that repeats a template the decoder
 * holds (what exporters send every few datagrams); their score is refreshes per second.
 *
 * <p>The {@code corpus*} benchmarks decode real captures of the shared corpus, found through the
 * {@code sluice.corpus} system property (default {@code ../shared/corpus}, right when run from the repository's
 * root): {@code java -jar flow-benchmarks/target/benchmarks.jar DecoderBenchmark -prof gc}.
 *
 * <p>{@code buffer}: {@code direct} is a pooled direct buffer, what a Netty datagram channel hands over;
 * {@code heap} an unpooled heap buffer wrapping a byte array (capture files, tests).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecoderBenchmark {

    // Records per datagram; the setup fails when a datagram yields another number.
    static final int V5_RECORDS = 30;
    static final int V9_RECORDS = 26;
    static final int IPFIX_RECORDS = 19;
    static final int ASA_RECORDS = 14;
    static final int ASR9K_RECORDS = 21;
    static final int MIKROTIK_RECORDS = 28;
    static final int PFLOW_RECORDS = 26;

    private static final long RECEIVED = SyntheticPackets.EXPORT_SECONDS * 1000 + 5;

    @Param({"direct", "heap"})
    public String buffer;

    private FlowDecoder decoder;
    private FieldSink sink;

    private InetAddress v5Exporter;
    private InetAddress v9Exporter;
    private InetAddress ipfixExporter;
    private InetAddress asaExporter;
    private InetAddress asr9kExporter;
    private InetAddress mikrotikExporter;
    private InetAddress pflowExporter;

    private ByteBuf v5;
    private ByteBuf v9;
    private ByteBuf ipfix;
    private ByteBuf asa;
    private ByteBuf asr9k;
    private ByteBuf mikrotik;
    private ByteBuf pflow;
    private ByteBuf v9Refresh;
    private ByteBuf ipfixRefresh;

    @Setup(Level.Trial)
    public void setup() throws UnknownHostException {
        decoder = new FlowDecoder();
        sink = new FieldSink();
        sink.bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

        SyntheticPackets.Packet p5 = SyntheticPackets.netflowV5(5);
        v5Exporter = exporter(1);
        v5 = buffer(p5.data());
        checkSynthetic("synthetic NetFlow v5", v5Exporter, v5, p5, V5_RECORDS);

        SyntheticPackets.Packet p9 = SyntheticPackets.netflowV9(9);
        v9Exporter = exporter(2);
        learn("synthetic NetFlow v9 template", v9Exporter, p9.template());
        v9 = buffer(p9.data());
        checkSynthetic("synthetic NetFlow v9", v9Exporter, v9, p9, V9_RECORDS);

        SyntheticPackets.Packet px = SyntheticPackets.ipfix(10);
        ipfixExporter = exporter(3);
        learn("synthetic IPFIX template", ipfixExporter, px.template());
        ipfix = buffer(px.data());
        checkSynthetic("synthetic IPFIX", ipfixExporter, ipfix, px, IPFIX_RECORDS);
        v9Refresh = buffer(p9.template());
        checkRefresh("synthetic NetFlow v9 template refresh", v9Exporter, v9Refresh);
        ipfixRefresh = buffer(px.template());
        checkRefresh("synthetic IPFIX template refresh", ipfixExporter, ipfixRefresh);

        asaExporter = exporter(4);
        asa = corpus(asaExporter, "netflow9_test_cisco_asa_1_tpl.dat", "netflow9_test_cisco_asa_1_data.dat",
                ASA_RECORDS);
        asr9kExporter = exporter(5);
        asr9k = corpus(asr9kExporter, "netflow9_test_cisco_asr9k_tpl260.dat",
                "netflow9_test_cisco_asr9k_data260.dat", ASR9K_RECORDS);
        mikrotikExporter = exporter(6);
        mikrotik = corpus(mikrotikExporter, "ipfix_test_mikrotik_tpl.dat", "ipfix_test_mikrotik_data258.dat",
                MIKROTIK_RECORDS);
        pflowExporter = exporter(7);
        pflow = corpus(pflowExporter, "ipfix_test_openbsd_pflow_tpl.dat", "ipfix_test_openbsd_pflow_data.dat",
                PFLOW_RECORDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (ByteBuf b : new ByteBuf[] {v5, v9, ipfix, asa, asr9k, mikrotik, pflow, v9Refresh, ipfixRefresh}) {
            b.release();
        }
        if (sink.errors != 0) {
            throw new IllegalStateException(sink.errors + " decode errors during the measurement");
        }
    }

    // ------------------------------------------------------------------ synthetic full-size datagrams

    /** NetFlow v5, 30 records of 48 bytes (1464-byte datagram). */
    @Benchmark
    @OperationsPerInvocation(V5_RECORDS)
    public int netflowV5(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(v5, v5Exporter, RECEIVED, sink);
    }

    /** NetFlow v9, 20-field template, 26 records of 52 bytes (1376-byte datagram). */
    @Benchmark
    @OperationsPerInvocation(V9_RECORDS)
    public int netflowV9(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(v9, v9Exporter, RECEIVED, sink);
    }

    /** IPFIX, 20-field template, 19 records of 72 bytes (1388-byte message). */
    @Benchmark
    @OperationsPerInvocation(IPFIX_RECORDS)
    public int ipfix(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(ipfix, ipfixExporter, RECEIVED, sink);
    }

    // ------------------------------------------------------------------ template refreshes

    /**
     * A NetFlow v9 template datagram (the 20-field template 256) that repeats the template the decoder holds, as
     * exporters send every few datagrams (softflowd every 16); the score is refreshes per second.
     */
    @Benchmark
    public int netflowV9TemplateRefresh() {
        return decoder.decode(v9Refresh, v9Exporter, RECEIVED, sink);
    }

    /** The same for an IPFIX template message (20-field template 256); refreshes per second. */
    @Benchmark
    public int ipfixTemplateRefresh() {
        return decoder.decode(ipfixRefresh, ipfixExporter, RECEIVED, sink);
    }

    // ------------------------------------------------------------------ real captures (shared corpus)

    /** Cisco ASA NSEL, template 265 (netflow9_test_cisco_asa_1_data.dat, 1452 bytes). */
    @Benchmark
    @OperationsPerInvocation(ASA_RECORDS)
    public int corpusCiscoAsa(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(asa, asaExporter, RECEIVED, sink);
    }

    /** Cisco ASR 9000, template 260 (netflow9_test_cisco_asr9k_data260.dat, 1392 bytes). */
    @Benchmark
    @OperationsPerInvocation(ASR9K_RECORDS)
    public int corpusCiscoAsr9k(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(asr9k, asr9kExporter, RECEIVED, sink);
    }

    /** Mikrotik RouterOS IPFIX, template 258 (ipfix_test_mikrotik_data258.dat, 1448 bytes). */
    @Benchmark
    @OperationsPerInvocation(MIKROTIK_RECORDS)
    public int corpusMikrotik(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(mikrotik, mikrotikExporter, RECEIVED, sink);
    }

    /** OpenBSD pflow IPFIX, template 256 (ipfix_test_openbsd_pflow_data.dat, 1424 bytes). */
    @Benchmark
    @OperationsPerInvocation(PFLOW_RECORDS)
    public int corpusOpenbsdPflow(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(pflow, pflowExporter, RECEIVED, sink);
    }

    // ------------------------------------------------------------------ setup helpers

    private static InetAddress exporter(int n) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) n});
    }

    private ByteBuf buffer(byte[] bytes) {
        if ("heap".equals(buffer)) {
            return Unpooled.wrappedBuffer(bytes);
        }
        if ("direct".equals(buffer)) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
            return b.writeBytes(bytes);
        }
        throw new IllegalArgumentException("buffer must be direct or heap, not " + buffer);
    }

    /** Decodes a template datagram; it must define templates and yield no record and no error. */
    private void learn(String what, InetAddress exporter, byte[] template) {
        int before = decoder.templateCount();
        ByteBuf b = Unpooled.wrappedBuffer(template);
        int n = decode(what, exporter, b);
        if (n != 0 || decoder.templateCount() <= before) {
            throw new IllegalStateException(what + ": expected templates and no records, got " + n
                    + " records and " + (decoder.templateCount() - before) + " templates");
        }
    }

    /**
     * Decodes a template datagram whose templates the decoder holds already: it must yield no record, no error
     * and no new template, and count as a template received.
     */
    private void checkRefresh(String what, InetAddress exporter, ByteBuf refresh) {
        int before = decoder.templateCount();
        long received = decoder.statistics().templates();
        int n = decode(what, exporter, refresh);
        if (n != 0 || decoder.templateCount() != before || decoder.statistics().templates() != received + 1) {
            throw new IllegalStateException(what + ": expected one template refresh and no records, got " + n
                    + " records, " + (decoder.templateCount() - before) + " new templates and "
                    + (decoder.statistics().templates() - received) + " templates received");
        }
    }

    private ByteBuf corpus(InetAddress exporter, String templateFile, String dataFile, int expected) {
        learn(templateFile, exporter, BenchmarkCorpus.logstashDat(templateFile));
        ByteBuf data = buffer(BenchmarkCorpus.logstashDat(dataFile));
        for (int round = 0; round < 2; round++) { // the second round sees the steady state
            int n = decode(dataFile, exporter, data);
            if (n != expected || sink.records != expected) {
                throw new IllegalStateException(dataFile + ": expected " + expected + " records, decoded " + n
                        + " (handler saw " + sink.records + ")");
            }
        }
        return data;
    }

    private void checkSynthetic(String what, InetAddress exporter, ByteBuf data, SyntheticPackets.Packet p,
            int expected) {
        if (p.records() != expected) {
            throw new IllegalStateException(what + " holds " + p.records() + " records, the benchmark declares "
                    + expected);
        }
        int n = decode(what, exporter, data);
        if (n != expected || sink.records != expected || sink.bytes != p.bytesSum() || sink.packets != p.packetsSum()
                || sink.unaddressed != 0 || sink.untimed != 0) {
            throw new IllegalStateException(what + ": expected " + expected + " records of " + p.bytesSum()
                    + " bytes and " + p.packetsSum() + " packets with addresses and times, decoded " + n
                    + " records (handler saw " + sink.records + ") of " + sink.bytes + " bytes and " + sink.packets
                    + " packets, " + sink.unaddressed + " without addresses, " + sink.untimed + " without times");
        }
    }

    /** One checked decode: counts what the handler sees, fails on any decode error. */
    private int decode(String what, InetAddress exporter, ByteBuf b) {
        sink.reset();
        sink.check = true;
        int readerIndex = b.readerIndex();
        int writerIndex = b.writerIndex();
        int n;
        try {
            n = decoder.decode(b, exporter, RECEIVED, sink);
        } finally {
            sink.check = false;
        }
        if (sink.errors != 0) {
            throw new IllegalStateException(what + ": decode error " + sink.firstError);
        }
        if (b.readerIndex() != readerIndex || b.writerIndex() != writerIndex) {
            throw new IllegalStateException(what + ": the decoder moved the buffer's indexes");
        }
        return n;
    }

    /**
     * The handler under measurement: reads the ten common fields of every record into a Blackhole. With
     * {@code check} set (setup only) it also adds them up for the setup's checks.
     */
    static final class FieldSink implements FlowHandler {
        Blackhole bh;
        boolean check;
        final byte[] address = new byte[16];
        long records;
        long bytes;
        long packets;
        long unaddressed;
        long untimed;
        long errors;
        DecodeError firstError;

        void reset() {
            records = 0;
            bytes = 0;
            packets = 0;
            unaddressed = 0;
            untimed = 0;
            errors = 0;
            firstError = null;
        }

        @Override
        public void onRecord(FlowRecord r) {
            Blackhole b = bh;
            int src = consumeAddress(b, r, FlowField.SOURCE_ADDRESS, address);
            int dst = consumeAddress(b, r, FlowField.DESTINATION_ADDRESS, address);
            b.consume(r.sourcePort());
            b.consume(r.destinationPort());
            b.consume(r.protocolNumber());
            long octets = r.bytes();
            b.consume(octets);
            long pkts = r.packets();
            b.consume(pkts);
            long start = r.startMillis();
            b.consume(start);
            long end = r.endMillis();
            b.consume(end);
            b.consume(r.tcpFlags());
            records++;
            if (check) {
                bytes += octets;
                packets += pkts;
                if (src == 0 || dst == 0) {
                    unaddressed++;
                }
                if (start == 0 || end == 0) {
                    untimed++;
                }
            }
        }

        @Override
        public void onOptions(FlowRecord record) {
            bh.consume(record.fieldCount());
        }

        @Override
        public void onError(DecodeError error) {
            if (errors++ == 0) {
                firstError = error;
            }
        }
    }

    /**
     * Sinks an address field the way a consumer reads it without allocating: IPv4 as an int, IPv6 copied into
     * {@code scratch} (16 bytes); returns the IPv4 value or the IPv6 length, 0 when absent.
     */
    static int consumeAddress(Blackhole b, FlowRecord r, FlowField field, byte[] scratch) {
        if (r.isIpv6(field)) {
            int n = r.copyAddress(field, scratch);
            b.consume(scratch);
            return n;
        }
        int v4 = r.ipv4(field);
        b.consume(v4);
        return v4;
    }
}
