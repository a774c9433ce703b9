package dev.sluice.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.decoders.FuzzCorpus.Seed;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Assertions;

/**
 * Robustness properties of {@link FlowDecoder} against hostile input, seeded with every NetFlow/IPFIX datagram of
 * the shared corpus (fed after the templates it needs): truncations, byte mutations, length-field rewrites,
 * insertions and deletions, random bytes behind a valid version, random well-formed-ish message streams, and
 * bounded memory under a flood from many exporters. The invariants checked on every decode are in
 * {@link FuzzChecks}.
 */
class DecoderFuzzPropertiesTest {

    static final InetAddress EXPORTER = address("192.0.2.1");
    private static final long NOW = 1_700_000_000_000L;
    /** Generous enough for every corpus datagram, small enough that rewrites hit the limits. */
    private static final DecoderLimits LIMITS = new DecoderLimits(64, 16, 128, 1024, 512, 64 << 10, 1 << 20, 60_000);

    // ------------------------------------------------------------------ deterministic sweeps

    @Example
    void everySeedDecodesCleanlyWithItsTemplates() {
        for (Seed seed : FuzzCorpus.seeds()) {
            FuzzChecks.Session s = session(seed);
            FuzzChecks.decodeChecked(s, seed.packet(), EXPORTER, NOW);
        }
    }

