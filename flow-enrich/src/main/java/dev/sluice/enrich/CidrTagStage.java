package dev.sluice.enrich;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIDR tagging (the Logstash {@code cidr} filter, with thousands of networks): the most specific prefix holding the
 * source and the one holding the destination each add their tags and labels to the event. Prefixes are IPv4 and IPv6
 * and may nest; lookup is a {@link PrefixTable} (sorted disjoint ranges, binary search, no allocation). From code or
 * a CSV file: {@code cidr,tags,labels} with tags separated by {@code |} and labels as {@code key=value|key=value}.
 */
public final class CidrTagStage implements EnrichmentStage {

    /** The tags and labels of one prefix. */
    public static final class Tags {
        final String[] tags;
        final String[] labelKeys;
        final String[] labelValues;

        public Tags(List<String> tags, List<String> labels) {
            this.tags = tags.stream().map(String::intern).toArray(String[]::new);
            List<String> keys = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (String l : labels) {
                int eq = l.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("label without key=value: " + l);
                }
                keys.add(l.substring(0, eq).strip().intern());
                values.add(l.substring(eq + 1).strip().intern());
            }
            labelKeys = keys.toArray(new String[0]);
            labelValues = values.toArray(new String[0]);
        }
    }

    private final PrefixTable<Tags> table;
    private final int size;

    private CidrTagStage(PrefixTable<Tags> table, int size) {
        this.table = table;
        this.size = size;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a file: CSV rows {@code cidr,tags,labels} (tags {@code a|b}, labels {@code key=value|key=value}), or, for a
     * {@code .yaml}/{@code .yml} file, a list of entries (at the top or under {@code networks:}) with {@code cidr},
     * {@code tags} (a list) and {@code labels} (a mapping).
     */
    public static CidrTagStage load(Path csv) throws IOException {
        Builder b = builder();
        if (YamlRows.isYaml(csv)) {
            for (YamlRows.Entry e : YamlRows.read(csv, "networks")) {
                try {
                    b.add(e.required("cidr"), e.list("tags"), e.labels("labels"));
                } catch (IllegalArgumentException x) {
                    throw new IOException(e.where + ": " + x.getMessage(), x);
                }
            }
            return b.build();
        }
        for (String[] row : Csv.read(csv)) {
            try {
                b.add(row[0], Csv.list(Csv.cell(row, 1)), Csv.list(Csv.cell(row, 2)));
            } catch (RuntimeException e) {
                throw new IOException(csv + ": bad row " + String.join(",", row) + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    public int size() {
        return size;
    }

    PrefixTable<Tags> table() {
        return table;
    }

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        apply(event, table.lookup(event.sourceAddress(), event.sourceAddressLength()));
        apply(event, table.lookup(event.destinationAddress(), event.destinationAddressLength()));
    }

    static void apply(FlowEvent event, Tags t) {
        if (t == null) {
            return;
        }
        for (String tag : t.tags) {
            event.addTag(tag);
        }
        for (int i = 0; i < t.labelKeys.length; i++) {
            event.putLabel(t.labelKeys[i], t.labelValues[i]);
        }
    }

    public static final class Builder {
        private final PrefixTable.Builder<Tags> table = PrefixTable.builder();
        private int size;

        public Builder add(String cidr, List<String> tags, List<String> labels) {
            table.add(cidr, new Tags(tags, labels));
            size++;
            return this;
        }

        public CidrTagStage build() {
            return new CidrTagStage(table.build(), size);
        }
    }
}
