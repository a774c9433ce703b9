package dev.sluice.examples.capture;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The part pcap and pcapng readers share: a subclass loads one captured frame at a time, this class finds
 * the UDP datagram in it and counts what it skips.
 */
abstract class FrameReader implements CaptureReader {

    final CaptureInput input;

    /** The current frame, set by {@link #nextFrame()}. */
    int frameLinkType;
    byte[] frameData;
    int frameOffset;
    int frameLength;
    long frameMicros;

    private final PacketDissector dissector = new PacketDissector();
    private long packets;
    private long datagrams;
    private long partialDatagrams;
    private long notUdp;
    private long laterFragments;
    private long truncatedFrames;
    private long malformedFrames;
    private long unsupportedLinkType;

    FrameReader(CaptureInput input) {
        this.input = input;
    }

    /** Loads the next frame into the {@code frame*} fields; false at the end of the file. */
    abstract boolean nextFrame() throws IOException, CaptureFormatException;

    @Override
    public final UdpDatagram next() throws IOException, CaptureFormatException {
        while (nextFrame()) {
            packets++;
            PacketDissector.Outcome outcome = dissector.dissect(frameLinkType, frameData, frameOffset, frameLength);
            switch (outcome) {
                case UDP:
                    datagrams++;
                    if (dissector.partial) {
                        partialDatagrams++;
                    }
                    return datagram();
                case NOT_UDP:
                    notUdp++;
                    break;
                case LATER_FRAGMENT:
                    laterFragments++;
                    break;
                case TRUNCATED:
                    truncatedFrames++;
                    break;
                case MALFORMED:
                    malformedFrames++;
                    break;
                case UNSUPPORTED_LINK_TYPE:
                    unsupportedLinkType++;
                    break;
                default:
                    throw new AssertionError(outcome);
            }
        }
        return null;
    }

    private UdpDatagram datagram() {
        PacketDissector d = dissector;
        return new UdpDatagram(
                address(d.addressOffset, d.addressLength),
                d.sourcePort,
                address(d.destinationOffset, d.addressLength),
                d.destinationPort,
                frameMicros,
                Unpooled.wrappedBuffer(frameData, d.payloadOffset, d.payloadLength),
                d.partial);
    }

    private InetAddress address(int offset, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(frameData, offset, offset + length));
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public final CaptureStats stats() {
        return new CaptureStats(packets, datagrams, partialDatagrams, notUdp, laterFragments, truncatedFrames,
                malformedFrames, unsupportedLinkType);
    }

    @Override
    public final void close() throws IOException {
        input.close();
    }
}
