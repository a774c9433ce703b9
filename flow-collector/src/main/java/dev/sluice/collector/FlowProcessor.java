package dev.sluice.collector;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.enrich.FlowEvent;
import java.util.Objects;

/**
 * A step between decoding and the sinks (enrichment, filtering), called on the receiving thread for every flow
 * record, options record and counter sample, by several receiving threads at once (implementations are
 * thread-safe). The record is a view valid during the call. Returning false keeps it from the sinks (counted as
 * filtered); an exception is counted and logged, and the record is not passed on.
 *
 * <p>Enrichment: the collector calls {@link #onRecord(FlowRecord, FlowEvent)} with its receiving thread's event
 * (reset for the record), and hands the same event to the sinks. {@link #enrichment(EnrichmentChain)} makes a chain
 * the processor; a chain filters with {@link EnrichmentChain.Builder#filter}.
 */
public interface FlowProcessor {

    /** A flow record; false keeps it from the sinks. */
    boolean onRecord(FlowRecord record);

    /**
     * A flow record with the receiving thread's event, already {@linkplain FlowEvent#reset(FlowRecord) reset} for
     * it, which then goes to the sinks; false keeps the record from the sinks. By default {@link #onRecord(FlowRecord)}.
     */
    default boolean onRecord(FlowRecord record, FlowEvent event) {
        return onRecord(record);
    }

    /** The processor that runs an enrichment chain (and its filters) on every flow record. */
    static FlowProcessor enrichment(EnrichmentChain chain) {
        Objects.requireNonNull(chain, "chain");
        return new FlowProcessor() {
            private final ThreadLocal<FlowEvent> events = ThreadLocal.withInitial(FlowEvent::new);

            @Override
            public boolean onRecord(FlowRecord record) {
                return chain.process(record, events.get());
            }

            @Override
            public boolean onRecord(FlowRecord record, FlowEvent event) {
                chain.enrich(record, event);
                return !event.isDropped();
            }
        };
    }

    /** An options record; false keeps it from the sinks. Passed on by default. */
    default boolean onOptions(FlowRecord record) {
        return true;
    }

    /** A counter sample; false keeps it from the sinks. Passed on by default. */
    default boolean onCounters(InterfaceCounters counters) {
        return true;
    }
}
