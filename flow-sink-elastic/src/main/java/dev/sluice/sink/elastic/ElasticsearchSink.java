package dev.sluice.sink.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.layout.DocumentLayout;
import dev.sluice.core.layout.EcsLayout;
import dev.sluice.core.layout.LogstashLayout;
import dev.sluice.core.sink.FlowSink;
import dev.sluice.core.sink.SinkPolicy;
import dev.sluice.core.sink.SinkResult;
import dev.sluice.core.sink.SinkStatistics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes flow records, options records and counter samples to Elasticsearch (8.x or 9.x) through the bulk API.
 *
 * <pre>{@code
 * ElasticsearchSink sink = ElasticsearchSink.builder("http://127.0.0.1:9200")
 *         .dataStream("sluice-flows")                 // or .dailyIndex("sluice-flows-")
 *         .outageMode(OutageMode.SPOOL).spool(Path.of("/var/spool/sluice"), 1L << 30)
 *         .build();                                   // installs the index template
 * }</pre>
 *
 * <p><b>Documents.</b> Each receiving thread serializes with its own {@link DocumentLayout} (ECS by default, or the
 * Logstash layout) straight into the body of its current bulk batch: an action line
 * {@code {"create":{"_index":..., "_id":...}}} and the document, with Jackson's streaming generator, no intermediate
 * objects. With {@link Builder#documentIds} (the default) the id is a 128-bit hash of the document
 * ({@link DocumentIdHash}), so a batch sent twice (a timeout after Elasticsearch did index it, a replay from the
 * spool after a crash) is not indexed twice: the repeated {@code create} answers 409 and is counted as a duplicate.
 *
 * <p><b>Batches.</b> A batch is sealed when it holds {@link Builder#batchDocuments} documents or
 * {@link Builder#batchBytes} bytes, or when its first document is {@link Builder#flushInterval} old, and is queued
 * for one of {@link Builder#maxInFlight} sending threads (so at most that many requests are in flight). The queue holds
 * {@link Builder#queuedBatches} batches; when it is full the sink answers {@link SinkResult#FULL} and the collector
 * applies {@link #policy()}.
 *
 * <p><b>Failures.</b> A request that fails as a whole (no connection, timeout, 408, 429, 5xx, 401/403) is retried
 * with exponential backoff and full jitter ({@link Builder#backoff}); within a successful answer, documents with
 * 429 or 5xx are sent again, and documents refused for good (mapping errors and other 4xx) go to the
 * {@link DeadLetterHandler} with Elasticsearch's reason, while the rest of the batch is indexed. What happens while
 * Elasticsearch stays unavailable is the {@link OutageMode}: block, spool to disk, or drop after
 * {@link Builder#maxAttempts}; every outcome is counted in {@link #elasticsearchStatistics()}.
 *
 * <p><b>Index management.</b> At {@link Builder#build()} the sink installs a composable index template for its
 * target (mappings of the layout: {@code ip}, {@code geo_point}, {@code keyword}, {@code long}, {@code date}, ...),
 * and the ILM policy if one is configured. A configuration error (a 4xx from Elasticsearch) fails the build; an
 * unreachable cluster does not: the template is installed before the first batch is sent.
 *
 * <p>Thread-safe; the {@code accept} methods are called by several receiving threads at once.
 */
public final class ElasticsearchSink implements FlowSink {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSink.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");
    private static final byte[] ID_PLACEHOLDER = "0000000000000000000000".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACTION_START = "{\"create\":{\"_index\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACTION_ID = "\",\"_id\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACTION_END = "\"}}\n".getBytes(StandardCharsets.UTF_8);

    private final String name;
    private final Builder config;
    private final RestClient rest;
    private final ElasticsearchClient client;
    private final SinkCounters counters = new SinkCounters();
    private final DeadLetters deadLetters;
    private final BulkSender sender;
    private final DiskSpool spool;
    private final ArrayBlockingQueue<Batch> queue;
    private final ConcurrentLinkedQueue<Batch> pool = new ConcurrentLinkedQueue<>();
    private final List<ThreadBuffer> buffers = new CopyOnWriteArrayList<>();
    private final ThreadLocal<ThreadBuffer> local = ThreadLocal.withInitial(this::newBuffer);
    private final ReentrantLock capacityLock = new ReentrantLock();
    private final Condition capacity = capacityLock.newCondition();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private final Object templateLock = new Object();
    private volatile boolean templateInstalled;
    private volatile boolean closed;
    private volatile boolean stopping;

    private ElasticsearchSink(Builder b) throws IOException {
        this.name = b.name;
        this.config = b;
        this.rest = ElasticsearchConnection.restClient(b);
        this.client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
        this.deadLetters = new DeadLetters(name, b.deadLetterHandler, counters);
        this.sender = new BulkSender(rest, counters, deadLetters, b.documentIds);
        this.queue = new ArrayBlockingQueue<>(b.queuedBatches);
        this.spool = b.outageMode == OutageMode.SPOOL ? new DiskSpool(b.spoolDirectory, b.spoolMaxBytes) : null;
        try {
            installTemplate();
        } catch (BulkSender.Unavailable e) {
            LOG.warn("Elasticsearch sink {}: cannot reach {} to install the index template; it is installed before "
                    + "the first batch is sent ({})", name, b.hosts, e.getMessage());
        } catch (TemplateRejected e) {
            rest.close();
            throw new IOException(e.getMessage(), e);
        }
        for (int i = 0; i < b.maxInFlight; i++) {
            threads.add(start("sluice-es-send-" + name + "-" + i, this::sendLoop));
        }
        if (spool != null) {
            threads.add(start("sluice-es-spool-" + name, this::replayLoop));
            if (spool.recoveredDocuments() > 0) {
                LOG.info("Elasticsearch sink {}: {} documents in the spool {} from an earlier run are sent first",
                        name, spool.recoveredDocuments(), spool.directory());
            }
        }
        threads.add(start("sluice-es-flush-" + name, this::flushLoop));
    }

    /** A sink for the cluster at these addresses ({@code http://host:9200}, {@code https://...}). */
    public static Builder builder(String... hosts) {
        return new Builder(List.of(hosts));
    }

    // ------------------------------------------------------------------------------------------------------------
    // receiving side

    @Override
    public String name() {
        return name;
    }

    @Override
    public SinkPolicy policy() {
        return config.outageMode == OutageMode.DROP ? SinkPolicy.drop() : SinkPolicy.block(config.blockTimeout);
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
        return config.options ? write(record, null, null, true) : SinkResult.IGNORED;
    }

    @Override
    public SinkResult acceptCounters(InterfaceCounters counters) {
        return config.counters ? write(null, null, counters, false) : SinkResult.IGNORED;
    }

    private SinkResult write(FlowRecord record, FlowEvent event, InterfaceCounters ifCounters, boolean options) {
        if (closed) {
            counters.failed.increment();
            return SinkResult.FAILED;
        }
        ThreadBuffer tb = local.get();
        tb.lock.lock();
        try {
            if (tb.sealed != null) {
                if (!handOff(tb.sealed)) {
                    return SinkResult.FULL;
                }
                tb.sealed = null;
            }
            Batch batch = tb.batch;
            if (batch == null) {
                batch = takeBatch();
                tb.batch = batch;
                tb.out.target = batch;
            }
            batch.beginDocument();
            int idOffset = writeAction(tb, batch);
            int source = batch.size();
            try {
                if (ifCounters != null) {
                    tb.layout.writeCounters(ifCounters, tb.json);
                } else if (options) {
                    tb.layout.writeOptions(record, tb.json);
                } else {
                    tb.layout.write(record, event, tb.json);
                }
                tb.json.flush();
            } catch (IOException | RuntimeException e) {
                tb.json = generator(tb.out);
                batch.abandonDocument();
                counters.failed.increment();
                LOG.debug("Elasticsearch sink {}: a document could not be written", name, e);
                return SinkResult.FAILED;
            }
            if (idOffset >= 0) {
                DocumentIdHash.id(batch.array(), source, batch.size(), tb.id);
                batch.patch(idOffset, tb.id, DocumentIdHash.LENGTH);
            }
            batch.write('\n');
            counters.accepted.increment();
            if (batch.count() >= config.batchDocuments || batch.size() >= config.batchBytes) {
                seal(tb);
            }
            return SinkResult.ACCEPTED;
        } finally {
            tb.lock.unlock();
        }
    }

    /** Writes the action line; returns the offset of the id placeholder, or -1 without ids. */
    private int writeAction(ThreadBuffer tb, Batch batch) {
        batch.write(ACTION_START, 0, ACTION_START.length);
        byte[] index = tb.index();
        batch.write(index, 0, index.length);
        int idOffset = -1;
        if (config.documentIds) {
            batch.write(ACTION_ID, 0, ACTION_ID.length);
            idOffset = batch.size();
            batch.write(ID_PLACEHOLDER, 0, ID_PLACEHOLDER.length);
        }
        batch.write(ACTION_END, 0, ACTION_END.length);
        return idOffset;
    }


    /** Seals the thread's batch and hands it on, or keeps it sealed for a later try. Lock held. */
    private void seal(ThreadBuffer tb) {
        Batch b = tb.batch;
        tb.batch = null;
        tb.out.target = null;
        if (b == null || b.count() == 0) {
            if (b != null) {
                recycle(b);
            }
            return;
        }
        if (!handOff(b)) {
            tb.sealed = b;
        }
    }

    /** Queues a sealed batch for sending, or spools it when the queue is full (SPOOL); false: neither. */
    private boolean handOff(Batch b) {
        if (queue.offer(b)) {
            return true;
        }
        if (spool != null && spoolBatch(b)) {
            recycle(b);
            return true;
        }
        return false;
    }

    @Override
    public boolean awaitCapacity(long timeoutNanos) throws InterruptedException {
        if (closed) {
            return false;
        }
        capacityLock.lock();
        try {
            if (queue.remainingCapacity() == 0) {
                capacity.awaitNanos(timeoutNanos);
            }
            return true;
        } finally {
            capacityLock.unlock();
        }
    }

    private void signalCapacity() {
        capacityLock.lock();
        try {
            capacity.signalAll();
        } finally {
            capacityLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // sending side

    private void sendLoop() {
        while (true) {
            Batch b;
            try {
                b = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
                continue;
            }
            if (b == null) {
                if (stopping && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            inFlight.incrementAndGet();
            signalCapacity();
            try {
                deliver(b);
            } catch (RuntimeException | Error e) {
                counters.failed.add(b.count());
                LOG.error("Elasticsearch sink {}: a batch of {} documents was lost to an unexpected error", name,
                        b.count(), e);
            } finally {
                inFlight.decrementAndGet();
                signalCapacity();
            }
        }
    }

    /**
     * Sends a batch until every document is indexed, refused for good, spooled or dropped (by the outage mode),
     * or, while stopping, until {@link Builder#closeTimeout} has passed. Recycles the batch.
     */
    private void deliver(Batch batch) {
        Batch current = batch;
        int failures = 0;
        long giveUpAt = Long.MAX_VALUE;
        while (current != null) {
            if (spool != null && !counters.available && !spool.isEmpty() && spoolBatch(current)) {
                break; // Elasticsearch is away and older batches wait on disk: join them
            }
            try {
                current = attempt(current);
                failures = 0;
                if (current != null) {
                    sleepBackoff(1);
                }
                continue;
            } catch (BulkSender.Unavailable | TemplateRejected e) {
                failures++;
            }
            if (spool != null && (failures >= config.spoolAfterAttempts || stopping) && spoolBatch(current)) {
                break;
            }
            if (config.outageMode == OutageMode.DROP && failures >= config.maxAttempts) {
                counters.dropped.add(current.count());
                LOG.warn("Elasticsearch sink {}: dropped a batch of {} documents after {} attempts", name,
                        current.count(), failures);
                break;
            }
            if (stopping) {
                if (giveUpAt == Long.MAX_VALUE) {
                    giveUpAt = System.nanoTime() + config.closeTimeout.toNanos();
                } else if (System.nanoTime() - giveUpAt > 0) {
                    counters.failed.add(current.count());
                    LOG.error("Elasticsearch sink {}: closing; {} documents could not be delivered", name,
                            current.count());
                    break;
                }
            }
            counters.retried.add(current.count());
            sleepBackoff(failures);
        }
        if (current != null) {
            recycle(current);
        }
    }

    /**
     * Sends {@code current} once. When Elasticsearch answered, {@code current} is recycled and the result is the
     * batch of documents to send again (429/5xx items), or null when there are none. When the request failed as a
     * whole, the exception says why and {@code current} is left to the caller.
     */
    private Batch attempt(Batch current) throws BulkSender.Unavailable, TemplateRejected {
        Batch retry = takeBatch();
        try {
            installTemplate();
            sender.send(current, retry);
        } catch (BulkSender.Unavailable | TemplateRejected e) {
            recycle(retry);
            counters.available = false;
            logUnavailable(e.getMessage());
            throw e;
        }
        counters.available = true;
        recycle(current);
        if (retry.count() == 0) {
            recycle(retry);
            return null;
        }
        counters.retried.add(retry.count());
        return retry;
    }

    private void replayLoop() {
        while (!stopping) {
            DiskSpool.Entry entry = spool.oldest();
            if (entry == null) {
                sleepQuietly(100);
                continue;
            }
            Batch batch = takeBatch();
            try {
                if (!spool.read(entry, batch)) {
                    LOG.error("Elasticsearch sink {}: spool file {} is not a whole bulk body; its {} documents are "
                            + "lost", name, entry.file(), entry.documents());
                    counters.failed.add(entry.documents());
                    recycle(batch);
                    spool.remove(entry);
                    continue;
                }
            } catch (IOException e) {
                LOG.error("Elasticsearch sink {}: cannot read spool file {}: {}", name, entry.file(), e.toString());
                recycle(batch);
                sleepQuietly(1000);
                continue;
            }
            if (!deliverFromSpool(batch)) {
                return; // stopping: the file stays for the next run
            }
            try {
                spool.remove(entry);
            } catch (IOException e) {
                LOG.error("Elasticsearch sink {}: cannot delete sent spool file {}: {}", name, entry.file(),
                        e.toString());
            }
            signalCapacity();
        }
    }

    /**
     * Sends a spooled batch until done (never spooled again or dropped: it is on disk already); false when the sink
     * stops first (nothing counted: it stays on disk). Recycles the batch.
     */
    private boolean deliverFromSpool(Batch batch) {
        Batch current = batch;
        int failures = 0;
        while (current != null) {
            if (stopping) {
                recycle(current);
                return false;
            }
            try {
                current = attempt(current);
                failures = 0;
                if (current != null) {
                    sleepBackoff(1);
                }
            } catch (BulkSender.Unavailable | TemplateRejected e) {
                failures++;
                sleepBackoff(failures);
            }
        }
        return true;
    }

    private boolean spoolBatch(Batch b) {
        try {
            if (spool.add(b)) {
                counters.spooled.add(b.count());
                return true;
            }
            return false;
        } catch (IOException e) {
            LOG.error("Elasticsearch sink {}: cannot write to the spool {}: {}", name, spool.directory(),
                    e.toString());
            return false;
        }
    }

    private void flushLoop() {
        long interval = Math.max(1, Math.min(config.flushInterval.toMillis(), 100));
        while (!stopping) {
            sleepQuietly(interval);
            long now = System.nanoTime();
            for (ThreadBuffer tb : buffers) {
                tb.lock.lock();
                try {
                    if (tb.sealed != null) {
                        if (handOff(tb.sealed)) {
                            tb.sealed = null;
                        }
                    } else if (tb.batch != null && tb.batch.count() > 0
                            && now - tb.batch.firstNanos >= config.flushInterval.toNanos()) {
                        seal(tb);
                    }
                } finally {
                    tb.lock.unlock();
                }
            }
        }
    }

    private volatile long lastUnavailableLog;

    private void logUnavailable(String message) {
        long now = System.nanoTime();
        if (now - lastUnavailableLog > TimeUnit.SECONDS.toNanos(10)) {
            lastUnavailableLog = now;
            LOG.warn("Elasticsearch sink {}: Elasticsearch is unavailable ({} mode): {}", name, config.outageMode,
                    message);
        }
    }

    /** Sleeps the backoff for the n-th failure (full jitter); an interrupt (the sink stopping) cuts it short. */
    private void sleepBackoff(int failures) {
        long cap = Math.min(config.maxBackoff.toMillis(),
                config.initialBackoff.toMillis() << Math.min(20, Math.max(0, failures - 1)));
        long millis = ThreadLocalRandom.current().nextLong(Math.max(1, cap) + 1);
        sleepQuietly(millis);
    }

    /** Sleeps; an interrupt (the sink stopping) cuts it short, and the loops check {@code stopping}. */
    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // stopping: the caller's loop looks at the flag
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // index management

    /** Thrown when Elasticsearch refuses the template or the ILM policy (a configuration error). */
    static final class TemplateRejected extends Exception {
        private static final long serialVersionUID = 1L;

        TemplateRejected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void installTemplate() throws BulkSender.Unavailable, TemplateRejected {
        if (templateInstalled || !config.installTemplate) {
            return;
        }
        synchronized (templateLock) {
            if (templateInstalled) {
                return;
            }
            IndexManagement.install(rest, client, config);
            templateInstalled = true;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // lifecycle

    /**
     * Seals every thread's batch and waits until all queued and in-flight batches are indexed, refused, spooled or
     * dropped, at most {@link Builder#flushTimeout}.
     *
     * @throws IOException when documents are still undelivered after the timeout (they stay queued)
     */
    @Override
    public void flush() throws IOException {
        long deadline = System.nanoTime() + config.flushTimeout.toNanos();
        for (ThreadBuffer tb : buffers) {
            tb.lock.lock();
            try {
                if (tb.sealed == null) {
                    seal(tb);
                }
                while (tb.sealed != null && System.nanoTime() < deadline) {
                    if (handOff(tb.sealed)) {
                        tb.sealed = null;
                    } else {
                        sleepQuietly(5);
                    }
                }
            } finally {
                tb.lock.unlock();
            }
        }
        while ((!queue.isEmpty() || inFlight.get() > 0) && System.nanoTime() < deadline) {
            sleepQuietly(5);
        }
        long pending = elasticsearchStatistics().pending();
        if (!queue.isEmpty() || inFlight.get() > 0) {
            throw new IOException("Elasticsearch sink " + name + ": " + pending + " documents not yet delivered after "
                    + config.flushTimeout);
        }
    }

    /**
     * Flushes (bounded by {@link Builder#closeTimeout}), stops the threads and closes the connection. Batches that
     * could not be delivered by then are spooled (SPOOL) or counted as failed and logged; the spool stays on disk for
     * the next start.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } catch (IOException e) {
            LOG.warn("{}", e.getMessage());
        }
        stopping = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        long deadline = System.nanoTime() + config.closeTimeout.toNanos() + TimeUnit.SECONDS.toNanos(5);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Batch left;
        while ((left = queue.poll()) != null) {
            if (spool == null || !spoolBatch(left)) {
                counters.failed.add(left.count());
                LOG.error("Elasticsearch sink {}: closing; {} queued documents could not be delivered", name,
                        left.count());
            }
        }
        for (ThreadBuffer tb : buffers) {
            for (Batch b : new Batch[] {tb.sealed, tb.batch}) {
                if (b != null && b.count() > 0 && (spool == null || !spoolBatch(b))) {
                    counters.failed.add(b.count());
                }
            }
            tb.sealed = null;
            tb.batch = null;
        }
        rest.close();
    }

    @Override
    public SinkStatistics statistics() {
        return new SinkStatistics(counters.accepted.sum(), counters.failed.sum(), counters.dropped.sum());
    }

    /** Everything the sink counted, and its spool and queue now. */
    public ElasticsearchSinkStatistics elasticsearchStatistics() {
        long requests = counters.bulkRequests.sum();
        return new ElasticsearchSinkStatistics(
                counters.accepted.sum(),
                spool == null ? 0 : spool.recoveredDocuments(),
                counters.indexed.sum(),
                counters.duplicates.sum(),
                counters.retried.sum(),
                counters.failed.sum(),
                counters.spooled.sum(),
                counters.dropped.sum(),
                spool == null ? 0 : spool.documents(),
                spool == null ? 0 : spool.bytes(),
                queue.size(),
                requests,
                counters.bulkFailures.sum(),
                requests == 0 ? 0 : counters.bulkNanos.sum() / 1e6 / requests,
                counters.bulkMaxNanos.get() / 1e6,
                counters.available);
    }

    /** The official client the sink uses for index management, for callers that want to query the cluster. */
    public ElasticsearchClient client() {
        return client;
    }

    private Thread start(String threadName, Runnable body) {
        Thread t = new Thread(body, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Batch takeBatch() {
        Batch b = pool.poll();
        return b != null ? b : new Batch(Math.min(config.batchBytes + 64 * 1024, 256 * 1024)); // grows, then reused
    }

    private void recycle(Batch b) {
        b.clear();
        pool.offer(b);
    }

    private ThreadBuffer newBuffer() {
        ThreadBuffer tb = new ThreadBuffer(config.layouts.get(), config);
        buffers.add(tb);
        return tb;
    }

    private static JsonGenerator generator(OutputStream target) {
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

    /** What one receiving thread owns: its layout, generator and current batch. */
    private static final class ThreadBuffer {
        final ReentrantLock lock = new ReentrantLock();
        final DocumentLayout layout;
        final Forward out = new Forward();
        final byte[] id = new byte[DocumentIdHash.LENGTH];
        final String dataStream;
        final String dailyPrefix;
        JsonGenerator json;
        Batch batch;
        Batch sealed;
        private long day = Long.MIN_VALUE;
        private byte[] index;

        ThreadBuffer(DocumentLayout layout, Builder config) {
            this.layout = Objects.requireNonNull(layout, "the layout supplier returned null");
            this.dataStream = config.dataStream;
            this.dailyPrefix = config.dailyPrefix;
            this.json = generator(out);
            if (dataStream != null) {
                index = dataStream.getBytes(StandardCharsets.UTF_8);
            }
        }

        /** The target's name as JSON string content: the data stream, or today's (UTC) daily index. */
        byte[] index() {
            if (dataStream != null) {
                return index;
            }
            long today = Math.floorDiv(System.currentTimeMillis(), 86_400_000L);
            if (today != day) {
                day = today;
                index = (dailyPrefix + LocalDate.ofEpochDay(today).format(DAY)).getBytes(StandardCharsets.UTF_8);
            }
            return index;
        }
    }

    /** The generator's output: whatever batch the thread writes into now. */
    private static final class Forward extends OutputStream {
        Batch target;

        @Override
        public void write(int b) {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            target.write(b, off, len);
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Settings of an {@link ElasticsearchSink}; every one has a default that works against a local cluster. */
    public static final class Builder {
        final List<String> hosts;
        String name = "elasticsearch";
        String username;
        String password;
        String apiKey;
        Path caCertificate;
        String caFingerprint;
        Duration connectTimeout = Duration.ofSeconds(5);
        Duration requestTimeout = Duration.ofSeconds(60);
        String dataStream = "sluice-flows";
        String dailyPrefix;
        String layoutName = "ecs";
        Supplier<? extends DocumentLayout> layouts = EcsLayout::new;
        boolean installTemplate = true;
        String templateName;
        int templatePriority = 200;
        int shards;
        int replicas = -1;
        Duration retention;
        String ilmPolicy;
        Duration ilmDeleteAfter;
        int batchDocuments = 5_000;
        int batchBytes = 5 << 20;
        Duration flushInterval = Duration.ofSeconds(1);
        int maxInFlight = 2;
        int queuedBatches = 4;
        Duration initialBackoff = Duration.ofMillis(100);
        Duration maxBackoff = Duration.ofSeconds(30);
        int maxAttempts = 10;
        int spoolAfterAttempts = 3;
        OutageMode outageMode = OutageMode.BLOCK;
        Duration blockTimeout = Duration.ofSeconds(30);
        Path spoolDirectory;
        long spoolMaxBytes = 1L << 30;
        boolean documentIds = true;
        DeadLetterHandler deadLetterHandler;
        boolean options = true;
        boolean counters = true;
        Duration flushTimeout = Duration.ofSeconds(30);
        Duration closeTimeout = Duration.ofSeconds(30);

        private Builder(List<String> hosts) {
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("give at least one Elasticsearch address");
            }
            for (String h : hosts) {
                URI u = URI.create(h);
                if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                        || u.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) address: " + h
                            + " (expected e.g. http://127.0.0.1:9200)");
                }
            }
            this.hosts = hosts;
        }

        /** The sink's name in metrics, logs and thread names (default {@code elasticsearch}). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Basic authentication. */
        public Builder basicAuth(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** API key authentication: the encoded key ({@code base64(id:api_key)}) as Elasticsearch returns it. */
        public Builder apiKey(String encodedKey) {
            this.apiKey = Objects.requireNonNull(encodedKey, "encodedKey");
            return this;
        }

        /** TLS: trust the cluster's certificates signed by this CA (a PEM file, e.g. {@code http_ca.crt}). */
        public Builder caCertificate(Path pemFile) {
            this.caCertificate = Objects.requireNonNull(pemFile, "pemFile");
            return this;
        }

        /**
         * TLS: trust the server whose certificate chain holds a certificate with this SHA-256 fingerprint (hex, with
         * or without colons), as Elasticsearch prints the CA's at setup; the CA certificate must be in the chain the
         * nodes present (auto-configured nodes present it).
         */
        public Builder caFingerprint(String sha256Hex) {
            this.caFingerprint = Objects.requireNonNull(sha256Hex, "sha256Hex");
            return this;
        }

        /** Connection and request timeouts (defaults 5 s and 60 s). */
        public Builder timeouts(Duration connect, Duration request) {
            this.connectTimeout = positive(connect, "connect timeout");
            this.requestTimeout = positive(request, "request timeout");
            return this;
        }

        /** Write to this data stream (default {@code sluice-flows}); the template makes the name a data stream. */
        public Builder dataStream(String name) {
            this.dataStream = checkIndexName(name);
            this.dailyPrefix = null;
            return this;
        }

        /** Write to daily indices {@code <prefix>yyyy.MM.dd} (UTC, by the day the document is written). */
        public Builder dailyIndex(String prefix) {
            this.dailyPrefix = checkIndexName(prefix);
            this.dataStream = null;
            return this;
        }

        /** The ECS layout (default), Filebeat-netflow compatible. */
        public Builder ecsLayout() {
            return layout("ecs", EcsLayout::new);
        }

        /** The Logstash netflow codec's layout. */
        public Builder logstashLayout() {
            return layout("logstash", LogstashLayout::new);
        }

        /**
         * A layout of one's own, made once per receiving thread, indexed with the mappings of {@code mappingsOf}
         * ({@code ecs} or {@code logstash}): the layout's fields must fit them.
         */
        public Builder layout(String mappingsOf, Supplier<? extends DocumentLayout> layouts) {
            if (!mappingsOf.equals("ecs") && !mappingsOf.equals("logstash")) {
                throw new IllegalArgumentException("mappings are 'ecs' or 'logstash', not " + mappingsOf);
            }
            this.layoutName = mappingsOf;
            this.layouts = Objects.requireNonNull(layouts, "layouts");
            return this;
        }

        /** Whether the index template is installed at start (default true); its name (default: the target's). */
        public Builder indexTemplate(boolean install, String name) {
            this.installTemplate = install;
            this.templateName = name;
            return this;
        }

        /** Primary shards and replicas in the template (default: the cluster's). */
        public Builder shards(int shards, int replicas) {
            if (shards < 1 || replicas < 0) {
                throw new IllegalArgumentException("shards must be >= 1 and replicas >= 0");
            }
            this.shards = shards;
            this.replicas = replicas;
            return this;
        }

        /** Data stream retention (the data stream lifecycle's {@code data_retention}); data streams only. */
        public Builder retention(Duration retention) {
            this.retention = positive(retention, "retention");
            return this;
        }

        /**
         * Indices use this ILM policy, which the sink creates (or replaces) at start: for a data stream, rollover at
         * 1 day or 50 GB per primary shard, and deletion {@code deleteAfter} after rollover; for daily indices,
         * deletion {@code deleteAfter} after creation. The cluster must have ILM (the default distribution does).
         */
        public Builder ilmPolicy(String name, Duration deleteAfter) {
            this.ilmPolicy = checkIndexName(name);
            this.ilmDeleteAfter = positive(deleteAfter, "deleteAfter");
            return this;
        }

        /** A batch is sealed at this many documents (default 5,000). */
        public Builder batchDocuments(int documents) {
            this.batchDocuments = atLeast(documents, 1, "batchDocuments");
            return this;
        }

        /** A batch is sealed at this many bytes (default 5 MiB). */
        public Builder batchBytes(int bytes) {
            this.batchBytes = atLeast(bytes, 1024, "batchBytes");
            return this;
        }

        /** A batch is sealed when its first document is this old (default 1 s). */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = positive(interval, "flushInterval");
            return this;
        }

        /** Bulk requests in flight at once, one sending thread each (default 2). */
        public Builder maxInFlight(int requests) {
            this.maxInFlight = atLeast(requests, 1, "maxInFlight");
            return this;
        }

        /** Sealed batches waiting for a sending thread (default 4); beyond, the sink is full. */
        public Builder queuedBatches(int batches) {
            this.queuedBatches = atLeast(batches, 1, "queuedBatches");
            return this;
        }

        /** Exponential backoff between attempts, with full jitter (defaults 100 ms doubling to 30 s). */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive(initial, "initial backoff");
            this.maxBackoff = positive(max, "max backoff");
            return this;
        }

        /** Attempts per batch before it is dropped in {@link OutageMode#DROP} (default 10). */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = atLeast(attempts, 1, "maxAttempts");
            return this;
        }

        /** What happens while Elasticsearch is unavailable (default {@link OutageMode#BLOCK}). */
        public Builder outageMode(OutageMode mode) {
            this.outageMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** With {@link OutageMode#BLOCK} and a full spool: how long the collector waits per document (default 30 s). */
        public Builder blockTimeout(Duration timeout) {
            this.blockTimeout = positive(timeout, "blockTimeout");
            return this;
        }

        /**
         * The spool of {@link OutageMode#SPOOL}: a directory of its own (created if missing) and its bound in bytes
         * (default 1 GiB). Also sets the outage mode to SPOOL. A batch is spooled after
         * {@code spoolAfterAttempts} failed attempts (default 3), or at once while older batches wait in the spool.
         */
        public Builder spool(Path directory, long maxBytes) {
            this.spoolDirectory = Objects.requireNonNull(directory, "directory");
            if (maxBytes < 1) {
                throw new IllegalArgumentException("the spool's bound must be positive: " + maxBytes);
            }
            this.spoolMaxBytes = maxBytes;
            this.outageMode = OutageMode.SPOOL;
            return this;
        }

        /** Failed attempts before a batch goes to the spool (default 3). */
        public Builder spoolAfterAttempts(int attempts) {
            this.spoolAfterAttempts = atLeast(attempts, 1, "spoolAfterAttempts");
            return this;
        }

        /** Deterministic document ids from a hash of the document (default true); false: Elasticsearch's ids. */
        public Builder documentIds(boolean deterministic) {
            this.documentIds = deterministic;
            return this;
        }

        /** Receives documents refused for good (default: none; they are counted as failed and logged). */
        public Builder deadLetters(DeadLetterHandler handler) {
            this.deadLetterHandler = handler;
            return this;
        }

        /** Whether options records and counter samples are written too (default true for both). */
        public Builder write(boolean optionsRecords, boolean counterSamples) {
            this.options = optionsRecords;
            this.counters = counterSamples;
            return this;
        }

        /** Longest wait of {@link ElasticsearchSink#flush()} and of the delivery at close (defaults 30 s). */
        public Builder timeoutsOnFlushAndClose(Duration flush, Duration close) {
            this.flushTimeout = positive(flush, "flush timeout");
            this.closeTimeout = positive(close, "close timeout");
            return this;
        }

        /**
         * Connects, installs the index template (and ILM policy) if the cluster is reachable, finds what an earlier
         * run left in the spool, and starts the sending threads.
         *
         * @throws IOException when Elasticsearch refuses the template or policy, or the spool cannot be opened
         */
        public ElasticsearchSink build() throws IOException {
            if (outageMode == OutageMode.SPOOL && spoolDirectory == null) {
                throw new IllegalStateException("OutageMode.SPOOL needs a spool directory: call spool(dir, maxBytes)");
            }
            if (retention != null && dataStream == null) {
                throw new IllegalStateException("retention applies to data streams; daily indices use ilmPolicy");
            }
            return new ElasticsearchSink(this);
        }

        String target() {
            return dataStream != null ? dataStream : dailyPrefix;
        }

        String templateName() {
            return templateName != null ? templateName : (dataStream != null ? dataStream : dailyPrefix + "template");
        }

        private static String checkIndexName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || !name.equals(name.toLowerCase(java.util.Locale.ROOT))
                    || name.matches(".*[\\\\/*?\"<>| ,#:].*") || name.startsWith("_") || name.startsWith("-")
                    || name.startsWith("+")) {
                throw new IllegalArgumentException("not a valid Elasticsearch index name: '" + name
                        + "' (lower case, no \\ / * ? \" < > | space , # :, not starting with _ - +)");
            }
            return name;
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }

        private static int atLeast(int value, int min, String what) {
            if (value < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
            }
            return value;
        }
    }
}
