package dev.sluice.examples.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Writes a pcapng file in memory, block by block. */
final class PcapngFileBuilder {

    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 1;
    static final int OPB = 2;
    static final int SPB = 3;
    static final int NRB = 4;
    static final int ISB = 5;
    static final int EPB = 6;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Integer> blockEnds = new ArrayList<>();
    private ByteOrder order;

    PcapngFileBuilder(ByteOrder order) {
        section(order);
    }

    /** Starts a new section (a Section Header Block with a shb_userappl option). */
    PcapngFileBuilder section(ByteOrder order) {
        this.order = order;
        ByteBuffer body = buffer(16).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
        return block(SHB, concat(body.array(), option(4, "sluice test".getBytes()), endOfOptions()));
    }

    /**
     * An Interface Description Block.
     *
     * @param tsresol the if_tsresol byte, or null for none (microseconds)
     * @param tsoffset the if_tsoffset seconds, or null for none
     */
    PcapngFileBuilder interfaceBlock(int linkType, int snaplen, Integer tsresol, Long tsoffset) {
        byte[] options = option(2, "eth0".getBytes());
        if (tsresol != null) {
            options = concat(options, option(9, new byte[] {tsresol.byteValue()}));
        }
        if (tsoffset != null) {
            options = concat(options, option(14, buffer(8).putLong(tsoffset).array()));
        }
        byte[] fixed = buffer(8).putShort((short) linkType).putShort((short) 0).putInt(snaplen).array();
        return block(IDB, concat(fixed, options, endOfOptions()));
    }

    /** An Enhanced Packet Block with an epb_flags option after the data. */
    PcapngFileBuilder enhancedPacket(int interfaceId, long timestamp, byte[] frame) {
        byte[] fixed = buffer(20).putInt(interfaceId).putInt((int) (timestamp >>> 32)).putInt((int) timestamp)
                .putInt(frame.length).putInt(frame.length).array();
        byte[] flags = option(2, buffer(4).putInt(1).array());
        return block(EPB, concat(fixed, padded(frame), flags, endOfOptions()));
    }

    /** An obsolete Packet Block. */
    PcapngFileBuilder obsoletePacket(int interfaceId, long timestamp, byte[] frame) {
        byte[] fixed = buffer(20).putShort((short) interfaceId).putShort((short) 0)
                .putInt((int) (timestamp >>> 32)).putInt((int) timestamp)
                .putInt(frame.length).putInt(frame.length).array();
        return block(OPB, concat(fixed, padded(frame)));
    }

    /** A Simple Packet Block. */
    PcapngFileBuilder simplePacket(byte[] frame) {
        return block(SPB, concat(buffer(4).putInt(frame.length).array(), padded(frame)));
    }

    /** Any block: type, length, body (padded here to 4 bytes), length. */
    PcapngFileBuilder block(int type, byte[] body) {
        byte[] padded = padded(body);
        int length = 12 + padded.length;
        out.writeBytes(buffer(8).putInt(type).putInt(length).array());
        out.writeBytes(padded);
        out.writeBytes(buffer(4).putInt(length).array());
        blockEnds.add(out.size());
        return this;
    }

    /** Raw bytes as they are, e.g. a hand-made broken block. */
    PcapngFileBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** An int in the current section's byte order. */
    byte[] int32(int value) {
        return buffer(4).putInt(value).array();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** The file offset after each block. */
    List<Integer> blockEnds() {
        return List.copyOf(blockEnds);
    }

    private byte[] option(int code, byte[] value) {
        return concat(buffer(4).putShort((short) code).putShort((short) value.length).array(), padded(value));
    }

    private byte[] endOfOptions() {
        return new byte[4];
    }

    private ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(order);
    }

    private static byte[] padded(byte[] b) {
        byte[] padded = new byte[(b.length + 3) & ~3];
        System.arraycopy(b, 0, padded, 0, b.length);
        return padded;
    }

    private static byte[] concat(byte[]... parts) {
        return TestFrames.concat(parts);
    }
}
