package dev.sluice.examples.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Classic libpcap files: either byte order, microsecond or nanosecond timestamps. */
final class PcapReader extends FrameReader {

    private static final int MAGIC_MICROS = 0xA1B2C3D4;
    private static final int MAGIC_NANOS = 0xA1B23C4D;
    /** libpcap's own bound for a record when the snapshot length is smaller. */
    private static final int LIBPCAP_MAXIMUM_SNAPLEN = 262_144;

    private final ByteOrder order;
    private final boolean nanos;
    private final int linkType;
    private final long recordLimit;
    private final byte[] header = new byte[16];
    private final ByteBuffer headerView;
    private byte[] data = new byte[2048];

    PcapReader(CaptureInput input) throws IOException, CaptureFormatException {
        super(input);
        byte[] global = new byte[24];
        input.readFully(global, 0, 24, "the pcap file header");
        int magic = ByteBuffer.wrap(global).getInt(0);
        if (magic == MAGIC_MICROS || magic == MAGIC_NANOS) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(magic) == MAGIC_MICROS || Integer.reverseBytes(magic) == MAGIC_NANOS) {
            order = ByteOrder.LITTLE_ENDIAN;
            magic = Integer.reverseBytes(magic);
        } else {
            throw new CaptureFormatException(0, String.format("not a pcap file: magic number 0x%08x", magic));
        }
        nanos = magic == MAGIC_NANOS;
        ByteBuffer view = ByteBuffer.wrap(global).order(order);
        int major = view.getShort(4) & 0xFFFF;
        int minor = view.getShort(6) & 0xFFFF;
        if (major != 2) {
            throw new CaptureFormatException(4, "unsupported pcap version " + major + "." + minor);
        }
        long snaplen = view.getInt(16) & 0xFFFF_FFFFL;
        // The link type is in the low bits; the high bits may carry the FCS length, which the IP lengths make moot.
        linkType = view.getInt(20) & 0x03FF_FFFF;
        recordLimit = Math.min(MAX_BLOCK_LENGTH, Math.max(snaplen, LIBPCAP_MAXIMUM_SNAPLEN));
        headerView = ByteBuffer.wrap(header).order(order);
    }

    static boolean isMagic(int bigEndianMagic) {
        int swapped = Integer.reverseBytes(bigEndianMagic);
        return bigEndianMagic == MAGIC_MICROS || bigEndianMagic == MAGIC_NANOS
                || swapped == MAGIC_MICROS || swapped == MAGIC_NANOS;
    }

    @Override
    public CaptureFormat format() {
        return CaptureFormat.PCAP;
    }

    @Override
    boolean nextFrame() throws IOException, CaptureFormatException {
        if (input.atEnd()) {
            return false;
        }
        long start = input.position();
        input.readFully(header, 0, 16, "a pcap record header");
        long seconds = headerView.getInt(0) & 0xFFFF_FFFFL;
        long fraction = headerView.getInt(4) & 0xFFFF_FFFFL;
        long capturedLength = headerView.getInt(8) & 0xFFFF_FFFFL;
        if (capturedLength > recordLimit) {
            throw new CaptureFormatException(start + 8, "record length " + capturedLength
                    + " exceeds the limit of " + recordLimit + " bytes");
        }
        int length = (int) capturedLength;
        data = input.readFully(data, length, "the packet data of the record at offset " + start);
        frameLinkType = linkType;
        frameData = data;
        frameOffset = 0;
        frameLength = length;
        frameMicros = seconds * 1_000_000L + (nanos ? fraction / 1000 : fraction);
        return true;
    }
}
