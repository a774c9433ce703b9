package dev.sluice.core.layout;

/**
 * Formats IPv4 and IPv6 addresses as text into a caller's {@code char[]}, without allocating and without
 * {@link java.net.InetAddress}.
 *
 * <p>IPv4 is dotted decimal. IPv6 is the RFC 5952 canonical form: lower-case hexadecimal, no leading zeros in a
 * group, the longest run of two or more all-zero groups replaced by {@code ::} (the first such run when two are
 * equally long; a single zero group is never compressed), and an IPv4-mapped address ({@code ::ffff:0:0/96})
 * written as {@code ::ffff:} followed by the dotted IPv4 address (RFC 5952 section 5).
 *
 * <p>Every method writes at {@code dst[offset]} and returns the offset just after the last character written; the
 * caller makes sure {@code dst} has room for {@link #MAX_LENGTH} characters.
 */
final class IpAddressFormatter {

    /** The longest text any address formats to ({@code ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff}). */
    static final int MAX_LENGTH = 39;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private IpAddressFormatter() {
    }

    /** Formats an address of 4 or 16 bytes at {@code src[srcOffset]}. */
    static int format(byte[] src, int srcOffset, int length, char[] dst, int offset) {
        if (length == 4) {
            return formatIpv4(readInt(src, srcOffset), dst, offset);
        }
        if (length == 16) {
            return formatIpv6(readLong(src, srcOffset), readLong(src, srcOffset + 8), dst, offset);
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + length);
    }

    /** Formats an IPv4 address given as a big-endian int ({@code 192.0.2.1} is {@code 0xC0000201}). */
    static int formatIpv4(int address, char[] dst, int offset) {
        int p = writeOctet(address >>> 24, dst, offset);
        dst[p++] = '.';
        p = writeOctet((address >>> 16) & 0xFF, dst, p);
        dst[p++] = '.';
        p = writeOctet((address >>> 8) & 0xFF, dst, p);
        dst[p++] = '.';
        return writeOctet(address & 0xFF, dst, p);
    }

    /** Formats an IPv6 address given as its high and low 64 bits. */
    static int formatIpv6(long high, long low, char[] dst, int offset) {
        if (high == 0 && (low >>> 32) == 0xFFFFL) {
            // IPv4-mapped: ::ffff:a.b.c.d
            int p = offset;
            dst[p++] = ':';
            dst[p++] = ':';
            dst[p++] = 'f';
            dst[p++] = 'f';
            dst[p++] = 'f';
            dst[p++] = 'f';
            dst[p++] = ':';
            return formatIpv4((int) low, dst, p);
        }
        // The longest run of zero groups (at least two long); the first of equally long runs wins.
        int bestStart = -1;
        int bestLength = 1;
        int runStart = -1;
        for (int g = 0; g < 8; g++) {
            if (group(high, low, g) == 0) {
                if (runStart < 0) {
                    runStart = g;
                }
                int runLength = g - runStart + 1;
                if (runLength > bestLength) {
                    bestStart = runStart;
                    bestLength = runLength;
                }
            } else {
                runStart = -1;
            }
        }
        int p = offset;
        int g = 0;
        while (g < 8) {
            if (g == bestStart) {
                dst[p++] = ':';
                dst[p++] = ':';
                g += bestLength;
                continue;
            }
            if (g > 0 && g != bestStart + bestLength) {
                dst[p++] = ':';
            }
            p = writeGroup(group(high, low, g), dst, p);
            g++;
        }
        return p;
    }

    private static int group(long high, long low, int g) {
        long half = g < 4 ? high : low;
        return (int) (half >>> (48 - 16 * (g & 3))) & 0xFFFF;
    }

    private static int writeGroup(int value, char[] dst, int p) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int nibble = (value >>> shift) & 0xF;
            if (nibble != 0 || started || shift == 0) {
                dst[p++] = HEX[nibble];
                started = true;
            }
        }
        return p;
    }

    private static int writeOctet(int value, char[] dst, int p) {
        if (value >= 100) {
            dst[p++] = (char) ('0' + value / 100);
            dst[p++] = (char) ('0' + value / 10 % 10);
        } else if (value >= 10) {
            dst[p++] = (char) ('0' + value / 10);
        }
        dst[p++] = (char) ('0' + value % 10);
        return p;
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static long readLong(byte[] b, int off) {
        return (long) readInt(b, off) << 32 | (readInt(b, off + 4) & 0xFFFFFFFFL);
    }

    /** The text of an address of 4 or 16 bytes. Allocates: for tests, logs and other cold paths. */
    static String toString(byte[] address) {
        char[] text = new char[MAX_LENGTH];
        return new String(text, 0, format(address, 0, address.length, text, 0));
    }
}
