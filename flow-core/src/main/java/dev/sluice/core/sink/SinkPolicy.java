package dev.sluice.core.sink;

import java.time.Duration;
import java.util.Objects;

/**
 * What the caller of a {@link FlowSink} (the collector's receiving thread) does when the sink answers
 * {@link SinkResult#FULL}. Either way nothing blocks forever and everything is counted.
 *
 * <ul>
 *   <li>{@link Mode#BLOCK}: wait up to {@link #maxWait()} for room ({@link FlowSink#awaitCapacity}) and offer the
 *       record again; a wait that times out drops the record and is counted as a timeout, and until the sink
 *       takes something again further records are dropped without waiting, so that a stuck sink holds a
 *       receiving thread for at most {@code maxWait} at a time (the kernel buffers datagrams meanwhile).</li>
 *   <li>{@link Mode#DROP}: drop the record at once and count it.</li>
 * </ul>
 *
 * <p>Spooling to disk is not a policy of the caller: a sink that spools does so itself and answers
 * {@link SinkResult#ACCEPTED} (or {@link SinkResult#FULL} when its spool is full too).
 *
 * @param mode block (bounded) or drop
 * @param maxWait for {@link Mode#BLOCK}, the longest wait for room per record; zero for {@link Mode#DROP}
 */
public record SinkPolicy(Mode mode, Duration maxWait) {

    /** The default: {@link Mode#BLOCK} for at most one second. */
    public static final SinkPolicy DEFAULT = block(Duration.ofSeconds(1));

    /** How a full sink is handled. */
    public enum Mode {
        /** Wait for room, bounded by {@link SinkPolicy#maxWait()}. */
        BLOCK,
        /** Drop and count. */
        DROP
    }

    public SinkPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative() || mode == Mode.DROP && !maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be >= 0, and 0 for DROP: " + maxWait);
        }
    }

    /** Wait at most {@code maxWait} for room, then drop and count. */
    public static SinkPolicy block(Duration maxWait) {
        return new SinkPolicy(Mode.BLOCK, maxWait);
    }

    /** Drop and count whenever the sink is full. */
    public static SinkPolicy drop() {
        return new SinkPolicy(Mode.DROP, Duration.ZERO);
    }
}
