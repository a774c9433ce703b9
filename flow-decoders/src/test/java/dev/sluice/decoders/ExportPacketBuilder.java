package dev.sluice.decoders;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds NetFlow v5, NetFlow v9 and IPFIX export packets byte by byte for tests, so that each test shows the
 * exact packet it feeds the decoder. Nothing here validates: a test may build any (also broken) packet.
 *
 * <pre>{@code
 * byte[] msg = ExportPacketBuilder.ipfix(1).exportTime(T)
 *         .template(256, f(8, 4), f(12, 4), f(1, 8))
 *         .data(256, rec().ipv4("10.0.0.1").ipv4("10.0.0.2").u64(1000))
 *         .build();
 * }</pre>
 */
final class ExportPacketBuilder {

    /** Field length announcing a variable-length field (IPFIX; some v9 exporters use it too). */
    static final int VARIABLE = 0xFFFF;

    private ExportPacketBuilder() {
    }

    /** A template field specifier: enterprise number (0 for IANA), element id, length. */
    record Field(long enterprise, int id, int length) {
    }

    /** An IANA (or NetFlow v9) field of a fixed or {@link #VARIABLE} length. */
    static Field f(int id, int length) {
        return new Field(0, id, length);
    }

    /** An enterprise-specific IPFIX field. */
    static Field ef(long enterprise, int id, int length) {
        return new Field(enterprise, id, length);
    }

    /** A record (or any byte string) to append to a data set. */
    static Rec rec() {
        return new Rec();
    }

    static Ipfix ipfix(long domain) {
        return new Ipfix(domain);
    }

    static V9 v9(long sourceId) {
        return new V9(sourceId);
    }

    static V5 v5() {
        return new V5();
    }

