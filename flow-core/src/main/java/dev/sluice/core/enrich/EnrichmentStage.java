package dev.sluice.core.enrich;

import dev.sluice.core.FlowRecord;

/**
 * One step of enrichment: reads the record (a view valid during the call) and writes to the event's slots.
 *
 * <p>A stage is called on the receiving thread, by several receiving threads at once: it keeps no per-record state
 * in its fields (per-thread scratch space lives in the {@link FlowEvent}), and it should not allocate per record.
 * The built-in stages of {@code flow-enrich} are written exactly like a user's own:
 * <pre>{@code
 * EnrichmentStage bigFlows = (record, event) -> {
 *     if (record.bytes() > 1_000_000_000L) event.addTag("elephant");
 * };
 * }</pre>
 */
@FunctionalInterface
public interface EnrichmentStage {

    /** Enriches one record. May call {@link FlowEvent#drop()} to keep the record from the sinks. */
    void enrich(FlowRecord record, FlowEvent event);
}
