package dev.sluice.decoders;

import dev.sluice.core.DecodeError;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a decoder's counters, for one exporter or for all.
 *
 * @param packets export packets (v5/v9 packets, IPFIX messages) seen, including bad ones
 * @param bytes datagram bytes seen
 * @param records flow records delivered
 * @param optionsRecords options data records delivered
 * @param templates templates and options templates received (refreshes included)
 * @param templatesWithdrawn templates withdrawn (IPFIX)
 * @param activeTemplates templates held now
 * @param templateMisses data sets that arrived before their template
 * @param pendingSets data sets held now waiting for their template
 * @param pendingBytes bytes held now waiting for templates (set bodies plus a fixed bookkeeping cost per set)
 * @param pendingRecords records decoded late, from data sets that were held until their template came
 * @param errors decode errors by reason (only reasons that occurred)
 * @param counterSamples sFlow counter samples (compact and expanded) decoded
 * @param dropSamples sFlow discarded-packet samples seen (checked and counted, not delivered)
 * @param skippedFormats sFlow samples and records of formats the decoder does not decode, skipped by their
 *     length (flow records of such formats are still listed raw in the record)
 * @param sequenceGaps times the header sequence number jumped ahead (packets or records went missing)
 * @param sequenceLost units the sequence numbers say were lost, in the protocol's unit (v5 flow records, v9
 *     packets, IPFIX data records, sFlow datagrams), less those that arrived late
 * @param sequenceReordered packets that arrived after a later one (their units are not counted as lost)
 * @param sequenceResets times the sequence number jumped so far that the exporter must have restarted
 */
public record DecoderStatistics(
        long packets,
        long bytes,
        long records,
        long optionsRecords,
        long templates,
        long templatesWithdrawn,
        long activeTemplates,
        long templateMisses,
        long pendingSets,
        long pendingBytes,
        long pendingRecords,
        Map<DecodeError.Reason, Long> errors,
        long counterSamples,
        long dropSamples,
        long skippedFormats,
        long sequenceGaps,
        long sequenceLost,
        long sequenceReordered,
        long sequenceResets) {

    public DecoderStatistics {
        errors = Collections.unmodifiableMap(new EnumMap<>(errors.isEmpty()
                ? new EnumMap<>(DecodeError.Reason.class) : errors));
    }

    /** All counters zero. */
    public static final DecoderStatistics EMPTY = new DecoderStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(),
            0, 0, 0, 0, 0, 0, 0);

    /** The sum of these counters and {@code o}'s (for totals over decoders, threads or exporters). */
    public DecoderStatistics plus(DecoderStatistics o) {
        EnumMap<DecodeError.Reason, Long> e = new EnumMap<>(DecodeError.Reason.class);
        e.putAll(errors);
        o.errors.forEach((reason, n) -> e.merge(reason, n, Long::sum));
        return new DecoderStatistics(packets + o.packets, bytes + o.bytes, records + o.records,
                optionsRecords + o.optionsRecords, templates + o.templates, templatesWithdrawn + o.templatesWithdrawn,
                activeTemplates + o.activeTemplates, templateMisses + o.templateMisses, pendingSets + o.pendingSets,
                pendingBytes + o.pendingBytes, pendingRecords + o.pendingRecords, e, counterSamples + o.counterSamples,
                dropSamples + o.dropSamples, skippedFormats + o.skippedFormats, sequenceGaps + o.sequenceGaps,
                sequenceLost + o.sequenceLost, sequenceReordered + o.sequenceReordered,
                sequenceResets + o.sequenceResets);
    }

    /**
     * These counters without what a decoder holds now ({@code activeTemplates}, {@code pendingSets},
     * {@code pendingBytes}): for the counts of a decoder that is gone.
     */
    public DecoderStatistics withoutGauges() {
        return new DecoderStatistics(packets, bytes, records, optionsRecords, templates, templatesWithdrawn, 0,
                templateMisses, 0, 0, pendingRecords, errors, counterSamples, dropSamples, skippedFormats,
                sequenceGaps, sequenceLost, sequenceReordered, sequenceResets);
    }

    /** Total decode errors of all reasons. */
    public long errorCount() {
        long n = 0;
        for (long v : errors.values()) {
            n += v;
        }
        return n;
    }

    /** Count of one error reason. */
    public long errors(DecodeError.Reason reason) {
        return errors.getOrDefault(reason, 0L);
    }
}
