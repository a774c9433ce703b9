package dev.sluice.core.enrich;

import dev.sluice.core.FlowRecord;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * An ordered list of {@link EnrichmentStage}s, each optionally guarded by a {@link FlowPredicate}, run on the
 * receiving thread for every flow record:
 * <pre>{@code
 * EnrichmentChain chain = EnrichmentChain.builder()
 *     .add("sampling", new SamplingCorrectionStage(SamplingOverrides.builder().exporter("10.0.0.1", 1000).build()))
 *     .add("geo", new GeoIpStage(geoDb))
 *     .when(FlowPredicates.exporterIn("10.1.0.0/16"), "edge-tags", (r, e) -> e.addTag("edge"))
 *     .perExporter("192.0.2.0/24", new ProtocolNamesStage())
 *     .perExporter(exporter -> exporter.isLoopbackAddress() ? null : myStageFor(exporter))
 *     .filter((r, e) -> r.bytes() > 0)   // false: the record does not reach the sinks
 *     .build();
 * FlowEvent event = new FlowEvent();          // one per thread
 * if (chain.process(record, event)) layout.write(record, event, json);
 * }</pre>
 *
 * <p>A chain is immutable and thread-safe (as thread-safe as its stages). A stage that throws is counted
 * ({@link #failures(String)}) and skipped for that record; the others still run. A chain is itself a stage, so
 * chains nest.
 */
public final class EnrichmentChain implements EnrichmentStage {

    private final String[] names;
    private final FlowPredicate[] predicates;
    private final EnrichmentStage[] stages;
    private final LongAdder[] failures;

    private EnrichmentChain(Builder b) {
        int n = b.stages.size();
        names = b.names.toArray(new String[n]);
        predicates = b.predicates.toArray(new FlowPredicate[n]);
        stages = b.stages.toArray(new EnrichmentStage[n]);
        failures = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            failures[i] = new LongAdder();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Resets the event for the record, runs the stages, and answers whether the record goes on to the sinks (false
     * when a stage {@linkplain FlowEvent#drop() dropped} it).
     */
    public boolean process(FlowRecord record, FlowEvent event) {
        event.reset(record);
        enrich(record, event);
        return !event.isDropped();
    }

    /** Runs the stages on an event already reset (as a nested stage). */
    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        for (int i = 0; i < stages.length; i++) {
            FlowPredicate p = predicates[i];
            try {
                if (p == null || p.test(record, event)) {
                    stages[i].enrich(record, event);
                }
            } catch (RuntimeException e) {
                failures[i].increment();
            }
            if (event.isDropped()) {
                return;
            }
        }
    }

    /** The stages' names in order (a generated name for an unnamed stage: {@code stage-<index>}). */
    public List<String> stageNames() {
        return List.of(names);
    }

    /** How many times the named stage (or its predicate) threw. */
    public long failures(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return failures[i].sum();
            }
        }
        throw new IllegalArgumentException("no stage named " + name);
    }

    /** Builds a chain; not thread-safe. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<FlowPredicate> predicates = new ArrayList<>();
        private final List<EnrichmentStage> stages = new ArrayList<>();

        private Builder() {
        }

        /** Adds a stage run for every record. */
        public Builder add(EnrichmentStage stage) {
            return add(null, null, stage);
        }

        /** Adds a named stage run for every record. */
        public Builder add(String name, EnrichmentStage stage) {
            return add(name, null, stage);
        }

        /** Adds a stage run only for records that match. */
        public Builder when(FlowPredicate predicate, EnrichmentStage stage) {
            return add(null, Objects.requireNonNull(predicate, "predicate"), stage);
        }

        /** Adds a named stage run only for records that match. */
        public Builder when(FlowPredicate predicate, String name, EnrichmentStage stage) {
            return add(name, Objects.requireNonNull(predicate, "predicate"), stage);
        }

        /** Adds a stage run only for records of exporters in the network. */
        public Builder perExporter(String exporterCidr, EnrichmentStage stage) {
            return when(FlowPredicates.exporterIn(exporterCidr), stage);
        }

        /**
         * Adds a stage configured per exporter: {@code factory} is asked once per exporter address (answering null
         * means "nothing for this exporter") and its answer is kept.
         */
        public Builder perExporter(Function<InetAddress, EnrichmentStage> factory) {
            return add(null, null, new PerExporterStage(factory));
        }

        /** Drops the records for which {@code keep} is false (they do not reach the sinks). */
        public Builder filter(FlowPredicate keep) {
            Objects.requireNonNull(keep, "keep");
            return add("filter-" + stages.size(), null, (r, e) -> {
                if (!keep.test(r, e)) {
                    e.drop();
                }
            });
        }

        private Builder add(String name, FlowPredicate predicate, EnrichmentStage stage) {
            Objects.requireNonNull(stage, "stage");
            String n = name == null ? "stage-" + stages.size() : name;
            if (names.contains(n)) {
                throw new IllegalArgumentException("duplicate stage name " + n);
            }
            names.add(n);
            predicates.add(predicate);
            stages.add(stage);
            return this;
        }

        public EnrichmentChain build() {
            return new EnrichmentChain(this);
        }
    }

    /** A stage per exporter address, made once by a factory. */
    private static final class PerExporterStage implements EnrichmentStage {
        private static final EnrichmentStage NONE = (r, e) -> { };
        private final Function<InetAddress, EnrichmentStage> factory;
        private final ConcurrentHashMap<InetAddress, EnrichmentStage> stages = new ConcurrentHashMap<>();

        PerExporterStage(Function<InetAddress, EnrichmentStage> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
        }

        @Override
        public void enrich(FlowRecord record, FlowEvent event) {
            InetAddress exporter = record.exporter();
            if (exporter == null) {
                return;
            }
            EnrichmentStage s = stages.get(exporter);
            if (s == null) {
                EnrichmentStage made = factory.apply(exporter);
                s = stages.computeIfAbsent(exporter, k -> made == null ? NONE : made);
            }
            if (s != NONE) {
                s.enrich(record, event);
            }
        }
    }
}
