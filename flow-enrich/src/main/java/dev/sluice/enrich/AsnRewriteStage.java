package dev.sluice.enrich;

import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;

/**
 * The classic conditional rewrite: a private AS number (64512–65534, 4200000000–4294967294, RFC 6996) on either end
 * becomes the operator's public AS. Reads the event's AS when an earlier stage set it, else the record's BGP AS;
 * writes the event's AS (the record's raw value stays). Put other conditional rewrites in a chain with
 * {@code when(predicate, stage)}.
 */
public final class AsnRewriteStage implements EnrichmentStage {

    private final long publicAsn;

    public AsnRewriteStage(long publicAsn) {
        this.publicAsn = publicAsn;
    }

    /** Whether the AS number is private (RFC 6996). */
    public static boolean isPrivate(long as) {
        return as >= 64512 && as <= 65534 || as >= 4_200_000_000L && as <= 4_294_967_294L;
    }

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        rewrite(event.source(), record, FlowField.SOURCE_AS);
        rewrite(event.destination(), record, FlowField.DESTINATION_AS);
    }

    private void rewrite(FlowEvent.Endpoint end, FlowRecord record, FlowField field) {
        long as = end.asNumber() != FlowEvent.UNSET ? end.asNumber()
                : record.has(field) ? record.getLong(field) : FlowEvent.UNSET;
        if (as != FlowEvent.UNSET && isPrivate(as)) {
            end.setAsNumber(publicAsn);
        }
    }
}
