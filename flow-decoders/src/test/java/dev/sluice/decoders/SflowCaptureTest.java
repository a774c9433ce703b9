package dev.sluice.decoders;

import static dev.sluice.decoders.SflowTestData.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * sFlow captured from a real exporter, compared field by field with TShark's decode of the same packets.
 *
 * <p>The captures are made with the shared test tools ({@code ../shared/tools}, see its README): {@code
 * gen_pcap.py} makes traffic, {@code make_corpora.sh sflow5_pmacct_s10} runs pmacct's sfprobe plugin over it
 * and records the sFlow datagrams, {@code oracle.py} turns TShark's decode into one CSV row per flow sample.
 * They need root and Debian packages, so they are not part of the build: this test runs when the
 * environment variable {@code FLOWTOOLS_WORK} (or the system property {@code sluice.flowtools}) names the
 * tools' work directory, and is skipped otherwise. It checks every {@code corpora/sflow*.pcap} that has an
 * {@code oracle/<name>.csv}.
 */
class SflowCaptureTest {

    @Test
    void realExporterCapturesDecodeLikeTshark() throws IOException {
        String dir = System.getProperty("sluice.flowtools", System.getenv("FLOWTOOLS_WORK"));
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir, "corpora")),
                "FLOWTOOLS_WORK not set: no sFlow captures from real exporters to compare");
        List<Path> pcaps;
        try (Stream<Path> s = Files.list(Path.of(dir, "corpora"))) {
            pcaps = s.filter(p -> p.getFileName().toString().startsWith("sflow") && p.toString().endsWith(".pcap"))
                    .filter(p -> Files.exists(oracle(p))).sorted().toList();
        }
        Assumptions.assumeFalse(pcaps.isEmpty(), "no corpora/sflow*.pcap with an oracle CSV in " + dir);
        for (Path pcap : pcaps) {
            compare(pcap, oracle(pcap));
        }
    }

    private static Path oracle(Path pcap) {
        String name = pcap.getFileName().toString().replace(".pcap", ".csv");
        return pcap.getParent().getParent().resolve("oracle").resolve(name);
    }

    private static void compare(Path pcap, Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",", -1);
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            col.put(header[i], i);
        }
        // frame number (1-based) -> the copies of the records decoded from it
        List<List<FlowRecord>> byFrame = new ArrayList<>();
        List<DecodeError> errors = new ArrayList<>();
        FlowDecoder decoder = new FlowDecoder();
        for (Datagram d : readPcap(pcap)) {
            List<FlowRecord> records = new ArrayList<>();
            decoder.decode(d.payload, d.source, 0, new FlowHandler() {
                @Override
                public void onRecord(FlowRecord r) {
                    records.add(r.copy());
                }

                @Override
                public void onError(DecodeError e) {
                    errors.add(e);
                }
            });
            byFrame.add(records);
        }
        assertThat(errors).as(pcap.toString()).isEmpty();
        long delivered = byFrame.stream().mapToLong(List::size).sum();
        assertThat(delivered).as("flow samples in %s", pcap).isEqualTo(lines.size() - 1);

        SoftAssertions soft = new SoftAssertions();
        for (int l = 1; l < lines.size(); l++) {
            String[] row = lines.get(l).split(",", -1);
            int frame = Integer.parseInt(row[col.get("frame")]);
            int rec = Integer.parseInt(row[col.get("rec")]);
            FlowRecord r = byFrame.get(frame - 1).get(rec - 1);
            String at = pcap.getFileName() + " frame " + frame + " sample " + rec;
            String domain = row[col.get("domain")];
            soft.assertThat(r.exporter().getHostAddress() + ":" + r.observationDomain()).as(at).isEqualTo(domain);
            number(soft, at, row, col, "export_seq", true, r.packet().sequenceNumber());
            number(soft, at, row, col, "sysuptime_ms", true, r.packet().systemUptimeMillis());
            number(soft, at, row, col, "ip_version", r.has(FlowField.IP_VERSION), r.getLong(FlowField.IP_VERSION));
            address(soft, at, row, col, "src_addr", r, FlowField.SOURCE_ADDRESS);
            address(soft, at, row, col, "dst_addr", r, FlowField.DESTINATION_ADDRESS);
            address(soft, at, row, col, "next_hop", r, FlowField.NEXT_HOP);
            field(soft, at, row, col, "src_port", r, FlowField.SOURCE_PORT);
            field(soft, at, row, col, "dst_port", r, FlowField.DESTINATION_PORT);
            field(soft, at, row, col, "protocol", r, FlowField.PROTOCOL);
            field(soft, at, row, col, "tos", r, FlowField.TOS);
            field(soft, at, row, col, "tcp_flags", r, FlowField.TCP_FLAGS);
            field(soft, at, row, col, "packets", r, FlowField.PACKETS);
            field(soft, at, row, col, "octets", r, FlowField.BYTES);
            field(soft, at, row, col, "frame_length", r, FlowField.BYTES);
            field(soft, at, row, col, "in_if", r, FlowField.INPUT_INTERFACE);
            field(soft, at, row, col, "out_if", r, FlowField.OUTPUT_INTERFACE);
            field(soft, at, row, col, "src_as", r, FlowField.SOURCE_AS);
            field(soft, at, row, col, "dst_as", r, FlowField.DESTINATION_AS);
            field(soft, at, row, col, "src_mask", r, FlowField.SOURCE_MASK);
            field(soft, at, row, col, "dst_mask", r, FlowField.DESTINATION_MASK);
            field(soft, at, row, col, "sampling_interval", r, FlowField.SAMPLING_INTERVAL);
            field(soft, at, row, col, "vlan", r, FlowField.VLAN);
            String icmpType = row[col.get("icmp_type")];
            if (icmpType.isEmpty()) {
                soft.assertThat(r.has(FlowField.ICMP_TYPE_CODE)).as(at + " icmp").isFalse();
            } else {
                soft.assertThat(r.getLong(FlowField.ICMP_TYPE_CODE)).as(at + " icmp")
                        .isEqualTo(Long.parseLong(icmpType) << 8 | Long.parseLong(row[col.get("icmp_code")]));
            }
            mac(soft, at, row, col, "src_mac", r, FlowField.SOURCE_MAC);
            mac(soft, at, row, col, "dst_mac", r, FlowField.DESTINATION_MAC);
        }
        soft.assertAll();
    }

    private static void number(SoftAssertions soft, String at, String[] row, Map<String, Integer> col, String name,
            boolean present, long value) {
        String v = row[col.get(name)];
        if (v.isEmpty()) {
            soft.assertThat(present).as(at + " " + name + " absent").isFalse();
        } else {
            soft.assertThat(present).as(at + " " + name + " present").isTrue();
            soft.assertThat(value).as(at + " " + name).isEqualTo(Long.parseLong(v));
        }
    }

    private static void field(SoftAssertions soft, String at, String[] row, Map<String, Integer> col, String name,
            FlowRecord r, FlowField f) {
        number(soft, at, row, col, name, r.has(f), r.getLong(f));
    }

    private static void address(SoftAssertions soft, String at, String[] row, Map<String, Integer> col, String name,
            FlowRecord r, FlowField f) {
        String v = row[col.get(name)];
        if (v.isEmpty()) {
            soft.assertThat(r.has(f)).as(at + " " + name + " absent").isFalse();
        } else {
            soft.assertThat(r.address(f)).as(at + " " + name).isEqualTo(ip(v));
        }
    }

    private static void mac(SoftAssertions soft, String at, String[] row, Map<String, Integer> col, String name,
            FlowRecord r, FlowField f) {
        String v = row[col.get(name)];
        if (v.isEmpty()) {
            soft.assertThat(r.has(f)).as(at + " " + name + " absent").isFalse();
        } else {
            soft.assertThat(r.mac(f)).as(at + " " + name).isEqualTo(Long.parseLong(v.replace(":", ""), 16));
        }
    }

    // ------------------------------------------------------------------ a minimal pcap reader

    record Datagram(InetAddress source, ByteBuf payload) {
    }

    /** UDP payloads of a classic pcap (Ethernet or Linux cooked, IPv4 or IPv6), in order. */
    static List<Datagram> readPcap(Path pcap) throws IOException {
        ByteBuf b = Unpooled.wrappedBuffer(Files.readAllBytes(pcap));
        int magic = b.getInt(0);
        boolean swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
        assertThat(swapped || magic == 0xa1b2c3d4 || magic == 0xa1b23c4d).as("pcap magic of " + pcap).isTrue();
        int linkType = swapped ? b.getIntLE(20) : b.getInt(20);
        List<Datagram> out = new ArrayList<>();
        int p = 24;
        while (b.writerIndex() - p >= 16) {
            int caplen = swapped ? b.getIntLE(p + 8) : b.getInt(p + 8);
            int at = p + 16;
            p = at + caplen;
            int l3;
            int type;
            if (linkType == 1) { // Ethernet
                type = b.getUnsignedShort(at + 12);
                l3 = at + 14;
            } else if (linkType == 113) { // Linux cooked
                type = b.getUnsignedShort(at + 14);
                l3 = at + 16;
            } else {
                throw new IllegalArgumentException("link type " + linkType + " of " + pcap);
            }
            InetAddress src;
            int udp;
            byte[] a;
            if (type == 0x0800) {
                a = new byte[4];
                b.getBytes(l3 + 12, a);
                udp = l3 + (b.getUnsignedByte(l3) & 0x0F) * 4;
            } else if (type == 0x86DD) {
                a = new byte[16];
                b.getBytes(l3 + 8, a);
                udp = l3 + 40;
            } else {
                continue;
            }
            src = InetAddress.getByAddress(a);
            int len = b.getUnsignedShort(udp + 4) - 8;
            out.add(new Datagram(src, Unpooled.wrappedBuffer(Arrays.copyOfRange(b.array(), udp + 8, udp + 8 + len))));
        }
        return out;
    }
}
