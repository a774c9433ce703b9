package dev.sluice.sink.elastic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded directory of bulk bodies that could not be sent: one file per batch, named
 * {@code <sequence>-<documents>.bulk} so that the oldest is sent first and a restart learns what the spool holds from
 * the names alone, written to a temporary name, forced to disk and renamed, so that a crash leaves either the whole
 * batch or nothing. Files left by an earlier run are found at start and sent like new ones. Thread-safe.
 */
final class DiskSpool {

    private static final String SUFFIX = ".bulk";

    private final Path directory;
    private final long maxBytes;
    private final ConcurrentSkipListMap<Long, Entry> files = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong documents = new AtomicLong();
    private final long recoveredDocuments;

    /** A spooled batch: its file, size and document count. */
    record Entry(long sequence, Path file, long bytes, int documents) {
    }

    DiskSpool(Path directory, long maxBytes) throws IOException {
        this.directory = directory;
        this.maxBytes = maxBytes;
        Files.createDirectories(directory);
        long recovered = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(p); // a write that did not finish: its batch was not counted as spooled
                    continue;
                }
                String[] parts = name.endsWith(SUFFIX)
                        ? name.substring(0, name.length() - SUFFIX.length()).split("-") : new String[0];
                if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
                    continue; // not ours
                }
                long seq;
                int docs;
                try {
                    seq = Long.parseLong(parts[0]);
                    docs = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    continue; // not ours: numbers out of range
                }
                long size = Files.size(p);
                files.put(seq, new Entry(seq, p, size, docs));
                bytes.addAndGet(size);
                documents.addAndGet(docs);
                recovered += docs;
                sequence.set(Math.max(sequence.get(), seq));
            }
        }
        this.recoveredDocuments = recovered;
    }

    /** Writes the batch's body; false when the spool has no room for it (nothing written). */
    boolean add(Batch batch) throws IOException {
        long size = batch.size();
        long now = bytes.addAndGet(size);
        if (now > maxBytes) {
            bytes.addAndGet(-size);
            return false;
        }
        long seq = sequence.incrementAndGet();
        Path file = directory.resolve(String.format("%020d-%d%s", seq, batch.count(), SUFFIX));
        Path tmp = directory.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(batch.array(), 0, batch.size());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            bytes.addAndGet(-size);
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        files.put(seq, new Entry(seq, file, size, batch.count()));
        documents.addAndGet(batch.count());
        return true;
    }

    /** The oldest spooled batch, or null. */
    Entry oldest() {
        var e = files.firstEntry();
        return e == null ? null : e.getValue();
    }

    /** Reads a spooled batch's body into {@code into}; false when the file is not a whole bulk body. */
    boolean read(Entry entry, Batch into) throws IOException {
        byte[] body = Files.readAllBytes(entry.file());
        return into.load(body, body.length);
    }

    /** Removes a batch that was sent (or given up). */
    void remove(Entry entry) throws IOException {
        if (files.remove(entry.sequence()) != null) {
            Files.deleteIfExists(entry.file());
            bytes.addAndGet(-entry.bytes());
            documents.addAndGet(-entry.documents());
        }
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    long bytes() {
        return bytes.get();
    }

    long documents() {
        return documents.get();
    }

    long recoveredDocuments() {
        return recoveredDocuments;
    }

    Path directory() {
        return directory;
    }
}
