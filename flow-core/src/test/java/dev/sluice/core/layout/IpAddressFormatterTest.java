package dev.sluice.core.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressFormatterTest {

    @Test
    void ipv4MatchesInetAddressForRandomAndEdgeValues() throws Exception {
        SplittableRandom random = new SplittableRandom(5952);
        int[] edges = {0, -1, 0x0A000001, 0x01020304, 0x640A0100, 0x7F000001, 0xC0000201, 0x80000000, 0x00FF00FF};
        for (int i = 0; i < 100_000 + edges.length; i++) {
            int v = i < edges.length ? edges[i] : random.nextInt();
            byte[] bytes = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
            String expected = InetAddress.getByAddress(bytes).getHostAddress();
            assertThat(IpAddressFormatter.toString(bytes)).isEqualTo(expected);
            char[] out = new char[40];
            int end = IpAddressFormatter.formatIpv4(v, out, 1);
            assertThat(new String(out, 1, end - 1)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // RFC 5952 section 4 and 5 examples
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:0:0:2:1,                    2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1,                    2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1,                      2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1,                    2001:db8::1:0:0:1",
        "2001:DB8:0:0:0:0:0:AAAA,                 2001:db8::aaaa",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001,  2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        "0:0:0:0:0:ffff:c000:0201,                ::ffff:192.0.2.1",
        // edges
        "0:0:0:0:0:0:0:0,                         ::",
        "0:0:0:0:0:0:0:1,                         ::1",
        "1:0:0:0:0:0:0:0,                         1::",
        "fe80:0:0:0:0:0:0:1,                      fe80::1",
        "0:1:0:1:0:1:0:1,                         0:1:0:1:0:1:0:1",
        "1:0:0:2:0:0:0:3,                         1:0:0:2::3",
        "0:0:1:0:0:0:1:0,                         0:0:1::1:0",
        "1:2:3:4:5:6:7:8,                         1:2:3:4:5:6:7:8",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "0:0:0:0:0:ffff:0:0,                      ::ffff:0.0.0.0",
        "0:0:0:0:0:0:c000:201,                    ::c000:201",
        "0:0:0:0:ffff:0:c000:201,                 ::ffff:0:c000:201",
        "ff02:0:0:0:0:0:0:1,                      ff02::1",
        "fe80:0:0:0:0:ff:fe00:401,                fe80::ff:fe00:401",
    })
    void ipv6CanonicalForm(String groups, String expected) {
        assertThat(IpAddressFormatter.toString(parseGroups(groups))).isEqualTo(expected);
    }

    @Test
    void ipv6RandomValuesFollowRfc5952AndParseBack() throws Exception {
        SplittableRandom random = new SplittableRandom(4291);
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[16];
            for (int g = 0; g < 8; g++) {
                int kind = random.nextInt(4); // zero-heavy, to exercise every run layout
                int v = kind < 2 ? 0 : kind == 2 ? random.nextInt(0x100) : random.nextInt(0x10000);
                bytes[2 * g] = (byte) (v >>> 8);
                bytes[2 * g + 1] = (byte) v;
            }
            if (i % 50 == 0) { // some IPv4-mapped ones
                Arrays.fill(bytes, 0, 10, (byte) 0);
                bytes[10] = (byte) 0xFF;
                bytes[11] = (byte) 0xFF;
            }
            String text = IpAddressFormatter.toString(bytes);
            assertThat(text).isEqualTo(reference(bytes));
            byte[] parsed = InetAddress.getByName(text).getAddress();
            byte[] expected = parsed.length == 4 ? Arrays.copyOfRange(bytes, 12, 16) : bytes; // Java unmaps
            assertThat(parsed).as(text).isEqualTo(expected);
        }
    }

    @Test
    void writesAtTheGivenOffsetAndReturnsTheEnd() {
        char[] out = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".toCharArray();
        byte[] v6 = parseGroups("2001:db8:0:0:0:0:0:1");
        int end = IpAddressFormatter.format(v6, 0, 16, out, 3);
        assertThat(end).isEqualTo(3 + "2001:db8::1".length());
        assertThat(new String(out, 0, end + 1)).isEqualTo("xxx2001:db8::1x");
        byte[] embedded = {9, 9, 10, 1, 2, 3, 9};
        end = IpAddressFormatter.format(embedded, 2, 4, out, 0);
        assertThat(new String(out, 0, end)).isEqualTo("10.1.2.3");
    }

    @Test
    void longestTextFitsMaxLength() {
        byte[] all = new byte[16];
        Arrays.fill(all, (byte) 0xFF);
        assertThat(IpAddressFormatter.toString(all)).hasSize(IpAddressFormatter.MAX_LENGTH);
    }

    @Test
    void rejectsOtherLengths() {
        assertThatThrownBy(() -> IpAddressFormatter.format(new byte[8], 0, 8, new char[64], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] parseGroups(String text) {
        String[] groups = text.trim().split(":");
        byte[] bytes = new byte[16];
        for (int g = 0; g < 8; g++) {
            int v = Integer.parseInt(groups[g], 16);
            bytes[2 * g] = (byte) (v >>> 8);
            bytes[2 * g + 1] = (byte) v;
        }
        return bytes;
    }

    private static final Pattern ZERO_RUN = Pattern.compile("\\b0(?::0)+\\b");

    /** RFC 5952 done the slow, obvious way on strings, as an independent check. */
    private static String reference(byte[] b) {
        StringBuilder full = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            if (g > 0) {
                full.append(':');
            }
            full.append(Integer.toHexString((b[2 * g] & 0xFF) << 8 | (b[2 * g + 1] & 0xFF)));
        }
        String s = full.toString();
        if (s.startsWith("0:0:0:0:0:ffff:")) {
            return "::ffff:" + (b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "." + (b[15] & 0xFF);
        }
        Matcher m = ZERO_RUN.matcher(s);
        int bestStart = -1;
        int bestEnd = -1;
        while (m.find()) {
            if (m.end() - m.start() > bestEnd - bestStart) {
                bestStart = m.start();
                bestEnd = m.end();
            }
        }
        if (bestStart < 0) {
            return s;
        }
        String head = bestStart == 0 ? "" : s.substring(0, bestStart - 1);
        String tail = bestEnd == s.length() ? "" : s.substring(bestEnd + 1);
        return head + "::" + tail;
    }
}
