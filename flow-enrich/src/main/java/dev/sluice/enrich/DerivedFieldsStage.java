package dev.sluice.enrich;

import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;

/**
 * Bits (bytes × 8), the flow's duration in milliseconds, and bits/s and packets/s over that duration (left unset for
 * a zero or unknown duration). Uses the corrected counters when a sampling stage ran before, else the record's.
 */
public final class DerivedFieldsStage implements EnrichmentStage {

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        long bytes = event.bytes() != FlowEvent.UNSET ? event.bytes()
                : record.has(FlowField.BYTES) ? record.bytes() : FlowEvent.UNSET;
        long packets = event.packets() != FlowEvent.UNSET ? event.packets()
                : record.has(FlowField.PACKETS) ? record.packets() : FlowEvent.UNSET;
        if (bytes != FlowEvent.UNSET) {
            event.setBits(bytes * 8);
        }
        long start = record.startMillis(); // 0 when absent: then ask, to tell it from a real 0
        long end = record.endMillis();
        if (start != 0 && end != 0 || record.has(FlowField.START_MILLIS) && record.has(FlowField.END_MILLIS)) {
            long duration = end - start;
            if (duration >= 0) {
                event.setDurationMillis(duration);
                if (duration > 0) {
                    if (bytes != FlowEvent.UNSET) {
                        event.setBitsPerSecond(bytes * 8_000 / duration);
                    }
                    if (packets != FlowEvent.UNSET) {
                        event.setPacketsPerSecond(packets * 1_000 / duration);
                    }
                }
            }
        }
    }
}
