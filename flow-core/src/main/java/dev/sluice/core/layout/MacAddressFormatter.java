package dev.sluice.core.layout;

/**
 * Formats 48-bit MAC addresses the way ECS asks ({@code source.mac}, RFC 7042 notation): six upper-case
 * two-digit hexadecimal octets separated by hyphens, {@code 00-1A-2B-3C-4D-5E}. Writes into a caller's
 * {@code char[]} without allocating.
 */
final class MacAddressFormatter {

    /** Length of a formatted address. */
    static final int LENGTH = 17;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private MacAddressFormatter() {
    }

    /**
     * Writes the address held in the low 48 bits of {@code mac} at {@code dst[offset]} and returns the offset
     * after it.
     */
    static int format(long mac, char[] dst, int offset) {
        int p = offset;
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (mac >>> shift) & 0xFF;
            if (shift != 40) {
                dst[p++] = '-';
            }
            dst[p++] = HEX[octet >>> 4];
            dst[p++] = HEX[octet & 0xF];
        }
        return p;
    }

    /** The text of an address. Allocates: for tests and cold paths. */
    static String toString(long mac) {
        char[] text = new char[LENGTH];
        format(mac, text, 0);
        return new String(text);
    }
}
