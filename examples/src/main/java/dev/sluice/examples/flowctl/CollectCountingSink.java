package dev.sluice.examples.flowctl;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.sink.FlowSink;
import dev.sluice.core.sink.SinkResult;
import dev.sluice.core.sink.SinkStatistics;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sink of {@code flowctl collect --count-only}: counts flow records, options records and counter samples and
 * serializes nothing, so that a benchmark measures receiving and decoding. Thread-safe ({@link LongAdder}s, one
 * cell per contending thread), never full.
 */
final class CollectCountingSink implements FlowSink {

    private final LongAdder records = new LongAdder();
    private final LongAdder options = new LongAdder();
    private final LongAdder counters = new LongAdder();

    @Override
    public String name() {
        return "count";
    }

    @Override
    public SinkResult accept(FlowRecord record) {
        records.increment();
        return SinkResult.ACCEPTED;
    }

    @Override
    public SinkResult acceptOptions(FlowRecord record) {
        options.increment();
        return SinkResult.ACCEPTED;
    }

    @Override
    public SinkResult acceptCounters(InterfaceCounters sample) {
        counters.increment();
        return SinkResult.ACCEPTED;
    }

    /** Flow records (NetFlow/IPFIX data records, sFlow flow samples) taken. */
    long records() {
        return records.sum();
    }

    long options() {
        return options.sum();
    }

    long counters() {
        return counters.sum();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public SinkStatistics statistics() {
        return new SinkStatistics(records.sum() + options.sum() + counters.sum(), 0, 0);
    }
}
