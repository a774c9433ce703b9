package dev.sluice.collector;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/** Counts events and logs at most one line per period about them: never one line per record or datagram. */
final class ThrottledLog {
    static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final AtomicLong last = new AtomicLong(System.nanoTime() - PERIOD_NANOS);
    private final LongAdder since = new LongAdder();

    ThrottledLog(Logger log) {
        this.log = log;
    }

    /** Counts one event; logs {@code what} with the count of events since the last line, if a period has passed. */
    void warn(String what, Object detail) {
        since.increment();
        long now = System.nanoTime();
        long l = last.get();
        if (now - l >= PERIOD_NANOS && last.compareAndSet(l, now)) {
            log.warn("{} ({} times in the last {} s): {}", what, since.sumThenReset(),
                    TimeUnit.NANOSECONDS.toSeconds(PERIOD_NANOS), detail);
        }
    }
}
