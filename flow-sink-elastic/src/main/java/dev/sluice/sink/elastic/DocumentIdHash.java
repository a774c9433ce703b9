package dev.sluice.sink.elastic;

/**
 * Deterministic document ids: MurmurHash3 (x64, 128 bits, seed 0) of the document's JSON bytes, written as 22
 * characters of unpadded base64url. The same document always gets the same id, so a batch that is sent again (after
 * a timeout whose request did reach Elasticsearch, or from the spool after a restart) cannot index it twice: the
 * repeated {@code create} answers 409 and is counted as a duplicate. Two records that render to identical documents
 * (every field equal, times to the millisecond) share one id and are stored once.
 */
final class DocumentIdHash {

    /** Length of an id in characters. */
    static final int LENGTH = 22;

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII);

    private DocumentIdHash() {
    }

    /** Writes the id of {@code data[from, to)} into {@code out[0, LENGTH)}. */
    static void id(byte[] data, int from, int to, byte[] out) {
        long h1 = 0;
        long h2 = 0;
        int length = to - from;
        int blocks = length / 16;
        for (int b = 0; b < blocks; b++) {
            int i = from + b * 16;
            long k1 = littleEndianLong(data, i);
            long k2 = littleEndianLong(data, i + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        long k1 = 0;
        long k2 = 0;
        int tail = from + blocks * 16;
        int rest = length & 15;
        for (int j = rest - 1; j >= 8; j--) {
            k2 ^= (data[tail + j] & 0xffL) << (8 * (j - 8));
        }
        for (int j = Math.min(rest, 8) - 1; j >= 0; j--) {
            k1 ^= (data[tail + j] & 0xffL) << (8 * j);
        }
        if (rest > 8) {
            h2 ^= mixK2(k2);
        }
        if (rest > 0) {
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        encode(h1, h2, out);
    }

    /** Unpadded base64url of the 16 bytes h1 (big-endian) then h2 (big-endian): 5 groups of 3 bytes, then 1 byte. */
    private static void encode(long h1, long h2, byte[] out) {
        int pos = 0;
        for (int j = 0; j < 15; j += 3) {
            int group = byteAt(h1, h2, j) << 16 | byteAt(h1, h2, j + 1) << 8 | byteAt(h1, h2, j + 2);
            out[pos++] = ALPHABET[group >>> 18];
            out[pos++] = ALPHABET[group >>> 12 & 63];
            out[pos++] = ALPHABET[group >>> 6 & 63];
            out[pos++] = ALPHABET[group & 63];
        }
        int last = byteAt(h1, h2, 15);
        out[pos++] = ALPHABET[last >>> 2];
        out[pos] = ALPHABET[(last & 3) << 4];
    }

    private static int byteAt(long h1, long h2, int j) {
        return (int) ((j < 8 ? h1 >>> (56 - 8 * j) : h2 >>> (56 - 8 * (j - 8))) & 0xff);
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static long littleEndianLong(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48
                | (b[i + 7] & 0xffL) << 56;
    }
}
