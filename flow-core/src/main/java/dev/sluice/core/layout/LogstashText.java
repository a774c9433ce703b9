package dev.sluice.core.layout;

import io.netty.buffer.ByteBuf;

/**
 * Formats values the way the Logstash netflow codec prints them, into one reused {@code char[]} (no allocation once
 * the buffer has grown to the longest value seen). Every method writes from position 0 and returns the number of
 * chars written; the text is then {@code chars()[0, n)}.
 */
final class LogstashText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private char[] buf = new char[64];
    private int pos;
    /** The 8 groups of an IPv6 address being formatted. */
    private final int[] groups = new int[8];

    char[] chars() {
        return buf;
    }

    // ------------------------------------------------------------------ addresses

    /** Dotted quad of the 4 bytes at {@code off}, as Ruby's IP4Addr prints it. */
    int ipv4(ByteBuf b, int off) {
        pos = 0;
        ensure(15);
        for (int k = 0; k < 4; k++) {
            if (k > 0) {
                buf[pos++] = '.';
            }
            decimal(b.getUnsignedByte(off + k));
        }
        return pos;
    }

    /**
     * The 16 bytes at {@code off} as Ruby's {@code IPAddr#to_s} prints an IPv6 address: lower-case groups without
     * leading zeros; the longest run of at least two zero groups (the leftmost of equally long runs) becomes
     * {@code ::}; and an address that then reads {@code ::X:Y} or {@code ::ffff:X:Y} ends in dotted-quad form
     * ({@code ::192.0.2.1}, {@code ::ffff:192.0.2.1}).
     */
    int ipv6(ByteBuf b, int off) {
        pos = 0;
        ensure(45);
        int[] g = groups;
        for (int k = 0; k < 8; k++) {
            g[k] = b.getUnsignedShort(off + 2 * k);
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is never compressed
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int s = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - s > bestLen) {
                bestStart = s;
                bestLen = k - s;
            }
        }
        if (bestStart < 0) {
            for (int k = 0; k < 8; k++) {
                if (k > 0) {
                    buf[pos++] = ':';
                }
                hexGroup(g[k]);
            }
            return pos;
        }
        int end = bestStart + bestLen;
        // "::X:Y" and "::ffff:X:Y" (after compression) print their last 32 bits as a dotted quad.
        if (bestStart == 0 && (end == 6 || (end == 5 && g[5] == 0xFFFF))) {
            buf[pos++] = ':';
            buf[pos++] = ':';
            if (end == 5) {
                buf[pos++] = 'f';
                buf[pos++] = 'f';
                buf[pos++] = 'f';
                buf[pos++] = 'f';
                buf[pos++] = ':';
            }
            decimal(g[6] >>> 8);
            buf[pos++] = '.';
            decimal(g[6] & 0xFF);
            buf[pos++] = '.';
            decimal(g[7] >>> 8);
            buf[pos++] = '.';
            decimal(g[7] & 0xFF);
            return pos;
        }
        for (int k = 0; k < bestStart; k++) {
            if (k > 0) {
                buf[pos++] = ':';
            }
            hexGroup(g[k]);
        }
        buf[pos++] = ':';
        buf[pos++] = ':';
        for (int k = end; k < 8; k++) {
            if (k > end) {
                buf[pos++] = ':';
            }
            hexGroup(g[k]);
        }
        return pos;
    }

    /** {@code aa:bb:cc:dd:ee:ff}, lower case, of the 6 bytes at {@code off}. */
    int mac(ByteBuf b, int off) {
        pos = 0;
        ensure(17);
        for (int k = 0; k < 6; k++) {
            if (k > 0) {
                buf[pos++] = ':';
            }
            hexByte(b.getUnsignedByte(off + k));
        }
        return pos;
    }

    // ------------------------------------------------------------------ octets and strings

    /**
     * Lower-case hex of {@code len} bytes; with {@code group > 0} a {@code '-'} between every {@code group} bytes
     * (the codec's ASA ACL ids: {@code 0f8e7ff3-fc1a030f-00000000}).
     */
    int hex(ByteBuf b, int off, int len, int group) {
        pos = 0;
        ensure(len * 3);
        for (int k = 0; k < len; k++) {
            if (group > 0 && k > 0 && k % group == 0) {
                buf[pos++] = '-';
            }
            hexByte(b.getUnsignedByte(off + k));
        }
        return pos;
    }

    /**
     * A codec string: trailing NUL bytes removed (BinData's {@code trim_padding}), and every remaining byte one
     * char, as JRuby turns the codec's binary (ASCII-8BIT) strings into Java strings.
     */
    int binaryString(ByteBuf b, int off, int len) {
        int n = trimmedLength(b, off, len);
        pos = 0;
        ensure(n);
        for (int k = 0; k < n; k++) {
            buf[pos++] = (char) b.getUnsignedByte(off + k);
        }
        return pos;
    }

    static int trimmedLength(ByteBuf b, int off, int len) {
        int n = len;
        while (n > 0 && b.getByte(off + n - 1) == 0) {
            n--;
        }
        return n;
    }

    // ------------------------------------------------------------------ numbers

    /** RFC 6759 application id: {@code <classification id>..<selector id>}, for PANA-L7-PEN {@code 20..<pen>..<selector>}. */
    int applicationId(ByteBuf b, int off, int len) {
        pos = 0;
        ensure(48);
        int classification = b.getUnsignedByte(off);
        decimal(classification);
        buf[pos++] = '.';
        buf[pos++] = '.';
        // The codec decodes the PEN form only for selector ids of 6, 7 and 8 bytes (lengths 7, 8 and 9).
        if (classification == 20 && len >= 7) {
            decimal(b.getUnsignedInt(off + 1));
            buf[pos++] = '.';
            buf[pos++] = '.';
            decimal(unsigned(b, off + 5, len - 5));
        } else {
            long selector = unsigned(b, off + 1, len - 1);
            if (selector < 0) {
                unsignedDecimal(selector);
            } else {
                decimal(selector);
            }
        }
        return pos;
    }

    /** Big-endian unsigned value of up to 8 bytes. */
    static long unsigned(ByteBuf b, int off, int len) {
        long v = 0;
        for (int k = 0; k < len; k++) {
            v = (v << 8) | b.getUnsignedByte(off + k);
        }
        return v;
    }

    // ------------------------------------------------------------------ timestamps

    /**
     * An instant as Logstash 8 prints a timestamp: {@code yyyy-MM-ddTHH:mm:ss}, then 3, 6 or 9 fraction digits (the
     * fewest that hold the value exactly), then {@code Z}.
     */
    int timestamp(long epochSeconds, int nanos) {
        pos = 0;
        ensure(40);
        long days = Math.floorDiv(epochSeconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSeconds, 86_400L);
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long year = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (month <= 2) {
            year++;
        }
        if (year > 9999) {
            buf[pos++] = '+';
            decimal(year);
        } else if (year < 0) {
            buf[pos++] = '-';
            padded(-year, 4);
        } else {
            padded(year, 4);
        }
        buf[pos++] = '-';
        padded(month, 2);
        buf[pos++] = '-';
        padded(day, 2);
        buf[pos++] = 'T';
        padded(secondOfDay / 3600, 2);
        buf[pos++] = ':';
        padded(secondOfDay / 60 % 60, 2);
        buf[pos++] = ':';
        padded(secondOfDay % 60, 2);
        buf[pos++] = '.';
        if (nanos % 1_000_000 == 0) {
            padded(nanos / 1_000_000, 3);
        } else if (nanos % 1_000 == 0) {
            padded(nanos / 1_000, 6);
        } else {
            padded(nanos, 9);
        }
        buf[pos++] = 'Z';
        return pos;
    }

    /** {@link #timestamp(long, int)} of epoch milliseconds. */
    int timestampMillis(long epochMillis) {
        return timestamp(Math.floorDiv(epochMillis, 1000L), (int) Math.floorMod(epochMillis, 1000L) * 1_000_000);
    }

    /** {@link #timestamp(long, int)} of epoch microseconds. */
    int timestampMicros(long epochMicros) {
        return timestamp(Math.floorDiv(epochMicros, 1_000_000L), (int) Math.floorMod(epochMicros, 1_000_000L) * 1_000);
    }

    /**
     * An NTP timestamp (seconds since 1900 in the high 32 bits, binary fraction in the low 32) as the codec turns
     * IPFIX {@code flowStart/EndMicroseconds} and {@code Nanoseconds} into a time: the fraction becomes a floating
     * point number of microseconds, which the timestamp keeps to the nanosecond (truncated).
     */
    int ntpTimestamp(long ntp) {
        long seconds = (ntp >>> 32) - NTP_UNIX_OFFSET_SECONDS;
        double micros = (ntp & 0xFFFF_FFFFL) / 4294967296.0 * 1_000_000;
        int nanos = (int) (micros * 1000);
        return timestamp(seconds, Math.min(nanos, 999_999_999));
    }

    // ------------------------------------------------------------------ low level

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            char[] b = new char[Math.max(buf.length * 2, pos + extra)];
            System.arraycopy(buf, 0, b, 0, pos);
            buf = b;
        }
    }

    private void hexByte(int v) {
        buf[pos++] = HEX[v >>> 4];
        buf[pos++] = HEX[v & 0xF];
    }

    private void hexGroup(int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (v >>> shift) & 0xF;
            if (d != 0 || started || shift == 0) {
                buf[pos++] = HEX[d];
                started = true;
            }
        }
    }

    private void padded(long v, int width) {
        int start = pos;
        pos += width;
        for (int k = pos - 1; k >= start; k--) {
            buf[k] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    /** Decimal digits of a non-negative value. */
    private void decimal(long v) {
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        padded(v, digits);
    }

    private void unsignedDecimal(long v) {
        long q = (v >>> 1) / 5;
        int r = (int) (v - q * 10);
        decimal(q);
        buf[pos++] = (char) ('0' + r);
    }
}
