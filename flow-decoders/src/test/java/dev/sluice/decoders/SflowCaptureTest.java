package dev.sluice.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * sFlow captured from a real exporter, compared field by field with TShark's decode of the same packets, flow
 * sample by flow sample (datagram and position in it).
 *
 * <p>The captures are made with the shared test tools ({@code ../shared/tools}, see its README): {@code
 * gen_pcap.py} makes traffic, {@code make_corpora.sh sflow5_pmacct_s10} runs pmacct's sfprobe plugin over it
 * and records the sFlow datagrams, {@code oracle.py} turns TShark's decode into one CSV row per flow sample.
 * They need root and Debian packages, so they are not part of a plain build: this test runs when the
 * environment variable {@code FLOWTOOLS_WORK} names the tools' work directory ({@code .ci/run} makes one) and
 * is skipped otherwise ({@link OracleCsv#workDir()}). It checks every {@code corpora/sflow*.pcap} that has an
 * {@code oracle/<name>.csv}. {@link ExporterCaptureTest} compares every column of every corpus, sFlow included,
 * and checks the ground truth; this test keeps the sFlow view, sample by sample.
 */
class SflowCaptureTest {

    /** The columns compared: everything oracle.py takes from an sFlow flow sample that Sluice exposes. */
    private static final List<String> COLUMNS = List.of("kind", "version", "domain", "export_seq", "sysuptime_ms",
            "ip_version", "src_addr", "dst_addr", "next_hop", "src_port", "dst_port", "protocol", "tos", "tcp_flags",
            "icmp_type", "icmp_code", "packets", "octets", "frame_length", "in_if", "out_if", "src_as", "dst_as",
            "src_mask", "dst_mask", "sampling_interval", "vlan", "src_mac", "dst_mac");

    @Test
    void realExporterCapturesDecodeLikeTshark() throws IOException {
        Path work = OracleCsv.workDir();
        List<Path> pcaps = OracleCsv.corpora(work, n -> n.startsWith("sflow")).stream()
                .filter(p -> Files.exists(OracleCsv.oracleOf(work, p))).toList();
        Assumptions.assumeFalse(pcaps.isEmpty(), "SKIPPED: no corpora/sflow*.pcap with an oracle CSV in " + work);
        for (Path pcap : pcaps) {
            compare(pcap, OracleCsv.oracleOf(work, pcap));
        }
    }

    private static void compare(Path pcap, Path csv) throws IOException {
        OracleColumns.Decoded ours = OracleColumns.decode(pcap);
        assertThat(ours.errors()).as(pcap.toString()).isEmpty();
        List<Map<String, String>> tshark = OracleCsv.read(csv);
        assertThat(ours.rows()).as("flow samples in %s", pcap).hasSameSizeAs(tshark);
        Map<String, Map<String, String>> byPosition = new HashMap<>();
        for (Map<String, String> r : ours.rows()) {
            byPosition.put(r.get("frame") + "/" + r.get("rec"), r);
        }
        List<String> differences = new ArrayList<>();
        for (Map<String, String> t : tshark) {
            Map<String, String> row = OracleColumns.canonical(t);
            String at = pcap.getFileName() + " frame " + row.get("frame") + " sample " + row.get("rec");
            Map<String, String> r = byPosition.get(row.get("frame") + "/" + row.get("rec"));
            if (r == null) {
                differences.add(at + ": Sluice has no such sample");
                continue;
            }
            for (String c : COLUMNS) {
                if (!r.get(c).equals(row.get(c))) {
                    differences.add(at + " " + c + ": Sluice " + r.get(c) + ", TShark " + row.get(c));
                }
            }
        }
        assertThat(differences).as("%s: samples where Sluice and TShark differ", pcap).isEmpty();
    }
}
