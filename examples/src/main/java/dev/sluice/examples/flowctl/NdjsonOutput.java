package dev.sluice.examples.flowctl;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where {@code flowctl} writes its documents: newline-delimited JSON, one document per line, on stdout.
 *
 * <p>Either hand whole documents to {@link #writeDocument}, or write one document to {@link #stream()} and
 * end it with {@link #endDocument()}. A Jackson {@code JsonGenerator} over {@link #stream()} must be flushed
 * before {@code endDocument()} and needs {@code setRootValueSeparator(null)}, else it puts a space before
 * every document after the first.
 * Buffered; {@code flowctl} flushes it when the run ends.
 */
public final class NdjsonOutput implements Flushable {

    private final OutputStream out;
    private final OutputStream stream;
    private long documents;

    /** @param out where the lines go; it is not closed by this class */
    public NdjsonOutput(OutputStream out) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.stream = new FilterOutputStream(this.out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // a generator closing its target must not close stdout
            }
        };
    }

    /** The stream to write the current document's JSON to (without the newline); closing it only flushes. */
    public OutputStream stream() {
        return stream;
    }

    /** Ends the document written to {@link #stream()}: writes the newline. */
    public void endDocument() throws IOException {
        out.write('\n');
        documents++;
    }

    /**
     * Writes one complete document and its newline.
     *
     * @param utf8Json the document, UTF-8 JSON on one line
     */
    public void writeDocument(byte[] utf8Json, int offset, int length) throws IOException {
        out.write(utf8Json, offset, length);
        endDocument();
    }

    /** How many documents have been ended. */
    public long documents() {
        return documents;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
