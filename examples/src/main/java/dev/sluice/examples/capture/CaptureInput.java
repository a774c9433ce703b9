package dev.sluice.examples.capture;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * A file being read front to back: tracks the byte offset, knows (when it can) how much is left, and turns
 * an early end of file into a {@link CaptureFormatException} naming what was being read.
 */
final class CaptureInput implements Closeable {

    private final BufferedInputStream in;
    private final long size;
    private long position;

    /**
     * @param in the content
     * @param size the content's length, or -1 when unknown
     */
    CaptureInput(BufferedInputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    /** Byte offset of the next byte to be read. */
    long position() {
        return position;
    }

    /** The content's length, or -1 when unknown. */
    long size() {
        return size;
    }

    /** True when no byte is left. */
    boolean atEnd() throws IOException {
        if (size >= 0) {
            return position >= size;
        }
        in.mark(1);
        int b = in.read();
        in.reset();
        return b < 0;
    }

    /**
     * Fails unless {@code length} more bytes can be there; a no-op when the size is unknown (reading then
     * finds the end).
     */
    void require(long length, String what) throws CaptureFormatException {
        if (length < 0) {
            throw new CaptureFormatException(position, what + " has a negative length " + length);
        }
        if (size >= 0 && length > size - position) {
            throw new CaptureFormatException(position, "file ends inside " + what + ": needs " + length
                    + " bytes, only " + Math.max(0, size - position) + " left");
        }
    }

    /** Reads exactly {@code length} bytes into {@code buffer} at {@code offset}. */
    void readFully(byte[] buffer, int offset, int length, String what) throws IOException, CaptureFormatException {
        require(length, what);
        int n = in.readNBytes(buffer, offset, length);
        if (n < length) {
            long start = position;
            position += n;
            throw new CaptureFormatException(start, "file ends inside " + what + ": needs " + length
                    + " bytes, only " + n + " left");
        }
        position += n;
    }

    /**
     * Reads exactly {@code length} bytes to the start of {@code buffer}, or of a bigger buffer when it is too
     * small, and returns the buffer holding them. When the size of the content is unknown, the buffer grows only
     * as the bytes actually arrive, so a bogus length in a short stream cannot cause a big allocation.
     */
    byte[] readFully(byte[] buffer, int length, String what) throws IOException, CaptureFormatException {
        require(length, what);
        if (length <= buffer.length) {
            readFully(buffer, 0, length, what);
            return buffer;
        }
        if (size >= 0) {
            byte[] exact = new byte[length];
            readFully(exact, 0, length, what);
            return exact;
        }
        long start = position;
        byte[] grown = buffer;
        int have = 0;
        while (have < length) {
            if (have == grown.length) {
                grown = Arrays.copyOf(grown, (int) Math.min(length, Math.max(4096, 2L * grown.length)));
            }
            int n = in.readNBytes(grown, have, Math.min(grown.length, length) - have);
            if (n == 0) {
                throw new CaptureFormatException(start, "file ends inside " + what + ": needs " + length
                        + " bytes, only " + have + " left");
            }
            have += n;
            position += n;
        }
        return grown;
    }

    /** Reads up to {@code length} bytes, fewer only at the end of the file; returns how many were read. */
    int readUpTo(byte[] buffer, int offset, int length) throws IOException {
        int n = in.readNBytes(buffer, offset, length);
        position += n;
        return n;
    }

    /** Skips exactly {@code length} bytes. */
    void skip(long length, String what) throws IOException, CaptureFormatException {
        require(length, what);
        long start = position;
        try {
            in.skipNBytes(length);
        } catch (EOFException e) {
            throw new CaptureFormatException(start, "file ends inside " + what + ": needs " + length + " bytes");
        }
        position += length;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
