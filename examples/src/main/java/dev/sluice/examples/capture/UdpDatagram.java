package dev.sluice.examples.capture;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One UDP datagram read from a capture file.
 *
 * <p>The payload is a view over the reader's buffer and is valid until the reader's next call to
 * {@link CaptureReader#next()}; copy it ({@code payload.copy()}) to keep it.
 *
 * @param source sender address (for a raw payload file: 127.0.0.1)
 * @param sourcePort sender port (raw payload file: 0, unknown)
 * @param destination receiver address (raw payload file: 127.0.0.1)
 * @param destinationPort receiver port (raw payload file: 0, unknown)
 * @param timestampMicros capture time in epoch microseconds, or {@link #UNKNOWN_TIME}
 * @param payload the UDP payload
 * @param partial true when the payload is shorter than the UDP length field announces (first fragment of a
 *        fragmented datagram, or a packet cut by the capture's snapshot length)
 */
public record UdpDatagram(
        InetAddress source,
        int sourcePort,
        InetAddress destination,
        int destinationPort,
        long timestampMicros,
        ByteBuf payload,
        boolean partial) {

    /** The timestamp of a datagram whose capture time is not known (raw payload files, pcapng simple packets). */
    public static final long UNKNOWN_TIME = Long.MIN_VALUE;

    public UdpDatagram {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
    }

    /** Capture time in epoch milliseconds (rounded down), or {@link #UNKNOWN_TIME}. */
    public long timestampMillis() {
        return timestampMicros == UNKNOWN_TIME ? UNKNOWN_TIME : Math.floorDiv(timestampMicros, 1000L);
    }

    /** A copy of the payload bytes. */
    public byte[] payloadBytes() {
        byte[] bytes = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "UdpDatagram[" + source.getHostAddress() + ":" + sourcePort + " -> " + destination.getHostAddress()
                + ":" + destinationPort + ", time=" + timestampMicros + "us, " + payload.readableBytes() + " bytes"
                + (partial ? ", partial" : "") + "]";
    }
}
