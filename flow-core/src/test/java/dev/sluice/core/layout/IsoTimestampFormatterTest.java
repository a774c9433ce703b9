package dev.sluice.core.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimestampFormatterTest {

    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final long MIN_MILLIS = IsoTimestampFormatter.MIN_SECOND * 1000;
    private static final long MAX_MILLIS = IsoTimestampFormatter.MAX_SECOND * 1000 + 999;

    @Test
    void knownValues() {
        assertThat(IsoTimestampFormatter.toString(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(IsoTimestampFormatter.toString(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
        assertThat(IsoTimestampFormatter.toString(1444384070179L)).isEqualTo("2015-10-09T09:47:50.179Z");
        assertThat(IsoTimestampFormatter.toString(951782400000L)).isEqualTo("2000-02-29T00:00:00.000Z");
        assertThat(IsoTimestampFormatter.toString(MIN_MILLIS)).isEqualTo("0000-01-01T00:00:00.000Z");
        assertThat(IsoTimestampFormatter.toString(MAX_MILLIS)).isEqualTo("9999-12-31T23:59:59.999Z");
        assertThat(IsoTimestampFormatter.toString(4294967295000L)).isEqualTo("2106-02-07T06:28:15.000Z");
    }

    @Test
    void millisMatchJavaTimeForRandomValues() {
        SplittableRandom random = new SplittableRandom(8601);
        char[] out = new char[IsoTimestampFormatter.MILLIS_LENGTH + 1];
        for (int i = 0; i < 200_000; i++) {
            long millis;
            switch (i % 4) {
                case 0: // anywhere in the supported range
                    millis = random.nextLong(MIN_MILLIS, MAX_MILLIS + 1);
                    break;
                case 1: // what flow exporters send: 1970 to 2106
                    millis = random.nextLong(0, 4_294_967_296_000L);
                    break;
                case 2: // around midnight of a random day, where day and year roll over
                    millis = Math.floorDiv(random.nextLong(MIN_MILLIS, MAX_MILLIS), 86_400_000L) * 86_400_000L
                            + random.nextLong(-1500, 1500);
                    break;
                default: // around the turn of a year, including leap years and centuries
                    int year = random.nextInt(1, 9999);
                    millis = Instant.parse(String.format("%04d-01-01T00:00:00Z", year)).toEpochMilli()
                            + random.nextLong(-86_400_000L * 2, 86_400_000L * 2);
                    break;
            }
            millis = Math.max(MIN_MILLIS, Math.min(MAX_MILLIS, millis));
            int end = IsoTimestampFormatter.formatMillis(millis, out, 1);
            assertThat(end).isEqualTo(1 + IsoTimestampFormatter.MILLIS_LENGTH);
            assertThat(new String(out, 1, IsoTimestampFormatter.MILLIS_LENGTH))
                    .as("%d", millis)
                    .isEqualTo(MILLIS.format(Instant.ofEpochMilli(millis)));
        }
    }

    @Test
    void daysMatchJavaTime() {
        // Every day from 1900 to 2106 (what exporters send), and every 97th day of years 0000 to 9999.
        long firstDay = Math.floorDiv(IsoTimestampFormatter.MIN_SECOND, 86_400);
        long lastDay = Math.floorDiv(IsoTimestampFormatter.MAX_SECOND, 86_400);
        long from1900 = Math.floorDiv(Instant.parse("1900-01-01T00:00:00Z").getEpochSecond(), 86_400);
        long to2106 = Math.floorDiv(Instant.parse("2106-12-31T00:00:00Z").getEpochSecond(), 86_400);
        char[] out = new char[IsoTimestampFormatter.MILLIS_LENGTH];
        for (long day = firstDay; day <= lastDay; day += day >= from1900 && day < to2106 ? 1 : 97) {
            long millis = day * 86_400_000L + 43_200_123L;
            IsoTimestampFormatter.formatMillis(millis, out, 0);
            String expected = MILLIS.format(Instant.ofEpochMilli(millis));
            if (!expected.equals(new String(out))) {
                assertThat(new String(out)).isEqualTo(expected);
            }
        }
        IsoTimestampFormatter.formatMillis(lastDay * 86_400_000L, out, 0);
        assertThat(new String(out)).isEqualTo("9999-12-31T00:00:00.000Z");
    }

    @Test
    void fractionDigitsMatchJavaTime() {
        SplittableRandom random = new SplittableRandom(7011);
        DateTimeFormatter[] patterns = new DateTimeFormatter[10];
        for (int digits = 0; digits <= 9; digits++) {
            String pattern = "uuuu-MM-dd'T'HH:mm:ss" + (digits == 0 ? "" : "." + "S".repeat(digits)) + "'Z'";
            patterns[digits] = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
        }
        char[] out = new char[IsoTimestampFormatter.MAX_LENGTH];
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(IsoTimestampFormatter.MIN_SECOND, IsoTimestampFormatter.MAX_SECOND + 1);
            int nanos = random.nextInt(1_000_000_000);
            int digits = random.nextInt(10);
            int fraction = nanos / (int) Math.pow(10, 9 - digits);
            int end = IsoTimestampFormatter.format(second, fraction, digits, out, 0);
            String expected = patterns[digits].format(Instant.ofEpochSecond(second, nanos));
            assertThat(new String(out, 0, end)).isEqualTo(expected);
        }
    }

    @Test
    void supportedRange() {
        assertThat(IsoTimestampFormatter.isSupportedMillis(MIN_MILLIS)).isTrue();
        assertThat(IsoTimestampFormatter.isSupportedMillis(MAX_MILLIS)).isTrue();
        assertThat(IsoTimestampFormatter.isSupportedMillis(MIN_MILLIS - 1)).isFalse();
        assertThat(IsoTimestampFormatter.isSupportedMillis(MAX_MILLIS + 1)).isFalse();
        assertThat(IsoTimestampFormatter.isSupportedMillis(Long.MAX_VALUE)).isFalse();
        assertThat(IsoTimestampFormatter.isSupportedMillis(Long.MIN_VALUE)).isFalse();
        assertThat(IsoTimestampFormatter.isSupportedSeconds(IsoTimestampFormatter.MAX_SECOND + 1)).isFalse();
        assertThatThrownBy(() -> IsoTimestampFormatter.format(IsoTimestampFormatter.MAX_SECOND + 1, 0, 3,
                new char[40], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IsoTimestampFormatter.format(0, 1000, 3, new char[40], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
