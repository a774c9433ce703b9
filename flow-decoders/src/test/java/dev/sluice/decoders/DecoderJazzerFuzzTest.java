package dev.sluice.decoders;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.decoders.FuzzCorpus.Seed;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Jazzer fuzz target for {@link FlowDecoder#decode}, under the invariants of {@link FuzzChecks}.
 *
 * <p>The input's first byte picks a corpus datagram whose templates are fed first (so that mutated data sets
 * meet templates); the rest is the datagram. In a normal test run Jazzer is in regression mode and runs the
 * target once per stored input (none are stored yet: just the empty input), and {@link #corpusThroughTheTarget}
 * runs every corpus datagram through the target. To fuzz for real:
 * {@code JAZZER_FUZZ=1 mvn -o test -pl flow-decoders -Dtest=DecoderJazzerFuzzTest}; findings are written as
 * regression inputs under {@code src/test/resources/dev/sluice/decoders/DecoderJazzerFuzzTestInputs/decode}.
 */
class DecoderJazzerFuzzTest {

    private static final InetAddress EXPORTER = DecoderFuzzPropertiesTest.EXPORTER;
    private static final long NOW = 1_700_000_000_000L;
    private static final DecoderLimits LIMITS = new DecoderLimits(8, 8, 64, 256, 256, 16 << 10, 64 << 10, 60_000);

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) {
        List<Seed> seeds = FuzzCorpus.seeds();
        FuzzChecks.Session s = new FuzzChecks.Session(new FlowDecoder(LIMITS));
        s.preemptive = false; // Jazzer enforces its own timeouts while fuzzing
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

    @Test
    void corpusThroughTheTarget() {
        List<Seed> seeds = FuzzCorpus.seeds();
        for (int i = 0; i < seeds.size(); i++) {
            byte[] p = seeds.get(i).packet();
            byte[] input = new byte[p.length + 1];
            input[0] = (byte) i;
            System.arraycopy(p, 0, input, 1, p.length);
            decode(input);
        }
    }
}
