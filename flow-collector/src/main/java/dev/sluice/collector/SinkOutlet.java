package dev.sluice.collector;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.sink.FlowSink;
import dev.sluice.core.sink.SinkPolicy;
import dev.sluice.core.sink.SinkResult;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink as the receiving threads see it: offers records, applies the sink's {@link SinkPolicy} when it is
 * full, and counts what happened. Shared by all receiving threads.
 */
final class SinkOutlet {
    private static final Logger LOG = LoggerFactory.getLogger(SinkOutlet.class);

    static final int RECORD = 0;
    static final int OPTIONS = 1;
    static final int COUNTERS = 2;

    final FlowSink sink;
    final SinkPolicy policy;
    private final long maxWaitNanos;
    private final LongAdder full = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder exceptions = new LongAdder();
    private final ThrottledLog fullLog = new ThrottledLog(LOG);
    private final ThrottledLog errorLog = new ThrottledLog(LOG);
    /** Set when a wait timed out; cleared when the sink takes something again. While set, full means drop. */
    private volatile boolean saturated;

    SinkOutlet(FlowSink sink, SinkPolicy policy) {
        this.sink = sink;
        this.policy = policy;
        this.maxWaitNanos = policy.maxWait().toNanos();
    }

    /** Offers one item of {@code kind}; answers what finally happened (FULL never: a full sink ends as DROPPED). */
    SinkResult offer(int kind, FlowRecord record, FlowEvent event, InterfaceCounters counters) {
        SinkResult r = call(kind, record, event, counters);
        if (r == SinkResult.FULL) {
            full.increment();
            if (policy.mode() == SinkPolicy.Mode.BLOCK && !saturated && maxWaitNanos > 0) {
                r = await(kind, record, event, counters);
            }
            if (r == SinkResult.FULL) {
                dropped.increment();
                fullLog.warn("sink " + sink.name() + " is full; records dropped (policy " + policy.mode() + ")",
                        "waits " + waits.sum() + ", timed out " + timeouts.sum() + ", dropped " + dropped.sum()
                                + " in total");
                return SinkResult.DROPPED;
            }
        }
        if (r == SinkResult.ACCEPTED && saturated) {
            saturated = false;
        }
        return r;
    }

    private SinkResult await(int kind, FlowRecord record, FlowEvent event, InterfaceCounters counters) {
        waits.increment();
        long start = System.nanoTime();
        long deadline = start + maxWaitNanos;
        SinkResult r = SinkResult.FULL;
        try {
            while (r == SinkResult.FULL) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !sink.awaitCapacity(left)) {
                    break;
                }
                r = call(kind, record, event, counters);
                if (r == SinkResult.FULL) {
                    full.increment();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waitedNanos.add(System.nanoTime() - start);
        }
        if (r == SinkResult.FULL) {
            timeouts.increment();
            saturated = true;
        }
        return r;
    }

    private SinkResult call(int kind, FlowRecord record, FlowEvent event, InterfaceCounters counters) {
        try {
            SinkResult r;
            switch (kind) {
                case RECORD:
                    r = sink.accept(record, event);
                    break;
                case OPTIONS:
                    r = sink.acceptOptions(record);
                    break;
                default:
                    r = sink.acceptCounters(counters);
            }
            return r == null ? SinkResult.FAILED : r;
        } catch (RuntimeException e) {
            exceptions.increment();
            errorLog.warn("sink " + sink.name() + " threw", e.toString());
            return SinkResult.FAILED;
        }
    }

    SinkMetrics metrics() {
        return new SinkMetrics(sink.name(), policy, sink.statistics(), full.sum(), waits.sum(),
                TimeUnit.NANOSECONDS.toMillis(waitedNanos.sum()), timeouts.sum(), dropped.sum(), exceptions.sum());
    }
}
