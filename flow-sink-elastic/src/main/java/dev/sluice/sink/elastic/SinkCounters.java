package dev.sluice.sink.elastic;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The sink's counters, updated by receiving and sending threads. */
final class SinkCounters {

    final LongAdder accepted = new LongAdder();
    final LongAdder indexed = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder spooled = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder bulkRequests = new LongAdder();
    final LongAdder bulkFailures = new LongAdder();
    final LongAdder bulkNanos = new LongAdder();
    final AtomicLong bulkMaxNanos = new AtomicLong();
    volatile boolean available = true;

    void indexed(int n) {
        indexed.add(n);
    }

    void duplicate() {
        duplicates.increment();
    }

    /** A bulk request that got an HTTP answer; {@code ok}: a 2xx one. */
    void bulkAnswered(long nanos, boolean ok) {
        bulkRequests.increment();
        bulkNanos.add(nanos);
        bulkMaxNanos.accumulateAndGet(nanos, Math::max);
        if (!ok) {
            bulkFailures.increment();
        }
    }

    /** A bulk request that got no answer (connection refused, timeout). */
    void bulkFailed() {
        bulkFailures.increment();
    }
}
