package dev.sluice.enrich;

/**
 * Private, loopback, link-local, shared, documentation, multicast and other special-purpose ranges (IANA IPv4 and IPv6
 * special-purpose registries) that geolocation databases do not cover: lookups skip them. {@link GeoIpDatabase} and
 * {@link AsnDatabase} build them into their tables at load time (as ranges without a value, winning over any network of
 * the file that overlaps them), so a lookup of a reserved address answers null in one search.
 */
public final class ReservedNetworks {

    private static final String[] CIDRS = {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8",
    };

    /** The reserved ranges, each with its prefix length as the value. */
    private static final PrefixTable<Integer> TABLE = table();

    private static PrefixTable<Integer> table() {
        PrefixTable.Builder<Integer> b = PrefixTable.builder();
        for (String cidr : CIDRS) {
            b.add(cidr, Integer.valueOf(cidr.substring(cidr.indexOf('/') + 1)));
        }
        return b.build();
    }

    private ReservedNetworks() {
    }

    /** Whether the address ({@code length} 4 or 16 bytes) is in a reserved range. */
    public static boolean contains(byte[] address, int length) {
        return TABLE.lookup(address, length) != null;
    }

    /** Whether the whole network ({@code address} of 4 or 16 bytes, {@code prefixLength} bits) is reserved. */
    static boolean containsNetwork(byte[] address, int prefixLength) {
        Integer reserved = TABLE.lookup(address, address.length);
        return reserved != null && reserved <= prefixLength;
    }

    /** Adds every reserved range to {@code table} with no value, so that lookups there answer null. */
    static <T> void addTo(PrefixTable.Builder<T> table) {
        for (String cidr : CIDRS) {
            table.add(cidr, null);
        }
    }
}
