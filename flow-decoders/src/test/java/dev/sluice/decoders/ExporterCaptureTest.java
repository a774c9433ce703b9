package dev.sluice.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.decoders.CaptureTruth.Key;
import dev.sluice.decoders.CaptureTruth.Mismatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * Real exporters' captures (NetFlow v5, v9, IPFIX, PSAMP, sFlow v5 from softflowd, pmacct's nfprobe and
 * sfprobe, fprobe and nfdump's nfreplay), decoded by Sluice and compared with TShark's decode of the same
 * datagrams and with the ground truth of the traffic the exporters saw.
 *
 * <p>The captures come from the shared test tools ({@code ../shared/tools}, see its README): {@code
 * gen_pcap.py} makes a traffic pcap and its ground truth, {@code make_corpora.sh} runs the exporters over it
 * and records their datagrams ({@code corpora/<name>.pcap}), {@code oracle.py} turns TShark's decode into
 * one normalised CSV row per record ({@code oracle/<name>.csv}). They need root and Debian packages, so
 * {@code .ci/run} makes them and sets {@code FLOWTOOLS_WORK}; without it the test is skipped (see {@link
 * OracleCsv#workDir()}).
 *
 * <p>For every corpus: every UDP payload, in order, goes to one {@link FlowDecoder} (exporter = the
 * datagram's source address); there must be no decode error; every record is rendered in oracle.py's
 * columns ({@link OracleColumns}) and the multiset of rows must equal TShark's exactly, after the deliberate
 * differences of {@link #DIFFERENCES}; then the rows are checked against the ground truth with the rules of
 * compare_truth.py ({@link CaptureTruth}), where every disagreement must be an exporter behaviour listed in
 * {@link #EXPORTER_BEHAVIOUR}, so that a mistake TShark and Sluice share is caught too. The last test checks
 * that every entry of both tables was needed.
 */
class ExporterCaptureTest {

    // ------------------------------------------------------------------ deliberate differences with TShark

    /**
     * A deliberate difference between TShark's rows (as oracle.py writes them) and Sluice's: on TShark's rows
     * that {@code applies} selects, {@code expected} turns the row into what Sluice must give (the identity
     * for a difference in how a column is obtained rather than in its value). An {@code occasional} difference
     * depends on the date or timing of the capture and need not show in every run.
     */
    record Difference(String columns, String why, boolean occasional, Predicate<Map<String, String>> applies,
            UnaryOperator<Map<String, String>> expected) {

        Difference(String columns, String why, Predicate<Map<String, String>> applies,
                UnaryOperator<Map<String, String>> expected) {
            this(columns, why, false, applies, expected);
        }
    }

    private static final long WRAP = 1L << 32;

    /** Every deliberate difference between TShark's decode and Sluice's, with its reason. */
    static final List<Difference> DIFFERENCES = List.of(
            new Difference("set_id sample_seq sample_pool drops header_len (sFlow)",
                    "Sluice does not expose the flow sample's format (1 = flow sample, 3 = expanded), sequence"
                            + " number, sample pool, drop count and sampled header length: the record is the"
                            + " sampled packet, the layouts do not use them",
                    r -> r.get("kind").equals("sflow_flow"),
                    r -> blank(r, "set_id", "sample_seq", "sample_pool", "drops", "header_len")),
            new Difference("start_ms end_ms (NetFlow v5/v9, switched time > 2^31 ms after sysUptime)",
                    "TShark adds first/last switched - sysUptime to the export time as is; Sluice reads a switched"
                            + " time more than 2^31 ms ahead of the header's uptime as one from before a 32-bit"
                            + " uptime wrap (ExportPacket.uptimeToEpochMillis), i.e. 2^32 ms earlier. Only pmacct's"
                            + " v5 in savefile mode does this (its flow times are pcap times, its uptime is the"
                            + " wall clock, so whether they land ahead depends on the date): both readings are"
                            + " nonsense, the truth check skips those times",
                    true, r -> aheadOfUptime(r, "start_rel_ms") || aheadOfUptime(r, "end_rel_ms"),
                    r -> {
                        Map<String, String> e = new LinkedHashMap<>(r);
                        if (aheadOfUptime(r, "start_rel_ms")) {
                            e.put("start_ms", Long.toString(Long.parseLong(r.get("start_ms")) - WRAP));
                        }
                        if (aheadOfUptime(r, "end_rel_ms")) {
                            e.put("end_ms", Long.toString(Long.parseLong(r.get("end_ms")) - WRAP));
                        }
                        return e;
                    }),
            new Difference("ip_version src/dst_addr src/dst_port protocol tos tcp_flags icmp_type/code src/dst_mac"
                    + " vlan (PSAMP)",
                    "Sluice delivers a PSAMP report's dataLinkFrameSection (IE 315) raw, it does not decode the"
                            + " frame inside; TShark does. The test reads these columns from the bytes Sluice"
                            + " delivers (OracleColumns, like oracle.py's fill_inner), which checks that they are"
                            + " the right bytes, not a decode of Sluice's",
                    r -> r.get("kind").equals("psamp"),
                    r -> r));

    private static Map<String, String> blank(Map<String, String> r, String... columns) {
        Map<String, String> e = new LinkedHashMap<>(r);
        for (String c : columns) {
            e.put(c, "");
        }
        return e;
    }

    private static boolean aheadOfUptime(Map<String, String> r, String rel) {
        return (r.get("version").equals("5") || r.get("version").equals("9")) && !r.get(rel).isEmpty()
                && !r.get("sysuptime_ms").isEmpty()
                && Long.parseLong(r.get(rel)) - Long.parseLong(r.get("sysuptime_ms")) > 1L << 31;
    }

    // ------------------------------------------------------------------ exporter behaviour against the truth

    /**
     * A disagreement with the ground truth that is the exporter's doing, not a decoder's: for corpora whose
     * name matches {@code corpora}, a mismatch of {@code field} (compare_truth.py fields separated by "|", or
     * {@code not_in_truth} / {@code missing} for keys) that {@code explains} accepts. An {@code occasional}
     * behaviour depends on timing and need not show in every run.
     */
    record Behaviour(String corpora, String field, String why, boolean occasional,
            BiPredicate<Mismatch, Context> explains) {

        Behaviour(String corpora, String field, String why, BiPredicate<Mismatch, Context> explains) {
            this(corpora, field, why, false, explains);
        }

        boolean covers(String corpus) {
            return Pattern.matches(corpora, corpus);
        }

        boolean covers(Mismatch m) {
            return List.of(field.split("\\|")).contains(m.field());
        }
    }

    private static final String SOFTFLOWD = "nf5_softflowd|nf9_softflowd|ipfix_softflowd.*|nf5_nfreplay|nf9_nfreplay";

    /** Every expected disagreement with the ground truth, with the exporter behaviour that explains it. */
    static final List<Behaviour> EXPORTER_BEHAVIOUR = List.of(
            new Behaviour(SOFTFLOWD, "tos",
                    "softflowd reports ToS only for the direction that opened an IPv4 conversation (the reverse"
                            + " direction gets 0) and always 0 for IPv6 (nfreplay re-exports softflowd's records)",
                    (m, c) -> m.reported().equals(Set.of(0))
                            && (m.key().ipv6() || openedByReverse(m.key(), c.truth()))),
            new Behaviour("nf9_pmacct|ipfix_pmacct", "tos",
                    "pmacct exports the IPv6 traffic class as 0",
                    (m, c) -> m.reported().equals(Set.of(0)) && m.key().ipv6()),
            new Behaviour(SOFTFLOWD, "end",
                    "softflowd tracks conversations: both directions get the conversation's start and end, so a"
                            + " direction that went quiet before the other ends with it (starts are within 1 s)",
                    (m, c) -> near((Long) m.reported(), conversationEnd(m.key(), c.truth()))),
            new Behaviour("nf5_pmacct", "start|end",
                    "pmacct's NetFlow v5 times in savefile mode are pcap times against a wall-clock sysUptime"
                            + " (wrapped garbage)",
                    (m, c) -> true),
            new Behaviour("nf5_fprobe", "start|end",
                    "fprobe captures live: its flow times are those of the tcpreplay run, not the pcap's",
                    (m, c) -> true),
            new Behaviour("nf5_pmacct|nf9_pmacct|ipfix_pmacct", "packets|octets|tcp_flags|end",
                    "pmacctd reading a savefile may exit before its core hands the last packets of the capture to the"
                            + " nfprobe plugin (timing-dependent): the flows still active at the end of the capture"
                            + " lack their last packets (fewer packets and octets, a subset of the TCP flags, an"
                            + " earlier end), and only they: every other flow of the corpus ended before them",
                    true, (m, c) -> c.lostTail(m)),
            new Behaviour("nf9_nfreplay", "not_in_truth",
                    "nfdump does not store ICMPv6 type/code from softflowd's v9 (IE 139), so nfreplay re-exports"
                            + " ICMPv6 flows with type/code 0",
                    (m, c) -> m.key().protocol() == 58 && m.key().dstPort() == 0
                            && c.truth().flows().keySet().stream().anyMatch(k -> sameHosts(k, m.key()))),
            new Behaviour("nf9_nfreplay", "missing",
                    "the same ICMPv6 flows, under their real type/code",
                    (m, c) -> m.key().protocol() == 58),
            new Behaviour("ipfix_softflowd_biflow", "missing",
                    "ICMP biflows are skipped by compare_truth.py (the reverse type/code is not derivable)",
                    (m, c) -> m.key().protocol() == 1 || m.key().protocol() == 58),
            new Behaviour(".*_s10|.*_s100", "missing",
                    "1-in-N packet sampling: flows none of whose packets were sampled are not exported",
                    (m, c) -> true));

    /**
     * What the exporter-behaviour rules may look at: the truth, the comparison with it, and the flows the export
     * cut short (fewer packets than the truth); {@code lastComplete} is the latest end among the other flows.
     */
    record Context(CaptureTruth truth, CaptureTruth.Result result, Set<Key> cutShort, double lastComplete) {

        static Context of(CaptureTruth truth, CaptureTruth.Result result) {
            Set<Key> cut = new HashSet<>();
            double last = 0;
            for (Key k : result.matched()) {
                CaptureTruth.Group g = result.groups().get(k);
                if (g.sampled) {
                    continue;
                }
                if (g.packets < truth.get(k).packets()) {
                    cut.add(k);
                } else {
                    last = Math.max(last, truth.get(k).lastTs());
                }
            }
            return new Context(truth, result, cut, last);
        }

        /** Whether the mismatch is that of a flow that lost its packets after the export stopped taking them. */
        boolean lostTail(Mismatch m) {
            CaptureTruth.Flow f = truth.get(m.key());
            if (!cutShort.contains(m.key()) || f.lastTs() <= lastComplete) {
                return false;
            }
            return switch (m.field()) {
                case "packets", "octets" -> (Long) m.reported() < (Long) m.truth();
                case "tcp_flags" -> ((Integer) m.reported() & ~(Integer) m.truth()) == 0;
                case "end" -> (Long) m.reported() < f.lastTs() * 1000;
                default -> false;
            };
        }
    }

    /** Whether the reverse flow of {@code k} exists and started no later than {@code k}. */
    private static boolean openedByReverse(Key k, CaptureTruth t) {
        CaptureTruth.Flow f = t.get(k);
        CaptureTruth.Flow r = t.get(k.reverse());
        return f != null && r != null && r.firstTs() <= f.firstTs();
    }

    /** The conversation's (flow and reverse flow) last packet time in ms. */
    private static double conversationEnd(Key k, CaptureTruth t) {
        CaptureTruth.Flow r = t.get(k.reverse());
        return Math.max(t.get(k).lastTs(), r == null ? 0 : r.lastTs()) * 1000;
    }

    private static boolean near(long reported, double ms) {
        return Math.abs(reported - ms) <= CaptureTruth.TIME_TOLERANCE_MS;
    }

    private static boolean sameHosts(Key a, Key b) {
        return a.src().equals(b.src()) && a.dst().equals(b.dst()) && a.protocol() == b.protocol();
    }

    /**
     * Corpora whose exporter numbers its IPFIX messages its own way, so that the decoder's sequence statistics
     * show gaps and reordering on a complete capture: softflowd's sequence number counts the data records up
     * to and including the message (RFC 7011: those before it), and ignores options records. The test checks
     * that numbering on these corpora instead.
     */
    static final String OWN_SEQUENCE_NUMBERING = "ipfix_softflowd.*";

    // ------------------------------------------------------------------ the tests

    private final Map<Difference, Integer> differencesUsed = new HashMap<>();
    private final Map<Behaviour, Integer> behaviourUsed = new HashMap<>();
    private final List<String> corporaSeen = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private final Map<String, Long> sequenceExceptions = new TreeMap<>();
    private final Map<String, String> summary = new TreeMap<>();
    private long recordsCompared;

    @TestFactory
    Stream<DynamicTest> realExportersDecodeLikeTsharkAndTheTruth() throws IOException {
        Path work = OracleCsv.workDirOrNull();
        if (work == null) { // reported as one skipped test that says why and how to enable it
            return Stream.of(DynamicTest.dynamicTest("skipped: no FLOWTOOLS_WORK", () -> OracleCsv.workDir()));
        }
        List<Path> pcaps = OracleCsv.corpora(work, n -> true);
        assertThat(pcaps).as("corpora in %s", work).isNotEmpty();
        CaptureTruth truth = new CaptureTruth(OracleCsv.truthOf(work));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path pcap : pcaps) {
            tests.add(DynamicTest.dynamicTest(OracleCsv.name(pcap), () -> {
                try {
                    corpus(work, pcap, truth);
                } catch (TestAbortedException e) {
                    throw e;
                } catch (Throwable e) {
                    failed.add(OracleCsv.name(pcap));
                    throw e;
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("every listed difference and behaviour is needed", this::tablesUsed));
        return tests.stream();
    }

    private void corpus(Path work, Path pcap, CaptureTruth truth) throws IOException {
        String name = OracleCsv.name(pcap);
        Path csv = OracleCsv.oracleOf(work, pcap);
        assertThat(csv).as("TShark's decode of %s (run oracle.py)", name).exists();
        if (CapturePcap.read(pcap).isEmpty()) {
            // the exporter sent nothing while tcpdump listened: nothing to compare, and not the decoder's doing
            Path log = pcap.resolveSibling(name + ".log");
            String message = "SKIPPED: " + name + " holds no export datagram (the exporter sent nothing; its log "
                    + log + (Files.exists(log) ? " says: " + Files.readString(log).strip() : " is missing")
                    + "); make_corpora.sh " + name + " builds it again";
            System.out.println(message);
            Assumptions.abort(message);
        }
        OracleColumns.Decoded ours = OracleColumns.decode(pcap);
        corporaSeen.add(name);

        // 1. no decode error
        assertThat(ours.errors()).as("decode errors in %s", name).isEmpty();
        assertThat(ours.decoder().statistics().templateMisses()).as("data before its template in %s", name)
                .isZero();

        // 2. the same rows as TShark, after the listed differences
        List<Map<String, String>> expected = new ArrayList<>();
        for (Map<String, String> t : OracleCsv.read(csv)) {
            Map<String, String> row = OracleColumns.canonical(t);
            for (Difference d : DIFFERENCES) {
                if (d.applies().test(row)) {
                    differencesUsed.merge(d, 1, Integer::sum);
                    row = d.expected().apply(row);
                }
            }
            expected.add(row);
        }
        compareRows(name, expected, ours.rows());

        // 3. the ground truth, with compare_truth.py's rules
        CaptureTruth.Result result = truth.compare(ours.rows());
        List<Mismatch> all = new ArrayList<>();
        result.mismatches().values().forEach(all::addAll);
        result.notInTruth().forEach(k -> all.add(new Mismatch("not_in_truth", k, "", "")));
        result.missing().forEach(k -> all.add(new Mismatch("missing", k, "", "")));
        Context context = Context.of(truth, result);
        List<Behaviour> behaviours = EXPORTER_BEHAVIOUR.stream().filter(b -> b.covers(name)).toList();
        List<Mismatch> unexplained = new ArrayList<>();
        for (Mismatch m : all) {
            Behaviour b = behaviours.stream().filter(x -> x.covers(m))
                    .filter(x -> x.explains().test(m, context)).findFirst().orElse(null);
            if (b == null) {
                unexplained.add(m);
            } else {
                behaviourUsed.merge(b, 1, Integer::sum);
            }
        }
        assertThat(result.matched()).as("keys of %s found in the truth (%d rows decoded; %s)", name,
                ours.rows().size(), result.summary()).isNotEmpty();
        if (!unexplained.isEmpty()) {
            throw new AssertionError(name + " against the ground truth (" + result.summary() + "): "
                    + unexplained.size() + " disagreements no exporter behaviour explains, e.g.\n  "
                    + String.join("\n  ", unexplained.stream().limit(20).map(Mismatch::toString).toList()));
        }

        // 4. sequence numbers: the captures are complete (tcpdump dropped nothing), so the decoder may report no
        // gap, reordering or reset, except where the exporter numbers its messages its own way
        DecoderStatistics s = ours.decoder().statistics();
        long anomalies = s.sequenceGaps() + s.sequenceResets() + s.sequenceReordered();
        if (Pattern.matches(OWN_SEQUENCE_NUMBERING, name)) {
            Map<String, long[]> byFrame = new LinkedHashMap<>(); // frame -> {data records, sequence number}
            for (Map<String, String> r : ours.rows()) {
                byFrame.computeIfAbsent(r.get("frame"), f -> new long[] {0, Long.parseLong(r.get("export_seq"))})[0]++;
            }
            long records = 0;
            for (Map.Entry<String, long[]> e : byFrame.entrySet()) {
                records += e.getValue()[0];
                assertThat(e.getValue()[1]).as("%s frame %s: softflowd's numbering", name, e.getKey())
                        .isEqualTo(records);
            }
            sequenceExceptions.merge(name, anomalies, Long::sum);
        } else {
            assertThat(anomalies).as("sequence anomalies in %s (%s)", name, s).isZero();
        }
        summary.put(name, ours.rows().size() + " records = TShark; truth: " + result.summary());
        recordsCompared += ours.rows().size();
    }

    /** The multisets of rows must be equal; on failure, the rows that differ, paired by frame and record. */
    private static void compareRows(String name, List<Map<String, String>> tshark, List<Map<String, String>> ours) {
        Map<String, Integer> bag = new HashMap<>();
        for (Map<String, String> r : tshark) {
            bag.merge(r.toString(), 1, Integer::sum);
        }
        List<Map<String, String>> extra = new ArrayList<>();
        for (Map<String, String> r : ours) {
            if (bag.merge(r.toString(), -1, Integer::sum) < 0) {
                extra.add(r);
            }
        }
        int missing = bag.values().stream().mapToInt(v -> Math.max(v, 0)).sum();
        if (extra.isEmpty() && missing == 0) {
            return;
        }
        Map<String, Map<String, String>> tsharkAt = new HashMap<>();
        for (Map<String, String> r : tshark) {
            tsharkAt.put(r.get("frame") + "/" + r.get("rec"), r);
        }
        Map<String, Integer> byColumn = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        for (Map<String, String> o : extra) {
            Map<String, String> t = tsharkAt.get(o.get("frame") + "/" + o.get("rec"));
            if (t == null) {
                examples.add("frame " + o.get("frame") + " record " + o.get("rec") + ": only Sluice has it: " + o);
                continue;
            }
            StringBuilder d = new StringBuilder();
            for (String c : OracleCsv.COLUMNS) {
                if (!o.get(c).equals(t.get(c))) {
                    byColumn.merge(c, 1, Integer::sum);
                    d.append(' ').append(c).append(": Sluice ").append(o.get(c)).append(", TShark ").append(t.get(c));
                }
            }
            if (examples.size() < 10) {
                examples.add("frame " + o.get("frame") + " record " + o.get("rec") + ":" + d);
            }
        }
        throw new AssertionError(name + ": " + extra.size() + " of Sluice's " + ours.size() + " rows differ from"
                + " TShark's (" + missing + " of TShark's " + tshark.size() + " rows unmatched); columns that differ:"
                + " " + byColumn + "\n  " + String.join("\n  ", examples));
    }

    private void tablesUsed() {
        StringBuilder out = new StringBuilder("Exporter captures compared with TShark and the ground truth: "
                + summary.size() + " corpora, " + recordsCompared + " records\n");
        summary.forEach((n, s) -> out.append("  ").append(n).append(": ").append(s).append('\n'));
        out.append("Deliberate differences with TShark (rows):\n");
        List<String> unused = new ArrayList<>();
        for (Difference d : DIFFERENCES) {
            int n = differencesUsed.getOrDefault(d, 0);
            out.append("  ").append(n).append("  ").append(d.columns()).append(d.occasional() ? " [occasional]" : "")
                    .append(": ").append(d.why()).append('\n');
            if (n == 0 && !d.occasional()) {
                unused.add(d.columns());
            }
        }
        out.append("Exporter behaviour against the ground truth (keys):\n");
        for (Behaviour b : EXPORTER_BEHAVIOUR) {
            int n = behaviourUsed.getOrDefault(b, 0);
            out.append("  ").append(n).append("  ").append(b.corpora()).append(' ').append(b.field())
                    .append(b.occasional() ? " [occasional]" : "").append(": ").append(b.why()).append('\n');
            if (n == 0 && !b.occasional() && corporaSeen.stream().anyMatch(c -> c.matches(b.corpora()))) {
                unused.add(b.corpora() + " " + b.field());
            }
        }
        out.append("Sequence anomalies the decoder reports because of softflowd's IPFIX numbering (checked"
                + " instead): ").append(sequenceExceptions).append('\n');
        System.out.println(out);
        // a table entry no corpus needed is stale; judged only over the full set of corpora, all of them passing
        if (failed.isEmpty() && corporaSeen.containsAll(List.of("nf5_pmacct", "psamp_softflowd_s100",
                "sflow5_pmacct_s10", "nf9_nfreplay", "ipfix_softflowd_biflow"))) {
            assertThat(unused).as("table entries that no corpus needed (remove them; tables printed above)").isEmpty();
        }
    }
}
