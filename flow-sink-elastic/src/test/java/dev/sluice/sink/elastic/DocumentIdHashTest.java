package dev.sluice.sink.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocumentIdHashTest {

    private static String id(String text) {
        byte[] data = ("xx" + text).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[DocumentIdHash.LENGTH];
        DocumentIdHash.id(data, 2, data.length, out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    private static String expected(long h1, long h2) {
        byte[] b = ByteBuffer.allocate(16).putLong(h1).putLong(h2).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Test
    void matchesMurmur3x64_128ReferenceValues() {
        // reference values of MurmurHash3_x64_128 with seed 0 (as published with the algorithm and in Guava's tests)
        assertThat(id("The quick brown fox jumps over the lazy dog"))
                .isEqualTo(expected(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L));
        assertThat(id("")).isEqualTo(expected(0, 0));
    }

    @Test
    void idsAreStableAndSpreadOverAllLengths() {
        Set<String> seen = new HashSet<>();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            s.append((char) ('a' + i % 26));
            String id = id(s.toString());
            assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]{22}").isEqualTo(id(s.toString()));
            seen.add(id);
        }
        assertThat(seen).hasSize(200);
    }
}
