package dev.sluice.examples.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kinds of input file {@link CaptureReader} understands, and the detector that tells them apart. */
public enum CaptureFormat {

    /** Classic libpcap file, either byte order, microsecond or nanosecond timestamps. */
    PCAP,
    /** pcapng file (sections of either byte order, several interfaces). */
    PCAPNG,
    /**
     * Anything else: the whole file is the payload of one datagram (one or several concatenated export
     * messages, as in the corpus {@code .dat} and {@code .bin} files).
     */
    RAW;

    /** Looks at the first bytes of a file; a file too short to hold a magic number is {@link #RAW}. */
    public static CaptureFormat detect(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return detect(head, n);
    }

    /**
     * Detects the format from the first {@code length} bytes of a file.
     *
     * @param head the file's first bytes
     * @param length how many of them are valid
     */
    public static CaptureFormat detect(byte[] head, int length) {
        if (length < 4) {
            return RAW;
        }
        int magic = (head[0] & 0xFF) << 24 | (head[1] & 0xFF) << 16 | (head[2] & 0xFF) << 8 | head[3] & 0xFF;
        if (PcapReader.isMagic(magic)) {
            return PCAP;
        }
        if (magic == PcapngReader.SECTION_HEADER_BLOCK) {
            return PCAPNG;
        }
        return RAW;
    }
}
