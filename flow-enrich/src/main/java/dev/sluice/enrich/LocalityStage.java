package dev.sluice.enrich;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import java.util.List;

/**
 * Locality and direction from the operator's own networks: each end is {@link FlowEvent#INTERNAL} when inside one of
 * them, else {@link FlowEvent#EXTERNAL}; the flow's {@link FlowEvent#direction()} is {@link FlowEvent#OUTBOUND}
 * (internal → external), {@link FlowEvent#INBOUND} (external → internal), {@link FlowEvent#INTERNAL} or
 * {@link FlowEvent#EXTERNAL}. An end without an address gets no locality and the direction is left alone.
 */
public final class LocalityStage implements EnrichmentStage {

    private final PrefixTable<Boolean> internal;

    public LocalityStage(List<String> internalNetworks) {
        this.internal = table(internalNetworks);
    }

    /** The networks as a table whose value is {@link Boolean#TRUE} inside them. */
    static PrefixTable<Boolean> table(List<String> internalNetworks) {
        PrefixTable.Builder<Boolean> b = PrefixTable.builder();
        for (String c : internalNetworks) {
            b.add(c, Boolean.TRUE);
        }
        return b.build();
    }

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        enrich(internal, event);
    }

    /** Sets the localities and the direction from the internal networks' table. */
    static void enrich(PrefixTable<Boolean> internal, FlowEvent event) {
        int sl = event.sourceAddressLength();
        int dl = event.destinationAddressLength();
        if (sl == 0 || dl == 0) {
            return;
        }
        set(event, internal.lookup(event.sourceAddress(), sl) != null,
                internal.lookup(event.destinationAddress(), dl) != null);
    }

    /** The localities of both ends and the direction, from whether each end is internal. */
    static void set(FlowEvent event, boolean src, boolean dst) {
        event.source().setLocality(src ? FlowEvent.INTERNAL : FlowEvent.EXTERNAL);
        event.destination().setLocality(dst ? FlowEvent.INTERNAL : FlowEvent.EXTERNAL);
        event.setDirection(src ? dst ? FlowEvent.INTERNAL : FlowEvent.OUTBOUND
                : dst ? FlowEvent.INBOUND : FlowEvent.EXTERNAL);
    }
}
