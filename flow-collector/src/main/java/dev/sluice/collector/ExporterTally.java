package dev.sluice.collector;

import dev.sluice.decoders.DecoderStatistics;

/**
 * The collector's own counters for one exporter (or a total), kept by one receiving thread, plus the decoder
 * counters of TCP sessions that have ended.
 */
final class ExporterTally {
    long datagrams;
    long datagramsTruncated;
    long allowlistDropped;
    long filtered;
    long processorErrors;
    long sinkAccepted;
    long sinkFailed;
    long sinkDropped;
    long transportErrors;
    /** Receive time of the latest datagram or message, for idle expiry. */
    long lastSeenMillis;
    /** Decoder counters (in a live tally: of ended TCP sessions only; in a snapshot: everything). */
    DecoderStatistics decoder = DecoderStatistics.EMPTY;

    void add(ExporterTally t) {
        datagrams += t.datagrams;
        datagramsTruncated += t.datagramsTruncated;
        allowlistDropped += t.allowlistDropped;
        filtered += t.filtered;
        processorErrors += t.processorErrors;
        sinkAccepted += t.sinkAccepted;
        sinkFailed += t.sinkFailed;
        sinkDropped += t.sinkDropped;
        transportErrors += t.transportErrors;
        lastSeenMillis = Math.max(lastSeenMillis, t.lastSeenMillis);
        decoder = decoder.plus(t.decoder);
    }

    ExporterTally copy() {
        ExporterTally c = new ExporterTally();
        c.add(this);
        return c;
    }

    ExporterMetrics toMetrics() {
        return new ExporterMetrics(datagrams, datagramsTruncated, allowlistDropped, filtered, processorErrors,
                sinkAccepted, sinkFailed, sinkDropped, transportErrors, decoder);
    }
}
