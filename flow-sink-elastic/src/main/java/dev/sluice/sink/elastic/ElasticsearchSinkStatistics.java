package dev.sluice.sink.elastic;

/**
 * What an {@link ElasticsearchSink} did, counted in documents unless the name says otherwise.
 *
 * @param accepted documents taken from the collector (serialized into a batch)
 * @param recovered documents found in the spool when the sink started (left by an earlier run)
 * @param indexed documents Elasticsearch confirmed (created), including those replayed from the spool
 * @param duplicates documents Elasticsearch already had (a retried batch with deterministic ids: status 409 on
 *     {@code create}); they are not indexed twice
 * @param retried document sends repeated after a failed request or a retryable item status (429, 5xx)
 * @param failed documents lost: refused for good (sent to the dead-letter handler), or abandoned at close
 * @param spooled documents written to the disk spool ({@link OutageMode#SPOOL})
 * @param dropped documents dropped after {@link ElasticsearchSink.Builder#maxAttempts} ({@link OutageMode#DROP})
 * @param spoolDocuments documents in the spool now
 * @param spoolBytes bytes in the spool now
 * @param queuedBatches batches waiting for a sending thread now
 * @param bulkRequests bulk requests answered (successful or not)
 * @param bulkFailures bulk requests that failed as a whole (no answer, 429, 5xx, ...)
 * @param bulkLatencyMillisMean mean time of an answered bulk request, in milliseconds
 * @param bulkLatencyMillisMax longest answered bulk request, in milliseconds
 * @param available whether the last bulk request reached Elasticsearch
 */
public record ElasticsearchSinkStatistics(
        long accepted,
        long recovered,
        long indexed,
        long duplicates,
        long retried,
        long failed,
        long spooled,
        long dropped,
        long spoolDocuments,
        long spoolBytes,
        int queuedBatches,
        long bulkRequests,
        long bulkFailures,
        double bulkLatencyMillisMean,
        double bulkLatencyMillisMax,
        boolean available) {

    /**
     * Documents accepted (or recovered) but neither indexed, duplicate, failed, dropped nor in the spool: in a
     * batch or in flight.
     */
    public long pending() {
        return accepted + recovered - indexed - duplicates - failed - dropped - spoolDocuments;
    }
}
