package dev.sluice.core.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The UTF-8 decoding the ECS layout applies to string elements ({@link Utf8Decoder}). */
class EcsUtf8DecodingTest {

    @Test
    void validTextRoundTrips() {
        SplittableRandom random = new SplittableRandom(3629);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int n = random.nextInt(20);
            for (int k = 0; k < n; k++) {
                int cp;
                do {
                    int range = random.nextInt(4);
                    cp = range == 0 ? random.nextInt(0x80) : range == 1 ? random.nextInt(0x800)
                            : range == 2 ? random.nextInt(0x10000) : random.nextInt(0x10000, 0x110000);
                } while (cp >= 0xD800 && cp <= 0xDFFF);
                text.appendCodePoint(cp);
            }
            assertThat(decode(text.toString().getBytes(StandardCharsets.UTF_8))).isEqualTo(text.toString());
        }
    }

    @Test
    void illFormedInputIsReplacedLikeTheJdkDecoder() {
        SplittableRandom random = new SplittableRandom(1993);
        byte[] interesting = {(byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF,
            (byte) 0xE0, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF, (byte) 0x9F,
            (byte) 0xA0, (byte) 0x8F, (byte) 0x90, 'a', 0};
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[random.nextInt(1, 9)];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = random.nextBoolean() ? interesting[random.nextInt(interesting.length)]
                        : (byte) random.nextInt(256);
            }
            if (hasEncodedSurrogatePrefix(bytes)) {
                continue; // the one place the JDK departs from Unicode's practice: see surrogatesFollowUnicode
            }
            assertThat(decode(bytes)).as(java.util.Arrays.toString(bytes))
                    .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void surrogatesFollowUnicode() {
        // Unicode 15 table 3-7: after ED only 80..9F may follow, so ED A0 80 (an encoded surrogate) is three
        // maximal subparts of one byte each. (The JDK replaces ED A0 or ED BF as one unit.)
        assertThat(decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEqualTo("\uFFFD\uFFFD\uFFFD");
        assertThat(decode(new byte[] {(byte) 0xED, (byte) 0xBF, 'a'})).isEqualTo("\uFFFD\uFFFDa");
        assertThat(decode(new byte[] {(byte) 0xED, (byte) 0x9F, (byte) 0xBF})).isEqualTo("\uD7FF");
    }

    private static boolean hasEncodedSurrogatePrefix(byte[] bytes) {
        for (int k = 0; k + 1 < bytes.length; k++) {
            if (bytes[k] == (byte) 0xED && (bytes[k + 1] & 0xFF) >= 0xA0 && (bytes[k + 1] & 0xFF) <= 0xBF) {
                return true;
            }
        }
        return false;
    }

    @Test
    void readsOnlyTheGivenRegion() {
        ByteBuf buf = Unpooled.wrappedBuffer("xxhé!yy".getBytes(StandardCharsets.UTF_8));
        char[] out = new char[10];
        int end = Utf8Decoder.decode(buf, 2, 4, out, 1);
        assertThat(new String(out, 1, end - 1)).isEqualTo("hé!");
    }

    private static String decode(byte[] bytes) {
        char[] out = new char[bytes.length];
        int end = Utf8Decoder.decode(Unpooled.wrappedBuffer(bytes), 0, bytes.length, out, 0);
        return new String(out, 0, end);
    }
}
