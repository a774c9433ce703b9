package dev.sluice.sink.elastic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link DeadLetterHandler} that appends each refused document to a file, one JSON line per document:
 * {@code {"@timestamp": <when>, "status": 400, "error": {"type": ..., "reason": ...}, "index": ..., "id": ...,
 * "document": <the document as sent>}}, so that it can be inspected, fixed and sent again. Thread-safe; every line is
 * flushed as it is written.
 */
public final class DeadLetterFile implements DeadLetterHandler, Closeable {

    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final OutputStream out;

    private DeadLetterFile(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Opens (creates, or appends to) the file. */
    public static DeadLetterFile open(Path file) throws IOException {
        return new DeadLetterFile(file, Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    }

    @Override
    public synchronized void accept(DeadLetter letter) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(letter.document().length + 256);
        try (JsonGenerator g = JSON.createGenerator(line)) {
            g.writeStartObject();
            g.writeStringField("@timestamp", java.time.Instant.now().toString());
            g.writeNumberField("status", letter.status());
            g.writeObjectFieldStart("error");
            g.writeStringField("type", letter.errorType());
            g.writeStringField("reason", letter.reason());
            g.writeEndObject();
            g.writeStringField("index", letter.index());
            g.writeStringField("id", letter.id());
            g.writeFieldName("document");
            if (looksLikeJsonObject(letter.document())) {
                g.writeRawValue(new String(letter.document(), StandardCharsets.UTF_8));
            } else {
                g.writeString(new String(letter.document(), StandardCharsets.UTF_8));
            }
            g.writeEndObject();
        }
        line.write('\n');
        line.writeTo(out);
        out.flush();
    }

    /** The file written to. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    private static boolean looksLikeJsonObject(byte[] doc) {
        int i = 0;
        while (i < doc.length && (doc[i] == ' ' || doc[i] == '\t')) {
            i++;
        }
        int j = doc.length - 1;
        while (j >= 0 && (doc[j] == ' ' || doc[j] == '\t' || doc[j] == '\r')) {
            j--;
        }
        return i < j && doc[i] == '{' && doc[j] == '}';
    }
}
