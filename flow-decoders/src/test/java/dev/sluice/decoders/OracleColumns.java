package dev.sluice.decoders;

import dev.sluice.core.DecodeError;
import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sluice's decode of a capture in the normalised columns of {@code ../shared/tools/oracle.py} (see
 * {@link OracleCsv#COLUMNS}), so that it can be compared row for row with TShark's decode, and both with the
 * ground truth. Each column is filled from the record the way oracle.py fills it from TShark's fields:
 * absent = empty string, numbers in decimal, addresses and MACs in a canonical text form ({@link #address},
 * oracle values go through the same function).
 *
 * <p>Where oracle.py <em>derives</em> a value rather than reading a field, the same derivation is applied
 * here, so only the decoders are compared: ICMP type/code from the ports when the record has no ICMP element
 * (fprobe style: type in the source port; Cisco style: type*256+code in the destination port), {@code
 * packets = 1} for a PSAMP packet report, absolute start/end times of a PSAMP report from its observation
 * time. Everything else comes from the record's typed accessors, or, for the columns without a {@link
 * FlowField} (raw sysUpTime-relative times IE 22/21, RFC 5103 reverse counters, PSAMP selection sequence
 * and section length), from its generic element access.
 */
final class OracleColumns {

    private static final long REVERSE_PEN = 29305;

    /** The decode of one corpus: its rows and the decode errors. */
    record Decoded(List<Map<String, String>> rows, List<DecodeError> errors, FlowDecoder decoder) {
    }

    private OracleColumns() {
    }

    /**
     * Feeds every UDP payload of {@code pcap} in order to one new {@link FlowDecoder} (exporter = the
     * datagram's source address) and renders every record it delivers.
     */
    static Decoded decode(Path pcap) throws IOException {
        FlowDecoder decoder = new FlowDecoder();
        List<Map<String, String>> rows = new ArrayList<>();
        List<DecodeError> errors = new ArrayList<>();
        for (CapturePcap.Datagram d : CapturePcap.read(pcap)) {
            int[] rec = {0};
            decoder.decode(d.payload(), d.source(), 0, new FlowHandler() {
                @Override
                public void onRecord(FlowRecord r) {
                    rows.add(render(r, d, ++rec[0]));
                }

                @Override
                public void onError(DecodeError e) {
                    errors.add(e);
                }
            });
        }
        return new Decoded(rows, errors, decoder);
    }

    /** One record in oracle.py's columns. */
    static Map<String, String> render(FlowRecord r, CapturePcap.Datagram d, int rec) {
        ExportPacket p = r.packet();
        FlowProtocol proto = r.protocol();
        boolean sflow = proto == FlowProtocol.SFLOW_V5;
        boolean psamp = r.indexOf(0, 315) >= 0 || r.indexOf(0, 313) >= 0;
        Map<String, String> row = new LinkedHashMap<>();
        for (String c : OracleCsv.COLUMNS) {
            row.put(c, "");
        }
        row.put("frame", Integer.toString(d.frame()));
        row.put("rec", Integer.toString(rec));
        row.put("kind", sflow ? "sflow_flow" : psamp ? "psamp" : "flow");
        row.put("version", Integer.toString(proto.version()));
        // oracle.py: the datagram's source address and port; for sFlow the agent is in "domain"
        row.put("exporter", address(sflow ? d.source() : r.exporter()) + ":" + d.sourcePort());
        switch (proto) {
            case NETFLOW_V5 -> row.put("domain", p.engineType() + ":" + p.engineId());
            case SFLOW_V5 -> row.put("domain", address(r.exporter()) + ":" + r.observationDomain());
            default -> row.put("domain", Long.toString(r.observationDomain()));
        }
        row.put("export_seq", Long.toString(p.sequenceNumber()));
        if (!sflow) {
            row.put("export_time_ms", Long.toString(p.exportTimeMillis()));
            row.put("set_id", proto == FlowProtocol.NETFLOW_V5 ? "" : Integer.toString(r.templateId()));
        }
        if (p.systemUptimeMillis() >= 0 && !psamp) {
            row.put("sysuptime_ms", Long.toString(p.systemUptimeMillis()));
        }
        number(row, "ip_version", r, FlowField.IP_VERSION);
        row.put("src_addr", address(r.address(FlowField.SOURCE_ADDRESS)));
        row.put("dst_addr", address(r.address(FlowField.DESTINATION_ADDRESS)));
        number(row, "src_port", r, FlowField.SOURCE_PORT);
        number(row, "dst_port", r, FlowField.DESTINATION_PORT);
        number(row, "protocol", r, FlowField.PROTOCOL);
        number(row, "tos", r, FlowField.TOS);
        number(row, "tcp_flags", r, FlowField.TCP_FLAGS);
        icmp(row, r);
        number(row, "packets", r, FlowField.PACKETS);
        number(row, "octets", r, FlowField.BYTES);
        element(row, "start_rel_ms", r, 0, 22);
        element(row, "end_rel_ms", r, 0, 21);
        number(row, "start_ms", r, FlowField.START_MILLIS);
        number(row, "end_ms", r, FlowField.END_MILLIS);
        number(row, "in_if", r, FlowField.INPUT_INTERFACE);
        number(row, "out_if", r, FlowField.OUTPUT_INTERFACE);
        number(row, "direction", r, FlowField.DIRECTION);
        number(row, "src_as", r, FlowField.SOURCE_AS);
        number(row, "dst_as", r, FlowField.DESTINATION_AS);
        number(row, "src_mask", r, FlowField.SOURCE_MASK);
        number(row, "dst_mask", r, FlowField.DESTINATION_MASK);
        row.put("next_hop", address(r.address(FlowField.NEXT_HOP)));
        if (r.samplingInterval() != 0) {
            row.put("sampling_interval", Long.toString(r.samplingInterval()));
        }
        number(row, "end_reason", r, FlowField.FLOW_END_REASON);
        number(row, "vlan", r, FlowField.VLAN);
        if (r.has(FlowField.SOURCE_MAC)) {
            row.put("src_mac", mac(r.mac(FlowField.SOURCE_MAC)));
        }
        if (r.has(FlowField.DESTINATION_MAC)) {
            row.put("dst_mac", mac(r.mac(FlowField.DESTINATION_MAC)));
        }
        if (r.indexOf(REVERSE_PEN, 1) >= 0) { // RFC 5103 reverseOctetDeltaCount etc.
            element(row, "rev_octets", r, REVERSE_PEN, 1);
            element(row, "rev_packets", r, REVERSE_PEN, 2);
            element(row, "rev_tcp_flags", r, REVERSE_PEN, 6);
        }
        if (sflow) {
            row.put("frame_length", row.get("octets"));
        }
        if (psamp) {
            // oracle.py: one packet per report; times = the observation time; the section's length
            row.put("packets", "1");
            element(row, "sample_seq", r, 0, 301);
            int section = r.indexOf(0, 315) >= 0 ? r.indexOf(0, 315) : r.indexOf(0, 313);
            byte[] frame = r.bytesValue(section);
            if (r.elementId(section) == 315) {
                ethernet(row, Unpooled.wrappedBuffer(frame));
            } else {
                ip(row, Unpooled.wrappedBuffer(frame), 0);
            }
            element(row, "frame_length", r, 0, 410);
            long t = observationMillis(r);
            if (t != Long.MIN_VALUE) {
                row.put("start_ms", Long.toString(t));
                row.put("end_ms", Long.toString(t));
            }
        }
        return row;
    }

    /**
     * oracle.py's {@code fill_inner} for a PSAMP section (Sluice hands the section over raw): MACs, the first
     * VLAN tag, IPv4 / IPv6 addresses, protocol, ToS / traffic class, TCP / UDP ports, TCP flags, ICMP type and
     * code, each only when its bytes are in the section.
     */
    private static void ethernet(Map<String, String> row, ByteBuf b) {
        if (b.readableBytes() < 14) {
            return;
        }
        row.put("dst_mac", mac(b.getUnsignedMedium(0) * 0x1000000L + b.getUnsignedMedium(3)));
        row.put("src_mac", mac(b.getUnsignedMedium(6) * 0x1000000L + b.getUnsignedMedium(9)));
        int p = 12;
        int type = b.getUnsignedShort(p);
        while ((type == 0x8100 || type == 0x88A8) && b.readableBytes() >= p + 6) {
            if (row.get("vlan").isEmpty()) {
                row.put("vlan", Integer.toString(b.getUnsignedShort(p + 2) & 0x0FFF));
            }
            p += 4;
            type = b.getUnsignedShort(p);
        }
        if (type == 0x0800 || type == 0x86DD) {
            ip(row, b, p + 2);
        }
    }

    private static void ip(Map<String, String> row, ByteBuf b, int p) {
        int n = b.readableBytes();
        if (n - p < 1) {
            return;
        }
        int version = b.getUnsignedByte(p) >> 4;
        int proto;
        int l4;
        byte[] a;
        if (version == 4 && n - p >= 20) {
            a = new byte[4];
            proto = b.getUnsignedByte(p + 9);
            row.put("tos", Integer.toString(b.getUnsignedByte(p + 1)));
            b.getBytes(p + 12, a);
            row.put("src_addr", address(ip(a)));
            b.getBytes(p + 16, a);
            row.put("dst_addr", address(ip(a)));
            l4 = p + (b.getUnsignedByte(p) & 0x0F) * 4;
        } else if (version == 6 && n - p >= 40) {
            a = new byte[16];
            proto = b.getUnsignedByte(p + 6);
            row.put("tos", Integer.toString((b.getUnsignedShort(p) >> 4) & 0xFF));
            b.getBytes(p + 8, a);
            row.put("src_addr", address(ip(a)));
            b.getBytes(p + 24, a);
            row.put("dst_addr", address(ip(a)));
            l4 = p + 40;
        } else {
            return;
        }
        row.put("ip_version", Integer.toString(version));
        row.put("protocol", Integer.toString(proto));
        if ((proto == 6 || proto == 17) && n - l4 >= 4) {
            row.put("src_port", Integer.toString(b.getUnsignedShort(l4)));
            row.put("dst_port", Integer.toString(b.getUnsignedShort(l4 + 2)));
            if (proto == 6 && n - l4 >= 14) {
                row.put("tcp_flags", Integer.toString(b.getUnsignedByte(l4 + 13)));
            }
        } else if ((proto == 1 || proto == 58) && n - l4 >= 2) {
            row.put("icmp_type", Integer.toString(b.getUnsignedByte(l4)));
            row.put("icmp_code", Integer.toString(b.getUnsignedByte(l4 + 1)));
        }
    }

    private static InetAddress ip(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ICMP type and code: the ICMP elements, else oracle.py's reading of the ports. */
    private static void icmp(Map<String, String> row, FlowRecord r) {
        long type;
        long code;
        if (r.has(FlowField.ICMP_TYPE_CODE)) {
            long tc = r.getLong(FlowField.ICMP_TYPE_CODE);
            type = tc >> 8;
            code = tc & 0xFF;
        } else if (r.indexOf(0, 178) >= 0) { // icmpTypeIPv6 / icmpCodeIPv6
            type = value(r, 0, 178);
            code = value(r, 0, 179);
        } else if (r.indexOf(0, 176) >= 0) { // icmpTypeIPv4 / icmpCodeIPv4
            type = value(r, 0, 176);
            code = value(r, 0, 177);
        } else {
            String proto = row.get("protocol");
            if (!(proto.equals("1") || proto.equals("58")) || row.get("dst_port").isEmpty()) {
                return;
            }
            long sp = row.get("src_port").isEmpty() ? 0 : Long.parseLong(row.get("src_port"));
            long dp = Long.parseLong(row.get("dst_port"));
            if (dp < 256 && sp != 0) { // fprobe: type in the source port, code in the destination port
                type = sp;
                code = dp;
            } else { // Cisco: destination port = type * 256 + code
                type = dp >> 8;
                code = dp & 0xFF;
            }
        }
        row.put("icmp_type", Long.toString(type));
        row.put("icmp_code", Long.toString(code));
    }

    /** A PSAMP report's observation time (IE 322-325) in epoch ms, or Long.MIN_VALUE. */
    private static long observationMillis(FlowRecord r) {
        int i;
        if ((i = r.indexOf(0, 323)) >= 0) {
            return r.unsignedValue(i);
        }
        if ((i = r.indexOf(0, 322)) >= 0) {
            return r.unsignedValue(i) * 1000;
        }
        if ((i = r.indexOf(0, 324)) >= 0 || (i = r.indexOf(0, 325)) >= 0) { // NTP format
            long v = r.unsignedValue(i);
            return ((v >>> 32) - 2_208_988_800L) * 1000 + (((v & 0xFFFFFFFFL) * 1000) >>> 32);
        }
        return Long.MIN_VALUE;
    }

    private static void number(Map<String, String> row, String col, FlowRecord r, FlowField f) {
        row.put(col, r.has(f) ? Long.toUnsignedString(r.getLong(f)) : "");
    }

    private static void element(Map<String, String> row, String col, FlowRecord r, long pen, int id) {
        int i = r.indexOf(pen, id);
        row.put(col, i >= 0 ? Long.toUnsignedString(r.unsignedValue(i)) : "");
    }

    private static long value(FlowRecord r, long pen, int id) {
        int i = r.indexOf(pen, id);
        return i >= 0 ? r.unsignedValue(i) : 0;
    }

    /** Canonical text of an address (Java's form), "" for null. */
    static String address(InetAddress a) {
        return a == null ? "" : a.getHostAddress();
    }

    /** Canonical text of an address given as text (IPv4, IPv6 in any form), "" stays "". */
    static String address(String text) {
        if (text.isEmpty()) {
            return text;
        }
        try {
            return InetAddress.getByName(text).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + text, e);
        }
    }

    /** "address:port" (IPv6 address without brackets, as oracle.py writes it) in canonical form. */
    static String addressAndPort(String text) {
        int colon = text.lastIndexOf(':');
        return colon < 0 ? text : address(text.substring(0, colon)) + text.substring(colon);
    }

    static String mac(long m) {
        StringBuilder s = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (s.length() > 0) {
                s.append(':');
            }
            s.append(String.format("%02x", (m >>> shift) & 0xFF));
        }
        return s.toString();
    }

    /** An oracle.py row with its addresses and MACs in the canonical text forms used by {@link #render}. */
    static Map<String, String> canonical(Map<String, String> oracleRow) {
        Map<String, String> row = new LinkedHashMap<>(oracleRow);
        for (String c : List.of("src_addr", "dst_addr", "next_hop")) {
            row.put(c, address(row.get(c)));
        }
        row.put("exporter", addressAndPort(row.get("exporter")));
        if ("sflow_flow".equals(row.get("kind"))) {
            row.put("domain", addressAndPort(row.get("domain")));
        }
        for (String c : List.of("src_mac", "dst_mac")) {
            row.put(c, row.get(c).toLowerCase(Locale.ROOT));
        }
        return row;
    }
}
