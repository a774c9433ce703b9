package dev.sluice.core.sink;

/** What a {@link FlowSink} did with one record, options record or counter sample. */
public enum SinkResult {
    /** Taken: serialized into the sink's output or batch (or copied); the caller may forget it. */
    ACCEPTED,
    /** Not wanted by this sink (e.g. a sink that keeps flow records only); nothing is counted. */
    IGNORED,
    /**
     * No room now (bounded batches in flight, a full queue): nothing was taken. The caller applies the sink's
     * {@link SinkPolicy}: wait through {@link FlowSink#awaitCapacity} and offer it again, or drop it.
     */
    FULL,
    /** The sink discarded it by a rule of its own (and counted it in {@link SinkStatistics#dropped()}). */
    DROPPED,
    /** It could not be serialized or written (counted in {@link SinkStatistics#failed()}). */
    FAILED
}
