package dev.sluice.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class KernelDropsTest {

    @Test
    void procAddressesAreReadInHostOrder() throws Exception {
        assertThat(KernelDrops.address("0100007F")).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(KernelDrops.address("0000000000000000FFFF00000100007F"))
                .as("IPv4-mapped, as a dual-stack socket lists it").isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(KernelDrops.address("00000000000000000000000001000000")).isEqualTo(InetAddress.getByName("::1"));
        assertThat(KernelDrops.address("B80D0120000000000000000000000000"))
                .isEqualTo(InetAddress.getByName("2001:db8::"));
        assertThat(KernelDrops.address("123")).isNull();
    }
}
