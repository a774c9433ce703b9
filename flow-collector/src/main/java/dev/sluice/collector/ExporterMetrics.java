package dev.sluice.collector;

import dev.sluice.core.DecodeError;
import dev.sluice.decoders.DecoderStatistics;

/**
 * Counters of one exporter (or of all, in {@link CollectorMetrics#total()}).
 *
 * @param datagrams UDP datagrams received from it (IPFIX-over-TCP messages count here too), refused ones (allowlist)
 *     aside
 * @param datagramsTruncated of those, datagrams longer than {@link FlowCollector.Builder#maxDatagramBytes}: cut by
 *     the receive buffer, so they are not decoded and their records are lost (raise the bound)
 * @param allowlistDropped datagrams (and TCP connections) refused because the exporter is not on the allowlist
 * @param filtered records, options records and counter samples the {@link FlowProcessor} kept from the sinks
 * @param processorErrors records for which the {@link FlowProcessor} threw (they are not passed to sinks)
 * @param sinkAccepted records taken by sinks, summed over sinks
 * @param sinkFailed records sinks could not take ({@link dev.sluice.core.sink.SinkResult#FAILED}), summed over
 *     sinks
 * @param sinkDropped records dropped by a sink's own rule or by its policy when it was full, summed over sinks
 * @param transportErrors IPFIX-over-TCP connections closed for a framing error (bad length or version)
 * @param decoder the decoder's counters: export packets, bytes, records, options records, counter samples,
 *     templates, template misses, held (pending) and expired data, decode errors by reason, sequence gaps and
 *     lost units
 */
public record ExporterMetrics(long datagrams, long datagramsTruncated, long allowlistDropped, long filtered,
        long processorErrors, long sinkAccepted, long sinkFailed, long sinkDropped, long transportErrors,
        DecoderStatistics decoder) {

    /** Datagram bytes decoded. */
    public long bytes() {
        return decoder.bytes();
    }

    /** Flow records decoded. */
    public long records() {
        return decoder.records();
    }

    /** Options data records decoded. */
    public long optionsRecords() {
        return decoder.optionsRecords();
    }

    /** sFlow counter samples decoded. */
    public long counterSamples() {
        return decoder.counterSamples();
    }

    /** Decode errors of one reason. */
    public long errors(DecodeError.Reason reason) {
        return decoder.errors(reason);
    }

    /** Decode errors of all reasons. */
    public long errorCount() {
        return decoder.errorCount();
    }
}
