package dev.sluice.core.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MacAddressFormatterTest {

    @Test
    void ecsNotation() {
        assertThat(MacAddressFormatter.toString(0x001A2B3C4D5EL)).isEqualTo("00-1A-2B-3C-4D-5E");
        assertThat(MacAddressFormatter.toString(0)).isEqualTo("00-00-00-00-00-00");
        assertThat(MacAddressFormatter.toString(0xFFFFFFFFFFFFL)).isEqualTo("FF-FF-FF-FF-FF-FF");
        assertThat(MacAddressFormatter.toString(-1L)).as("bits above 48 ignored").isEqualTo("FF-FF-FF-FF-FF-FF");
    }

    @Test
    void randomValuesMatchStringFormat() {
        SplittableRandom random = new SplittableRandom(7042);
        char[] out = new char[MacAddressFormatter.LENGTH + 2];
        for (int i = 0; i < 50_000; i++) {
            long mac = random.nextLong() & 0xFFFFFFFFFFFFL;
            String expected = String.format("%02X-%02X-%02X-%02X-%02X-%02X", mac >>> 40 & 0xFF, mac >>> 32 & 0xFF,
                    mac >>> 24 & 0xFF, mac >>> 16 & 0xFF, mac >>> 8 & 0xFF, mac & 0xFF);
            int end = MacAddressFormatter.format(mac, out, 2);
            assertThat(end).isEqualTo(2 + MacAddressFormatter.LENGTH);
            assertThat(new String(out, 2, MacAddressFormatter.LENGTH)).isEqualTo(expected);
        }
    }
}
