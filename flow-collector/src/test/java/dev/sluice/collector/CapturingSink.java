package dev.sluice.collector;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.sink.FlowSink;
import dev.sluice.core.sink.SinkPolicy;
import dev.sluice.core.sink.SinkResult;
import dev.sluice.core.sink.SinkStatistics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A sink for tests: counts, optionally keeps copies, and can be told to answer FULL. */
final class CapturingSink implements FlowSink {
    final AtomicLong records = new AtomicLong();
    final AtomicLong options = new AtomicLong();
    final AtomicLong counters = new AtomicLong();
    final List<FlowRecord> kept = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger flushes = new AtomicInteger();
    volatile boolean keep;
    volatile boolean full;
    /** When positive, answer FULL this many more times, then accept. */
    final AtomicInteger fullTimes = new AtomicInteger();
    volatile boolean closed;
    private final SinkPolicy policy;
    private final Object room = new Object();

    CapturingSink() {
        this(SinkPolicy.DEFAULT);
    }

    CapturingSink(SinkPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return "capture";
    }

    @Override
    public SinkPolicy policy() {
        return policy;
    }

    private boolean noRoom() {
        if (full) {
            return true;
        }
        return fullTimes.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    @Override
    public SinkResult accept(FlowRecord record) {
        if (noRoom()) {
            return SinkResult.FULL;
        }
        records.incrementAndGet();
        if (keep) {
            kept.add(record.copy());
        }
        return SinkResult.ACCEPTED;
    }

    @Override
    public SinkResult acceptOptions(FlowRecord record) {
        if (noRoom()) {
            return SinkResult.FULL;
        }
        options.incrementAndGet();
        return SinkResult.ACCEPTED;
    }

    @Override
    public SinkResult acceptCounters(InterfaceCounters c) {
        if (noRoom()) {
            return SinkResult.FULL;
        }
        counters.incrementAndGet();
        return SinkResult.ACCEPTED;
    }

    void makeRoom() {
        full = false;
        synchronized (room) {
            room.notifyAll();
        }
    }

    @Override
    public boolean awaitCapacity(long timeoutNanos) throws InterruptedException {
        synchronized (room) {
            if (full) {
                TimeUnit.NANOSECONDS.timedWait(room, timeoutNanos);
            }
        }
        return true;
    }

    long total() {
        return records.get() + options.get() + counters.get();
    }

    @Override
    public void flush() {
        flushes.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public SinkStatistics statistics() {
        return new SinkStatistics(total(), 0, 0);
    }
}