    @Example
    void everyTruncationOfEverySeed() {
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (Seed seed : FuzzCorpus.seeds()) {
                byte[] p = seed.packet();
                for (int len = 0; len <= p.length; len++) {
                    FuzzChecks.Session s = session(seed);
                    s.preemptive = false; // the whole sweep is under the preemptive bound above
                    // every record's bounds always; every accessor and copy() for some lengths and the longest
                    s.exercise = len % 32 == 0 || len > p.length - 16
                            ? FuzzChecks.Exercise.FULL : FuzzChecks.Exercise.BOUNDS;
                    decode(s, seed, Arrays.copyOf(p, len), "length " + len, false);
                }
            }
        });
    }

    @Example
    void everyLengthFieldOfEverySeedSetToEdgeValues() {
        int[] values = {0, 1, 3, 0xFFFF};
        int positions = 0;
        for (Seed seed : FuzzCorpus.seeds()) {
            List<FuzzLengthFields.Position> found = FuzzLengthFields.find(seed.packet());
            positions += found.size();
            for (FuzzLengthFields.Position pos : found) {
                for (int v : values) {
                    byte[] b = seed.packet().clone();
                    FuzzLengthFields.put16(b, pos.offset(), v);
                    FuzzChecks.Session s = session(seed);
                    decode(s, seed, b, pos.what() + " = " + v, true);
                }
            }
        }
        assertThat(positions).as("length fields found in the corpus").isGreaterThan(2000);
    }

    // ------------------------------------------------------------------ random mutations of the corpus

    @Property(tries = 2000, shrinking = ShrinkingMode.BOUNDED)
    void byteMutations(@ForAll("seeds") Seed seed,
            @ForAll @Size(min = 1, max = 8) List<@net.jqwik.api.From("byteEdits") int[]> edits) {
        byte[] b = seed.packet().clone();
        if (b.length > 0) {
            for (int[] e : edits) {
                b[e[0] % b.length] = (byte) e[1];
            }
        }
        decode(session(seed), seed, b);
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
    void lengthFieldRewrites(@ForAll("seeds") Seed seed,
            @ForAll @Size(min = 1, max = 3) List<@net.jqwik.api.From("lengthEdits") int[]> edits) {
        List<FuzzLengthFields.Position> found = FuzzLengthFields.find(seed.packet());
        byte[] b = seed.packet().clone();
        StringBuilder what = new StringBuilder();
        for (int[] e : edits) {
            if (!found.isEmpty()) {
                FuzzLengthFields.Position pos = found.get(e[0] % found.size());
                FuzzLengthFields.put16(b, pos.offset(), e[1]);
                what.append(pos.what()).append('@').append(pos.offset()).append(" = ").append(e[1]).append("; ");
            }
        }
        decode(session(seed), seed, b, what.toString(), true);
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.BOUNDED)
    void insertionsAndDeletions(@ForAll("seeds") Seed seed,
            @ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.From("spliceEdits") int[]> edits,
            @ForAll long fill) {
        byte[] b = seed.packet().clone();
        Random r = new Random(fill);
        for (int[] e : edits) {
            int at = b.length == 0 ? 0 : e[1] % (b.length + 1);
            int n = e[2];
            if (e[0] == 0) {
                byte[] ins = new byte[n];
                r.nextBytes(ins);
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, n);
                System.arraycopy(b, at, out, at + n, b.length - at);
                b = out;
            } else {
                int del = Math.min(n, b.length - at);
                byte[] out = new byte[b.length - del];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + del, out, at, b.length - at - del);
                b = out;
            }
        }
        decode(session(seed), seed, b);
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
    void randomBytesBehindAValidVersion(@ForAll("seeds") Seed seed, @ForAll("versions") int version,
            @ForAll @Size(max = 1500) byte[] rest, @ForAll boolean fixLength) {
        byte[] b = new byte[2 + rest.length];
        FuzzLengthFields.put16(b, 0, version);
        System.arraycopy(rest, 0, b, 2, rest.length);
        if (fixLength && b.length >= 4) {
            FuzzLengthFields.put16(b, 2, version == 10 ? b.length : Math.min(30, b.length / 48));
        }
        // decoded after a seed's templates, so that data set ids in the noise can meet a template
        decode(session(seed), seed, b);
    }

    // ------------------------------------------------------------------ random message streams

    @Property(tries = 1500, shrinking = ShrinkingMode.OFF)
    void randomMessageStreams(@ForAll long seed) {
        FuzzDatagrams gen = new FuzzDatagrams(seed);
        Random r = gen.random();
        FuzzChecks.Session s = new FuzzChecks.Session(new FlowDecoder(LIMITS));
        InetAddress[] exporters = {address("192.0.2.1"), address("192.0.2.2"), address("2001:db8::1")};
        long now = NOW;
        for (int i = 0; i < 8; i++) {
            now += r.nextInt(30_000);
            FuzzChecks.decodeChecked(s, gen.next(), exporters[r.nextInt(exporters.length)], now);
        }
        List<DecodeError> expired = new ArrayList<>();
        s.decoder.expirePending(now + LIMITS.maxPendingAgeMillis() + 1, new FlowHandler() {
            @Override
            public void onRecord(FlowRecord record) {
                throw new AssertionError("expirePending delivered a record");
            }

            @Override
            public void onError(DecodeError error) {
                expired.add(error);
            }
        });
        assertThat(expired).allSatisfy(e -> assertThat(e.reason()).isEqualTo(DecodeError.Reason.PENDING_EXPIRED));
        assertThat(s.decoder.statistics().pendingSets()).isZero();
        assertThat(s.decoder.statistics().pendingBytes()).isZero();
    }

    // ------------------------------------------------------------------ bounded state

    /**
     * 100,000 random datagrams from 200 exporters against tight limits: the decoder holds no more templates,
     * pending bytes and exporters than allowed, at every step.
     */
    @Property(tries = 1, shrinking = ShrinkingMode.OFF)
    void stateStaysBoundedUnderAFlood(@ForAll long seed) {
        DecoderLimits tight = new DecoderLimits(16, 4, 24, 100, 64, 2048, 8192, 5_000);
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(120), () -> flood(seed, tight, 100_000));
    }

    private static void flood(long seed, DecoderLimits tight, int datagrams) {
        FuzzDatagrams gen = new FuzzDatagrams(seed);
        Random r = gen.random();
        FuzzChecks.Session s = new FuzzChecks.Session(new FlowDecoder(tight));
        s.preemptive = false;
        InetAddress[] exporters = new InetAddress[200];
        for (int i = 0; i < exporters.length; i++) {
            exporters[i] = address("10.1." + (i / 100) + "." + (i % 100));
        }
        long now = NOW;
        long limitErrors = 0;
        for (int i = 0; i < datagrams; i++) {
            now += r.nextInt(20);
            // most traffic from a few exporters (so templates and data meet), the rest from many
            InetAddress ex = exporters[r.nextInt(4) != 0 ? r.nextInt(8) : r.nextInt(exporters.length)];
            s.exercise = i % 64 == 0 ? FuzzChecks.Exercise.FULL : FuzzChecks.Exercise.BOUNDS;
            FuzzChecks.decodeChecked(s, gen.next(), ex, now);
            assertThat(s.decoder.templateCount()).isLessThanOrEqualTo(tight.maxTemplates());
            if (i % 500 == 0 || i == datagrams - 1) {
                DecoderStatistics all = s.decoder.statistics();
                assertThat(all.activeTemplates()).isEqualTo(s.decoder.templateCount());
                assertThat(all.pendingBytes()).isBetween(0L, tight.maxPendingBytes());
                assertThat(all.pendingSets()).isBetween(0L, all.pendingBytes());
                Map<InetAddress, DecoderStatistics> per = s.decoder.exporterStatistics();
                assertThat(per).hasSizeLessThanOrEqualTo(tight.maxExporters());
                for (DecoderStatistics e : per.values()) {
                    assertThat(e.activeTemplates()).isBetween(0L, (long) tight.maxTemplatesPerExporter());
                    assertThat(e.pendingBytes()).isBetween(0L, (long) tight.maxPendingBytesPerExporter());
                    // every held set is charged at least one byte: the number of held sets is bounded too
                    assertThat(e.pendingSets()).isBetween(0L, e.pendingBytes());
                }
                limitErrors = all.errors(DecodeError.Reason.LIMIT_EXCEEDED);
            }
        }
        // the flood did reach the bounds, else this proves nothing
        assertThat(limitErrors).as("LIMIT_EXCEEDED errors").isPositive();
        assertThat(s.decoder.templateCount()).as("templates held at the end").isPositive();
        assertThat(s.records).as("records delivered").isPositive();
        assertThat(s.decoder.statistics().errors(DecodeError.Reason.MISSING_TEMPLATE)).as("pending refusals")
                .isPositive();
    }

    // ------------------------------------------------------------------ helpers

    @Provide
    Arbitrary<Seed> seeds() {
        return Arbitraries.of(FuzzCorpus.seeds());
    }

    @Provide
    Arbitrary<Integer> versions() {
        return Arbitraries.of(5, 9, 10);
    }

    @Provide
    Arbitrary<int[]> byteEdits() {
        return Combinators.combine(Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, 255)).as((pos, v) -> new int[] {pos, v});
    }

    @Provide
    Arbitrary<int[]> lengthEdits() {
        Arbitrary<Integer> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(0, 1, 3, 0xFFFF)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 0xFFFF)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 64)));
        return Combinators.combine(Arbitraries.integers().between(0, Integer.MAX_VALUE), value)
                .as((which, v) -> new int[] {which, v});
    }

    @Provide
    Arbitrary<int[]> spliceEdits() {
        return Combinators.combine(Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 8)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(9, 200))))
                .as((kind, pos, n) -> new int[] {kind, pos, n});
    }

    /** A fresh decoder with the seed's preamble (its templates) already fed, itself under the checks. */
    private static FuzzChecks.Session session(Seed seed) {
        FuzzChecks.Session s = new FuzzChecks.Session(new FlowDecoder(LIMITS));
        s.preemptive = false;
        for (byte[] pre : seed.preamble()) {
            FuzzChecks.decodeChecked(s, pre, EXPORTER, NOW - 1000);
        }
        s.preemptive = true;
        return s;
    }

    private static void decode(FuzzChecks.Session s, Seed seed, byte[] mutated) {
        decode(s, seed, mutated, "", true);
    }

    private static void decode(FuzzChecks.Session s, Seed seed, byte[] mutated, String what, boolean again) {
        try {
            FuzzChecks.decodeChecked(s, mutated, EXPORTER, NOW);
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed.name() + (what.isEmpty() ? "" : " with " + what) + ": "
                    + e.getMessage(), e);
        }
        if (again) {
            // the decoder stays usable: the unmodified seed still decodes afterwards without failing the checks
            s.exercise = FuzzChecks.Exercise.BOUNDS;
            FuzzChecks.decodeChecked(s, seed.packet(), EXPORTER, NOW);
        }
    }

    static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }
}
