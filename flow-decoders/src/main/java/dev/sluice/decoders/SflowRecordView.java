package dev.sluice.decoders;

import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.ie.InformationElement;
import dev.sluice.core.ie.InformationElementRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The {@link FlowRecord} of one sFlow flow sample (one sampled packet).
 *
 * <h2>How the values are held</h2>
 * sFlow has no templates: the values of a sample are scattered over its records (the sampled packet header,
 * the extended switch / router / gateway records) and several of them only exist after a little arithmetic
 * (a VLAN id is 12 bits of a tag, a compact interface is 30 bits of a word, an IPv6 traffic class straddles
 * two bytes, the packet count is always 1). The view therefore uses a <em>fixed synthetic field list</em>:
 * a table of IPFIX information elements (the {@code SLOT_*} constants, each with its element id, its
 * length and a fixed offset in a small per-session <em>scratch buffer</em>). While parsing a sample the
 * decoder writes each value it finds, in its IPFIX encoding, into its slot and marks the slot present.
 * Nothing is allocated per sample: the scratch buffer and the view are reused, and a record's field list
 * is the set bits of one {@code long}.
 * <ul>
 *   <li>Typed access ({@link #getLong}, {@link #ipv4}, {@link #mac}, ...) reads a slot: one bounds-checked
 *       read at a constant offset. {@link #has} is exact: a slot is present only when the sample carried the
 *       value.</li>
 *   <li>Generic access ({@link #fieldCount()}, {@link #elementId}, {@link #unsignedValue},
 *       {@link #fieldOffset}, {@link #buffer()}) lists the present slots in slot order, then the records
 *       kept raw (below); {@link #buffer()} is the scratch buffer and {@link #fieldOffset} points into it, so
 *       reading {@code fieldLength(i)} bytes at {@code fieldOffset(i)} gives the element's IPFIX encoding
 *       (addresses 4 or 16 bytes, MACs 6, numbers big-endian in the slot's length).</li>
 * </ul>
 *
 * <h2>Elements</h2>
 * From the sampled header (or the Ethernet / IPv4 / IPv6 data records): sourceMacAddress 56,
 * destinationMacAddress 80, vlanId 58 (outer tag, or the extended switch's input VLAN, which wins),
 * dot1qCustomerVlanId 245 (inner tag of QinQ), ethernetType 256, mplsTopLabelStackSection 70 and
 * mplsLabelStackSection2..10 71-79, ipVersion 60, source/destinationIPv4Address 8/12 or IPv6 27/28,
 * ipClassOfService 5 (IPv4 ToS, IPv6 traffic class), flowLabelIPv6 31, ipTTL 192, ipTotalLength 224,
 * fragmentIdentification 54 / fragmentOffset 88 / fragmentFlags 197 (IPv4 always, IPv6 when a fragment
 * header is present), protocolIdentifier 4 (for IPv6 the upper-layer protocol after the extension headers),
 * source/destinationTransportPort 7/11 (TCP, UDP, SCTP, UDP-Lite, DCCP), tcpControlBits 6,
 * icmpTypeCodeIPv4 32 / icmpTypeCodeIPv6 139; octetDeltaCount 1 = frame length (else the Ethernet / IP
 * data record's length), packetDeltaCount 2 = 1. From the sample: samplingPacketInterval 305 = sampling rate,
 * ingressInterface 10 and egressInterface 14 (only when their format says "ifIndex"), forwardingStatus 89 =
 * 128 (dropped) when the output format says the packet was discarded. From extended switch (1001):
 * vlanId 58, postVlanId 59, dot1qPriority 244. From extended router (1002): ipNextHopIPv4Address 15 /
 * IPv6 62 and the prefix lengths 9/13 (IPv4 flows) or 29/30 (IPv6 flows). From extended gateway (1003):
 * bgpNextHopIPv4Address 18 / IPv6 63, bgpSourceAsNumber 16 (its source AS, or the router's own AS when
 * that is 0), bgpDestinationAsNumber 17 (last AS of the AS path, or the router's own AS when the path is
 * empty), bgpNextAdjacentAsNumber 128 (first AS of the path), bgpPrevAdjacentAsNumber 129 (source peer AS)
 * — the same choices goflow2 makes.
 *
 * <h2>Records kept raw</h2>
 * Every flow record the decoder does not decode into elements (extended user, URL, MPLS, NAT, tunnels,
 * 802.11, vendor records ...), and the extended gateway record whole (for its AS path, communities and
 * local preference), is listed after the slots as a field of enterprise {@link #RAW_ENTERPRISE} (4300,
 * InMon's number, used here as the sFlow structure namespace) whose element id is the record's data format
 * ({@code enterprise << 12 | format}, so the standard records keep their number, e.g. 1006) and whose value
 * is the record's XDR body. At most {@link #MAX_RAW} records per sample are listed. Their bytes are copied
 * into the scratch buffer only when generic access first asks for them.
 *
 * <p>START_MILLIS / END_MILLIS are absent (sFlow carries no flow times; the packet's export time is the
 * receive time).
 */
final class SflowRecordView implements FlowRecord {

    /** Enterprise number under which records kept raw are listed (see class comment). */
    static final long RAW_ENTERPRISE = 4300;
    /** Records kept raw per sample, at most. */
    static final int MAX_RAW = 16;

    static final int SLOT_SRC4 = 0;
    static final int SLOT_DST4 = 1;
    static final int SLOT_SRC6 = 2;
    static final int SLOT_DST6 = 3;
    static final int SLOT_PROTOCOL = 4;
    static final int SLOT_SRC_PORT = 5;
    static final int SLOT_DST_PORT = 6;
    static final int SLOT_TCP_FLAGS = 7;
    static final int SLOT_TOS = 8;
    static final int SLOT_ICMP4 = 9;
    static final int SLOT_ICMP6 = 10;
    static final int SLOT_BYTES = 11;
    static final int SLOT_PACKETS = 12;
    static final int SLOT_IN = 13;
    static final int SLOT_OUT = 14;
    static final int SLOT_VLAN = 15;
    static final int SLOT_POST_VLAN = 16;
    static final int SLOT_INNER_VLAN = 17;
    static final int SLOT_SRC_MAC = 18;
    static final int SLOT_DST_MAC = 19;
    static final int SLOT_SAMPLING = 20;
    static final int SLOT_IP_VERSION = 21;
    static final int SLOT_NEXT_HOP4 = 22;
    static final int SLOT_NEXT_HOP6 = 23;
    static final int SLOT_BGP_NEXT_HOP4 = 24;
    static final int SLOT_BGP_NEXT_HOP6 = 25;
    static final int SLOT_SRC_MASK4 = 26;
    static final int SLOT_DST_MASK4 = 27;
    static final int SLOT_SRC_MASK6 = 28;
    static final int SLOT_DST_MASK6 = 29;
    static final int SLOT_SRC_AS = 30;
    static final int SLOT_DST_AS = 31;
    static final int SLOT_NEXT_AS = 32;
    static final int SLOT_PREV_AS = 33;
    static final int SLOT_ETHERTYPE = 34;
    static final int SLOT_FLOW_LABEL = 35;
    static final int SLOT_TTL = 36;
    static final int SLOT_IP_LENGTH = 37;
    static final int SLOT_FRAG_OFFSET = 38;
    static final int SLOT_FRAG_ID = 39;
    static final int SLOT_FRAG_FLAGS = 40;
    static final int SLOT_FORWARDING = 41;
    static final int SLOT_PRIORITY = 42;
    /** First of the 10 MPLS label stack sections (70, 71, ..., 79). */
    static final int SLOT_MPLS = 43;
    static final int MPLS_LABELS = 10;
    static final int SLOTS = SLOT_MPLS + MPLS_LABELS;

    static final int[] ELEMENT_IDS = new int[SLOTS];
    static final int[] LENGTHS = new int[SLOTS];
    static final int[] OFFSETS = new int[SLOTS];
    /** Bytes of the scratch buffer that hold the slots; records kept raw follow. */
    static final int FIXED_SIZE;
    private static final InformationElement[] ELEMENTS = new InformationElement[SLOTS];

    static {
        def(SLOT_SRC4, 8, 4);
        def(SLOT_DST4, 12, 4);
        def(SLOT_SRC6, 27, 16);
        def(SLOT_DST6, 28, 16);
        def(SLOT_PROTOCOL, 4, 1);
        def(SLOT_SRC_PORT, 7, 2);
        def(SLOT_DST_PORT, 11, 2);
        def(SLOT_TCP_FLAGS, 6, 2);
        def(SLOT_TOS, 5, 1);
        def(SLOT_ICMP4, 32, 2);
        def(SLOT_ICMP6, 139, 2);
        def(SLOT_BYTES, 1, 4);
        def(SLOT_PACKETS, 2, 4);
        def(SLOT_IN, 10, 4);
        def(SLOT_OUT, 14, 4);
        def(SLOT_VLAN, 58, 2);
        def(SLOT_POST_VLAN, 59, 2);
        def(SLOT_INNER_VLAN, 245, 2);
        def(SLOT_SRC_MAC, 56, 6);
        def(SLOT_DST_MAC, 80, 6);
        def(SLOT_SAMPLING, 305, 4);
        def(SLOT_IP_VERSION, 60, 1);
        def(SLOT_NEXT_HOP4, 15, 4);
        def(SLOT_NEXT_HOP6, 62, 16);
        def(SLOT_BGP_NEXT_HOP4, 18, 4);
        def(SLOT_BGP_NEXT_HOP6, 63, 16);
        def(SLOT_SRC_MASK4, 9, 1);
        def(SLOT_DST_MASK4, 13, 1);
        def(SLOT_SRC_MASK6, 29, 1);
        def(SLOT_DST_MASK6, 30, 1);
        def(SLOT_SRC_AS, 16, 4);
        def(SLOT_DST_AS, 17, 4);
        def(SLOT_NEXT_AS, 128, 4);
        def(SLOT_PREV_AS, 129, 4);
        def(SLOT_ETHERTYPE, 256, 2);
        def(SLOT_FLOW_LABEL, 31, 4);
        def(SLOT_TTL, 192, 1);
        def(SLOT_IP_LENGTH, 224, 4);
        def(SLOT_FRAG_OFFSET, 88, 2);
        def(SLOT_FRAG_ID, 54, 4);
        def(SLOT_FRAG_FLAGS, 197, 1);
        def(SLOT_FORWARDING, 89, 1);
        def(SLOT_PRIORITY, 244, 1);
        for (int i = 0; i < MPLS_LABELS; i++) {
            def(SLOT_MPLS + i, 70 + i, 3);
        }
        int off = 0;
        InformationElementRegistry registry = InformationElementRegistry.standard();
        for (int s = 0; s < SLOTS; s++) {
            if (LENGTHS[s] == 0) {
                throw new AssertionError("slot " + s + " undefined");
            }
            OFFSETS[s] = off;
            off += LENGTHS[s];
            ELEMENTS[s] = registry.ipfix(0, ELEMENT_IDS[s]);
        }
        FIXED_SIZE = off;
    }

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static void def(int slot, int elementId, int length) {
        ELEMENT_IDS[slot] = elementId;
        LENGTHS[slot] = length;
    }

    private static final int F_SRC = FlowField.SOURCE_ADDRESS.ordinal();
    private static final int F_DST = FlowField.DESTINATION_ADDRESS.ordinal();
    private static final int F_NEXT_HOP = FlowField.NEXT_HOP.ordinal();
    private static final int F_SRC_MASK = FlowField.SOURCE_MASK.ordinal();
    private static final int F_DST_MASK = FlowField.DESTINATION_MASK.ordinal();
    private static final int F_ICMP = FlowField.ICMP_TYPE_CODE.ordinal();
    /** The slot of each FlowField without alternatives, or -1 (addresses, masks and ICMP are resolved in code). */
    private static final int[] FIELD_SLOT = new int[FlowField.values().length];

    static {
        Arrays.fill(FIELD_SLOT, -1);
        FIELD_SLOT[FlowField.SOURCE_PORT.ordinal()] = SLOT_SRC_PORT;
        FIELD_SLOT[FlowField.DESTINATION_PORT.ordinal()] = SLOT_DST_PORT;
        FIELD_SLOT[FlowField.PROTOCOL.ordinal()] = SLOT_PROTOCOL;
        FIELD_SLOT[FlowField.BYTES.ordinal()] = SLOT_BYTES;
        FIELD_SLOT[FlowField.PACKETS.ordinal()] = SLOT_PACKETS;
        FIELD_SLOT[FlowField.TCP_FLAGS.ordinal()] = SLOT_TCP_FLAGS;
        FIELD_SLOT[FlowField.TOS.ordinal()] = SLOT_TOS;
        FIELD_SLOT[FlowField.INPUT_INTERFACE.ordinal()] = SLOT_IN;
        FIELD_SLOT[FlowField.OUTPUT_INTERFACE.ordinal()] = SLOT_OUT;
        FIELD_SLOT[FlowField.SOURCE_AS.ordinal()] = SLOT_SRC_AS;
        FIELD_SLOT[FlowField.DESTINATION_AS.ordinal()] = SLOT_DST_AS;
        FIELD_SLOT[FlowField.VLAN.ordinal()] = SLOT_VLAN;
        FIELD_SLOT[FlowField.POST_VLAN.ordinal()] = SLOT_POST_VLAN;
        FIELD_SLOT[FlowField.SOURCE_MAC.ordinal()] = SLOT_SRC_MAC;
        FIELD_SLOT[FlowField.DESTINATION_MAC.ordinal()] = SLOT_DST_MAC;
        FIELD_SLOT[FlowField.SAMPLING_INTERVAL.ordinal()] = SLOT_SAMPLING;
        FIELD_SLOT[FlowField.IP_VERSION.ordinal()] = SLOT_IP_VERSION;
    }

    private ExportPacket packet;
    /**
     * The scratch buffer: the slots at {@link #OFFSETS}, then the raw records' bytes once materialized. Written
     * and read as a plain array (no reference-count checks on the hot path); {@link #scratch} wraps it for
     * {@link #buffer()}.
     */
    private byte[] bytes;
    private ByteBuf scratch;
    /** Present slots, one bit each. */
    private long present;
    /** Slots that the extended switch record set, which the sampled header must not overwrite. */
    private long pinned;

    private int rawCount;
    private final int[] rawFormat;
    /** Where each raw record's body is: in the datagram until materialized, then in the scratch buffer. */
    private final int[] rawOffset;
    private final int[] rawLength;
    private ByteBuf source;
    private boolean rawMaterialized;

    /** Generic field order, built on first generic access: slot numbers, then SLOTS + raw index. */
    private final int[] order;
    private int orderCount = -1;

    SflowRecordView() {
        this.bytes = new byte[FIXED_SIZE + 512];
        this.scratch = Unpooled.wrappedBuffer(bytes);
        this.rawFormat = new int[MAX_RAW];
        this.rawOffset = new int[MAX_RAW];
        this.rawLength = new int[MAX_RAW];
        this.order = new int[SLOTS + MAX_RAW];
    }

    private SflowRecordView(ExportPacket packet, byte[] bytes, long present, int rawCount, int[] rawFormat,
            int[] rawOffset, int[] rawLength) {
        this.packet = packet;
        this.bytes = bytes;
        this.scratch = Unpooled.wrappedBuffer(bytes).asReadOnly();
        this.present = present;
        this.rawCount = rawCount;
        this.rawFormat = rawFormat;
        this.rawOffset = rawOffset;
        this.rawLength = rawLength;
        this.rawMaterialized = true;
        this.order = new int[SLOTS + MAX_RAW];
    }

    // ------------------------------------------------------------------ filled by the parser

    /** Starts a new sample: no field present. */
    void reset(ExportPacket pkt, ByteBuf datagram) {
        this.packet = pkt;
        this.source = datagram;
        this.present = 0;
        this.pinned = 0;
        this.rawCount = 0;
        this.rawMaterialized = false;
        this.orderCount = -1;
    }

    boolean isSet(int slot) {
        return (present & (1L << slot)) != 0;
    }

    void clear(int slot) {
        present &= ~(1L << slot);
    }

    void pin(int slot) {
        pinned |= 1L << slot;
    }

    boolean isPinned(int slot) {
        return (pinned & (1L << slot)) != 0;
    }

    void setNumber(int slot, long value) {
        int off = OFFSETS[slot];
        switch (LENGTHS[slot]) {
            case 1:
                bytes[off] = (byte) value;
                break;
            case 2:
                SHORT.set(bytes, off, (short) value);
                break;
            case 3:
                bytes[off] = (byte) (value >>> 16);
                SHORT.set(bytes, off + 1, (short) value);
                break;
            case 4:
                INT.set(bytes, off, (int) value);
                break;
            default:
                throw new IllegalArgumentException("slot " + slot + " is not a number");
        }
        present |= 1L << slot;
    }

    void set8(int slot, long value) {
        bytes[OFFSETS[slot]] = (byte) value;
        present |= 1L << slot;
    }

    void set16(int slot, long value) {
        SHORT.set(bytes, OFFSETS[slot], (short) value);
        present |= 1L << slot;
    }

    void set32(int slot, long value) {
        INT.set(bytes, OFFSETS[slot], (int) value);
        present |= 1L << slot;
    }

    void setAddress4(int slot, ByteBuf buf, int offset) {
        INT.set(bytes, OFFSETS[slot], buf.getInt(offset));
        present |= 1L << slot;
    }

    void setMac(int slot, ByteBuf buf, int offset) {
        int off = OFFSETS[slot];
        SHORT.set(bytes, off, buf.getShort(offset));
        INT.set(bytes, off + 2, buf.getInt(offset + 2));
        present |= 1L << slot;
    }

    void setAddress16(int slot, ByteBuf buf, int offset) {
        int off = OFFSETS[slot];
        LONG.set(bytes, off, buf.getLong(offset));
        LONG.set(bytes, off + 8, buf.getLong(offset + 8));
        present |= 1L << slot;
    }

    /** Copies a slot's value (address or MAC) from {@code buf} at {@code offset}. */
    void setBytes(int slot, ByteBuf buf, int offset) {
        int off = OFFSETS[slot];
        switch (LENGTHS[slot]) {
            case 4:
                INT.set(bytes, off, buf.getInt(offset));
                break;
            case 6:
                SHORT.set(bytes, off, buf.getShort(offset));
                INT.set(bytes, off + 2, buf.getInt(offset + 2));
                break;
            case 16:
                LONG.set(bytes, off, buf.getLong(offset));
                LONG.set(bytes, off + 8, buf.getLong(offset + 8));
                break;
            default:
                throw new IllegalArgumentException("slot " + slot + " is not an address");
        }
        present |= 1L << slot;
    }

    /** Lists a record kept raw (its body in the datagram); returns false when the sample has too many. */
    boolean addRaw(int dataFormat, int offset, int length) {
        if (rawCount >= MAX_RAW) {
            return false;
        }
        rawFormat[rawCount] = dataFormat;
        rawOffset[rawCount] = offset;
        rawLength[rawCount] = length;
        rawCount++;
        return true;
    }

    int rawCount() {
        return rawCount;
    }

    int rawFormat(int i) {
        return rawFormat[i];
    }

    /** The slot's value as read back (for the parser's own use). */
    long slotValue(int slot) {
        return read(slot);
    }

    // ------------------------------------------------------------------ FlowRecord

    @Override
    public ExportPacket packet() {
        return packet;
    }

    @Override
    public int templateId() {
        return 0;
    }

    @Override
    public boolean isOptions() {
        return false;
    }

    @Override
    public int scopeFieldCount() {
        return 0;
    }

    /** The slot holding a field in this record, or -1 when absent. */
    private int slotOf(FlowField field) {
        int o = field.ordinal();
        int s = FIELD_SLOT[o];
        if (s >= 0) {
            return isSet(s) ? s : -1;
        }
        if (o == F_SRC) {
            return isSet(SLOT_SRC4) ? SLOT_SRC4 : isSet(SLOT_SRC6) ? SLOT_SRC6 : -1;
        }
        if (o == F_DST) {
            return isSet(SLOT_DST4) ? SLOT_DST4 : isSet(SLOT_DST6) ? SLOT_DST6 : -1;
        }
        if (o == F_NEXT_HOP) {
            return isSet(SLOT_NEXT_HOP4) ? SLOT_NEXT_HOP4 : isSet(SLOT_NEXT_HOP6) ? SLOT_NEXT_HOP6
                    : isSet(SLOT_BGP_NEXT_HOP4) ? SLOT_BGP_NEXT_HOP4 : isSet(SLOT_BGP_NEXT_HOP6) ? SLOT_BGP_NEXT_HOP6
                    : -1;
        }
        if (o == F_SRC_MASK) {
            return isSet(SLOT_SRC_MASK4) ? SLOT_SRC_MASK4 : isSet(SLOT_SRC_MASK6) ? SLOT_SRC_MASK6 : -1;
        }
        if (o == F_DST_MASK) {
            return isSet(SLOT_DST_MASK4) ? SLOT_DST_MASK4 : isSet(SLOT_DST_MASK6) ? SLOT_DST_MASK6 : -1;
        }
        if (o == F_ICMP) {
            return isSet(SLOT_ICMP4) ? SLOT_ICMP4 : isSet(SLOT_ICMP6) ? SLOT_ICMP6 : -1;
        }
        return -1; // START_MILLIS, END_MILLIS, DIRECTION, FLOW_END_REASON: sFlow has none
    }

    @Override
    public boolean has(FlowField field) {
        return slotOf(field) >= 0;
    }

    @Override
    public long getLong(FlowField field) {
        int s = FIELD_SLOT[field.ordinal()];
        if (s >= 0) {
            return (present & (1L << s)) == 0 ? 0 : read(s);
        }
        return getLongDerived(field);
    }

    private long getLongDerived(FlowField field) {
        int s = slotOf(field);
        return s < 0 ? 0 : read(s);
    }

    @Override
    public boolean isIpv6(FlowField field) {
        int o = field.ordinal();
        if (o == F_SRC) {
            return (present & (1L << SLOT_SRC4 | 1L << SLOT_SRC6)) == 1L << SLOT_SRC6;
        }
        if (o == F_DST) {
            return (present & (1L << SLOT_DST4 | 1L << SLOT_DST6)) == 1L << SLOT_DST6;
        }
        int s = slotOf(field);
        return s >= 0 && LENGTHS[s] == 16;
    }

    @Override
    public int ipv4(FlowField field) {
        int o = field.ordinal();
        if (o == F_SRC) {
            return (present & (1L << SLOT_SRC4)) == 0 ? 0 : (int) INT.get(bytes, OFFSETS[SLOT_SRC4]);
        }
        if (o == F_DST) {
            return (present & (1L << SLOT_DST4)) == 0 ? 0 : (int) INT.get(bytes, OFFSETS[SLOT_DST4]);
        }
        return ipv4Other(field);
    }

    private int ipv4Other(FlowField field) {
        int s = slotOf(field);
        if (s < 0 || LENGTHS[s] != 4 || field.kind() != FlowField.Kind.ADDRESS) {
            return 0;
        }
        return (int) INT.get(bytes, OFFSETS[s]);
    }

    @Override
    public int copyAddress(FlowField field, byte[] dst) {
        int s = slotOf(field);
        if (s < 0 || field.kind() != FlowField.Kind.ADDRESS) {
            return 0;
        }
        int n = LENGTHS[s];
        System.arraycopy(bytes, OFFSETS[s], dst, 0, n);
        return n;
    }

    @Override
    public long mac(FlowField field) {
        int s = slotOf(field);
        if (s < 0 || LENGTHS[s] != 6) {
            return 0;
        }
        return read(s);
    }

    private long read(int slot) {
        int off = OFFSETS[slot];
        switch (LENGTHS[slot]) {
            case 1:
                return bytes[off] & 0xFF;
            case 2:
                return (short) SHORT.get(bytes, off) & 0xFFFF;
            case 3:
                return (bytes[off] & 0xFF) << 16 | (short) SHORT.get(bytes, off + 1) & 0xFFFF;
            case 4:
                return (int) INT.get(bytes, off) & 0xFFFFFFFFL;
            case 6:
                return ((long) ((short) SHORT.get(bytes, off) & 0xFFFF) << 32)
                        | (int) INT.get(bytes, off + 2) & 0xFFFFFFFFL;
            default:
                return (long) LONG.get(bytes, off + LENGTHS[slot] - 8);
        }
    }

    // ------------------------------------------------------------------ generic access

    private void buildOrder() {
        int n = 0;
        long bits = present;
        while (bits != 0) {
            int s = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            order[n++] = s;
        }
        for (int r = 0; r < rawCount; r++) {
            order[n++] = SLOTS + r;
        }
        orderCount = n;
    }

    /** Copies the raw records' bodies from the datagram into the scratch buffer (once per record). */
    private void materializeRaw() {
        if (rawMaterialized) {
            return;
        }
        int need = FIXED_SIZE;
        for (int r = 0; r < rawCount; r++) {
            need += rawLength[r];
        }
        if (need > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(need, bytes.length * 2));
            scratch = Unpooled.wrappedBuffer(bytes);
        }
        int at = FIXED_SIZE;
        for (int r = 0; r < rawCount; r++) {
            source.getBytes(rawOffset[r], bytes, at, rawLength[r]);
            rawOffset[r] = at;
            at += rawLength[r];
        }
        rawMaterialized = true;
    }

    private int entry(int index) {
        if (orderCount < 0) {
            buildOrder();
        }
        if (index < 0 || index >= orderCount) {
            throw new IndexOutOfBoundsException("field " + index + " of " + orderCount);
        }
        return order[index];
    }

    @Override
    public int fieldCount() {
        if (orderCount < 0) {
            buildOrder();
        }
        return orderCount;
    }

    @Override
    public int elementId(int index) {
        int e = entry(index);
        return e < SLOTS ? ELEMENT_IDS[e] : rawFormat[e - SLOTS];
    }

    @Override
    public long enterpriseId(int index) {
        return entry(index) < SLOTS ? 0 : RAW_ENTERPRISE;
    }

    @Override
    public int fieldLength(int index) {
        int e = entry(index);
        return e < SLOTS ? LENGTHS[e] : rawLength[e - SLOTS];
    }

    @Override
    public InformationElement element(int index) {
        int e = entry(index);
        return e < SLOTS ? ELEMENTS[e]
                : InformationElementRegistry.standard().ipfix(RAW_ENTERPRISE, rawFormat[e - SLOTS]);
    }

    @Override
    public ByteBuf buffer() {
        materializeRaw();
        return scratch;
    }

    @Override
    public int fieldOffset(int index) {
        int e = entry(index);
        if (e < SLOTS) {
            return OFFSETS[e];
        }
        materializeRaw();
        return rawOffset[e - SLOTS];
    }

    @Override
    public long unsignedValue(int index) {
        int e = entry(index);
        if (e < SLOTS) {
            return read(e);
        }
        materializeRaw();
        int r = e - SLOTS;
        int off = rawOffset[r];
        int len = rawLength[r];
        if (len > 8) {
            off += len - 8;
            len = 8;
        }
        long v = 0;
        for (int k = 0; k < len; k++) {
            v = (v << 8) | (bytes[off + k] & 0xFF);
        }
        return v;
    }

    @Override
    public byte[] bytesValue(int index) {
        byte[] b = new byte[fieldLength(index)];
        buffer().getBytes(fieldOffset(index), b);
        return b;
    }

    @Override
    public FlowRecord copy() {
        materializeRaw();
        int used = FIXED_SIZE;
        for (int r = 0; r < rawCount; r++) {
            used = Math.max(used, rawOffset[r] + rawLength[r]);
        }
        ExportPacket p = packet instanceof PacketView ? ((PacketView) packet).copy() : packet;
        return new SflowRecordView(p, Arrays.copyOf(bytes, used), present, rawCount,
                Arrays.copyOf(rawFormat, MAX_RAW), Arrays.copyOf(rawOffset, MAX_RAW),
                Arrays.copyOf(rawLength, MAX_RAW));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(packet).append(" sFlow sample {");
        for (int i = 0, n = fieldCount(); i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(element(i).name()).append('=');
            int len = fieldLength(i);
            if (enterpriseId(i) == 0 && len <= 8 && len != 6) {
                sb.append(unsignedValue(i));
            } else {
                sb.append(io.netty.buffer.ByteBufUtil.hexDump(buffer(), fieldOffset(i), len));
            }
        }
        return sb.append('}').toString();
    }
}
