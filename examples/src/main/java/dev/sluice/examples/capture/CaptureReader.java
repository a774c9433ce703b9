package dev.sluice.examples.capture;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads the UDP datagrams of a capture file one at a time: pcap, pcapng, or a raw payload file.
 *
 * <p>Supported link types: Ethernet (with 802.1Q / 802.1ad / QinQ tags), raw IP (101, and 228/229), Linux
 * cooked capture v1 (113) and v2 (276), BSD loopback (0, 108). IPv4 options and IPv6 extension headers
 * (hop-by-hop, routing, destination options, fragment, authentication) are walked; non-first fragments are
 * skipped. Packets that are not UDP are counted in {@link #stats()} and skipped.
 *
 * <p>Every length read from the file is checked before it is used: a truncated or corrupt file raises
 * {@link CaptureFormatException}, and no length in the file can make the reader allocate more than
 * {@value #MAX_BLOCK_LENGTH} bytes (raw payload files: {@value #MAX_RAW_LENGTH}). Not thread-safe.
 */
public interface CaptureReader extends Closeable {

    /** The largest pcap record or pcapng block the readers load into memory. */
    int MAX_BLOCK_LENGTH = 16 * 1024 * 1024;

    /** The largest raw payload file the reader accepts. */
    int MAX_RAW_LENGTH = 64 * 1024 * 1024;

    /**
     * The next UDP datagram, or {@code null} at the end of the file. The returned datagram's payload is valid
     * until the next call.
     *
     * @throws CaptureFormatException the file is truncated or corrupt at the reported offset
     * @throws IOException the file cannot be read
     */
    UdpDatagram next() throws IOException, CaptureFormatException;

    /** The format being read. */
    CaptureFormat format();

    /** Counters so far. */
    CaptureStats stats();

    /** Opens a file, detecting its format with {@link CaptureFormat#detect(Path)}. */
    static CaptureReader open(Path file) throws IOException, CaptureFormatException {
        return open(file, CaptureFormat.detect(file));
    }

    /** Opens a file as the given format (the header is read and checked at once). */
    static CaptureReader open(Path file, CaptureFormat format) throws IOException, CaptureFormatException {
        Objects.requireNonNull(format, "format");
        long size = Files.size(file);
        InputStream in = Files.newInputStream(file);
        try {
            return open(in, size, format);
        } catch (IOException | CaptureFormatException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Reads a stream as the given format; closing the reader closes the stream.
     *
     * @param in the file content
     * @param format what the content is
     */
    static CaptureReader open(InputStream in, CaptureFormat format) throws IOException, CaptureFormatException {
        return open(in, -1, format);
    }

    private static CaptureReader open(InputStream in, long size, CaptureFormat format)
            throws IOException, CaptureFormatException {
        CaptureInput input = new CaptureInput(new BufferedInputStream(in, 1 << 16), size);
        switch (format) {
            case PCAP:
                return new PcapReader(input);
            case PCAPNG:
                return new PcapngReader(input);
            case RAW:
                return new RawPayloadReader(input);
            default:
                throw new IllegalArgumentException("format " + format);
        }
    }
}
