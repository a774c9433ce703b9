package dev.sluice.core.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.layout.DocumentLayout;
import dev.sluice.core.layout.EcsLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON document per line (NDJSON) with a {@link DocumentLayout} to an output stream or a file: flow
 * records with {@link DocumentLayout#write}, options records with {@link DocumentLayout#writeOptions} and counter
 * samples with {@link DocumentLayout#writeCounters} (each kind can be switched off).
 *
 * <p>Every receiving thread serializes into a buffer of its own (with its own layout instance, since layouts
 * are not thread-safe), so threads do not wait for each other; a buffer is written to the output, whole
 * lines at a time under one lock, when it holds {@link Builder#flushBytes} bytes, every {@link
 * Builder#flushInterval} (by a daemon thread of the sink), on {@link #flush()} and on {@link #close()}. Lines
 * of one thread keep their order; lines of different threads interleave by buffer.
 *
 * <p>A document the layout cannot write is left out (its partial output removed) and counted as failed; a
 * buffer the output refuses is counted as failed documents. Failures are logged at most once per ten seconds.
 * This sink is never {@link SinkResult#FULL}: it writes synchronously.
 */
public final class NdjsonSink implements FlowSink {

    private static final Logger LOG = LoggerFactory.getLogger(NdjsonSink.class);
    private static final long LOG_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final JsonFactory JSON = new JsonFactory();

    private final String name;
    private final OutputStream out;
    private final boolean ownsOutput;
    private final Supplier<? extends DocumentLayout> layouts;
    private final int flushBytes;
    private final boolean writeOptions;
    private final boolean writeCounters;
    private final SinkPolicy policy;
    private final ReentrantLock outputLock = new ReentrantLock();
    private final List<ThreadBuffer> buffers = new CopyOnWriteArrayList<>();
    private final ThreadLocal<ThreadBuffer> local = ThreadLocal.withInitial(this::newBuffer);
    private final ScheduledExecutorService timer;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_PERIOD_NANOS);
    private final LongAdder unlogged = new LongAdder();
    private volatile boolean closed;

    private NdjsonSink(Builder b, OutputStream out, boolean ownsOutput) {
        this.name = b.name;
        this.out = out;
        this.ownsOutput = ownsOutput;
        this.layouts = b.layouts;
        this.flushBytes = b.flushBytes;
        this.writeOptions = b.options;
        this.writeCounters = b.counters;
        this.policy = b.policy;
        long interval = b.flushInterval.toNanos();
        if (interval > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-ndjson-flush-" + name);
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::timedFlush, interval, interval, TimeUnit.NANOSECONDS);
        } else {
            timer = null;
        }
    }

    /** A sink writing to {@code out}, which {@link #close()} flushes but does not close. */
    public static Builder builder(OutputStream out) {
        return new Builder(Objects.requireNonNull(out, "out"), null);
    }

    /** A sink writing to {@code file} (created, or appended to), closed by {@link #close()}. */
    public static Builder builder(Path file) {
        return new Builder(null, Objects.requireNonNull(file, "file"));
    }

    /** Settings of an {@link NdjsonSink}. */
    public static final class Builder {
        private final OutputStream stream;
        private final Path file;
        private String name = "ndjson";
        private Supplier<? extends DocumentLayout> layouts = EcsLayout::new;
        private int flushBytes = 64 * 1024;
        private Duration flushInterval = Duration.ofSeconds(1);
        private boolean options = true;
        private boolean counters = true;
        private SinkPolicy policy = SinkPolicy.DEFAULT;

        private Builder(OutputStream stream, Path file) {
            this.stream = stream;
            this.file = file;
        }

        /** The sink's name in metrics and logs (default {@code ndjson}). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Makes the layout, once per writing thread (default {@link EcsLayout}). */
        public Builder layout(Supplier<? extends DocumentLayout> layouts) {
            this.layouts = Objects.requireNonNull(layouts, "layouts");
            return this;
        }

        /** A thread's buffer is written out when it holds this many bytes (default 64 KiB). */
        public Builder flushBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("flushBytes must be positive: " + bytes);
            }
            this.flushBytes = bytes;
            return this;
        }

        /** Buffers are written out at least this often (default 1 s; zero: only by size, flush and close). */
        public Builder flushInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("flushInterval must not be negative: " + interval);
            }
            this.flushInterval = interval;
            return this;
        }

        /** Whether options records are written (default true). */
        public Builder options(boolean write) {
            this.options = write;
            return this;
        }

        /** Whether counter samples are written (default true). */
        public Builder counters(boolean write) {
            this.counters = write;
            return this;
        }

        /** The policy reported by {@link NdjsonSink#policy()} (the sink itself is never full). */
        public Builder policy(SinkPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Opens the file (if any) and builds the sink. */
        public NdjsonSink build() throws IOException {
            if (file != null) {
                OutputStream os = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
                return new NdjsonSink(this, os, true);
            }
            return new NdjsonSink(this, stream, false);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SinkPolicy policy() {
        return policy;
    }

    @Override
    public SinkResult accept(FlowRecord record) {
        return write(record, null, null, false);
    }

    @Override
    public SinkResult accept(FlowRecord record, FlowEvent event) {
        return write(record, event, null, false);
    }

    @Override
    public SinkResult acceptOptions(FlowRecord record) {
        return writeOptions ? write(record, null, null, true) : SinkResult.IGNORED;
    }

    @Override
    public SinkResult acceptCounters(InterfaceCounters counters) {
        return writeCounters ? write(null, null, counters, false) : SinkResult.IGNORED;
    }

    private SinkResult write(FlowRecord record, FlowEvent event, InterfaceCounters counters, boolean options) {
        if (closed) {
            failed.increment();
            report("document offered after close", null);
            return SinkResult.FAILED;
        }
        ThreadBuffer b = local.get();
        b.lock.lock();
        try {
            long mark = b.position();
            try {
                if (counters != null) {
                    b.layout.writeCounters(counters, b.json);
                } else if (options) {
                    b.layout.writeOptions(record, b.json);
                } else {
                    b.layout.write(record, event, b.json);
                }
                b.json.writeRaw('\n');
            } catch (IOException | RuntimeException e) {
                b.discardFrom(mark);
                failed.increment();
                report("a document could not be written", e);
                return SinkResult.FAILED;
            }
            b.documents++;
            accepted.increment();
            if (b.position() >= flushBytes) {
                drain(b);
            }
            return SinkResult.ACCEPTED;
        } finally {
            b.lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        for (ThreadBuffer b : buffers) {
            b.lock.lock();
            try {
                drain(b);
            } finally {
                b.lock.unlock();
            }
        }
        outputLock.lock();
        try {
            out.flush();
        } finally {
            outputLock.unlock();
        }
    }

    private void timedFlush() {
        try {
            flush();
        } catch (IOException | RuntimeException e) {
            report("flushing the output failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (timer != null) {
            timer.shutdown();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            flush();
        } finally {
            if (ownsOutput) {
                outputLock.lock();
                try {
                    out.close();
                } finally {
                    outputLock.unlock();
                }
            }
        }
    }

    @Override
    public SinkStatistics statistics() {
        return new SinkStatistics(accepted.sum(), failed.sum(), 0);
    }

    /** Writes a thread's complete lines to the output; called with the buffer's lock held. */
    private void drain(ThreadBuffer b) {
        if (b.documents == 0) {
            return;
        }
        try {
            b.json.flush();
            outputLock.lock();
            try {
                out.write(b.bytes.array(), 0, b.bytes.size());
                out.flush();
            } finally {
                outputLock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            failed.add(b.documents);
            report(b.documents + " documents could not be written", e);
        } finally {
            b.bytes.reset();
            b.documents = 0;
        }
    }

    private void report(String what, Exception e) {
        unlogged.increment();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_PERIOD_NANOS && lastLog.compareAndSet(last, now)) {
            long n = unlogged.sumThenReset();
            LOG.warn("NDJSON sink {}: {} ({} failures since the last report): {}", name, what, n,
                    e == null ? "closed" : e.toString());
        }
    }

    private ThreadBuffer newBuffer() {
        ThreadBuffer b = new ThreadBuffer(layouts.get(), Math.min(flushBytes + 1024, 1 << 20));
        buffers.add(b);
        return b;
    }

    /** One thread's layout, generator and pending lines. */
    private static final class ThreadBuffer {
        final ReentrantLock lock = new ReentrantLock();
        final DocumentLayout layout;
        final Bytes bytes;
        JsonGenerator json;
        int documents;

        ThreadBuffer(DocumentLayout layout, int capacity) {
            this.layout = Objects.requireNonNull(layout, "the layout supplier returned null");
            this.bytes = new Bytes(capacity);
            this.json = generator(bytes);
        }

        static JsonGenerator generator(OutputStream target) {
            try {
                JsonGenerator g = JSON.createGenerator(target);
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
                g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
                g.setRootValueSeparator(null);
                return g;
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a JSON generator", e);
            }
        }

        /** Bytes written so far, in this buffer and in the generator's own. */
        long position() {
            return bytes.size() + (long) json.getOutputBuffered();
        }

        /** Drops what was written after {@code mark} and starts a fresh generator (the old one is mid-document). */
        void discardFrom(long mark) {
            try {
                json.flush();
            } catch (IOException | RuntimeException ignored) {
                // the bytes are dropped anyway
            }
            bytes.truncate((int) Math.min(mark, bytes.size()));
            json = generator(bytes);
        }
    }

    /** A growable byte array the generator writes into. */
    private static final class Bytes extends OutputStream {
        private byte[] buf;
        private int count;

        Bytes(int capacity) {
            buf = new byte[capacity];
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (buf.length - count < more) {
                byte[] n = new byte[Math.max(buf.length * 2, count + more)];
                System.arraycopy(buf, 0, n, 0, count);
                buf = n;
            }
        }

        byte[] array() {
            return buf;
        }

        int size() {
            return count;
        }

        void reset() {
            count = 0;
        }

        void truncate(int size) {
            count = size;
        }
    }
}
