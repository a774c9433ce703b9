package dev.sluice.sink.elastic;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * One bulk request body being built or sent: NDJSON action and source lines, with where each document starts.
 * Documents are appended by one thread at a time (under the owning buffer's lock); a sealed batch belongs to the
 * thread that sends it. Reused through the sink's pool, so its arrays grow to a steady size and stay.
 */
final class Batch extends OutputStream {

    private byte[] bytes;
    private int size;
    /** Offset of each document's action line; the document ends where the next one starts (or at size). */
    private int[] starts = new int[1024];
    private int count;
    /** When the first document went in (System.nanoTime), for the flush interval. */
    long firstNanos;
    /** Attempts made to send this batch so far. */
    int attempts;

    Batch(int capacity) {
        bytes = new byte[capacity];
    }

    /** Marks the start of a new document at the current end. */
    void beginDocument() {
        if (count == 0) {
            firstNanos = System.nanoTime();
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = size;
    }

    /** Drops the last document begun (it could not be written). */
    void abandonDocument() {
        count--;
        size = starts[count];
    }

    int count() {
        return count;
    }

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }

    int start(int document) {
        return starts[document];
    }

    int end(int document) {
        return document + 1 < count ? starts[document + 1] : size;
    }

    /** Offset of the document's source line: just after its action line's newline. */
    int sourceStart(int document) {
        int i = starts[document];
        int end = end(document);
        while (i < end && bytes[i] != '\n') {
            i++;
        }
        return Math.min(i + 1, end);
    }

    void clear() {
        size = 0;
        count = 0;
        attempts = 0;
    }

    /** Appends document {@code i} of {@code other} (action and source). */
    void copyDocument(Batch other, int i) {
        beginDocument();
        int from = other.start(i);
        write(other.bytes, from, other.end(i) - from);
    }

    /**
     * Reads a bulk body (from the spool): documents are pairs of lines. Returns false when the body is not made of
     * whole line pairs.
     */
    boolean load(byte[] body, int length) {
        clear();
        ensure(length);
        System.arraycopy(body, 0, bytes, 0, length);
        size = length;
        int lines = 0;
        int lineStart = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                if (lines % 2 == 0) {
                    if (count == starts.length) {
                        starts = Arrays.copyOf(starts, count * 2);
                    }
                    starts[count++] = lineStart;
                }
                lines++;
                lineStart = i + 1;
            }
        }
        if (count > 0) {
            firstNanos = System.nanoTime();
        }
        return lines % 2 == 0 && lineStart == length;
    }

    /** Overwrites bytes already written (the document id placeholder of an action line). */
    void patch(int offset, byte[] src, int length) {
        System.arraycopy(src, 0, bytes, offset, length);
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
