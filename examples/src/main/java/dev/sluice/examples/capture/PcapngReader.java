package dev.sluice.examples.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng files: sections of either byte order; interface descriptions with their link type, snapshot length,
 * timestamp resolution ({@code if_tsresol}) and offset ({@code if_tsoffset}); enhanced, simple and obsolete
 * packet blocks. Other blocks are skipped by their length without being loaded.
 */
final class PcapngReader extends FrameReader {

    /** Section Header Block type; reads the same in both byte orders. */
    static final int SECTION_HEADER_BLOCK = 0x0A0D0D0A;
    private static final int INTERFACE_DESCRIPTION_BLOCK = 1;
    private static final int OBSOLETE_PACKET_BLOCK = 2;
    private static final int SIMPLE_PACKET_BLOCK = 3;
    private static final int ENHANCED_PACKET_BLOCK = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int OPTION_END = 0;
    private static final int OPTION_IF_TSRESOL = 9;
    private static final int OPTION_IF_TSOFFSET = 14;
    private static final int MAX_INTERFACES = 65_536;
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    /** What an Interface Description Block says. */
    private record Interface(int linkType, long snaplen, boolean binaryResolution, int exponent, long offsetSeconds) {
    }

    private final List<Interface> interfaces = new ArrayList<>();
    private final byte[] blockHeader = new byte[12];
    private ByteOrder order = ByteOrder.BIG_ENDIAN;
    private byte[] body = new byte[4096];
    private ByteBuffer view = ByteBuffer.wrap(body);
    /** File offset of the current block's body. */
    private long bodyStart;

    PcapngReader(CaptureInput input) throws IOException, CaptureFormatException {
        super(input);
        input.readFully(blockHeader, 0, 4, "the first pcapng block");
        int type = ByteBuffer.wrap(blockHeader).getInt(0);
        if (type != SECTION_HEADER_BLOCK) {
            throw new CaptureFormatException(0, String.format(
                    "not a pcapng file: the first block has type 0x%08x, not a Section Header Block", type));
        }
        readSectionHeader(0);
    }

    @Override
    public CaptureFormat format() {
        return CaptureFormat.PCAPNG;
    }

    @Override
    boolean nextFrame() throws IOException, CaptureFormatException {
        while (!input.atEnd()) {
            long start = input.position();
            input.readFully(blockHeader, 0, 4, "a block header");
            int type = ByteBuffer.wrap(blockHeader).order(order).getInt(0);
            if (type == SECTION_HEADER_BLOCK) {
                readSectionHeader(start);
                continue;
            }
            input.readFully(blockHeader, 4, 4, "a block header");
            long length = ByteBuffer.wrap(blockHeader).order(order).getInt(4) & 0xFFFF_FFFFL;
            checkLength(start, length, 12);
            switch (type) {
                case INTERFACE_DESCRIPTION_BLOCK:
                    loadBody(start, length);
                    readInterface(start, (int) length - 12);
                    break;
                case ENHANCED_PACKET_BLOCK:
                    loadBody(start, length);
                    readPacket(start, (int) length - 12, 20, view.getInt(0) & 0xFFFF_FFFFL, 12, 4);
                    return true;
                case OBSOLETE_PACKET_BLOCK:
                    loadBody(start, length);
                    readPacket(start, (int) length - 12, 20, view.getShort(0) & 0xFFFF, 12, 4);
                    return true;
                case SIMPLE_PACKET_BLOCK:
                    loadBody(start, length);
                    readSimplePacket(start, (int) length - 12);
                    return true;
                default:
                    input.skip(length - 12, "the body of the block at offset " + start);
                    readTrailer(start, length);
                    break;
            }
        }
        return false;
    }

