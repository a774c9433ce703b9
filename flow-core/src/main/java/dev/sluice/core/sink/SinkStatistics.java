package dev.sluice.core.sink;

/**
 * A sink's own account of what it did.
 *
 * @param accepted documents taken ({@link SinkResult#ACCEPTED})
 * @param failed documents that could not be serialized or delivered; for sinks that deliver later (a batch
 *     written to a file or sent in a bulk request), documents accepted earlier and lost when their batch failed
 *     are counted here too
 * @param dropped documents the sink discarded by a rule of its own ({@link SinkResult#DROPPED}); drops made by
 *     the caller's {@link SinkPolicy} are counted by the caller
 */
public record SinkStatistics(long accepted, long failed, long dropped) {
}
