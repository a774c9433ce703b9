package dev.sluice.examples.capture;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;

/** A file that is one datagram's payload (one or several concatenated export messages). */
final class RawPayloadReader implements CaptureReader {

    private static final InetAddress UNKNOWN_EXPORTER = InetAddress.getLoopbackAddress();

    private final CaptureInput input;
    private boolean done;
    private long datagrams;

    RawPayloadReader(CaptureInput input) {
        this.input = input;
    }

    @Override
    public UdpDatagram next() throws IOException, CaptureFormatException {
        if (done) {
            return null;
        }
        done = true;
        long size = input.size();
        if (size > MAX_RAW_LENGTH) {
            throw new CaptureFormatException(MAX_RAW_LENGTH, "a raw payload file may hold at most "
                    + MAX_RAW_LENGTH + " bytes, this one has " + size);
        }
        // One byte more than a known size, so that the loop below sees the end without growing the buffer.
        byte[] content = new byte[size >= 0 ? (int) size + 1 : 1 << 16];
        int length = 0;
        while (true) {
            if (length == content.length) {
                if (length >= MAX_RAW_LENGTH) {
                    if (length == MAX_RAW_LENGTH && input.atEnd()) {
                        break;
                    }
                    throw new CaptureFormatException(length, "a raw payload file may hold at most "
                            + MAX_RAW_LENGTH + " bytes");
                }
                byte[] bigger = new byte[(int) Math.min(MAX_RAW_LENGTH, 2L * content.length)];
                System.arraycopy(content, 0, bigger, 0, length);
                content = bigger;
            }
            int n = input.readUpTo(content, length, content.length - length);
            length += n;
            if (length < content.length) {
                break; // readUpTo only stops short at the end of the file
            }
        }
        if (length == 0) {
            return null;
        }
        datagrams++;
        return new UdpDatagram(UNKNOWN_EXPORTER, 0, UNKNOWN_EXPORTER, 0, UdpDatagram.UNKNOWN_TIME,
                Unpooled.wrappedBuffer(content, 0, length), false);
    }

    @Override
    public CaptureFormat format() {
        return CaptureFormat.RAW;
    }

    @Override
    public CaptureStats stats() {
        return new CaptureStats(datagrams, datagrams, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
