package dev.sluice.enrich;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.enrich.GeoLocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GeoIP, ASN, CIDR tags and locality for both ends from <em>one</em> lookup per address: what {@link GeoIpStage},
 * {@link AsnStage}, {@link CidrTagStage} and {@link LocalityStage} write, in that order, with the same results, but
 * from a single {@link PrefixTable} that overlays the configured sources at load time (every range of it holds the
 * location, the AS, the tags and whether the range is internal). Each part is optional; configure at least one.
 *
 * <pre>{@code
 * AddressEnrichmentStage.builder()
 *     .geoIp(WatchedFile.watch(cityFile, GeoIpDatabase::load, Duration.ofMinutes(1)))
 *     .asn(AsnDatabase.load(asnFile))
 *     .cidrTags(CidrTagStage.load(networksCsv))
 *     .internalNetworks(List.of("10.0.0.0/8", "2001:db8::/32"))
 *     .build();
 * }</pre>
 *
 * <p>Sources given as suppliers (such as a {@link WatchedFile}) are read once per record. When one of them answers a
 * new value, the stage answers from the new sources at once with one lookup per source (as the separate stages do) and
 * builds the overlay again on a background thread ({@code sluice-address-overlay}), then returns to one lookup. A
 * build that fails is logged and counted ({@link #overlayFailures()}); the stage then keeps the separate lookups for
 * those sources. The overlay costs memory in proportion to the sources' ranges (about 20 bytes per range, plus one
 * shared object per distinct combination), and a build reads every range once.
 *
 * <p>Thread-safe; no allocation per record. A lookup of an address of length 0 (absent) finds nothing.
 */
public final class AddressEnrichmentStage implements EnrichmentStage {

    private static final Logger LOG = LoggerFactory.getLogger(AddressEnrichmentStage.class);

    private final Supplier<GeoIpDatabase> geoIp;
    private final Supplier<AsnDatabase> asn;
    private final Supplier<CidrTagStage> cidrTags;
    /** Null when no internal network is configured: then the stage sets no locality and no direction. */
    private final PrefixTable<Boolean> internal;

    private volatile Overlay overlay;
    private final AtomicBoolean building = new AtomicBoolean();
    private final AtomicLong builds = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** The sources of the last build that failed, so that it is not tried again for the same ones. */
    private volatile Overlay failed;

    private AddressEnrichmentStage(Builder b) {
        if (b.geoIp == null && b.asn == null && b.cidrTags == null && b.internal.isEmpty()) {
            throw new IllegalStateException("no GeoIP, ASN, CIDR tags or internal networks configured");
        }
        this.geoIp = b.geoIp;
        this.asn = b.asn;
        this.cidrTags = b.cidrTags;
        this.internal = b.internal.isEmpty() ? null : LocalityStage.table(b.internal);
        this.overlay = build(current(geoIp), current(asn), current(cidrTags));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A source's current value, or null when it is not configured. */
    private static <T> T current(Supplier<T> source) {
        return source == null ? null : source.get();
    }

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        GeoIpDatabase g = current(geoIp);
        AsnDatabase a = current(asn);
        CidrTagStage t = current(cidrTags);
        Overlay o = overlay;
        if (!o.builtFrom(g, a, t)) {
            rebuildLater(g, a, t);
            separately(g, a, t, record, event); // from the new sources until their overlay is ready
            return;
        }
        int sl = event.sourceAddressLength();
        int dl = event.destinationAddressLength();
        Entry src = o.table.lookup(event.sourceAddress(), sl);
        Entry dst = o.table.lookup(event.destinationAddress(), dl);
        if (g != null) {
            event.source().setGeo(src == null ? null : src.geo);
            event.destination().setGeo(dst == null ? null : dst.geo);
        }
        if (src != null) {
            AsnStage.set(event.source(), src.as);
            if (src.tags != null) {
                CidrTagStage.apply(event, src.tags);
            }
        }
        if (dst != null) {
            AsnStage.set(event.destination(), dst.as);
            if (dst.tags != null) {
                CidrTagStage.apply(event, dst.tags);
            }
        }
        if (internal != null && sl != 0 && dl != 0) {
            LocalityStage.set(event, src != null && src.internal, dst != null && dst.internal);
        }
    }

    /** What the separate stages do, one lookup per source and address. */
    private void separately(GeoIpDatabase g, AsnDatabase a, CidrTagStage t, FlowRecord record, FlowEvent event) {
        if (g != null) {
            GeoIpStage.enrich(g, event);
        }
        if (a != null) {
            AsnStage.enrich(a, event);
        }
        if (t != null) {
            t.enrich(record, event);
        }
        if (internal != null) {
            LocalityStage.enrich(internal, event);
        }
    }

    private void rebuildLater(GeoIpDatabase g, AsnDatabase a, CidrTagStage t) {
        Overlay f = failed;
        if (f != null && f.builtFrom(g, a, t)) {
            return;
        }
        if (!building.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                overlay = build(g, a, t);
            } catch (RuntimeException | OutOfMemoryError e) {
                failures.incrementAndGet();
                failed = new Overlay(g, a, t, null);
                LOG.warn("address overlay: build failed, looking each source up separately until they change", e);
            } finally {
                building.set(false);
            }
        }, "sluice-address-overlay");
        thread.setDaemon(true);
        thread.start();
    }

    private Overlay build(GeoIpDatabase g, AsnDatabase a, CidrTagStage t) {
        List<PrefixTable<?>> tables = new ArrayList<>(4);
        tables.add(g == null ? PrefixTable.builder().build() : g.table());
        tables.add(a == null ? PrefixTable.builder().build() : a.table());
        tables.add(t == null ? PrefixTable.builder().build() : t.table());
        tables.add(internal == null ? PrefixTable.builder().build() : internal);
        Map<Entry, Entry> shared = new HashMap<>();
        PrefixTable<Entry> table = PrefixTable.overlay(tables, v -> {
            if (v[0] == null && v[1] == null && v[2] == null && v[3] == null) {
                return null;
            }
            Entry e = new Entry((GeoLocation) v[0], (AutonomousSystem) v[1], (CidrTagStage.Tags) v[2], v[3] != null);
            return shared.computeIfAbsent(e, x -> x);
        });
        builds.incrementAndGet();
        return new Overlay(g, a, t, table);
    }

    /** Overlays built, the one at construction included. */
    public long overlayBuilds() {
        return builds.get();
    }

    /** Overlay builds that failed (each logged). */
    public long overlayFailures() {
        return failures.get();
    }

    /** Ranges of the current overlay. */
    public int overlayRanges() {
        return overlay.table.rangeCount();
    }

    /** Whether the overlay was built from the sources' current values (else lookups go to each source). */
    public boolean overlayCurrent() {
        return overlay.builtFrom(current(geoIp), current(asn), current(cidrTags));
    }

    /** The sources an overlay was built from, and the table (null for a build that failed). */
    private static final class Overlay {
        final GeoIpDatabase geoIp;
        final AsnDatabase asn;
        final CidrTagStage cidrTags;
        final PrefixTable<Entry> table;

        Overlay(GeoIpDatabase geoIp, AsnDatabase asn, CidrTagStage cidrTags, PrefixTable<Entry> table) {
            this.geoIp = geoIp;
            this.asn = asn;
            this.cidrTags = cidrTags;
            this.table = table;
        }

        boolean builtFrom(GeoIpDatabase g, AsnDatabase a, CidrTagStage t) {
            return geoIp == g && asn == a && cidrTags == t;
        }
    }

    /** What one range of addresses gets; equal (by identity of the parts) entries are shared. */
    private static final class Entry {
        final GeoLocation geo;
        final AutonomousSystem as;
        final CidrTagStage.Tags tags;
        final boolean internal;

        Entry(GeoLocation geo, AutonomousSystem as, CidrTagStage.Tags tags, boolean internal) {
            this.geo = geo;
            this.as = as;
            this.tags = tags;
            this.internal = internal;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry && ((Entry) o).geo == geo && ((Entry) o).as == as
                    && ((Entry) o).tags == tags && ((Entry) o).internal == internal;
        }

        @Override
        public int hashCode() {
            return ((System.identityHashCode(geo) * 31 + System.identityHashCode(as)) * 31
                    + System.identityHashCode(tags)) * 2 + (internal ? 1 : 0);
        }
    }

    public static final class Builder {
        private Supplier<GeoIpDatabase> geoIp;
        private Supplier<AsnDatabase> asn;
        private Supplier<CidrTagStage> cidrTags;
        private final List<String> internal = new ArrayList<>();

        private Builder() {
        }

        /** A GeoIP database: sets {@link FlowEvent.Endpoint#geo()} of both ends, as {@link GeoIpStage} does. */
        public Builder geoIp(GeoIpDatabase database) {
            Objects.requireNonNull(database, "database");
            return geoIp(() -> database);
        }

        /** A GeoIP database read from a supplier (a {@link WatchedFile}) once per record; null answers skip it. */
        public Builder geoIp(Supplier<GeoIpDatabase> database) {
            this.geoIp = Objects.requireNonNull(database, "database");
            return this;
        }

        /** An ASN database: sets the AS number and organisation of both ends, as {@link AsnStage} does. */
        public Builder asn(AsnDatabase database) {
            Objects.requireNonNull(database, "database");
            return asn(() -> database);
        }

        /** An ASN database read from a supplier once per record. */
        public Builder asn(Supplier<AsnDatabase> database) {
            this.asn = Objects.requireNonNull(database, "database");
            return this;
        }

        /** CIDR tags and labels of the most specific prefix of each end, as {@link CidrTagStage} adds them. */
        public Builder cidrTags(CidrTagStage tags) {
            Objects.requireNonNull(tags, "tags");
            return cidrTags(() -> tags);
        }

        /** CIDR tags read from a supplier once per record. */
        public Builder cidrTags(Supplier<CidrTagStage> tags) {
            this.cidrTags = Objects.requireNonNull(tags, "tags");
            return this;
        }

        /** The operator's networks: locality of both ends and the flow's direction, as {@link LocalityStage}. */
        public Builder internalNetworks(List<String> networks) {
            for (String n : networks) {
                dev.sluice.core.enrich.Cidr.parse(n);
                internal.add(n);
            }
            return this;
        }

        public AddressEnrichmentStage build() {
            return new AddressEnrichmentStage(this);
        }
    }
}
