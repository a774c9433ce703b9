package dev.sluice.enrich;

/**
 * Private, loopback, link-local, shared, documentation, multicast and other special-purpose ranges (IANA IPv4 and IPv6
 * special-purpose registries) that geolocation databases do not cover: lookups skip them.
 */
public final class ReservedNetworks {

    private static final PrefixTable<Boolean> TABLE = PrefixTable.<Boolean>builder()
            .add("0.0.0.0/8", true).add("10.0.0.0/8", true).add("100.64.0.0/10", true).add("127.0.0.0/8", true)
            .add("169.254.0.0/16", true).add("172.16.0.0/12", true).add("192.0.0.0/24", true)
            .add("192.0.2.0/24", true).add("192.168.0.0/16", true).add("198.18.0.0/15", true)
            .add("198.51.100.0/24", true).add("203.0.113.0/24", true).add("224.0.0.0/4", true)
            .add("240.0.0.0/4", true)
            .add("::/128", true).add("::1/128", true).add("64:ff9b:1::/48", true).add("100::/64", true)
            .add("2001:db8::/32", true).add("fc00::/7", true).add("fe80::/10", true).add("ff00::/8", true)
            .build();

    private ReservedNetworks() {
    }

    /** Whether the address ({@code length} 4 or 16 bytes) is in a reserved range. */
    public static boolean contains(byte[] address, int length) {
        return TABLE.lookup(address, length) != null;
    }
}
