package dev.sluice.decoders;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of {@code ../shared/tools/compare_truth.py}, in Java: rows in oracle.py's columns (TShark's or
 * Sluice's) against the traffic generator's ground truth ({@code pcaps/traffic.flows.csv}).
 *
 * <p>Rows of kind flow, sflow_flow and psamp with a source address count. An RFC 5103 biflow row is split
 * into its forward part (when it has packets) and its reverse part (addresses and ports swapped, the reverse
 * counters, ToS unknown), except ICMP biflows, which are skipped (the reverse type is not derivable). Rows are
 * joined on (src, dst, protocol, src port, dst port); for ICMP the source port is 0 and the destination port
 * type*256+code. Rows of one key are summed (packets, octets), OR-ed (TCP flags), and give the earliest start
 * and latest end. Sampled keys (any row not of kind flow, or with a sampling interval above 1) get the key
 * check only; the others are compared field by field: packets, octets, TCP flags (TCP only), ToS (when
 * reported), start and end (when reported, within the time tolerance), and a key must come in one record.
 * A v4-only export (no IPv6 key at all) is expected to cover only the IPv4 flows of the truth.
 */
final class CaptureTruth {

    /** compare_truth.py's default --time-tol-ms. */
    static final long TIME_TOLERANCE_MS = 1000;

    /** A join key: (src, dst, protocol, src port, dst port), addresses in canonical form. */
    record Key(String src, String dst, int protocol, int srcPort, int dstPort) {
        Key reverse() {
            return new Key(dst, src, protocol, dstPort, srcPort);
        }

        boolean ipv6() {
            return src.contains(":");
        }

        @Override
        public String toString() {
            return "(" + src + ", " + dst + ", " + protocol + ", " + srcPort + ", " + dstPort + ")";
        }
    }

    /** One flow of the ground truth. */
    record Flow(Key key, int tos, long packets, long bytes, long firstMs, long lastMs, int tcpFlags,
            double firstTs, double lastTs) {
    }

    /** The rows of one key, aggregated. */
    static final class Group {
        int records;
        long packets;
        long octets;
        int flags;
        Long start;
        Long end;
        final Set<Integer> tos = new TreeSet<>();
        boolean sampled;
    }

    /** One field of one matched key that disagrees with the truth. */
    record Mismatch(String field, Key key, Object reported, Object truth) {
        @Override
        public String toString() {
            return field + " " + key + ": reported " + reported + ", truth " + truth;
        }
    }

    /** What compare_truth.py prints for one file, with the keys and mismatches themselves. */
    record Result(Map<Key, Group> groups, List<Key> matched, List<Key> notInTruth, Set<Key> missing,
            boolean v4only, int icmpBiflowsSkipped, Map<String, List<Mismatch>> mismatches) {

        String summary() {
            StringBuilder s = new StringBuilder("keys=" + groups.size() + " matched=" + matched.size()
                    + " not_in_truth=" + notInTruth.size() + " truth_keys_missing=" + missing.size()
                    + (v4only ? " (IPv4-only export)" : "")
                    + (icmpBiflowsSkipped > 0 ? " icmp_biflows_skipped=" + icmpBiflowsSkipped : ""));
            for (String f : FIELDS) {
                if (mismatches.containsKey(f)) {
                    s.append(' ').append(f).append("_mismatches=").append(mismatches.get(f).size());
                }
            }
            return s.toString();
        }
    }

    static final List<String> FIELDS = List.of("packets", "octets", "tcp_flags", "tos", "start", "end",
            "split_records");

    private final Map<Key, Flow> truth = new LinkedHashMap<>();

    CaptureTruth(Path truthCsv) throws IOException {
        for (Map<String, String> r : OracleCsv.read(truthCsv)) {
            Key k = new Key(OracleColumns.address(r.get("src")), OracleColumns.address(r.get("dst")),
                    Integer.parseInt(r.get("proto")), Integer.parseInt(r.get("sport")),
                    Integer.parseInt(r.get("dport")));
            BigDecimal first = new BigDecimal(r.get("first_ts"));
            BigDecimal last = new BigDecimal(r.get("last_ts"));
            truth.put(k, new Flow(k, Integer.parseInt(r.get("tos")), Long.parseLong(r.get("packets")),
                    Long.parseLong(r.get("l3_bytes")), first.movePointRight(3).longValue(),
                    last.movePointRight(3).longValue(), Integer.parseInt(r.get("tcp_flags")), first.doubleValue(),
                    last.doubleValue()));
        }
    }

    Map<Key, Flow> flows() {
        return truth;
    }

    Flow get(Key k) {
        return truth.get(k);
    }

    static Key keyOf(Map<String, String> r) {
        int proto = r.get("protocol").isEmpty() ? -1 : Integer.parseInt(r.get("protocol"));
        int sp = r.get("src_port").isEmpty() ? 0 : Integer.parseInt(r.get("src_port"));
        int dp = r.get("dst_port").isEmpty() ? 0 : Integer.parseInt(r.get("dst_port"));
        if (proto == 1 || proto == 58) {
            if (!r.get("icmp_type").isEmpty()) {
                dp = Integer.parseInt(r.get("icmp_type")) << 8
                        | (r.get("icmp_code").isEmpty() ? 0 : Integer.parseInt(r.get("icmp_code")));
            }
            sp = 0;
        }
        return new Key(OracleColumns.address(r.get("src_addr")), OracleColumns.address(r.get("dst_addr")), proto,
                sp, dp);
    }

