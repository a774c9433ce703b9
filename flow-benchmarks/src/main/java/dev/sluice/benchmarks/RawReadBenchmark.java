package dev.sluice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * A reference point for {@link DecoderBenchmark#netflowV5}, not a decoder: the same ten fields of the same 30
 * NetFlow v5 records read at hard-coded offsets, with no header checks, template, view or handler. It shows
 * what the machine, the harness and the buffer reads alone cost per record, i.e. the ceiling any v5 decoder
 * on this API could reach here.
 *
 * <ul>
 *   <li>{@code nettyGetters}: Netty's checked {@code ByteBuf} getters (reference count and bounds checked on
 *       every read), as the decoder reads today;</li>
 *   <li>{@code byteArray}: big-endian {@link VarHandle} reads from the packet's bytes (one JVM range check per
 *       read, usually hoisted).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RawReadBenchmark {

    private static final int RECORDS = DecoderBenchmark.V5_RECORDS;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    @Param({"direct", "heap"})
    public String buffer;

    private ByteBuf buf;
    private byte[] bytes;

    @Setup(Level.Trial)
    public void setup() {
        bytes = SyntheticPackets.netflowV5(5).data();
        if ("direct".equals(buffer)) {
            buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        } else {
            buf = Unpooled.wrappedBuffer(bytes);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buf.release();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void nettyGetters(Blackhole bh) {
        ByteBuf b = buf;
        int count = b.getUnsignedShort(2);
        long uptime = b.getUnsignedInt(4);
        long export = b.getUnsignedInt(8) * 1000 + b.getUnsignedInt(12) / 1_000_000;
        for (int i = 0, off = 24; i < count; i++, off += 48) {
            bh.consume(b.getInt(off));
            bh.consume(b.getInt(off + 4));
            bh.consume(b.getUnsignedShort(off + 32));
            bh.consume(b.getUnsignedShort(off + 34));
            bh.consume(b.getUnsignedByte(off + 38));
            bh.consume(b.getUnsignedInt(off + 20));
            bh.consume(b.getUnsignedInt(off + 16));
            bh.consume(export - (int) (uptime - b.getUnsignedInt(off + 24)));
            bh.consume(export - (int) (uptime - b.getUnsignedInt(off + 28)));
            bh.consume(b.getUnsignedByte(off + 37));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void byteArray(Blackhole bh) {
        byte[] b = bytes;
        int count = (short) SHORT.get(b, 2) & 0xFFFF;
        long uptime = (int) INT.get(b, 4) & 0xFFFFFFFFL;
        long export = ((int) INT.get(b, 8) & 0xFFFFFFFFL) * 1000 + ((int) INT.get(b, 12) & 0xFFFFFFFFL) / 1_000_000;
        for (int i = 0, off = 24; i < count; i++, off += 48) {
            bh.consume((int) INT.get(b, off));
            bh.consume((int) INT.get(b, off + 4));
            bh.consume((short) SHORT.get(b, off + 32) & 0xFFFF);
            bh.consume((short) SHORT.get(b, off + 34) & 0xFFFF);
            bh.consume(b[off + 38] & 0xFF);
            bh.consume((int) INT.get(b, off + 20) & 0xFFFFFFFFL);
            bh.consume((int) INT.get(b, off + 16) & 0xFFFFFFFFL);
            bh.consume(export - (int) (uptime - ((int) INT.get(b, off + 24) & 0xFFFFFFFFL)));
            bh.consume(export - (int) (uptime - ((int) INT.get(b, off + 28) & 0xFFFFFFFFL)));
            bh.consume(b[off + 37] & 0xFF);
        }
    }
}
