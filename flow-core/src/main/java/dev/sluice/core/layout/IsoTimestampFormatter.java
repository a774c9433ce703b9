package dev.sluice.core.layout;

/**
 * Formats instants as ISO-8601 UTC timestamps ({@code 2015-10-09T09:47:51.123Z}) into a caller's {@code char[]},
 * without {@code java.time} and without allocating: the per-record path writes several of these per document.
 *
 * <p>Years 0000 to 9999 are supported (what {@code yyyy} can hold and Elasticsearch's {@code date} type accepts);
 * check with {@link #isSupportedMillis(long)} / {@link #isSupportedSeconds(long)} first. The calendar is the
 * proleptic Gregorian one that {@code java.time} uses (days-to-civil conversion after H. Hinnant's
 * {@code civil_from_days}).
 *
 * <p>Every method writes at {@code dst[offset]} and returns the offset just after the last character.
 */
final class IsoTimestampFormatter {

    /** Length of {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. */
    static final int MILLIS_LENGTH = 24;

    /** The longest text written: nine fraction digits. */
    static final int MAX_LENGTH = 30;

    /** 0000-01-01T00:00:00Z in epoch seconds. */
    static final long MIN_SECOND = -62_167_219_200L;

    /** 9999-12-31T23:59:59Z in epoch seconds. */
    static final long MAX_SECOND = 253_402_300_799L;

    private static final int SECONDS_PER_DAY = 86_400;
    private static final int[] POWERS_OF_TEN = {
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
    };

    private IsoTimestampFormatter() {
    }

    /** Whether the epoch-millisecond instant is within years 0000 to 9999. */
    static boolean isSupportedMillis(long epochMillis) {
        return epochMillis >= MIN_SECOND * 1000 && epochMillis <= MAX_SECOND * 1000 + 999;
    }

    /** Whether the epoch-second instant is within years 0000 to 9999. */
    static boolean isSupportedSeconds(long epochSecond) {
        return epochSecond >= MIN_SECOND && epochSecond <= MAX_SECOND;
    }

    /** Writes {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. */
    static int formatMillis(long epochMillis, char[] dst, int offset) {
        long seconds = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        return format(seconds, millis, 3, dst, offset);
    }

    /**
     * Writes {@code yyyy-MM-ddTHH:mm:ss} followed by {@code fractionDigits} (0 to 9) digits of the fraction of a
     * second and {@code Z}; with 0 digits there is no decimal point.
     *
     * @param epochSecond seconds since 1970-01-01T00:00:00Z
     * @param fraction the fraction of the second in units of 10^-fractionDigits seconds (milliseconds for 3,
     *     nanoseconds for 9), {@code 0 <= fraction < 10^fractionDigits}
     */
    static int format(long epochSecond, int fraction, int fractionDigits, char[] dst, int offset) {
        if (!isSupportedSeconds(epochSecond)) {
            throw new IllegalArgumentException("instant outside years 0000-9999: " + epochSecond);
        }
        if (fractionDigits < 0 || fractionDigits > 9 || fraction < 0 || fraction >= POWERS_OF_TEN[fractionDigits]) {
            throw new IllegalArgumentException("bad fraction " + fraction + " of " + fractionDigits + " digits");
        }
        long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);

        // civil_from_days: era of 400 years (146097 days) starting on 0000-03-01.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        int dayOfEra = (int) (z - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int shiftedMonth = (5 * dayOfYear + 2) / 153; // 0 = March
        int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);

        int p = offset;
        p = writeDigits(year, 4, dst, p);
        dst[p++] = '-';
        p = writeDigits(month, 2, dst, p);
        dst[p++] = '-';
        p = writeDigits(day, 2, dst, p);
        dst[p++] = 'T';
        p = writeDigits(secondOfDay / 3600, 2, dst, p);
        dst[p++] = ':';
        p = writeDigits(secondOfDay / 60 % 60, 2, dst, p);
        dst[p++] = ':';
        p = writeDigits(secondOfDay % 60, 2, dst, p);
        if (fractionDigits > 0) {
            dst[p++] = '.';
            p = writeDigits(fraction, fractionDigits, dst, p);
        }
        dst[p++] = 'Z';
        return p;
    }

    /** Writes {@code value} as exactly {@code digits} decimal digits, zero-padded. */
    private static int writeDigits(int value, int digits, char[] dst, int offset) {
        int v = value;
        for (int i = offset + digits - 1; i >= offset; i--) {
            dst[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return offset + digits;
    }

    /** The text of an epoch-millisecond instant. Allocates: for tests and cold paths. */
    static String toString(long epochMillis) {
        char[] text = new char[MILLIS_LENGTH];
        formatMillis(epochMillis, text, 0);
        return new String(text);
    }
}
