package dev.sluice.enrich;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.enrich.GeoLocation;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * GeoIP for both ends, IPv4 and IPv6: sets {@link FlowEvent.Endpoint#geo()} from a {@link GeoIpDatabase} (City or
 * Country), skipping {@linkplain ReservedNetworks reserved} addresses. The database comes from a supplier read once
 * per record, so a {@link WatchedFile} swaps it under traffic. No allocation per record.
 */
public final class GeoIpStage implements EnrichmentStage {

    private final Supplier<GeoIpDatabase> database;

    public GeoIpStage(Supplier<GeoIpDatabase> database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    public GeoIpStage(GeoIpDatabase database) {
        Objects.requireNonNull(database, "database");
        this.database = () -> database;
    }

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        GeoIpDatabase db = database.get();
        if (db != null) {
            enrich(db, event);
        }
    }

    /** Sets the location of both ends from {@code db}. */
    static void enrich(GeoIpDatabase db, FlowEvent event) {
        event.source().setGeo(lookup(db, event.sourceAddress(), event.sourceAddressLength()));
        event.destination().setGeo(lookup(db, event.destinationAddress(), event.destinationAddressLength()));
    }

    private static GeoLocation lookup(GeoIpDatabase db, byte[] address, int length) {
        return length == 0 ? null : db.lookup(address, length); // reserved ranges answer null (built in)
    }
}
