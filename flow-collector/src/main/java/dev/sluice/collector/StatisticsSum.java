package dev.sluice.collector;

import dev.sluice.core.DecodeError;
import dev.sluice.decoders.DecoderStatistics;
import java.util.EnumMap;

/** Decoder counters added up over decoders (receiving threads, TCP sessions). */
final class StatisticsSum {
    long packets;
    long bytes;
    long records;
    long optionsRecords;
    long templates;
    long templatesWithdrawn;
    long activeTemplates;
    long templateMisses;
    long pendingSets;
    long pendingBytes;
    long pendingRecords;
    long counterSamples;
    long dropSamples;
    long skippedFormats;
    long sequenceGaps;
    long sequenceLost;
    long sequenceReordered;
    long sequenceResets;
    final long[] errors = new long[DecodeError.Reason.all().length];

    /** Adds a decoder's counters; with {@code gauges} false, what it holds now (templates, pending) is left out. */
    void add(DecoderStatistics s, boolean gauges) {
        packets += s.packets();
        bytes += s.bytes();
        records += s.records();
        optionsRecords += s.optionsRecords();
        templates += s.templates();
        templatesWithdrawn += s.templatesWithdrawn();
        templateMisses += s.templateMisses();
        pendingRecords += s.pendingRecords();
        counterSamples += s.counterSamples();
        dropSamples += s.dropSamples();
        skippedFormats += s.skippedFormats();
        sequenceGaps += s.sequenceGaps();
        sequenceLost += s.sequenceLost();
        sequenceReordered += s.sequenceReordered();
        sequenceResets += s.sequenceResets();
        if (gauges) {
            activeTemplates += s.activeTemplates();
            pendingSets += s.pendingSets();
            pendingBytes += s.pendingBytes();
        }
        s.errors().forEach((r, n) -> errors[r.ordinal()] += n);
    }

    void add(StatisticsSum s) {
        packets += s.packets;
        bytes += s.bytes;
        records += s.records;
        optionsRecords += s.optionsRecords;
        templates += s.templates;
        templatesWithdrawn += s.templatesWithdrawn;
        activeTemplates += s.activeTemplates;
        templateMisses += s.templateMisses;
        pendingSets += s.pendingSets;
        pendingBytes += s.pendingBytes;
        pendingRecords += s.pendingRecords;
        counterSamples += s.counterSamples;
        dropSamples += s.dropSamples;
        skippedFormats += s.skippedFormats;
        sequenceGaps += s.sequenceGaps;
        sequenceLost += s.sequenceLost;
        sequenceReordered += s.sequenceReordered;
        sequenceResets += s.sequenceResets;
        for (int i = 0; i < errors.length; i++) {
            errors[i] += s.errors[i];
        }
    }

    DecoderStatistics toStatistics() {
        EnumMap<DecodeError.Reason, Long> e = new EnumMap<>(DecodeError.Reason.class);
        for (DecodeError.Reason r : DecodeError.Reason.all()) {
            if (errors[r.ordinal()] != 0) {
                e.put(r, errors[r.ordinal()]);
            }
        }
        return new DecoderStatistics(packets, bytes, records, optionsRecords, templates, templatesWithdrawn,
                activeTemplates, templateMisses, pendingSets, pendingBytes, pendingRecords, e, counterSamples,
                dropSamples, skippedFormats, sequenceGaps, sequenceLost, sequenceReordered, sequenceResets);
    }
}
