package dev.sluice.enrich;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * AS number and organisation for both ends from an {@link AsnDatabase} (GeoLite2 ASN), skipping reserved addresses;
 * the database is read from a supplier once per record (reloadable with {@link WatchedFile}). No allocation.
 */
public final class AsnStage implements EnrichmentStage {

    private final Supplier<AsnDatabase> database;

    public AsnStage(Supplier<AsnDatabase> database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    public AsnStage(AsnDatabase database) {
        Objects.requireNonNull(database, "database");
        this.database = () -> database;
    }

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        AsnDatabase db = database.get();
        if (db != null) {
            enrich(db, event);
        }
    }

    /** Sets the AS of both ends from {@code db}. */
    static void enrich(AsnDatabase db, FlowEvent event) {
        set(event.source(), db, event.sourceAddress(), event.sourceAddressLength());
        set(event.destination(), db, event.destinationAddress(), event.destinationAddressLength());
    }

    private static void set(FlowEvent.Endpoint end, AsnDatabase db, byte[] address, int length) {
        if (length != 0) {
            set(end, db.lookup(address, length));
        }
    }

    /** Sets the end's AS number and organisation, when there is an AS. */
    static void set(FlowEvent.Endpoint end, AutonomousSystem as) {
        if (as != null) {
            end.setAsNumber(as.number());
            end.setAsOrganization(as.organization());
        }
    }
}
