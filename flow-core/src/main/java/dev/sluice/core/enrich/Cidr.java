package dev.sluice.core.enrich;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is a /32 or /128), matched
 * against addresses without allocating. An IPv4 network never matches an IPv6 address and vice versa (IPv4-mapped
 * IPv6 addresses {@code ::ffff:a.b.c.d} are matched as IPv4).
 */
public final class Cidr {

    private final boolean v6;
    private final int prefix;
    private final int v4Network;
    private final int v4Mask;
    private final long hi;
    private final long lo;
    private final long maskHi;
    private final long maskLo;
    private final String text;

    private Cidr(byte[] address, int prefix, String text) {
        this.prefix = prefix;
        this.text = text;
        this.v6 = address.length == 16;
        if (!v6) {
            v4Mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            v4Network = readInt(address, 0) & v4Mask;
            hi = lo = maskHi = maskLo = 0;
        } else {
            v4Network = v4Mask = 0;
            maskHi = prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
            maskLo = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
            hi = readLong(address, 0) & maskHi;
            lo = readLong(address, 8) & maskLo;
        }
    }

    /** Parses {@code address[/prefix]}; throws IllegalArgumentException when malformed. */
    public static Cidr parse(String cidr) {
        String s = cidr.trim();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        if (host.isEmpty() || !(host.indexOf(':') >= 0 || Character.digit(host.charAt(0), 16) >= 0)) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        byte[] address;
        try {
            // Literal addresses only: InetAddress.getByName does no lookup for them.
            if (host.indexOf(':') < 0 && !host.matches("[0-9.]+")) {
                throw new IllegalArgumentException("not a CIDR: " + cidr);
            }
            address = InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a CIDR: " + cidr, e);
        }
        int max = address.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + cidr, e);
            }
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("bad prefix length in " + cidr);
        }
        return new Cidr(address, prefix, s);
    }

    public boolean isIpv6() {
        return v6;
    }

    public int prefixLength() {
        return prefix;
    }

    /** The network address's bytes (4 or 16), masked. */
    public byte[] networkBytes() {
        byte[] b = new byte[v6 ? 16 : 4];
        if (v6) {
            writeLong(b, 0, hi);
            writeLong(b, 8, lo);
        } else {
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (v4Network >>> (24 - 8 * i));
            }
        }
        return b;
    }

    /** Whether the IPv4 address (big-endian int) is inside. */
    public boolean containsIpv4(int address) {
        return !v6 && (address & v4Mask) == v4Network;
    }

    /** Whether the address ({@code length} 4 or 16 bytes of {@code address}) is inside. */
    public boolean contains(byte[] address, int length) {
        if (length == 4) {
            return containsIpv4(readInt(address, 0));
        }
        if (length != 16) {
            return false;
        }
        long h = readLong(address, 0);
        long l = readLong(address, 8);
        if (h == 0 && (l >>> 32) == 0xFFFFL) {
            return containsIpv4((int) l);
        }
        return v6 && (h & maskHi) == hi && (l & maskLo) == lo;
    }

    /** Whether the address is inside (no allocation for IPv4; IPv6 copies the address). */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        if (address instanceof java.net.Inet4Address) {
            return containsIpv4(address.hashCode()); // Inet4Address.hashCode() is the address itself
        }
        byte[] b = address.getAddress();
        return contains(b, b.length);
    }

    static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    static long readLong(byte[] b, int off) {
        return (readInt(b, off) & 0xFFFFFFFFL) << 32 | (readInt(b, off + 4) & 0xFFFFFFFFL);
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr && ((Cidr) o).v6 == v6 && ((Cidr) o).prefix == prefix && ((Cidr) o).v4Network == v4Network
                && ((Cidr) o).hi == hi && ((Cidr) o).lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) * 31 + v4Network * 17 + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