    /** Reads the rest of a Section Header Block whose 4-byte type has been read; starts a new section. */
    private void readSectionHeader(long start) throws IOException, CaptureFormatException {
        input.readFully(blockHeader, 4, 8, "a Section Header Block");
        int magic = ByteBuffer.wrap(blockHeader).getInt(8);
        if (magic == BYTE_ORDER_MAGIC) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(magic) == BYTE_ORDER_MAGIC) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            throw new CaptureFormatException(start + 8, String.format(
                    "Section Header Block has byte-order magic 0x%08x, not 0x1a2b3c4d", magic));
        }
        long length = ByteBuffer.wrap(blockHeader).order(order).getInt(4) & 0xFFFF_FFFFL;
        checkLength(start, length, 28);
        checkLimit(start, length);
        // The magic is part of the body and has been read already.
        int rest = (int) length - 12;
        bodyStart = start + 12;
        readBody(rest, "the Section Header Block at offset " + start);
        int trailer = view.getInt(rest - 4);
        if ((trailer & 0xFFFF_FFFFL) != length) {
            throw new CaptureFormatException(start + length - 4, "trailing block length "
                    + (trailer & 0xFFFF_FFFFL) + " differs from the leading " + length);
        }
        int major = view.getShort(0) & 0xFFFF;
        int minor = view.getShort(2) & 0xFFFF;
        if (major != 1) {
            throw new CaptureFormatException(start + 12, "unsupported pcapng version " + major + "." + minor);
        }
        interfaces.clear();
    }

    private static void checkLength(long start, long length, int minimum) throws CaptureFormatException {
        if (length < minimum) {
            throw new CaptureFormatException(start + 4, "block length " + length + " is below the minimum "
                    + minimum);
        }
        if (length % 4 != 0) {
            throw new CaptureFormatException(start + 4, "block length " + length + " is not a multiple of 4");
        }
    }

    private static void checkLimit(long start, long length) throws CaptureFormatException {
        if (length > MAX_BLOCK_LENGTH) {
            throw new CaptureFormatException(start + 4, "block length " + length + " exceeds the limit of "
                    + MAX_BLOCK_LENGTH + " bytes");
        }
    }

    /** Loads the body and trailer of a block whose 8-byte header has been read; the body starts at index 0. */
    private void loadBody(long start, long length) throws IOException, CaptureFormatException {
        checkLimit(start, length);
        int rest = (int) length - 8;
        bodyStart = start + 8;
        readBody(rest, "the block at offset " + start);
        long trailer = view.getInt(rest - 4) & 0xFFFF_FFFFL;
        if (trailer != length) {
            throw new CaptureFormatException(start + length - 4, "trailing block length " + trailer
                    + " differs from the leading " + length);
        }
    }

    private void readTrailer(long start, long length) throws IOException, CaptureFormatException {
        input.readFully(blockHeader, 8, 4, "the trailer of the block at offset " + start);
        long trailer = ByteBuffer.wrap(blockHeader).order(order).getInt(8) & 0xFFFF_FFFFL;
        if (trailer != length) {
            throw new CaptureFormatException(start + length - 4, "trailing block length " + trailer
                    + " differs from the leading " + length);
        }
    }

    private void readBody(int length, String what) throws IOException, CaptureFormatException {
        body = input.readFully(body, length, what);
        view = ByteBuffer.wrap(body).order(order);
    }

    private void readInterface(long start, int bodyLength) throws CaptureFormatException {
        if (bodyLength < 8) {
            throw new CaptureFormatException(start + 4, "Interface Description Block of " + (bodyLength + 12)
                    + " bytes is shorter than its 20-byte minimum");
        }
        if (interfaces.size() == MAX_INTERFACES) {
            throw new CaptureFormatException(start, "more than " + MAX_INTERFACES + " interfaces in one section");
        }
        int linkType = view.getShort(0) & 0xFFFF;
        long snaplen = view.getInt(4) & 0xFFFF_FFFFL;
        boolean binary = false;
        int exponent = 6;
        long offsetSeconds = 0;
        int p = 8;
        while (bodyLength - p >= 4) {
            int code = view.getShort(p) & 0xFFFF;
            int length = view.getShort(p + 2) & 0xFFFF;
            if (code == OPTION_END) {
                break;
            }
            int value = p + 4;
            if (length > bodyLength - value) {
                throw new CaptureFormatException(bodyStart + p + 2, "option " + code + " of length " + length
                        + " overruns its block");
            }
            if (code == OPTION_IF_TSRESOL && length >= 1) {
                int resolution = body[value] & 0xFF;
                binary = (resolution & 0x80) != 0;
                exponent = resolution & 0x7F;
                if (binary ? exponent > 63 : exponent >= POWERS_OF_TEN.length) {
                    throw new CaptureFormatException(bodyStart + value, "if_tsresol " + (binary ? "2^-" : "10^-")
                            + exponent + " is finer than this reader supports");
                }
            } else if (code == OPTION_IF_TSOFFSET && length >= 8) {
                offsetSeconds = view.getLong(value);
            }
            p = value + ((length + 3) & ~3);
        }
        interfaces.add(new Interface(linkType, snaplen, binary, exponent, offsetSeconds));
    }

    /**
     * An enhanced or obsolete packet block: interface id (already read), timestamp high and low words at 4 and
     * 8, captured length at {@code capturedLengthAt}, data at {@code dataAt}.
     */
    private void readPacket(long start, int bodyLength, int dataAt, long interfaceId, int capturedLengthAt,
            int timestampAt) throws CaptureFormatException {
        if (bodyLength < dataAt) {
            throw new CaptureFormatException(start + 4, "packet block of " + (bodyLength + 12)
                    + " bytes is shorter than its " + (dataAt + 12) + "-byte minimum");
        }
        Interface description = interfaceOf(start, interfaceId);
        long capturedLength = view.getInt(capturedLengthAt) & 0xFFFF_FFFFL;
        if (capturedLength > bodyLength - dataAt) {
            throw new CaptureFormatException(bodyStart + capturedLengthAt, "captured length " + capturedLength
                    + " overruns its block (" + (bodyLength - dataAt) + " bytes of packet data)");
        }
        long units = (view.getInt(timestampAt) & 0xFFFF_FFFFL) << 32 | view.getInt(timestampAt + 4) & 0xFFFF_FFFFL;
        frameMicros = micros(bodyStart + timestampAt, units, description);
        frameLinkType = description.linkType();
        frameData = body;
        frameOffset = dataAt;
        frameLength = (int) capturedLength;
    }

    private void readSimplePacket(long start, int bodyLength) throws CaptureFormatException {
        if (bodyLength < 4) {
            throw new CaptureFormatException(start + 4, "Simple Packet Block of " + (bodyLength + 12)
                    + " bytes is shorter than its 16-byte minimum");
        }
        Interface description = interfaceOf(start, 0);
        long length = view.getInt(0) & 0xFFFF_FFFFL;
        if (description.snaplen() > 0) {
            length = Math.min(length, description.snaplen());
        }
        frameLength = (int) Math.min(length, bodyLength - 4);
        frameLinkType = description.linkType();
        frameData = body;
        frameOffset = 4;
        frameMicros = UdpDatagram.UNKNOWN_TIME;
    }

    private Interface interfaceOf(long start, long interfaceId) throws CaptureFormatException {
        if (interfaceId >= interfaces.size()) {
            throw new CaptureFormatException(start + 8, "packet refers to interface " + interfaceId
                    + " but the section has described " + interfaces.size());
        }
        return interfaces.get((int) interfaceId);
    }

    /** Converts an unsigned timestamp in the interface's units to epoch microseconds. */
    private static long micros(long offset, long units, Interface description) throws CaptureFormatException {
        try {
            long micros;
            int exponent = description.exponent();
            if (description.binaryResolution()) {
                long seconds = units >>> exponent;
                if (seconds < 0) {
                    throw new ArithmeticException();
                }
                long fraction = exponent == 0 ? 0 : units & (-1L >>> (64 - exponent));
                micros = Math.addExact(Math.multiplyExact(seconds, 1_000_000L),
                        (long) (fraction / Math.pow(2, exponent) * 1_000_000.0));
            } else if (exponent >= 6) {
                micros = Long.divideUnsigned(units, POWERS_OF_TEN[exponent - 6]);
                if (micros < 0) {
                    throw new ArithmeticException();
                }
            } else {
                if (units < 0) {
                    throw new ArithmeticException();
                }
                micros = Math.multiplyExact(units, POWERS_OF_TEN[6 - exponent]);
            }
            return Math.addExact(micros, Math.multiplyExact(description.offsetSeconds(), 1_000_000L));
        } catch (ArithmeticException e) {
            throw new CaptureFormatException(offset, "timestamp " + Long.toUnsignedString(units)
                    + " is out of range");
        }
    }
}
