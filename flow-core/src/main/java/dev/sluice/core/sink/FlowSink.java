package dev.sluice.core.sink;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.FlowEvent;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Where decoded records go: a file, a socket, a search engine.
 *
 * <p>The {@code accept} methods are called on the thread that received the datagram, by several receiving
 * threads at once, so implementations are thread-safe. The record or counters handed in are views valid only
 * during the call: a sink serializes them (or {@code copy()}s them) before it returns, and never keeps the view.
 * The collector hands every sink the flow records, the options records (exporter metadata: sampling, interface
 * and application names) and the interface counter samples (sFlow); a sink that does not want options or
 * counters keeps the default methods, which answer {@link SinkResult#IGNORED}.
 *
 * <p>Back-pressure: a sink that has no room answers {@link SinkResult#FULL} without taking anything; the caller
 * then applies {@link #policy()} (wait through {@link #awaitCapacity} and offer again, bounded, or drop) and
 * counts what happened. A sink that batches (an Elasticsearch bulk sink: documents serialized into the current
 * batch on the receiving thread, full batches sent by a thread of its own, a bounded number in flight, maybe a
 * disk spool) answers FULL when no batch can take the document, and wakes {@link #awaitCapacity} waiters when a
 * batch completes.
 */
public interface FlowSink extends Closeable {

    /** A short name for metrics and logs; by default the class's simple name. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Takes a flow record (a view valid during the call). */
    SinkResult accept(FlowRecord record);

    /**
     * Takes a flow record with its enrichment (both valid during the call; {@code event} may be null: no
     * enrichment). The collector calls this one; the default ignores the event and calls {@link #accept(FlowRecord)},
     * so a sink that renders documents overrides it and hands the event to its
     * {@link dev.sluice.core.layout.DocumentLayout#write(FlowRecord, FlowEvent, com.fasterxml.jackson.core.JsonGenerator)}.
     */
    default SinkResult accept(FlowRecord record, FlowEvent event) {
        return accept(record);
    }

    /** Takes an options data record (a view valid during the call). Ignored by default. */
    default SinkResult acceptOptions(FlowRecord record) {
        return SinkResult.IGNORED;
    }

    /** Takes an interface counter sample (a view valid during the call). Ignored by default. */
    default SinkResult acceptCounters(InterfaceCounters counters) {
        return SinkResult.IGNORED;
    }

    /**
     * Waits until the sink may have room again, at most {@code timeoutNanos}; called after {@link
     * SinkResult#FULL} by a caller whose policy is {@link SinkPolicy.Mode#BLOCK}. The default sleeps a
     * millisecond (or less, within the timeout) so that a sink without a signal of its own is polled.
     *
     * @return false when the sink knows there will be no room within the timeout (the caller stops waiting)
     */
    default boolean awaitCapacity(long timeoutNanos) throws InterruptedException {
        long nanos = Math.min(timeoutNanos, TimeUnit.MILLISECONDS.toNanos(1));
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
        return true;
    }

    /** What the caller does when this sink is full; {@link SinkPolicy#DEFAULT} unless the sink says otherwise. */
    default SinkPolicy policy() {
        return SinkPolicy.DEFAULT;
    }

    /** Writes out or sends whatever is buffered, waiting for it. */
    void flush() throws IOException;

    /** Flushes, then releases the sink's resources; records offered afterwards fail. */
    @Override
    void close() throws IOException;

    /** The sink's own counters. */
    SinkStatistics statistics();
}