    /** compare_truth.py over {@code rows} (canonical oracle.py columns). */
    Result compare(List<Map<String, String>> input) {
        List<Map<String, String>> rows = new ArrayList<>();
        int skipped = 0;
        for (Map<String, String> r : input) {
            String kind = r.get("kind");
            if (!(kind.equals("flow") || kind.equals("sflow_flow") || kind.equals("psamp"))
                    || r.get("src_addr").isEmpty()) {
                continue;
            }
            if (!r.get("rev_packets").isEmpty()) {
                if (r.get("protocol").equals("1") || r.get("protocol").equals("58")) {
                    skipped++;
                    continue;
                }
                if (num(r.get("packets")) != 0) {
                    Map<String, String> f = new HashMap<>(r);
                    f.put("rev_packets", "");
                    rows.add(f);
                }
                if (num(r.get("rev_packets")) != 0) {
                    Map<String, String> b = new HashMap<>(r);
                    b.put("src_addr", r.get("dst_addr"));
                    b.put("dst_addr", r.get("src_addr"));
                    b.put("src_port", r.get("dst_port"));
                    b.put("dst_port", r.get("src_port"));
                    b.put("packets", r.get("rev_packets"));
                    b.put("octets", r.get("rev_octets"));
                    b.put("tcp_flags", r.get("rev_tcp_flags"));
                    b.put("tos", "");
                    b.put("rev_packets", "");
                    rows.add(b);
                }
                continue;
            }
            rows.add(r);
        }
        Map<Key, Group> agg = new LinkedHashMap<>();
        for (Map<String, String> r : rows) {
            Group g = agg.computeIfAbsent(keyOf(r), k -> new Group());
            g.records++;
            String si = r.get("sampling_interval");
            g.sampled |= !r.get("kind").equals("flow") || !(si.isEmpty() || si.equals("0") || si.equals("1"));
            g.packets += num(r.get("packets"));
            g.octets += num(r.get("octets"));
            g.flags |= (int) num(r.get("tcp_flags"));
            if (!r.get("tos").isEmpty()) {
                g.tos.add(Integer.parseInt(r.get("tos")));
            }
            if (!r.get("start_ms").isEmpty()) {
                long v = Long.parseLong(r.get("start_ms"));
                g.start = g.start == null ? v : Math.min(g.start, v);
            }
            if (!r.get("end_ms").isEmpty()) {
                long v = Long.parseLong(r.get("end_ms"));
                g.end = g.end == null ? v : Math.max(g.end, v);
            }
        }
        List<Key> matched = new ArrayList<>();
        List<Key> unmatched = new ArrayList<>();
        for (Key k : agg.keySet()) {
            (truth.containsKey(k) ? matched : unmatched).add(k);
        }
        boolean v4only = agg.keySet().stream().noneMatch(Key::ipv6);
        Set<Key> missing = new LinkedHashSet<>();
        for (Key k : truth.keySet()) {
            if (!agg.containsKey(k) && !(v4only && k.ipv6())) {
                missing.add(k);
            }
        }
        Map<String, List<Mismatch>> bad = new LinkedHashMap<>();
        for (Key k : matched) {
            Group g = agg.get(k);
            Flow t = truth.get(k);
            if (g.sampled) {
                continue;
            }
            if (g.packets != t.packets()) {
                add(bad, new Mismatch("packets", k, g.packets, t.packets()));
            }
            if (g.octets != t.bytes()) {
                add(bad, new Mismatch("octets", k, g.octets, t.bytes()));
            }
            if (k.protocol() == 6 && g.flags != t.tcpFlags()) {
                add(bad, new Mismatch("tcp_flags", k, g.flags, t.tcpFlags()));
            }
            if (!g.tos.isEmpty() && !g.tos.equals(Set.of(t.tos()))) {
                add(bad, new Mismatch("tos", k, g.tos, t.tos()));
            }
            if (g.start != null && Math.abs(g.start - t.firstTs() * 1000) > TIME_TOLERANCE_MS) {
                add(bad, new Mismatch("start", k, g.start, t.firstTs()));
            }
            if (g.end != null && Math.abs(g.end - t.lastTs() * 1000) > TIME_TOLERANCE_MS) {
                add(bad, new Mismatch("end", k, g.end, t.lastTs()));
            }
            if (g.records > 1) {
                add(bad, new Mismatch("split_records", k, g.records, 1));
            }
        }
        return new Result(agg, matched, unmatched, missing, v4only, skipped, bad);
    }

    private static void add(Map<String, List<Mismatch>> bad, Mismatch m) {
        bad.computeIfAbsent(m.field(), f -> new ArrayList<>()).add(m);
    }

    private static long num(String v) {
        return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
    }
}
