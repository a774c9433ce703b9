package dev.sluice.sink.elastic;

/**
 * What an {@link ElasticsearchSink} does while Elasticsearch cannot take documents (down, unreachable, rejecting
 * with 429 or 5xx, or slower than the flows arrive). Every choice is counted in {@link ElasticsearchSinkStatistics};
 * none loses a document without saying so.
 */
public enum OutageMode {
    /**
     * Keep retrying each batch (exponential backoff with jitter, no limit) and take no more documents once the
     * queue of batches is full: the sink answers {@link dev.sluice.core.sink.SinkResult#FULL} and the collector waits
     * ({@link dev.sluice.core.sink.SinkPolicy#block}, bounded by {@link ElasticsearchSink.Builder#blockTimeout}), so
     * the loss moves to the collector, which counts it, and to the kernel's receive buffer.
     */
    BLOCK,
    /**
     * Write batches that cannot be sent to a bounded disk spool (one file per batch) and send them again, oldest
     * first, when Elasticsearch answers; the spool survives a restart of the collector. Only when the spool is full
     * too does the sink answer {@link dev.sluice.core.sink.SinkResult#FULL}.
     */
    SPOOL,
    /**
     * Retry each batch a bounded number of times ({@link ElasticsearchSink.Builder#maxAttempts}), then drop it and
     * count its documents as dropped; when the queue is full the collector drops new documents and counts them
     * ({@link dev.sluice.core.sink.SinkPolicy#drop()}).
     */
    DROP
}
