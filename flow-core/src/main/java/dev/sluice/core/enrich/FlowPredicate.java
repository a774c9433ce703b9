package dev.sluice.core.enrich;

import dev.sluice.core.FlowRecord;

/** A condition over a record and what the stages before have written to its event. See {@link FlowPredicates}. */
@FunctionalInterface
public interface FlowPredicate {

    boolean test(FlowRecord record, FlowEvent event);

    default FlowPredicate and(FlowPredicate other) {
        return (r, e) -> test(r, e) && other.test(r, e);
    }

    default FlowPredicate or(FlowPredicate other) {
        return (r, e) -> test(r, e) || other.test(r, e);
    }

    default FlowPredicate negate() {
        return (r, e) -> !test(r, e);
    }
}
