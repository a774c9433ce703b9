package dev.sluice.benchmarks;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.decoders.DecoderStatistics;
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
 * sFlow v5 decoding throughput, in flow samples per second (each benchmark's {@link OperationsPerInvocation} is
 * the number of flow samples in its datagram; counter samples are decoded and read too, but not counted).
 *
 * <p>Every invocation decodes one whole datagram. The handler reads the ten common fields of every flow sample
 * (source and destination address, ports, protocol, bytes, packets, TCP flags, VLAN, input interface,
 * sampling interval) and the in / out octet counters of every counter sample into a {@link Blackhole}. The
 * setup decodes each datagram and fails unless it yields exactly the declared numbers of flow and counter
 * samples, no decode error and no skipped format, and (synthetic datagrams) the sums of the values it was
 * built with.
 *
 * <p>The {@code corpus*} benchmarks decode goflow2's test vectors from the shared corpus, found through the
 * {@code sluice.corpus} system property as for {@link DecoderBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SflowBenchmark {

    // Flow samples / counter samples per datagram; the setup fails when a datagram yields other numbers.
    static final int SYNTHETIC_FLOWS = 8;
    static final int SYNTHETIC_COUNTERS = 2;
    static final int FLOWS_1400 = 5;
    static final int COUNTERS_1400 = 1;
    static final int EXPANDED_FLOWS = 5;
    static final int SINGLE_FLOWS = 1;

    static final String EXPANDED_VECTOR = "sflow_test__TestExpandedSFlowDecode__data__L30.bin";
    static final String SINGLE_VECTOR = "sflow_test__TestSFlowDecode__data__L11.bin";

    private static final long RECEIVED = SyntheticPackets.EXPORT_SECONDS * 1000 + 5;

    @Param({"direct", "heap"})
    public String buffer;

    private FlowDecoder decoder;
    private SampleSink sink;
    private InetAddress source;

    private ByteBuf synthetic;
    private ByteBuf small;
    private ByteBuf expanded;
    private ByteBuf single;

    @Setup(Level.Trial)
    public void setup() throws UnknownHostException {
        decoder = new FlowDecoder();
        sink = new SampleSink();
        sink.bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        source = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 10});

        synthetic = synthetic("synthetic sFlow, 8 flow + 2 counter samples",
                SyntheticSflow.datagram(6343, SYNTHETIC_FLOWS, SYNTHETIC_COUNTERS));
        small = synthetic("synthetic sFlow, 5 flow + 1 counter sample",
                SyntheticSflow.datagram(6344, FLOWS_1400, COUNTERS_1400));
        expanded = corpus(EXPANDED_VECTOR, EXPANDED_FLOWS);
        single = corpus(SINGLE_VECTOR, SINGLE_FLOWS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (ByteBuf b : new ByteBuf[] {synthetic, small, expanded, single}) {
            b.release();
        }
        if (sink.errors != 0) {
            throw new IllegalStateException(sink.errors + " decode errors during the measurement");
        }
    }

    // ------------------------------------------------------------------ synthetic datagrams

    /**
     * 8 flow samples (128-byte Ethernet / 802.1Q / IPv4 / TCP header + extended switch) and 2 counter samples
     * (generic + Ethernet): 2108 bytes, an agent configured for datagrams above the 1400-byte default.
     */
    @Benchmark
    @OperationsPerInvocation(SYNTHETIC_FLOWS)
    public int synthetic(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(synthetic, source, RECEIVED, sink);
    }

    /** The same samples, 5 flow + 1 counter sample: 1284 bytes, within sFlow's default 1400-byte datagram. */
    @Benchmark
    @OperationsPerInvocation(FLOWS_1400)
    public int synthetic1400(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(small, source, RECEIVED, sink);
    }

    // ------------------------------------------------------------------ goflow2 vectors (shared corpus)

    /** goflow2 TestExpandedSFlowDecode: 5 expanded flow samples, 1500 bytes. */
    @Benchmark
    @OperationsPerInvocation(EXPANDED_FLOWS)
    public int corpusGoflow2Expanded(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(expanded, source, RECEIVED, sink);
    }

    /** goflow2 TestSFlowDecode: 1 flow sample (ICMP in VLAN 32), 172 bytes. */
    @Benchmark
    @OperationsPerInvocation(SINGLE_FLOWS)
    public int corpusGoflow2Single(Blackhole bh) {
        sink.bh = bh;
        return decoder.decode(single, source, RECEIVED, sink);
    }

    // ------------------------------------------------------------------ setup helpers

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

    private ByteBuf synthetic(String what, SyntheticSflow.Datagram d) {
        ByteBuf b = buffer(d.data());
        for (int round = 0; round < 2; round++) { // the second round sees the steady state
            int n = decode(what, b);
            if (n != d.flowSamples() || sink.records != d.flowSamples() || sink.counters != d.counterSamples()
                    || sink.bytes != d.bytesSum() || sink.fieldSum != d.fieldSum()
                    || sink.octets != d.octetsSum() || sink.unaddressed != 0) {
                throw new IllegalStateException(what + ": expected " + d.flowSamples() + " flow samples of "
                        + d.bytesSum() + " bytes (field sum " + d.fieldSum() + ") and " + d.counterSamples()
                        + " counter samples of " + d.octetsSum() + " octets; decoded " + n + " (handler saw "
                        + sink.records + ") of " + sink.bytes + " bytes (field sum " + sink.fieldSum + "), "
                        + sink.unaddressed + " without addresses, and " + sink.counters + " counter samples of "
                        + sink.octets + " octets");
            }
        }
        return b;
    }

    private ByteBuf corpus(String file, int expected) {
        ByteBuf b = buffer(BenchmarkCorpus.goflow2Vector(file));
        for (int round = 0; round < 2; round++) {
            int n = decode(file, b);
            if (n != expected || sink.records != expected || sink.unaddressed != 0) {
                throw new IllegalStateException(file + ": expected " + expected + " flow samples with addresses, "
                        + "decoded " + n + " (handler saw " + sink.records + ", " + sink.unaddressed
                        + " without addresses)");
            }
        }
        return b;
    }

    /** One checked decode: counts and sums what the handler sees, fails on any decode error or skipped format. */
    private int decode(String what, ByteBuf b) {
        sink.reset();
        sink.check = true;
        long skippedBefore = decoder.statistics().skippedFormats();
        int readerIndex = b.readerIndex();
        int writerIndex = b.writerIndex();
        int n;
        try {
            n = decoder.decode(b, source, RECEIVED, sink);
        } finally {
            sink.check = false;
        }
        if (sink.errors != 0) {
            throw new IllegalStateException(what + ": decode error " + sink.firstError);
        }
        DecoderStatistics s = decoder.statistics();
        if (s.skippedFormats() != skippedBefore || s.errorCount() != 0) {
            throw new IllegalStateException(what + ": " + (s.skippedFormats() - skippedBefore)
                    + " skipped formats, " + s.errorCount() + " errors counted");
        }
        if (b.readerIndex() != readerIndex || b.writerIndex() != writerIndex) {
            throw new IllegalStateException(what + ": the decoder moved the buffer's indexes");
        }
        return n;
    }

    /**
     * The handler under measurement: reads the ten common fields of every flow sample and the octet counters of
     * every counter sample into a Blackhole. With {@code check} set (setup only) it also adds them up.
     */
    static final class SampleSink implements FlowHandler {
        Blackhole bh;
        boolean check;
        final byte[] address = new byte[16];
        long records;
        long counters;
        long bytes;
        long fieldSum;
        long octets;
        long unaddressed;
        long errors;
        DecodeError firstError;

        void reset() {
            records = 0;
            counters = 0;
            bytes = 0;
            fieldSum = 0;
            octets = 0;
            unaddressed = 0;
            errors = 0;
            firstError = null;
        }

        @Override
        public void onRecord(FlowRecord r) {
            Blackhole b = bh;
            int src = DecoderBenchmark.consumeAddress(b, r, FlowField.SOURCE_ADDRESS, address);
            int dst = DecoderBenchmark.consumeAddress(b, r, FlowField.DESTINATION_ADDRESS, address);
            int srcPort = r.sourcePort();
            b.consume(srcPort);
            int dstPort = r.destinationPort();
            b.consume(dstPort);
            int protocol = r.protocolNumber();
            b.consume(protocol);
            long octets = r.bytes();
            b.consume(octets);
            long pkts = r.packets();
            b.consume(pkts);
            int flags = r.tcpFlags();
            b.consume(flags);
            int vlan = r.vlan();
            b.consume(vlan);
            long in = r.inputInterface();
            b.consume(in);
            long rate = r.samplingInterval();
            b.consume(rate);
            records++;
            if (check) {
                bytes += octets;
                fieldSum += (src & 0xFFFFFFFFL) + (dst & 0xFFFFFFFFL) + srcPort + dstPort + protocol + octets + pkts
                        + flags + vlan + in + rate;
                if (src == 0 || dst == 0) {
                    unaddressed++;
                }
            }
        }

        @Override
        public void onCounters(InterfaceCounters c) {
            long in = c.inOctets();
            bh.consume(in);
            long out = c.outOctets();
            bh.consume(out);
            counters++;
            if (check) {
                octets += in + out;
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
}
