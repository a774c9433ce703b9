package dev.sluice.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.DecodeError.Reason;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecoderStatisticsTest {

    private static DecoderStatistics stats(long base, Map<Reason, Long> errors) {
        return new DecoderStatistics(base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, base + 7, base + 8,
                base + 9, base + 10, base + 11, errors, base + 12, base + 13, base + 14, base + 15, base + 16,
                base + 17, base + 18);
    }

    @Test
    void plusAddsEveryCounterAndMergesErrors() {
        DecoderStatistics a = stats(0, Map.of(Reason.TRUNCATED, 2L));
        DecoderStatistics b = stats(100, Map.of(Reason.TRUNCATED, 3L, Reason.BAD_LENGTH, 1L));
        assertThat(a.plus(b)).isEqualTo(new DecoderStatistics(102, 104, 106, 108, 110, 112, 114, 116, 118, 120, 122,
                Map.of(Reason.TRUNCATED, 5L, Reason.BAD_LENGTH, 1L), 124, 126, 128, 130, 132, 134, 136));
        assertThat(DecoderStatistics.EMPTY.plus(a)).isEqualTo(a);
        assertThat(a.plus(b).errorCount()).isEqualTo(6);
    }

    @Test
    void withoutGaugesKeepsTheCountsOnly() {
        DecoderStatistics s = stats(0, Map.of(Reason.UNKNOWN_SET, 1L)).withoutGauges();
        assertThat(s.activeTemplates()).isZero();
        assertThat(s.pendingSets()).isZero();
        assertThat(s.pendingBytes()).isZero();
        assertThat(s.records()).isEqualTo(3);
        assertThat(s.sequenceResets()).isEqualTo(18);
        assertThat(s.errors(Reason.UNKNOWN_SET)).isEqualTo(1);
    }
}
