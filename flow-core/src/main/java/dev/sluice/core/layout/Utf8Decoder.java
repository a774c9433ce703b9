package dev.sluice.core.layout;

import io.netty.buffer.ByteBuf;

/**
 * Decodes UTF-8 bytes straight from a buffer into a caller's {@code char[]}, without allocating. Ill-formed input
 * never fails: each maximal subpart of an ill-formed sequence (Unicode 15, section 3.9, "U+FFFD substitution of
 * maximal subparts") becomes one U+FFFD, so the result is always valid text for a JSON string. This is what
 * {@link java.nio.charset.StandardCharsets#UTF_8} does too, except that the JDK replaces an encoded surrogate's
 * first two bytes ({@code ED A0..BF}) with one U+FFFD where Unicode's table 3-7 gives one per byte.
 */
final class Utf8Decoder {

    private static final char REPLACEMENT = '\uFFFD';

    private Utf8Decoder() {
    }

    /**
     * Decodes {@code length} bytes at {@code offset} of {@code buf} into {@code dst} from {@code dstOffset}, which
     * must have room for {@code length} chars (UTF-8 never yields more chars than bytes); returns the offset after
     * the last char written.
     */
    static int decode(ByteBuf buf, int offset, int length, char[] dst, int dstOffset) {
        int p = dstOffset;
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = buf.getByte(i++) & 0xFF;
            if (b < 0x80) {
                dst[p++] = (char) b;
                continue;
            }
            int need;
            int cp;
            int lo = 0x80;
            int hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                cp = b & 0x0F;
                if (b == 0xE0) {
                    lo = 0xA0; // no overlong forms
                } else if (b == 0xED) {
                    hi = 0x9F; // no surrogates
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                cp = b & 0x07;
                if (b == 0xF0) {
                    lo = 0x90; // no overlong forms
                } else if (b == 0xF4) {
                    hi = 0x8F; // nothing above U+10FFFF
                }
            } else {
                dst[p++] = REPLACEMENT; // a continuation byte, C0, C1 or F5..FF
                continue;
            }
            boolean complete = true;
            for (int k = 0; k < need; k++) {
                int c = i < end ? buf.getByte(i) & 0xFF : -1;
                if (c < lo || c > hi) {
                    complete = false; // the offending byte is not consumed: it starts the next sequence
                    break;
                }
                cp = cp << 6 | (c & 0x3F);
                i++;
                lo = 0x80;
                hi = 0xBF;
            }
            if (!complete) {
                dst[p++] = REPLACEMENT;
            } else if (cp >= 0x10000) {
                dst[p++] = Character.highSurrogate(cp);
                dst[p++] = Character.lowSurrogate(cp);
            } else {
                dst[p++] = (char) cp;
            }
        }
        return p;
    }
}
