package dev.sluice.collector;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;

/**
 * A step between decoding and the sinks (enrichment, filtering), called on the receiving thread for every flow
 * record, options record and counter sample, by several receiving threads at once (implementations are
 * thread-safe). The record is a view valid during the call. Returning false keeps it from the sinks (counted as
 * filtered); an exception is counted and logged, and the record is not passed on.
 */
public interface FlowProcessor {

    /** A flow record; false keeps it from the sinks. */
    boolean onRecord(FlowRecord record);

    /** An options record; false keeps it from the sinks. Passed on by default. */
    default boolean onOptions(FlowRecord record) {
        return true;
    }

    /** A counter sample; false keeps it from the sinks. Passed on by default. */
    default boolean onCounters(InterfaceCounters counters) {
        return true;
    }
}