    /** Concatenates byte arrays (several export messages in one datagram). */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ipBytes(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** A big-endian byte writer. */
    abstract static class Bytes<T extends Bytes<T>> {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @SuppressWarnings("unchecked")
        private T self() {
            return (T) this;
        }

        T u8(int v) {
            out.write(v);
            return self();
        }

        T u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return self();
        }

        T u24(int v) {
            out.write(v >>> 16);
            return u16(v);
        }

        T u32(long v) {
            u16((int) (v >>> 16));
            return u16((int) v);
        }

        T u64(long v) {
            u32(v >>> 32);
            return u32(v);
        }

        /** An unsigned number in {@code width} bytes (reduced-size encoding). */
        T uN(long v, int width) {
            for (int i = width - 1; i >= 0; i--) {
                out.write(i >= 8 ? 0 : (int) (v >>> (8 * i)));
            }
            return self();
        }

        T ipv4(String address) {
            byte[] b = ipBytes(address);
            if (b.length != 4) {
                throw new IllegalArgumentException(address);
            }
            return bytes(b);
        }

        T ipv6(String address) {
            byte[] b = ipBytes(address);
            if (b.length != 16) {
                throw new IllegalArgumentException(address);
            }
            return bytes(b);
        }

        T mac(long mac) {
            return uN(mac, 6);
        }

        T bytes(byte[] b) {
            out.writeBytes(b);
            return self();
        }

        T zeros(int n) {
            return bytes(new byte[n]);
        }

        /** A variable-length value with its length prefix: 1 byte below 255, else 255 and 2 bytes. */
        T varLen(byte[] value) {
            if (value.length < 255) {
                u8(value.length);
            } else {
                u8(255).u16(value.length);
            }
            return bytes(value);
        }

        /** A variable-length value in the 3-byte length form (255, then 2 bytes), whatever its length. */
        T varLen3(byte[] value) {
            u8(255).u16(value.length);
            return bytes(value);
        }

        int size() {
            return out.size();
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    /** A data record (or raw bytes). */
    static final class Rec extends Bytes<Rec> {
    }

    /** Common set-building for NetFlow v9 and IPFIX. */
    abstract static class Message<T extends Message<T>> {
        final List<byte[]> parts = new ArrayList<>();
        /** Records (template and data) for the NetFlow v9 header count. */
        int records;

        @SuppressWarnings("unchecked")
        T self() {
            return (T) this;
        }

        abstract int templateSetId();

        abstract int optionsTemplateSetId();

        /** Appends a set (flowset) with this id and body; the length is computed. */
        T set(int id, byte[] body) {
            return raw(new Rec().u16(id).u16(4 + body.length).bytes(body).toBytes());
        }

        /** Appends a set whose header announces {@code length}, whatever the body holds. */
        T setWithLength(int id, int length, byte[] body) {
            return raw(new Rec().u16(id).u16(length).bytes(body).toBytes());
        }

        /** Appends raw bytes after the sets so far (padding, garbage). */
        T raw(byte[] bytes) {
            parts.add(bytes);
            return self();
        }

        /** One template in its own template set. */
        T template(int id, Field... fields) {
            return templates(templateRecord(id, fields));
        }

        /** Several template records (from {@link #templateRecord}) in one template set. */
        T templates(byte[]... templateRecords) {
            records += templateRecords.length;
            return set(templateSetId(), concat(templateRecords));
        }

        /** One template record: IPFIX and v9 share this layout (v9 has no enterprise numbers). */
        byte[] templateRecord(int id, Field... fields) {
            Rec r = new Rec().u16(id).u16(fields.length);
            fieldSpecifiers(r, fields);
            return r.toBytes();
        }

        /** One options template, its first {@code scopeCount} fields being scope fields, in its own set. */
        T optionsTemplate(int id, int scopeCount, Field... fields) {
            records++;
            return set(optionsTemplateSetId(), optionsTemplateRecord(id, scopeCount, fields));
        }

        abstract byte[] optionsTemplateRecord(int id, int scopeCount, Field... fields);

        /** A data set of records. */
        T data(int setId, Rec... recs) {
            return dataPadded(setId, 0, recs);
        }

        /** A data set of records followed by {@code padding} zero bytes inside the set. */
        T dataPadded(int setId, int padding, Rec... recs) {
            Rec body = new Rec();
            for (Rec r : recs) {
                body.bytes(r.toBytes());
            }
            records += recs.length;
            return set(setId, body.zeros(padding).toBytes());
        }

        static void fieldSpecifiers(Rec r, Field... fields) {
            for (Field f : fields) {
                if (f.enterprise() != 0) {
                    r.u16(f.id() | 0x8000).u16(f.length()).u32(f.enterprise());
                } else {
                    r.u16(f.id()).u16(f.length());
                }
            }
        }

        byte[] body() {
            return concat(parts.toArray(new byte[0][]));
        }
    }

    /** An IPFIX message (RFC 7011). */
    static final class Ipfix extends Message<Ipfix> {
        private long domain;
        private long exportSeconds = 1_700_000_000L;
        private long sequence;
        private int length = -1;

        Ipfix(long domain) {
            this.domain = domain;
        }

        Ipfix exportTime(long epochSeconds) {
            this.exportSeconds = epochSeconds;
            return this;
        }

        Ipfix sequence(long sequence) {
            this.sequence = sequence;
            return this;
        }

        Ipfix domain(long domain) {
            this.domain = domain;
            return this;
        }

        /** Overrides the message length of the header. */
        Ipfix length(int length) {
            this.length = length;
            return this;
        }

        @Override
        int templateSetId() {
            return 2;
        }

        @Override
        int optionsTemplateSetId() {
            return 3;
        }

        @Override
        byte[] optionsTemplateRecord(int id, int scopeCount, Field... fields) {
            Rec r = new Rec().u16(id).u16(fields.length).u16(scopeCount);
            fieldSpecifiers(r, fields);
            return r.toBytes();
        }

        /** Withdraws one template (set 2). */
        Ipfix withdraw(int templateId) {
            return set(2, new Rec().u16(templateId).u16(0).toBytes());
        }

        /** Withdraws one options template (set 3). */
        Ipfix withdrawOptions(int templateId) {
            return set(3, new Rec().u16(templateId).u16(0).toBytes());
        }

        /** Withdraws all templates of the domain (set 2, template id 2). */
        Ipfix withdrawAll() {
            return withdraw(2);
        }

        /** Withdraws all options templates of the domain (set 3, template id 3). */
        Ipfix withdrawAllOptions() {
            return withdrawOptions(3);
        }

        byte[] build() {
            byte[] body = body();
            return new Rec().u16(10).u16(length >= 0 ? length : 16 + body.length).u32(exportSeconds).u32(sequence)
                    .u32(domain).bytes(body).toBytes();
        }
    }

    /** A NetFlow v9 packet (RFC 3954). */
    static final class V9 extends Message<V9> {
        private final long sourceId;
        private long sysUptime = 1_000_000L;
        private long unixSeconds = 1_700_000_000L;
        private long sequence;
        private int count = -1;

        V9(long sourceId) {
            this.sourceId = sourceId;
        }

        V9 sysUptime(long millis) {
            this.sysUptime = millis;
            return this;
        }

        V9 unixSeconds(long seconds) {
            this.unixSeconds = seconds;
            return this;
        }

        V9 sequence(long sequence) {
            this.sequence = sequence;
            return this;
        }

        /** Overrides the header's record count. */
        V9 count(int count) {
            this.count = count;
            return this;
        }

        @Override
        int templateSetId() {
            return 0;
        }

        @Override
        int optionsTemplateSetId() {
            return 1;
        }

        /** v9 options template: scope and option lengths in bytes, padded to 4 bytes. */
        @Override
        byte[] optionsTemplateRecord(int id, int scopeCount, Field... fields) {
            Rec r = new Rec().u16(id).u16(4 * scopeCount).u16(4 * (fields.length - scopeCount));
            fieldSpecifiers(r, fields);
            int pad = (4 - r.size() % 4) % 4;
            return r.zeros(pad).toBytes();
        }

        /** A data flowset padded to a 4-byte boundary, as RFC 3954 recommends. */
        V9 dataAligned(int setId, Rec... recs) {
            int n = 0;
            for (Rec r : recs) {
                n += r.size();
            }
            return dataPadded(setId, (4 - n % 4) % 4, recs);
        }

        byte[] build() {
            return new Rec().u16(9).u16(count >= 0 ? count : records).u32(sysUptime).u32(unixSeconds)
                    .u32(sequence).u32(sourceId).bytes(body()).toBytes();
        }
    }

    /** A NetFlow v5 packet: 24-byte header and 48-byte records. */
    static final class V5 {
        private long sysUptime = 1_000_000L;
        private long unixSeconds = 1_700_000_000L;
        private long nanos;
        private long sequence;
        private int engineType;
        private int engineId;
        private int samplingMode;
        private int samplingInterval;
        private int count = -1;
        private final List<byte[]> recs = new ArrayList<>();

        V5 sysUptime(long millis) {
            this.sysUptime = millis;
            return this;
        }

        V5 unixTime(long seconds, long nanos) {
            this.unixSeconds = seconds;
            this.nanos = nanos;
            return this;
        }

        V5 sequence(long sequence) {
            this.sequence = sequence;
            return this;
        }

        V5 engine(int type, int id) {
            this.engineType = type;
            this.engineId = id;
            return this;
        }

        V5 sampling(int mode, int interval) {
            this.samplingMode = mode;
            this.samplingInterval = interval;
            return this;
        }

        V5 count(int count) {
            this.count = count;
            return this;
        }

        V5 record(V5Record r) {
            recs.add(r.toBytes());
            return this;
        }

        byte[] build() {
            Rec r = new Rec().u16(5).u16(count >= 0 ? count : recs.size()).u32(sysUptime).u32(unixSeconds)
                    .u32(nanos).u32(sequence).u8(engineType).u8(engineId)
                    .u16((samplingMode << 14) | (samplingInterval & 0x3FFF));
            for (byte[] b : recs) {
                r.bytes(b);
            }
            return r.toBytes();
        }
    }

    static V5Record v5Record() {
        return new V5Record();
    }

    /** One NetFlow v5 record; unset fields are zero. */
    static final class V5Record {
        String src = "0.0.0.0";
        String dst = "0.0.0.0";
        String nextHop = "0.0.0.0";
        int input;
        int output;
        long packets;
        long bytes;
        long first;
        long last;
        int srcPort;
        int dstPort;
        int tcpFlags;
        int protocol;
        int tos;
        int srcAs;
        int dstAs;
        int srcMask;
        int dstMask;

        V5Record addresses(String src, String dst, String nextHop) {
            this.src = src;
            this.dst = dst;
            this.nextHop = nextHop;
            return this;
        }

        V5Record interfaces(int input, int output) {
            this.input = input;
            this.output = output;
            return this;
        }

        V5Record counts(long packets, long bytes) {
            this.packets = packets;
            this.bytes = bytes;
            return this;
        }

        V5Record switched(long first, long last) {
            this.first = first;
            this.last = last;
            return this;
        }

        V5Record ports(int src, int dst) {
            this.srcPort = src;
            this.dstPort = dst;
            return this;
        }

        V5Record protocol(int protocol, int tcpFlags, int tos) {
            this.protocol = protocol;
            this.tcpFlags = tcpFlags;
            this.tos = tos;
            return this;
        }

        V5Record as(int src, int dst, int srcMask, int dstMask) {
            this.srcAs = src;
            this.dstAs = dst;
            this.srcMask = srcMask;
            this.dstMask = dstMask;
            return this;
        }

        byte[] toBytes() {
            return new Rec().ipv4(src).ipv4(dst).ipv4(nextHop).u16(input).u16(output).u32(packets).u32(bytes)
                    .u32(first).u32(last).u16(srcPort).u16(dstPort).u8(0).u8(tcpFlags).u8(protocol).u8(tos)
                    .u16(srcAs).u16(dstAs).u8(srcMask).u8(dstMask).u16(0).toBytes();
        }
    }
}
