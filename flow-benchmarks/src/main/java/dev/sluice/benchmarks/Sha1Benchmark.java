package dev.sluice.benchmarks;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What SHA-1 alone costs through {@link MessageDigest}, the only public way to the JDK's SHA-1 (and its CPU
 * intrinsic): the lower bound of {@code CommunityIdStage}, which hashes one such input per record. The inputs are
 * Community ID v1 tuples in {@code EnrichmentBenchmark}'s mix: three quarters IPv4 (seed, two 4-byte addresses,
 * protocol, padding, ports: 16 bytes), one quarter IPv6 (40 bytes), random contents; each digest goes into a reused
 * 20-byte array (no allocation), as the stage does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Sha1Benchmark {

    static final int INPUTS = 1024;

    private final byte[][] inputs = new byte[INPUTS][];
    private final byte[] hash = new byte[20];
    private MessageDigest sha1;

    @Setup
    public void setup() throws NoSuchAlgorithmException {
        sha1 = MessageDigest.getInstance("SHA-1");
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < INPUTS; i++) {
            byte[] in = new byte[i % 4 == 3 ? 40 : 16];
            for (int k = 2; k < in.length; k++) {
                in[k] = (byte) r.nextInt(256);
            }
            inputs[i] = in;
        }
    }

    /** update + digest into the reused array, per input. */
    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public void messageDigest(Blackhole bh) throws DigestException {
        MessageDigest md = sha1;
        byte[] h = hash;
        for (byte[] in : inputs) {
            md.update(in, 0, in.length);
            md.digest(h, 0, 20);
            bh.consume(h[0]);
        }
    }
}
