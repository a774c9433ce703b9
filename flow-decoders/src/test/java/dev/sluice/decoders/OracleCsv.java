package dev.sluice.decoders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The work directory of the shared test tools ({@code ../shared/tools}, see its README) and the CSV files in
 * it: {@code oracle/<corpus>.csv} (TShark's decode, one row per record, written by {@code oracle.py}) and
 * {@code pcaps/traffic.flows.csv} (the traffic generator's ground truth).
 *
 * <p>Making the work directory needs root and Debian packages, so it is not part of a plain {@code mvn}
 * run: the capture tests run when the environment variable {@code FLOWTOOLS_WORK} (or the system property
 * {@code sluice.flowtools}) names it, and are skipped with an explanation otherwise. {@code .ci/run} makes
 * it and sets the variable.
 */
final class OracleCsv {

    /** The columns oracle.py writes, in its order. */
    static final List<String> COLUMNS = List.of(("frame rec kind version exporter domain export_seq export_time_ms "
            + "sysuptime_ms set_id ip_version src_addr dst_addr src_port dst_port protocol tos tcp_flags icmp_type "
            + "icmp_code packets octets start_rel_ms end_rel_ms start_ms end_ms in_if out_if direction src_as dst_as "
            + "src_mask dst_mask next_hop sampling_interval end_reason vlan src_mac dst_mac rev_packets rev_octets "
            + "rev_tcp_flags sample_seq sample_pool drops frame_length header_len").split(" "));

    static final String HOW_TO_ENABLE = "make a work directory with ../shared/tools (as root: install-deps.sh, then"
            + " gen_pcap.py, make_corpora.sh and oracle.py with FLOWTOOLS_WORK=DIR; .ci/run does all of it) and run"
            + " FLOWTOOLS_WORK=DIR mvn -B -ntp verify";

    private OracleCsv() {
    }

    /** The tools' work directory, or null when FLOWTOOLS_WORK is not set or has no corpora. */
    static Path workDirOrNull() {
        String dir = System.getProperty("sluice.flowtools", System.getenv("FLOWTOOLS_WORK"));
        return dir == null || dir.isBlank() || !Files.isDirectory(Path.of(dir, "corpora")) ? null : Path.of(dir);
    }

    /**
     * The tools' work directory; without one, an assumption failure (the test is reported as skipped) whose
     * message, also printed, says how to get one.
     */
    static Path workDir() {
        Path work = workDirOrNull();
        if (work == null) {
            String dir = System.getProperty("sluice.flowtools", System.getenv("FLOWTOOLS_WORK"));
            String why = dir == null || dir.isBlank() ? "FLOWTOOLS_WORK is not set"
                    : "FLOWTOOLS_WORK=" + dir + " has no corpora/ directory";
            String message = "SKIPPED: real exporters' captures not compared with TShark: " + why + "; to run these"
                    + " tests, " + HOW_TO_ENABLE;
            System.out.println(message);
            Assumptions.abort(message);
        }
        return work;
    }

    /** The corpora of a work directory ({@code corpora/*.pcap}) whose names pass {@code filter}, sorted. */
    static List<Path> corpora(Path work, Predicate<String> filter) throws IOException {
        try (Stream<Path> s = Files.list(work.resolve("corpora"))) {
            return s.filter(p -> p.toString().endsWith(".pcap"))
                    .filter(p -> filter.test(name(p))).sorted().toList();
        }
    }

    /** A corpus name: its file name without {@code .pcap}. */
    static String name(Path pcap) {
        String n = pcap.getFileName().toString();
        return n.endsWith(".pcap") ? n.substring(0, n.length() - 5) : n;
    }

    /** The oracle CSV of a corpus in a work directory. */
    static Path oracleOf(Path work, Path pcap) {
        return work.resolve("oracle").resolve(name(pcap) + ".csv");
    }

    /** The ground truth of the traffic the corpora were made from. */
    static Path truthOf(Path work) {
        return work.resolve("pcaps").resolve("traffic.flows.csv");
    }

    /** Reads a CSV file with a header line into rows (column name to value, in the header's order). */
    static List<Map<String, String>> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            throw new IOException(csv + " is empty (not even a header)");
        }
        List<String> header = split(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>(lines.size());
        for (int l = 1; l < lines.size(); l++) {
            if (lines.get(l).isEmpty()) {
                continue;
            }
            List<String> values = split(lines.get(l));
            if (values.size() != header.size()) {
                throw new IOException(csv + " line " + (l + 1) + " has " + values.size() + " values, the header "
                        + header.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), values.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    /** One CSV line (Python's csv module: fields with a comma or a quote are quoted, quotes doubled). */
    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (c != '\r') {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
