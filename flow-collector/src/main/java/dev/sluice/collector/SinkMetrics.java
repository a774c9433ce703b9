package dev.sluice.collector;

import dev.sluice.core.sink.SinkPolicy;
import dev.sluice.core.sink.SinkStatistics;

/**
 * What happened between the collector and one sink.
 *
 * @param name the sink's name
 * @param policy what the collector does when the sink is full
 * @param sink the sink's own counters (accepted, failed, dropped by its own rules)
 * @param full times the sink answered FULL
 * @param waits times a receiving thread waited for room (policy BLOCK)
 * @param waitedMillis total time spent waiting
 * @param waitTimeouts waits that ended without room (the record was dropped)
 * @param policyDropped records dropped because the sink was full (after a wait, or at once with policy DROP)
 * @param exceptions records for which the sink threw instead of answering (counted as failed, not in {@code sink})
 */
public record SinkMetrics(String name, SinkPolicy policy, SinkStatistics sink, long full, long waits,
        long waitedMillis, long waitTimeouts, long policyDropped, long exceptions) {
}
