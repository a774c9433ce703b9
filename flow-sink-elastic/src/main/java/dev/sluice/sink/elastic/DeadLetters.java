package dev.sluice.sink.elastic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands refused documents to the user's {@link DeadLetterHandler}, counts them as failed, and logs a summary. */
final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final long LOG_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final JsonFactory JSON = new JsonFactory();

    private final String sink;
    private final DeadLetterHandler handler;
    private final SinkCounters counters;
    private final LongAdder handlerErrors = new LongAdder();
    private final LongAdder unlogged = new LongAdder();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_PERIOD_NANOS);

    DeadLetters(String sink, DeadLetterHandler handler, SinkCounters counters) {
        this.sink = sink;
        this.handler = handler;
        this.counters = counters;
    }

    /** Document {@code i} of the batch was refused for good with this status and error. */
    void add(Batch batch, int i, int status, String type, String reason) {
        counters.failed.increment();
        int start = batch.start(i);
        int source = batch.sourceStart(i);
        int end = batch.end(i);
        String[] target = target(batch.array(), start, source);
        DeadLetter letter = new DeadLetter(target[0], target[1], status, type, reason,
                Arrays.copyOfRange(batch.array(), source, Math.max(source, end - 1)));
        if (handler != null) {
            try {
                handler.accept(letter);
            } catch (Exception e) {
                handlerErrors.increment();
                LOG.warn("Elasticsearch sink {}: the dead-letter handler failed: {}", sink, e.toString());
            }
        }
        unlogged.increment();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_PERIOD_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn("Elasticsearch sink {}: {} documents refused since the last report; the latest: {} {}: {}", sink,
                    unlogged.sumThenReset(), status, type, reason);
        }
    }

    long handlerErrors() {
        return handlerErrors.sum();
    }

    /** The {@code _index} and {@code _id} of an action line such as {@code {"create":{"_index":"x","_id":"y"}}}. */
    private static String[] target(byte[] bytes, int from, int to) {
        String[] out = new String[2];
        try (JsonParser p = JSON.createParser(bytes, from, to - from)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if ("_index".equals(name)) {
                        p.nextToken();
                        out[0] = p.getValueAsString();
                    } else if ("_id".equals(name)) {
                        p.nextToken();
                        out[1] = p.getValueAsString();
                    }
                }
            }
        } catch (IOException e) {
            // a malformed action line cannot happen (the sink writes it); leave the fields null
        }
        return out;
    }
}
