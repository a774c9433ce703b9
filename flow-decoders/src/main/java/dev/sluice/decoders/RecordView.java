package dev.sluice.decoders;

import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.ie.InformationElement;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A {@link FlowRecord} over a template plan and a region of a buffer. The decoder reuses one instance per
 * session and rebinds it for every record; {@link #copy()} makes an owned, immutable one.
 */
final class RecordView implements FlowRecord {

    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    /** The first size of a decoder's datagram copy: more than an exporter's datagram on a 1,500-byte MTU. */
    private static final int SCRATCH_BYTES = 2048;
    /** The scratch of copies, which never copy a datagram (length 0: never written). */
    private static final byte[] NO_SCRATCH = new byte[0];
    private static final int START = FlowField.START_MILLIS.ordinal();
    private static final int END = FlowField.END_MILLIS.ordinal();
    private static final int SAMPLING = FlowField.SAMPLING_INTERVAL.ordinal();
    private static final int IP_VERSION = FlowField.IP_VERSION.ordinal();
    private static final int SRC = FlowField.SOURCE_ADDRESS.ordinal();
    private static final int DST = FlowField.DESTINATION_ADDRESS.ordinal();

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Template template;
    private ByteBuf buf;
    /** The bytes reads come from: buf's backing array, or a copy of buf; array index = buffer index + delta. */
    private byte[] bytes;
    private int delta;
    private ByteBuf source;
    /**
     * The copy of a direct datagram. A decoder's view sizes it for an exporter's datagram from the start, so that
     * the first datagram does not take a branch later ones never take (compiled code would deoptimize on it).
     */
    private byte[] scratch;
    private int base;
    private int length;
    /** Per-field absolute offsets and lengths when the template has variable-length fields. */
    private int[] varOffsets;
    private int[] varLengths;
    private PacketView packet;
    private DomainState domain;
    /** For copies: values that depend on session state, resolved when copied. */
    private boolean owned;
    private long ownedSampling;
    private long ownedSystemInit;

    RecordView(int maxFields) {
        this.varOffsets = new int[maxFields];
        this.varLengths = new int[maxFields];
        this.scratch = new byte[SCRATCH_BYTES];
    }

    /** For {@link #copy()}: a copy reads its own array and never copies a datagram. */
    private RecordView() {
        this.scratch = NO_SCRATCH;
    }

    /** Binds a record of a fixed-length template at {@code offset}. */
    void bindFixed(Template t, ByteBuf buffer, int offset, PacketView pkt, DomainState dom) {
        if (buffer != source) {
            resolve(buffer);
        }
        this.template = t;
        this.buf = buffer;
        this.base = offset;
        this.length = t.recordLength;
        this.packet = pkt;
        this.domain = dom;
    }

    /**
     * Binds a record of a template with variable-length fields at {@code offset}, reading the length
     * prefixes. Returns the offset after the record, or -1 if the record does not fit before {@code end}.
     */
    int bindVariable(Template t, ByteBuf buffer, int offset, int end, PacketView pkt, DomainState dom) {
        int off = offset;
        int n = t.fieldCount();
        for (int i = 0; i < n; i++) {
            int len = t.lengths[i];
            if (len == Template.VARIABLE) {
                if (off >= end) {
                    return -1;
                }
                len = buffer.getUnsignedByte(off++);
                if (len == 255) {
                    if (end - off < 2) {
                        return -1;
                    }
                    len = buffer.getUnsignedShort(off);
                    off += 2;
                }
            }
            if (end - off < len) {
                return -1;
            }
            varOffsets[i] = off;
            varLengths[i] = len;
            off += len;
        }
        if (buffer != source) {
            resolve(buffer);
        }
        this.template = t;
        this.buf = buffer;
        this.base = offset;
        this.length = off - offset;
        this.packet = pkt;
        this.domain = dom;
        return off;
    }

    /** Forgets the resolved source: the next bind reads its buffer afresh (its content may have changed). */
    void invalidate() {
        source = null;
    }

    private void resolve(ByteBuf buffer) {
        if (buffer.hasArray()) {
            bytes = buffer.array();
            delta = buffer.arrayOffset();
        } else {
            int n = buffer.writerIndex();
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, SCRATCH_BYTES)];
            }
            buffer.getBytes(0, scratch, 0, n);
            bytes = scratch;
            delta = 0;
        }
        source = buffer;
    }

    Template template() {
        return template;
    }

    @Override
    public ExportPacket packet() {
        return packet;
    }

    @Override
    public int templateId() {
        return template.id;
    }

    @Override
    public boolean isOptions() {
        return template.options;
    }

    @Override
    public int scopeFieldCount() {
        return template.scopeCount;
    }

    @Override
    public boolean has(FlowField field) {
        int o = field.ordinal();
        if (o == SAMPLING) {
            return samplingValue() > 0;
        }
        if (o == IP_VERSION) {
            return template.fieldIndex[o] >= 0 || template.fieldIndex[SRC] >= 0 || template.fieldIndex[DST] >= 0;
        }
        if (o == START || o == END) {
            return timeValue(o) != Long.MIN_VALUE;
        }
        return template.fieldIndex[o] >= 0;
    }

    /** Fields whose value is derived rather than read as is: times, sampling interval, IP version. */
    private static final long DERIVED = 1L << START | 1L << END | 1L << SAMPLING | 1L << IP_VERSION;

    @Override
    public long getLong(FlowField field) {
        int o = field.ordinal();
        Template t = template;
        int w = t.fastWidth[o];
        if (w != 0) {
            // One read at a precomputed offset: kept small so that the JIT inlines it into the caller.
            int off = base + t.fastOffset[o] + delta;
            byte[] b = bytes;
            if (w == 4) {
                return (int) INT.get(b, off) & 0xFFFFFFFFL;
            }
            if (w == 2) {
                return (short) SHORT.get(b, off) & 0xFFFF;
            }
            if (w == 1) {
                return b[off] & 0xFF;
            }
            return (long) LONG.get(b, off);
        }
        return generalLong(o);
    }

    private long generalLong(int o) {
        if ((DERIVED >>> o & 1) != 0) {
            return derived(o);
        }
        int i = template.fieldIndex[o];
        return i < 0 ? 0 : unsignedValue(i);
    }

    private long derived(int o) {
        if (o == START || o == END) {
            long t = timeValue(o);
            return t == Long.MIN_VALUE ? 0 : t;
        }
        if (o == SAMPLING) {
            return samplingValue();
        }
        int i = template.fieldIndex[o];
        if (i < 0) {
            int a = template.fieldIndex[SRC] >= 0 ? SRC : DST;
            return template.fieldIndex[a] < 0 ? 0 : template.ipv6[a] ? 6 : 4;
        }
        return unsignedValue(i);
    }

    // ------------------------------------------------------------ typed accessors: NetFlow v5 short path
    //
    // A NetFlow v5 record (bound to Template.NETFLOW_V5, recognised by identity) is read at the constant offsets of
    // NetflowV5Parser: one compare, then one range-checked read. These methods are small enough for the JIT to
    // inline into the handler, where the generic getLong(FlowField) is a call (BENCHMARKS.md, NetFlow v5 notes).
    // Every other template takes getLong(FlowField) exactly as FlowRecord's default methods do.

    private int u8(int at) {
        return bytes[base + delta + at] & 0xFF;
    }

    private int u16(int at) {
        return (short) SHORT.get(bytes, base + delta + at) & 0xFFFF;
    }

    private long u32(int at) {
        return (int) INT.get(bytes, base + delta + at) & 0xFFFFFFFFL;
    }

    /** A v5 switched time (sysUptime millis at {@code at}) as epoch millis, as {@link #timeValue} derives it. */
    private long v5Time(int at) {
        long t = packet.uptimeToEpochMillis(u32(at));
        return t == Long.MIN_VALUE ? 0 : t;
    }

    @Override
    public int sourcePort() {
        return template == Template.NETFLOW_V5 ? u16(NetflowV5Parser.SRC_PORT)
                : (int) getLong(FlowField.SOURCE_PORT);
    }

    @Override
    public int destinationPort() {
        return template == Template.NETFLOW_V5 ? u16(NetflowV5Parser.DST_PORT)
                : (int) getLong(FlowField.DESTINATION_PORT);
    }

    @Override
    public int protocolNumber() {
        return template == Template.NETFLOW_V5 ? u8(NetflowV5Parser.PROTOCOL) : (int) getLong(FlowField.PROTOCOL);
    }

    @Override
    public long bytes() {
        return template == Template.NETFLOW_V5 ? u32(NetflowV5Parser.OCTETS) : getLong(FlowField.BYTES);
    }

    @Override
    public long packets() {
        return template == Template.NETFLOW_V5 ? u32(NetflowV5Parser.PACKETS) : getLong(FlowField.PACKETS);
    }

    @Override
    public long startMillis() {
        return template == Template.NETFLOW_V5 ? v5Time(NetflowV5Parser.FIRST) : getLong(FlowField.START_MILLIS);
    }

    @Override
    public long endMillis() {
        return template == Template.NETFLOW_V5 ? v5Time(NetflowV5Parser.LAST) : getLong(FlowField.END_MILLIS);
    }

    @Override
    public int tcpFlags() {
        return template == Template.NETFLOW_V5 ? u8(NetflowV5Parser.TCP_FLAGS) : (int) getLong(FlowField.TCP_FLAGS);
    }

    @Override
    public int tos() {
        return template == Template.NETFLOW_V5 ? u8(NetflowV5Parser.TOS) : (int) getLong(FlowField.TOS);
    }

    @Override
    public long inputInterface() {
        return template == Template.NETFLOW_V5 ? u16(NetflowV5Parser.INPUT) : getLong(FlowField.INPUT_INTERFACE);
    }

    @Override
    public long outputInterface() {
        return template == Template.NETFLOW_V5 ? u16(NetflowV5Parser.OUTPUT) : getLong(FlowField.OUTPUT_INTERFACE);
    }

    @Override
    public long sourceAs() {
        return template == Template.NETFLOW_V5 ? u16(NetflowV5Parser.SRC_AS) : getLong(FlowField.SOURCE_AS);
    }

    @Override
    public long destinationAs() {
        return template == Template.NETFLOW_V5 ? u16(NetflowV5Parser.DST_AS) : getLong(FlowField.DESTINATION_AS);
    }

    @Override
    public boolean isIpv6(FlowField field) {
        if (template == Template.NETFLOW_V5) {
            return false; // v5 carries IPv4 addresses only
        }
        int o = field.ordinal();
        return template.fieldIndex[o] >= 0 && template.ipv6[o];
    }

    @Override
    public int ipv4(FlowField field) {
        if (template == Template.NETFLOW_V5) {
            if (field == FlowField.SOURCE_ADDRESS) {
                return (int) INT.get(bytes, base + delta + NetflowV5Parser.SRC_ADDR);
            }
            if (field == FlowField.DESTINATION_ADDRESS) {
                return (int) INT.get(bytes, base + delta + NetflowV5Parser.DST_ADDR);
            }
        }
        int o = field.ordinal();
        int i = template.fieldIndex[o];
        if (i < 0 || template.ipv6[o] || fieldLength(i) != 4) {
            return 0;
        }
        return (int) INT.get(bytes, fieldOffset(i) + delta);
    }

    @Override
    public int copyAddress(FlowField field, byte[] dst) {
        int o = field.ordinal();
        int i = template.fieldIndex[o];
        if (i < 0) {
            return 0;
        }
        int len = fieldLength(i);
        int want = template.ipv6[o] ? 16 : 4;
        if (len != want) {
            return 0;
        }
        int off = fieldOffset(i) + delta;
        byte[] b = bytes;
        if (want == 4) { // whole-word copies: no call into the arraycopy stub for 4 or 16 bytes
            INT.set(dst, 0, (int) INT.get(b, off));
        } else {
            LONG.set(dst, 0, (long) LONG.get(b, off));
            LONG.set(dst, 8, (long) LONG.get(b, off + 8));
        }
        return want;
    }

    @Override
    public long mac(FlowField field) {
        int i = template.fieldIndex[field.ordinal()];
        if (i < 0 || fieldLength(i) != 6) {
            return 0;
        }
        int off = fieldOffset(i);
        return ((long) buf.getUnsignedShort(off) << 32) | buf.getUnsignedInt(off + 2);
    }

    private long samplingValue() {
        int i = template.fieldIndex[SAMPLING];
        if (i >= 0) {
            return unsignedValue(i);
        }
        if (owned) {
            return ownedSampling;
        }
        long header = packet.headerSamplingInterval;
        if (header > 0) {
            return header;
        }
        if (domain == null) {
            return 0;
        }
        int s = template.samplerIdIndex;
        return s >= 0 ? domain.sampling(unsignedValue(s)) : domain.defaultSampling;
    }

    private long systemInit() {
        if (template.systemInitIndex >= 0) {
            return unsignedValue(template.systemInitIndex);
        }
        if (owned) {
            return ownedSystemInit;
        }
        return domain == null ? -1 : domain.systemInitMillis;
    }

    /** Start or end time as epoch millis, or Long.MIN_VALUE when it cannot be derived. */
    private long timeValue(int ordinal) {
        int i = template.fieldIndex[ordinal];
        if (i < 0) {
            return Long.MIN_VALUE;
        }
        Template.TimeKind kind = ordinal == START ? template.startKind : template.endKind;
        long v = unsignedValue(i);
        switch (kind) {
            case MILLIS:
                return v;
            case SECONDS:
                return v * 1000;
            case MICROS_NTP:
            case NANOS_NTP:
                if (fieldLength(i) != 8) {
                    return Long.MIN_VALUE;
                }
                return ((v >>> 32) - NTP_UNIX_OFFSET_SECONDS) * 1000 + (((v & 0xFFFFFFFFL) * 1000) >>> 32);
            case UPTIME_HEADER:
                return packet.uptimeToEpochMillis(v);
            case UPTIME_INIT: {
                long init = systemInit();
                return init < 0 ? Long.MIN_VALUE : init + v;
            }
            case DELTA_MICROS:
                return packet.exportTimeMillis - v / 1000;
            default:
                return Long.MIN_VALUE;
        }
    }

    @Override
    public int fieldCount() {
        return template.fieldCount();
    }

    @Override
    public int elementId(int index) {
        return template.elementIds[index];
    }

    @Override
    public long enterpriseId(int index) {
        return template.enterpriseIds[index];
    }

    @Override
    public int fieldLength(int index) {
        return template.variable ? varLengths[index] : template.lengths[index];
    }

    @Override
    public InformationElement element(int index) {
        return template.elements[index];
    }

    @Override
    public ByteBuf buffer() {
        return buf;
    }

    @Override
    public int fieldOffset(int index) {
        return template.variable ? varOffsets[index] : base + template.offsets[index];
    }

    @Override
    public long unsignedValue(int index) {
        int off = fieldOffset(index) + delta;
        int len = fieldLength(index);
        byte[] b = bytes;
        switch (len) {
            case 1:
                return b[off] & 0xFF;
            case 2:
                return (short) SHORT.get(b, off) & 0xFFFF;
            case 4:
                return (int) INT.get(b, off) & 0xFFFFFFFFL;
            case 8:
                return (long) LONG.get(b, off);
            default:
                return unsignedSlow(b, off, len);
        }
    }

    private static long unsignedSlow(byte[] b, int off, int len) {
        if (len > 8) {
            off += len - 8;
            len = 8;
        }
        long v = 0;
        for (int k = 0; k < len; k++) {
            v = (v << 8) | (b[off + k] & 0xFF);
        }
        return v;
    }

    @Override
    public byte[] bytesValue(int index) {
        byte[] b = new byte[fieldLength(index)];
        buf.getBytes(fieldOffset(index), b);
        return b;
    }

    @Override
    public FlowRecord copy() {
        RecordView c = new RecordView();
        c.template = template;
        byte[] bytes = new byte[length];
        buf.getBytes(base, bytes);
        c.buf = Unpooled.wrappedBuffer(bytes).asReadOnly();
        c.bytes = bytes;
        c.delta = 0;
        c.source = c.buf;
        c.base = 0;
        c.length = length;
        if (template.variable) {
            int n = template.fieldCount();
            c.varOffsets = new int[n];
            c.varLengths = new int[n];
            for (int i = 0; i < n; i++) {
                c.varOffsets[i] = varOffsets[i] - base;
                c.varLengths[i] = varLengths[i];
            }
        }
        c.packet = owned ? packet : packet.copy();
        c.owned = true;
        c.ownedSampling = samplingValue();
        c.ownedSystemInit = systemInit();
        return c;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(packet).append(" template ").append(template.id).append(" {");
        for (int i = 0; i < fieldCount(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(element(i).name()).append('=');
            if (fieldLength(i) <= 8) {
                sb.append(unsignedValue(i));
            } else {
                sb.append(io.netty.buffer.ByteBufUtil.hexDump(buf, fieldOffset(i), fieldLength(i)));
            }
        }
        return sb.append('}').toString();
    }
}
