package dev.sluice.enrich;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.Cidr;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Exporter address (or network) → hostname, site, datacenter: the Logstash {@code translate} filter on the exporter.
 * Built from code ({@link Builder#add}) or from a CSV file ({@code address-or-cidr,name,site,datacenter}, {@code #}
 * comments). Also the stage that writes {@link FlowEvent#observerName()}, {@code observerSite} and
 * {@code observerDatacenter}. Lookups are a longest-prefix match on the exporter: no allocation.
 */
public final class ExporterDictionary implements EnrichmentStage {

    /** What is known about one exporter. */
    public static final class Entry {
        final String name;
        final String site;
        final String datacenter;

        public Entry(String name, String site, String datacenter) {
            this.name = name == null ? null : name.intern();
            this.site = site == null ? null : site.intern();
            this.datacenter = datacenter == null ? null : datacenter.intern();
        }

        public String name() {
            return name;
        }

        public String site() {
            return site;
        }

        public String datacenter() {
            return datacenter;
        }
    }

    private final PrefixTable<Entry> table;
    private final int size;

    private ExporterDictionary(PrefixTable<Entry> table, int size) {
        this.table = table;
        this.size = size;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a file: CSV rows {@code address-or-cidr,name,site,datacenter}, or, for a {@code .yaml}/{@code .yml} file, a
     * list of entries (at the top or under {@code exporters:}) with {@code address} (an address or CIDR), {@code name},
     * {@code site} and {@code datacenter}.
     */
    public static ExporterDictionary load(Path csv) throws IOException {
        Builder b = builder();
        if (YamlRows.isYaml(csv)) {
            for (YamlRows.Entry e : YamlRows.read(csv, "exporters")) {
                try {
                    b.add(e.required("address"), e.string("name"), e.string("site"), e.string("datacenter"));
                } catch (IllegalArgumentException x) {
                    throw new IOException(e.where + ": " + x.getMessage(), x);
                }
            }
            return b.build();
        }
        for (String[] row : Csv.read(csv)) {
            try {
                b.add(row[0], Csv.cell(row, 1), Csv.cell(row, 2), Csv.cell(row, 3));
            } catch (IllegalArgumentException e) {
                throw new IOException(csv + ": bad row " + String.join(",", row) + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    public int size() {
        return size;
    }

    /** The entry of an exporter address ({@code length} 4 or 16 bytes), or null. */
    public Entry lookup(byte[] address, int length) {
        return table.lookup(address, length);
    }

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        Entry e = table.lookup(event.exporterAddress(), event.exporterAddressLength());
        if (e != null) {
            event.setObserverName(e.name);
            event.setObserverSite(e.site);
            event.setObserverDatacenter(e.datacenter);
        }
    }

    public static final class Builder {
        private final PrefixTable.Builder<Entry> table = PrefixTable.builder();
        private int size;

        public Builder add(String addressOrCidr, String name, String site, String datacenter) {
            Cidr.parse(addressOrCidr);
            table.add(addressOrCidr, new Entry(name, site, datacenter));
            size++;
            return this;
        }

        public ExporterDictionary build() {
            return new ExporterDictionary(table.build(), size);
        }
    }
}
