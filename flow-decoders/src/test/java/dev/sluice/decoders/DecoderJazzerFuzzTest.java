package dev.sluice.decoders;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.decoders.FuzzCorpus.Seed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A Jazzer fuzz target for {@link FlowDecoder#decode}, under the invariants of {@link FuzzChecks}.
 *
 * <p>The input's first byte picks a corpus datagram whose templates are fed first (so that mutated data sets
 * meet templates); the rest is the datagram. To fuzz:
 * {@code JAZZER_FUZZ=1 mvn -o test -pl flow-decoders -Dtest=DecoderJazzerFuzzTest}; findings are written as
 * regression inputs under {@code src/test/resources/dev/sluice/decoders/DecoderJazzerFuzzTestInputs/decode}.
 *
 * <p>In a normal test run the {@code @FuzzTest} is skipped: starting the Jazzer agent costs about 25 s per run
 * (measured here), for one empty input. {@link #corpusAndStoredFindingsThroughTheTarget} instead runs the
 * target, without Jazzer, over every corpus datagram and every stored finding.
 */
class DecoderJazzerFuzzTest {

    private static final InetAddress EXPORTER = DecoderFuzzPropertiesTest.EXPORTER;
    private static final long NOW = 1_700_000_000_000L;
    private static final DecoderLimits LIMITS = new DecoderLimits(8, 8, 64, 256, 256, 16 << 10, 64 << 10, 60_000);
    private static final String FINDINGS = "DecoderJazzerFuzzTestInputs/decode";

    @FuzzTest(maxDuration = "60s")
    @EnabledIfEnvironmentVariable(named = "JAZZER_FUZZ", matches = ".+")
    void decode(byte[] input) {
        target(input);
    }

    @Test
    void corpusAndStoredFindingsThroughTheTarget() throws IOException, URISyntaxException {
        List<Seed> seeds = FuzzCorpus.seeds();
        for (int i = 0; i < seeds.size(); i++) {
            byte[] p = seeds.get(i).packet();
            byte[] input = new byte[p.length + 1];
            input[0] = (byte) i;
            System.arraycopy(p, 0, input, 1, p.length);
            target(input);
        }
        URL findings = DecoderJazzerFuzzTest.class.getResource(FINDINGS);
        if (findings != null && "file".equals(findings.getProtocol())) {
            try (Stream<Path> files = Files.list(Path.of(findings.toURI()))) {
                for (Path f : files.sorted().toList()) {
                    try {
                        target(Files.readAllBytes(f));
                    } catch (AssertionError e) {
                        throw new AssertionError("stored finding " + f.getFileName() + ": " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    private static void target(byte[] input) {
        List<Seed> seeds = FuzzCorpus.seeds();
        FuzzChecks.Session s = new FuzzChecks.Session(new FlowDecoder(LIMITS));
        // Jazzer enforces its own timeout while fuzzing (a wall-clock bound here only caught GC pauses)
        s.preemptive = false;
        s.inlineBoundMillis = Long.MAX_VALUE;
        byte[] datagram = input;
        if (input.length > 0) {
            Seed seed = seeds.get((input[0] & 0xFF) % seeds.size());
            for (byte[] pre : seed.preamble()) {
                FuzzChecks.decodeChecked(s, pre, EXPORTER, NOW - 1000);
            }
            datagram = Arrays.copyOfRange(input, 1, input.length);
        }
        FuzzChecks.decodeChecked(s, datagram, EXPORTER, NOW);
        // and once more after a gap longer than the pending age: held data expires, nothing breaks
        FuzzChecks.decodeChecked(s, datagram, EXPORTER, NOW + LIMITS.maxPendingAgeMillis() + 1);
    }
}
