package dev.sluice.enrich;

import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.Cidr;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.enrich.InterfaceInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * (exporter, ifIndex) → interface name, description and tags (direction, traffic type, provider ...): the Logstash
 * {@code translate} filters on {@code input_snmp}/{@code output_snmp}. From code or from a CSV file
 * ({@code exporter,ifindex,name,description,tags} with tags separated by {@code |}). As a stage it sets the event's
 * {@link FlowEvent#ingress()} and {@link FlowEvent#egress()} from the record's input and output interfaces. A lookup
 * is a longest-prefix match on the exporter, then a binary search over that exporter's sorted ifIndexes: no
 * allocation.
 */
public final class InterfaceDictionary implements EnrichmentStage {

    /**
     * One exporter's interfaces, sorted by ifIndex; also by position when the ifIndexes are small and dense (the usual
     * case: 1..a few hundred), so that a lookup is one array read instead of a binary search.
     */
    private static final class Interfaces {
        /** Largest array made for lookups by position: 64K references. */
        private static final long MAX_DIRECT = 65_536;

        final long[] ifIndex;
        final InterfaceInfo[] info;
        final InterfaceInfo[] byIfIndex; // [ifIndex] -> info, or null when the ifIndexes are too large or too sparse

        Interfaces(TreeMap<Long, InterfaceInfo> map) {
            ifIndex = new long[map.size()];
            info = new InterfaceInfo[map.size()];
            int i = 0;
            for (Map.Entry<Long, InterfaceInfo> e : map.entrySet()) {
                ifIndex[i] = e.getKey();
                info[i++] = e.getValue();
            }
            long max = i == 0 ? -1 : ifIndex[i - 1];
            if (max < MAX_DIRECT && max < 8L * i + 64) { // at most ~8 empty slots per interface
                byIfIndex = new InterfaceInfo[(int) max + 1];
                for (int k = 0; k < i; k++) {
                    byIfIndex[(int) ifIndex[k]] = info[k];
                }
            } else {
                byIfIndex = null;
            }
        }

        InterfaceInfo get(long index) {
            InterfaceInfo[] direct = byIfIndex;
            if (direct != null) {
                return index >= 0 && index < direct.length ? direct[(int) index] : null;
            }
            int i = Arrays.binarySearch(ifIndex, index);
            return i >= 0 ? info[i] : null;
        }
    }

    private final PrefixTable<Interfaces> table;
    private final int size;

    private InterfaceDictionary(PrefixTable<Interfaces> table, int size) {
        this.table = table;
        this.size = size;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a file: CSV rows {@code exporter,ifindex,name,description,tags} (tags separated by {@code |}), or, for a
     * {@code .yaml}/{@code .yml} file, a list of entries (at the top or under {@code interfaces:}), each either one
     * interface ({@code exporter}, {@code ifindex}, {@code name}, {@code description}, {@code tags} as a list) or an
     * {@code exporter} with its {@code interfaces} as a nested list of such entries without the exporter.
     */
    public static InterfaceDictionary load(Path csv) throws IOException {
        Builder b = builder();
        if (YamlRows.isYaml(csv)) {
            for (YamlRows.Entry e : YamlRows.read(csv, "interfaces")) {
                String exporter = e.required("exporter");
                List<YamlRows.Entry> nested = e.entries("interfaces");
                for (YamlRows.Entry i : nested == null ? List.of(e) : nested) {
                    long ifIndex = i.number("ifindex");
                    if (ifIndex < 0 || ifIndex > 0xFFFFFFFFL) {
                        throw new IOException(i.where + ": ifindex " + ifIndex + " is out of range");
                    }
                    try {
                        b.add(exporter, ifIndex, i.string("name"), i.string("description"), i.list("tags"));
                    } catch (IllegalArgumentException x) {
                        throw new IOException(i.where + ": " + x.getMessage(), x);
                    }
                }
            }
            return b.build();
        }
        for (String[] row : Csv.read(csv)) {
            String problem;
            try {
                if (row.length < 2 || !row[1].strip().matches("[0-9]{1,10}")) {
                    problem = row.length < 2 ? "no ifindex" : "ifindex '" + row[1].strip() + "' is not a number";
                } else {
                    b.add(row[0], Long.parseLong(row[1].strip()), Csv.cell(row, 2), Csv.cell(row, 3),
                            Csv.list(Csv.cell(row, 4)));
                    problem = null;
                }
            } catch (RuntimeException e) {
                problem = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            if (problem != null) {
                throw new IOException(csv + ": bad row " + String.join(",", row) + ": " + problem);
            }
        }
        return b.build();
    }

    public int size() {
        return size;
    }

    /** The interface of an exporter ({@code length} 4 or 16 bytes), or null. */
    public InterfaceInfo lookup(byte[] exporter, int length, long ifIndex) {
        Interfaces i = table.lookup(exporter, length);
        return i == null ? null : i.get(ifIndex);
    }

    @Override
    public void enrich(FlowRecord record, FlowEvent event) {
        Interfaces i = table.lookup(event.exporterAddress(), event.exporterAddressLength());
        if (i == null) {
            return;
        }
        if (record.has(FlowField.INPUT_INTERFACE)) {
            InterfaceInfo in = i.get(record.inputInterface());
            if (in != null) {
                event.ingress().setInfo(in);
            }
        }
        if (record.has(FlowField.OUTPUT_INTERFACE)) {
            InterfaceInfo out = i.get(record.outputInterface());
            if (out != null) {
                event.egress().setInfo(out);
            }
        }
    }

    public static final class Builder {
        private final Map<String, TreeMap<Long, InterfaceInfo>> byExporter = new LinkedHashMap<>();
        private int size;

        /** An interface of an exporter (address or network of exporters). */
        public Builder add(String exporter, long ifIndex, String name, String description, List<String> tags) {
            String key = Cidr.parse(exporter).toString();
            byExporter.computeIfAbsent(key, k -> new TreeMap<>())
                    .put(ifIndex, new InterfaceInfo(name == null ? null : name.intern(),
                            description == null ? null : description.intern(),
                            tags == null ? List.of() : new ArrayList<>(tags)));
            size++;
            return this;
        }

        public InterfaceDictionary build() {
            PrefixTable.Builder<Interfaces> t = PrefixTable.builder();
            byExporter.forEach((k, v) -> t.add(k, new Interfaces(v)));
            return new InterfaceDictionary(t.build(), size);
        }
    }
}
