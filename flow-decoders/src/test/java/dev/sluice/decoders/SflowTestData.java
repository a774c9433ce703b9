package dev.sluice.decoders;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Builders for hand-made sFlow datagrams and sampled packets, the goflow2 vectors, and a collecting handler. */
final class SflowTestData {

    private SflowTestData() {
    }

    static final InetAddress UDP_SOURCE = ip("192.0.2.99");

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s:]", ""));
    }

    static Path goflow2(String name) {
        return Corpus.root().resolve("goflow2").resolve(name);
    }

    static byte[] vector(String file) {
        try {
            return Files.readAllBytes(goflow2("vectors").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Big-endian byte writer with XDR helpers. */
    static final class Xdr {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Xdr u32(long v) {
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
            return this;
        }

        Xdr u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Xdr u8(int v) {
            out.write(v);
            return this;
        }

        Xdr bytes(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        Xdr pad() {
            while (out.size() % 4 != 0) {
                out.write(0);
            }
            return this;
        }

        /** XDR opaque&lt;&gt;: length, bytes, padding. */
        Xdr opaque(byte[] b) {
            return u32(b.length).bytes(b).pad();
        }

        /** An XDR address: type 1 or 2, then the address. */
        Xdr address(String a) {
            byte[] b = ip(a).getAddress();
            return u32(b.length == 4 ? 1 : 2).bytes(b);
        }

        int size() {
            return out.size();
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    static Xdr xdr() {
        return new Xdr();
    }

    /** A tagged structure: data format, length, body (padded). */
    static byte[] tagged(int format, byte[] body) {
        return xdr().u32(format).opaque(body).build();
    }

    static byte[] concat(byte[]... parts) {
        Xdr x = xdr();
        for (byte[] p : parts) {
            x.bytes(p);
        }
        return x.build();
    }

    /** A datagram from an IPv4 or IPv6 agent with the given samples (each already tagged). */
    static byte[] datagram(String agent, long subAgent, long seq, long uptime, byte[]... samples) {
        Xdr x = xdr().u32(5).address(agent).u32(subAgent).u32(seq).u32(uptime).u32(samples.length);
        for (byte[] s : samples) {
            x.bytes(s);
        }
        return x.build();
    }

    /** A compact flow sample (format 1). */
    static byte[] flowSample(long seq, long sourceId, long rate, long pool, long drops, long input, long output,
            byte[]... records) {
        Xdr x = xdr().u32(seq).u32(sourceId).u32(rate).u32(pool).u32(drops).u32(input).u32(output)
                .u32(records.length);
        for (byte[] r : records) {
            x.bytes(r);
        }
        return tagged(1, x.build());
    }

    /** An expanded flow sample (format 3). */
    static byte[] expandedFlowSample(long seq, int sourceType, long sourceIndex, long rate, long pool, long drops,
            int inFormat, long input, int outFormat, long output, byte[]... records) {
        Xdr x = xdr().u32(seq).u32(sourceType).u32(sourceIndex).u32(rate).u32(pool).u32(drops).u32(inFormat)
                .u32(input).u32(outFormat).u32(output).u32(records.length);
        for (byte[] r : records) {
            x.bytes(r);
        }
        return tagged(3, x.build());
    }

    /** A counter sample (format 2) or expanded counter sample (format 4). */
    static byte[] counterSample(boolean expanded, long seq, int sourceType, long sourceIndex, byte[]... records) {
        Xdr x = xdr().u32(seq);
        if (expanded) {
            x.u32(sourceType).u32(sourceIndex);
        } else {
            x.u32(((long) sourceType << 24) | sourceIndex);
        }
        x.u32(records.length);
        for (byte[] r : records) {
            x.bytes(r);
        }
        return tagged(expanded ? 4 : 2, x.build());
    }

    /** A raw packet header record (format 1). */
    static byte[] rawHeader(int protocol, long frameLength, long stripped, byte[] header) {
        return tagged(1, xdr().u32(protocol).u32(frameLength).u32(stripped).opaque(header).build());
    }

    static byte[] extendedSwitch(long srcVlan, long srcPriority, long dstVlan, long dstPriority) {
        return tagged(1001, xdr().u32(srcVlan).u32(srcPriority).u32(dstVlan).u32(dstPriority).build());
    }

    static byte[] extendedRouter(String nextHop, int srcMask, int dstMask) {
        return tagged(1002, xdr().address(nextHop).u32(srcMask).u32(dstMask).build());
    }

    /** Extended gateway with one AS_SEQUENCE segment (when path is not empty). */
    static byte[] extendedGateway(String nextHop, long as, long srcAs, long srcPeerAs, long[] path,
            long[] communities, long localPref) {
        Xdr x = xdr().address(nextHop).u32(as).u32(srcAs).u32(srcPeerAs);
        if (path.length == 0) {
            x.u32(0);
        } else {
            x.u32(1).u32(2).u32(path.length);
            for (long a : path) {
                x.u32(a);
            }
        }
        x.u32(communities.length);
        for (long c : communities) {
            x.u32(c);
        }
        x.u32(localPref);
        return tagged(1003, x.build());
    }

    // ------------------------------------------------------------------ sampled packets

    static byte[] mac(String m) {
        return hex(m);
    }

    static Xdr ethernet(String dst, String src) {
        return xdr().bytes(mac(dst)).bytes(mac(src));
    }

    /** An IPv4 header (20 bytes + options), with the given total length and fragment word. */
    static byte[] ipv4(int tos, int totalLength, int id, int fragWord, int ttl, int protocol, String src, String dst,
            byte[] options) {
        int ihl = (20 + options.length) / 4;
        return xdr().u8(0x40 | ihl).u8(tos).u16(totalLength).u16(id).u16(fragWord).u8(ttl).u8(protocol).u16(0)
                .bytes(ip(src).getAddress()).bytes(ip(dst).getAddress()).bytes(options).build();
    }

    static byte[] ipv6(int trafficClass, int flowLabel, int payloadLength, int nextHeader, int hopLimit, String src,
            String dst) {
        return xdr().u32((6L << 28) | ((long) trafficClass << 20) | flowLabel).u16(payloadLength).u8(nextHeader)
                .u8(hopLimit).bytes(ip(src).getAddress()).bytes(ip(dst).getAddress()).build();
    }

    static byte[] tcp(int srcPort, int dstPort, int flags) {
        return xdr().u16(srcPort).u16(dstPort).u32(1000).u32(2000).u16(0x5000 | flags).u16(65535).u16(0).u16(0)
                .build();
    }

    static byte[] udp(int srcPort, int dstPort, int length) {
        return xdr().u16(srcPort).u16(dstPort).u16(length).u16(0).build();
    }

    static byte[] icmp(int type, int code) {
        return xdr().u8(type).u8(code).u16(0).u32(0x12340001).build();
    }

    // ------------------------------------------------------------------ decoding

    /** What a decode delivered: owned copies of records and counters, the errors. */
    static final class Collected implements FlowHandler {
        final List<FlowRecord> records = new ArrayList<>();
        final List<InterfaceCounters> counters = new ArrayList<>();
        final List<DecodeError> errors = new ArrayList<>();

        @Override
        public void onRecord(FlowRecord record) {
            records.add(record.copy());
        }

        @Override
        public void onCounters(InterfaceCounters c) {
            counters.add(c.copy());
        }

        @Override
        public void onError(DecodeError error) {
            errors.add(error);
        }
    }

    static Collected decode(FlowDecoder decoder, byte[] datagram) {
        Collected c = new Collected();
        decoder.decode(Unpooled.wrappedBuffer(datagram), UDP_SOURCE, 1_700_000_000_000L, c);
        return c;
    }

    static Collected decode(byte[] datagram) {
        return decode(new FlowDecoder(), datagram);
    }
}
