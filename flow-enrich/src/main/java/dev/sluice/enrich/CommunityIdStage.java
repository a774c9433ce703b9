package dev.sluice.enrich;

import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Community ID flow hash, version 1 (Corelight's specification), as ECS {@code network.community_id}:
 * {@code "1:" + base64(SHA-1(seed, saddr, daddr, proto, 0, sport, dport))} over the 5-tuple ordered so that the
 * smaller (address, port) end comes first; for ICMP and ICMPv6 the ports are type and code, with the request/reply
 * types paired as the specification says; protocols without ports hash the addresses and protocol only. Written into
 * the event's reused char buffer: no allocation (one {@link MessageDigest} and buffers per thread).
 */
public final class CommunityIdStage implements EnrichmentStage {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final char[] B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    /** Two base64 characters per 12 bits: the first in the high 16 bits, the second in the low. */
    private static final int[] B64_PAIRS = new int[4096];
    private static final int[] ICMP4_PAIR = new int[256];
    private static final int[] ICMP6_PAIR = new int[256];

    static {
        for (int i = 0; i < 4096; i++) {
            B64_PAIRS[i] = B64[i >>> 6] << 16 | B64[i & 63];
        }
        java.util.Arrays.fill(ICMP4_PAIR, -1);
        java.util.Arrays.fill(ICMP6_PAIR, -1);
        pair(ICMP4_PAIR, 8, 0); // echo
        pair(ICMP4_PAIR, 13, 14); // timestamp
        pair(ICMP4_PAIR, 15, 16); // information
        pair(ICMP4_PAIR, 10, 9); // router solicitation / advertisement
        pair(ICMP4_PAIR, 17, 18); // address mask
        pair(ICMP6_PAIR, 128, 129); // echo
        pair(ICMP6_PAIR, 133, 134); // router solicitation / advertisement
        pair(ICMP6_PAIR, 135, 136); // neighbor solicitation / advertisement
        pair(ICMP6_PAIR, 130, 131); // multicast listener query / report
        pair(ICMP6_PAIR, 139, 140); // node information query / response
        pair(ICMP6_PAIR, 144, 145); // home agent address discovery
        pair(ICMP6_PAIR, 146, 147); // mobile prefix solicitation / advertisement
    }

    private static void pair(int[] table, int a, int b) {
        table[a] = b;
        table[b] = a;
    }

    private final int seed;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    public CommunityIdStage() {
        this(0);
    }

    public CommunityIdStage(int seed) {
        this.seed = seed & 0xFFFF;
    }

    private static final class Scratch {
        final MessageDigest sha1;
        final byte[] input = new byte[2 + 16 + 16 + 2 + 4];
        final byte[] hash = new byte[20];

        Scratch() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        int sl = event.sourceAddressLength();
        int dl = event.destinationAddressLength();
        if (sl == 0 || sl != dl || !record.has(FlowField.PROTOCOL)) {
            return;
        }
        int proto = record.protocolNumber();
        boolean ports = proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58;
        int sport = 0;
        int dport = 0;
        boolean oneWay = false;
        if (proto == 1 || proto == 58) {
            int type;
            int code;
            if (record.has(FlowField.ICMP_TYPE_CODE)) {
                long tc = record.getLong(FlowField.ICMP_TYPE_CODE);
                type = (int) (tc >>> 8) & 0xFF;
                code = (int) tc & 0xFF;
            } else {
                int p = record.destinationPort();
                type = (p >>> 8) & 0xFF;
                code = p & 0xFF;
            }
            int paired = (proto == 1 ? ICMP4_PAIR : ICMP6_PAIR)[type];
            sport = type;
            if (paired >= 0) {
                dport = paired;
            } else {
                dport = code;
                oneWay = true;
            }
        } else if (ports) {
            sport = record.sourcePort();
            dport = record.destinationPort();
        }
        int n = compute(scratch.get(), seed, event.sourceAddress(), event.destinationAddress(), sl, proto, ports,
                sport, dport, oneWay, event.communityIdBuffer());
        event.setCommunityIdLength(n);
    }

    /** The community id of a tuple (for tools and tests; allocates the result). */
    public String of(byte[] saddr, byte[] daddr, int proto, int sport, int dport) {
        if (saddr.length != daddr.length || saddr.length != 4 && saddr.length != 16) {
            throw new IllegalArgumentException("two IPv4 (4-byte) or two IPv6 (16-byte) addresses expected, got "
                    + saddr.length + " and " + daddr.length + " bytes");
        }
        boolean ports = proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58;
        boolean oneWay = false;
        if (proto == 1 || proto == 58) {
            int paired = (proto == 1 ? ICMP4_PAIR : ICMP6_PAIR)[sport & 0xFF];
            if (paired >= 0) {
                dport = paired;
            } else {
                oneWay = true;
            }
        }
        char[] out = new char[32];
        int n = compute(scratch.get(), seed, saddr, daddr, saddr.length, proto, ports, sport, dport, oneWay, out);
        return new String(out, 0, n);
    }

    private static int compute(Scratch s, int seed, byte[] sa, byte[] da, int len, int proto, boolean ports,
            int sport, int dport, boolean oneWay, char[] out) {
        boolean swap = false;
        if (!oneWay) {
            int c = compareAddresses(sa, da, len);
            swap = c > 0 || c == 0 && sport > dport;
        }
        byte[] in = s.input;
        byte[] first = swap ? da : sa;
        byte[] second = swap ? sa : da;
        in[0] = (byte) (seed >>> 8);
        in[1] = (byte) seed;
        int p;
        if (len == 4) {
            INT.set(in, 2, (int) INT.get(first, 0));
            INT.set(in, 6, (int) INT.get(second, 0));
            p = 10;
        } else {
            LONG.set(in, 2, (long) LONG.get(first, 0));
            LONG.set(in, 10, (long) LONG.get(first, 8));
            LONG.set(in, 18, (long) LONG.get(second, 0));
            LONG.set(in, 26, (long) LONG.get(second, 8));
            p = 34;
        }
        in[p++] = (byte) proto;
        in[p++] = 0;
        if (ports) {
            INT.set(in, p, swap ? (dport & 0xFFFF) << 16 | sport & 0xFFFF : (sport & 0xFFFF) << 16 | dport & 0xFFFF);
            p += 4;
        }
        s.sha1.update(in, 0, p);
        try {
            s.sha1.digest(s.hash, 0, 20);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        out[0] = '1';
        out[1] = ':';
        return 2 + base64(s.hash, out, 2);
    }

    /** Unsigned comparison of two 4- or 16-byte addresses, word by word. */
    private static int compareAddresses(byte[] a, byte[] b, int len) {
        if (len == 4) {
            return Integer.compareUnsigned((int) INT.get(a, 0), (int) INT.get(b, 0));
        }
        int c = Long.compareUnsigned((long) LONG.get(a, 0), (long) LONG.get(b, 0));
        return c != 0 ? c : Long.compareUnsigned((long) LONG.get(a, 8), (long) LONG.get(b, 8));
    }

    private static int base64(byte[] h, char[] out, int off) {
        int o = off;
        int i = 0;
        for (; i + 3 <= h.length; i += 3) {
            int v = (h[i] & 0xFF) << 16 | (h[i + 1] & 0xFF) << 8 | (h[i + 2] & 0xFF);
            int a = B64_PAIRS[v >>> 12];
            int b = B64_PAIRS[v & 0xFFF];
            out[o] = (char) (a >>> 16);
            out[o + 1] = (char) a;
            out[o + 2] = (char) (b >>> 16);
            out[o + 3] = (char) b;
            o += 4;
        }
        // 20 bytes: 2 left
        int v = (h[i] & 0xFF) << 16 | (h[i + 1] & 0xFF) << 8;
        int a = B64_PAIRS[v >>> 12];
        out[o] = (char) (a >>> 16);
        out[o + 1] = (char) a;
        out[o + 2] = B64[(v >>> 6) & 63];
        out[o + 3] = '=';
        return o + 4 - off;
    }
}
