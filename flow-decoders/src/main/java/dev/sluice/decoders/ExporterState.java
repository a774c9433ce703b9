package dev.sluice.decoders;

import dev.sluice.core.DecodeError;
import io.netty.util.collection.LongObjectHashMap;
import java.net.InetAddress;
import java.util.EnumMap;

/** Per-exporter decoder state: its observation domains and its counters. */
final class ExporterState {
    /** {@link #lastSeenMillis} of an exporter known only from restored templates. */
    static final long NEVER = Long.MIN_VALUE;

    final InetAddress address;
    /** Receive time of its latest datagram, for idle expiry. */
    long lastSeenMillis = NEVER;
    final LongObjectHashMap<DomainState> domains = new LongObjectHashMap<>();
    int templateCount;
    long pendingBytes;
    int pendingSets;

    long packets;
    long bytes;
    long records;
    long optionsRecords;
    long templates;
    long templatesWithdrawn;
    long templateMisses;
    long pendingRecords;
    /** sFlow: counter samples, discarded-packet samples, samples / records of formats not decoded. */
    long sequenceGaps;
    long sequenceLost;
    long sequenceReordered;
    long sequenceResets;
    long counterSamples;
    long dropSamples;
    long skippedFormats;
    final long[] errors = new long[DecodeError.Reason.all().length];

    ExporterState(InetAddress address) {
        this.address = address;
    }

    /** Adds this exporter's counters to {@code total} (for decoder-wide statistics). */
    void addTo(ExporterState total) {
        total.packets += packets;
        total.bytes += bytes;
        total.records += records;
        total.optionsRecords += optionsRecords;
        total.templates += templates;
        total.templatesWithdrawn += templatesWithdrawn;
        total.templateCount += templateCount;
        total.templateMisses += templateMisses;
        total.pendingSets += pendingSets;
        total.pendingBytes += pendingBytes;
        total.pendingRecords += pendingRecords;
        total.counterSamples += counterSamples;
        total.dropSamples += dropSamples;
        total.skippedFormats += skippedFormats;
        total.sequenceGaps += sequenceGaps;
        total.sequenceLost += sequenceLost;
        total.sequenceReordered += sequenceReordered;
        total.sequenceResets += sequenceResets;
        for (int i = 0; i < errors.length; i++) {
            total.errors[i] += errors[i];
        }
    }

    DecoderStatistics snapshot() {
        EnumMap<DecodeError.Reason, Long> e = new EnumMap<>(DecodeError.Reason.class);
        for (DecodeError.Reason r : DecodeError.Reason.all()) {
            if (errors[r.ordinal()] != 0) {
                e.put(r, errors[r.ordinal()]);
            }
        }
        return new DecoderStatistics(packets, bytes, records, optionsRecords, templates, templatesWithdrawn,
                templateCount, templateMisses, pendingSets, pendingBytes, pendingRecords, e, counterSamples,
                dropSamples, skippedFormats, sequenceGaps, sequenceLost, sequenceReordered, sequenceResets);
    }
}
