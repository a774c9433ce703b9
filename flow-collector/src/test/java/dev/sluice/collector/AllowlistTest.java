package dev.sluice.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowlistTest {

    private static boolean allows(Allowlist a, String ip) throws Exception {
        return a.allows(InetAddress.getByName(ip));
    }

    @Test
    void rangesOfBothFamilies() throws Exception {
        Allowlist a = Allowlist.of(List.of("10.0.0.0/8", "192.0.2.128/25", "198.51.100.7", "2001:db8::/33", "::1"));
        assertThat(allows(a, "10.255.0.1")).isTrue();
        assertThat(allows(a, "11.0.0.1")).isFalse();
        assertThat(allows(a, "192.0.2.128")).isTrue();
        assertThat(allows(a, "192.0.2.127")).isFalse();
        assertThat(allows(a, "198.51.100.7")).isTrue();
        assertThat(allows(a, "198.51.100.8")).isFalse();
        assertThat(allows(a, "2001:db8:7fff::1")).isTrue();
        assertThat(allows(a, "2001:db8:8000::1")).isFalse();
        assertThat(allows(a, "::1")).isTrue();
        assertThat(allows(a, "::2")).isFalse();
        assertThat(allows(Allowlist.of(List.of()), "203.0.113.1")).as("empty: everyone").isTrue();
        assertThat(allows(Allowlist.of(List.of("0.0.0.0/0")), "203.0.113.1")).isTrue();
        assertThat(allows(Allowlist.of(List.of("0.0.0.0/0")), "2001:db8::1")).as("families apart").isFalse();
    }

    @Test
    void badRangesAreRefusedWithoutDnsLookups() {
        for (String bad : new String[] {"example.com", "10.0.0.0/33", "2001:db8::/129", "10.0.0/8", "10.0.0.0/x",
            "", "::ffff:10.0.0.0/104"}) {
            assertThatThrownBy(() -> Allowlist.of(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
