package dev.sluice.decoders;

import dev.sluice.core.ExportPacket;
import dev.sluice.core.InterfaceCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * {@link InterfaceCounters} over an sFlow counter sample in the datagram: the generic interface counters
 * record (format 1, 88 bytes) and the Ethernet interface counters record (format 2, 52 bytes) are read in
 * place at the offsets the parser found; the other counter records are listed raw (at most
 * {@link #MAX_OTHER}). Reused by the decoder for every sample; {@link #copy()} copies the sample's body.
 */
final class SflowCountersView implements InterfaceCounters {

    static final int GENERIC_LENGTH = 88;
    static final int ETHERNET_LENGTH = 52;
    static final int MAX_OTHER = 16;

    private ExportPacket packet;
    private ByteBuf buf;
    private long sequence;
    private int sourceType;
    private long sourceIndex;
    /** Offset of the generic / Ethernet record body in {@link #buf}, or -1. */
    private int generic = -1;
    private int ethernet = -1;
    private int otherCount;
    private final int[] otherFormat = new int[MAX_OTHER];
    private final int[] otherOffset = new int[MAX_OTHER];
    private final int[] otherLength = new int[MAX_OTHER];
    /** The sample body's extent in {@link #buf} (what {@link #copy()} copies). */
    private int bodyFrom;
    private int bodyTo;

    void reset(ExportPacket pkt, ByteBuf datagram, int from, int to, long seq, int type, long index) {
        this.packet = pkt;
        this.buf = datagram;
        this.bodyFrom = from;
        this.bodyTo = to;
        this.sequence = seq;
        this.sourceType = type;
        this.sourceIndex = index;
        this.generic = -1;
        this.ethernet = -1;
        this.otherCount = 0;
    }

    void generic(int offset) {
        this.generic = offset;
    }

    void ethernet(int offset) {
        this.ethernet = offset;
    }

    /** Lists another record; false when the sample already has {@link #MAX_OTHER}. */
    boolean addOther(int dataFormat, int offset, int length) {
        if (otherCount >= MAX_OTHER) {
            return false;
        }
        otherFormat[otherCount] = dataFormat;
        otherOffset[otherCount] = offset;
        otherLength[otherCount] = length;
        otherCount++;
        return true;
    }

    boolean deliverable() {
        return generic >= 0 || ethernet >= 0;
    }

    @Override
    public ExportPacket packet() {
        return packet;
    }

    @Override
    public long sequenceNumber() {
        return sequence;
    }

    @Override
    public int sourceIdType() {
        return sourceType;
    }

    @Override
    public long sourceIdIndex() {
        return sourceIndex;
    }

    @Override
    public boolean hasGeneric() {
        return generic >= 0;
    }

    @Override
    public boolean hasEthernet() {
        return ethernet >= 0;
    }

    private long g32(int at) {
        return generic < 0 ? 0 : buf.getUnsignedInt(generic + at);
    }

    private long g64(int at) {
        return generic < 0 ? 0 : buf.getLong(generic + at);
    }

    private long e32(int at) {
        return ethernet < 0 ? 0 : buf.getUnsignedInt(ethernet + at);
    }

    @Override
    public long ifIndex() {
        return generic < 0 ? sourceIndex : g32(0);
    }

    @Override
    public long ifType() {
        return g32(4);
    }

    @Override
    public long ifSpeed() {
        return g64(8);
    }

    @Override
    public int ifDirection() {
        return (int) g32(16);
    }

    @Override
    public int ifStatus() {
        return (int) g32(20);
    }

    @Override
    public long inOctets() {
        return g64(24);
    }

    @Override
    public long inUnicastPackets() {
        return g32(32);
    }

    @Override
    public long inMulticastPackets() {
        return g32(36);
    }

    @Override
    public long inBroadcastPackets() {
        return g32(40);
    }

    @Override
    public long inDiscards() {
        return g32(44);
    }

    @Override
    public long inErrors() {
        return g32(48);
    }

    @Override
    public long inUnknownProtos() {
        return g32(52);
    }

    @Override
    public long outOctets() {
        return g64(56);
    }

    @Override
    public long outUnicastPackets() {
        return g32(64);
    }

    @Override
    public long outMulticastPackets() {
        return g32(68);
    }

    @Override
    public long outBroadcastPackets() {
        return g32(72);
    }

    @Override
    public long outDiscards() {
        return g32(76);
    }

    @Override
    public long outErrors() {
        return g32(80);
    }

    @Override
    public long promiscuousMode() {
        return g32(84);
    }

    @Override
    public long dot3AlignmentErrors() {
        return e32(0);
    }

    @Override
    public long dot3FcsErrors() {
        return e32(4);
    }

    @Override
    public long dot3SingleCollisionFrames() {
        return e32(8);
    }

    @Override
    public long dot3MultipleCollisionFrames() {
        return e32(12);
    }

    @Override
    public long dot3SqeTestErrors() {
        return e32(16);
    }

    @Override
    public long dot3DeferredTransmissions() {
        return e32(20);
    }

    @Override
    public long dot3LateCollisions() {
        return e32(24);
    }

    @Override
    public long dot3ExcessiveCollisions() {
        return e32(28);
    }

    @Override
    public long dot3InternalMacTransmitErrors() {
        return e32(32);
    }

    @Override
    public long dot3CarrierSenseErrors() {
        return e32(36);
    }

    @Override
    public long dot3FrameTooLongs() {
        return e32(40);
    }

    @Override
    public long dot3InternalMacReceiveErrors() {
        return e32(44);
    }

    @Override
    public long dot3SymbolErrors() {
        return e32(48);
    }

    @Override
    public int otherRecordCount() {
        return otherCount;
    }

    @Override
    public int otherRecordFormat(int index) {
        check(index);
        return otherFormat[index];
    }

    @Override
    public int otherRecordLength(int index) {
        check(index);
        return otherLength[index];
    }

    @Override
    public ByteBuf buffer() {
        return buf;
    }

    @Override
    public int otherRecordOffset(int index) {
        check(index);
        return otherOffset[index];
    }

    private void check(int index) {
        if (index < 0 || index >= otherCount) {
            throw new IndexOutOfBoundsException("other record " + index + " of " + otherCount);
        }
    }

    @Override
    public InterfaceCounters copy() {
        byte[] body = new byte[bodyTo - bodyFrom];
        buf.getBytes(bodyFrom, body);
        SflowCountersView c = new SflowCountersView();
        int shift = bodyFrom;
        c.packet = packet instanceof PacketView ? ((PacketView) packet).copy() : packet;
        c.buf = Unpooled.wrappedBuffer(body).asReadOnly();
        c.bodyFrom = 0;
        c.bodyTo = body.length;
        c.sequence = sequence;
        c.sourceType = sourceType;
        c.sourceIndex = sourceIndex;
        c.generic = generic < 0 ? -1 : generic - shift;
        c.ethernet = ethernet < 0 ? -1 : ethernet - shift;
        c.otherCount = otherCount;
        for (int i = 0; i < otherCount; i++) {
            c.otherFormat[i] = otherFormat[i];
            c.otherOffset[i] = otherOffset[i] - shift;
            c.otherLength[i] = otherLength[i];
        }
        return c;
    }

    @Override
    public String toString() {
        return packet + " counters of source " + sourceType + ":" + sourceIndex + " seq " + sequence + " ifIndex "
                + ifIndex() + (hasGeneric() ? " in " + inOctets() + " B out " + outOctets() + " B" : "")
                + (hasEthernet() ? " ethernet" : "") + (otherCount > 0 ? " +" + otherCount + " other "
                + Arrays.toString(Arrays.copyOf(otherFormat, otherCount)) : "");
    }
}
