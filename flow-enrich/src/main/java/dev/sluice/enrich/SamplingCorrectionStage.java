package dev.sluice.enrich;

import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;

/**
 * Multiplies bytes and packets by the effective sampling interval into the event's corrected counters
 * ({@link FlowEvent#bytes()}, {@link FlowEvent#packets()}, {@link FlowEvent#samplingInterval()}); the record's raw
 * values stay as they are.
 *
 * <p>The interval: the record's own ({@link FlowRecord#samplingInterval()}: record, v5 header, options data or sFlow
 * rate) when it has one above 0, else the override of the exporter (longest prefix of the configured exporter
 * addresses and networks), else 1. With {@link Builder#overrideRecord(boolean)} an override wins over the record's
 * value (for exporters that send a wrong one).
 */
public final class SamplingCorrectionStage implements EnrichmentStage {

    private final PrefixTable<Long> overrides;
    private final boolean overrideRecord;

    private SamplingCorrectionStage(Builder b) {
        this.overrides = b.table.build();
        this.overrideRecord = b.overrideRecord;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A stage that uses only the records' own intervals. */
    public static SamplingCorrectionStage fromRecords() {
        return builder().build();
    }

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        long interval = record.has(FlowField.SAMPLING_INTERVAL) ? record.samplingInterval() : 0;
        if (interval <= 0 || overrideRecord) {
            Long o = overrides.lookup(event.exporterAddress(), event.exporterAddressLength());
            if (o != null) {
                interval = o;
            }
        }
        if (interval <= 0) {
            interval = 1;
        }
        if (record.has(FlowField.BYTES)) {
            event.setBytes(record.bytes() * interval);
        }
        if (record.has(FlowField.PACKETS)) {
            event.setPackets(record.packets() * interval);
        }
        event.setSamplingInterval(interval);
    }

    public static final class Builder {
        private final PrefixTable.Builder<Long> table = PrefixTable.builder();
        private boolean overrideRecord;

        /** The interval for one exporter address. */
        public Builder exporter(String address, long interval) {
            return network(address, interval);
        }

        /** The interval for exporters in a network ({@code 10.1.0.0/16}); the most specific entry wins. */
        public Builder network(String cidr, long interval) {
            if (interval < 1) {
                throw new IllegalArgumentException("sampling interval " + interval);
            }
            table.add(cidr, interval);
            return this;
        }

        /** Whether an override wins over the interval the record states (default: only when it states none). */
        public Builder overrideRecord(boolean override) {
            this.overrideRecord = override;
            return this;
        }

        public SamplingCorrectionStage build() {
            return new SamplingCorrectionStage(this);
        }
    }
}
