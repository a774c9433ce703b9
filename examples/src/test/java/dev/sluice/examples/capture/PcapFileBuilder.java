package dev.sluice.examples.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Writes a classic pcap file in memory. */
final class PcapFileBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;
    private final List<Integer> recordEnds = new ArrayList<>();

    PcapFileBuilder(ByteOrder order, boolean nanos, int linkType) {
        this(order, nanos, linkType, 262_144);
    }

    PcapFileBuilder(ByteOrder order, boolean nanos, int linkType, int snaplen) {
        this.order = order;
        out.writeBytes(ByteBuffer.allocate(24).order(order)
                .putInt(nanos ? 0xA1B23C4D : 0xA1B2C3D4).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(snaplen).putInt(linkType).array());
    }

    /** A packet captured whole. */
    PcapFileBuilder packet(long seconds, long fraction, byte[] frame) {
        return packet(seconds, fraction, frame, frame.length);
    }

    /** A packet of which only the first {@code captured} bytes were captured. */
    PcapFileBuilder packet(long seconds, long fraction, byte[] frame, int captured) {
        out.writeBytes(ByteBuffer.allocate(16).order(order)
                .putInt((int) seconds).putInt((int) fraction).putInt(captured).putInt(frame.length).array());
        out.write(frame, 0, captured);
        recordEnds.add(out.size());
        return this;
    }

    /** The file's bytes. */
    byte[] bytes() {
        return out.toByteArray();
    }

    /** Length of the global header. */
    int headerEnd() {
        return 24;
    }

    /** The file offset after each record. */
    List<Integer> recordEnds() {
        return List.copyOf(recordEnds);
    }
}
