package dev.sluice.decoders;

import static dev.sluice.decoders.SflowRecordView.*;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowProtocol;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * sFlow version 5 (sflow.org "sFlow Version 5", July 2004, and the "Dropped Packet Notification
 * Structures"): one datagram per UDP payload, XDR encoded (big-endian 32-bit words, opaque data padded to
 * 4 bytes).
 *
 * <pre>
 * datagram   version (5, a 32-bit word), agent address (type 1 IPv4 / 2 IPv6 / 0 unknown + address),
 *            sub-agent id, sequence number, uptime (ms), samples&lt;&gt;
 * sample     data format (enterprise &lt;&lt; 12 | format), length, body
 *   (0,1)    flow sample: seq, source id, sampling rate, sample pool, drops, input, output (compact
 *            interfaces: 2 format bits + 30 bits), flow records&lt;&gt;
 *   (0,3)    expanded flow sample: the same with a two-word source id and (format, value) interfaces
 *   (0,2)    counter sample: seq, source id, counter records&lt;&gt;
 *   (0,4)    expanded counter sample: the same with a two-word source id
 *   (0,5)    discarded packet: seq, source id (2 words), drops, input, output, reason, flow records&lt;&gt;
 * record     data format, length, body
 * </pre>
 *
 * <p>Each flow sample becomes one {@link SflowRecordView} delivered through
 * {@link dev.sluice.core.FlowHandler#onRecord}; each counter sample that holds generic (1) or Ethernet (2)
 * interface counters becomes one {@link SflowCountersView} delivered through
 * {@link dev.sluice.core.FlowHandler#onCounters}. Discarded-packet samples are checked and counted
 * ({@code dropSamples}), not delivered. Samples and records of formats not decoded are skipped by their
 * length and counted ({@code skippedFormats}); flow records of such formats are kept raw in the record
 * view. Every length is checked against its container before use, and every loop consumes at least 4 bytes
 * of the datagram per turn, so bad counts cannot make it spin. Malformed parts are reported through
 * {@link FlowDecoder#error} with a reason and skipped; nothing is thrown.
 *
 * <p>The agent address becomes the packet's {@code exporter} (an address type 0, "unknown", falls back to
 * the UDP source); the {@link InetAddress} objects are cached, so steady-state decoding does not allocate.
 * sFlow carries no export time: the packet's export time is the receive time.
 */
final class SflowParser {

    static final int VERSION = 5;
    private static final int DISCARDED = 128; // forwardingStatus: dropped, reason unknown

    private final FlowDecoder decoder;
    final SflowRecordView flow = new SflowRecordView();
    final SflowCountersView counters = new SflowCountersView();

    // per datagram
    private ExporterState ex;
    private ByteBuf buf;
    private int datagramStart;
    private int datagramEnd;

    // per flow sample, resolved in finish()
    private boolean hasMasks;
    private int srcMask;
    private int dstMask;
    private boolean nextHopV6;

    // agent address cache: direct mapped, bounded
    private static final int AGENTS = 256;
    private final long[] agentHi = new long[AGENTS];
    private final long[] agentLo = new long[AGENTS];
    private final int[] agentLength = new int[AGENTS];
    private final InetAddress[] agentAddress = new InetAddress[AGENTS];

    SflowParser(FlowDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Decodes the sFlow datagram at {@code off} (whose first word the caller found to be 5). Returns the
     * bytes it used (the rest of the datagram), or -1 when the datagram header is unusable.
     */
    int parse(ExporterState exporter, ByteBuf datagram, int off, int end, int dgStart, long receivedMillis) {
        this.ex = exporter;
        this.buf = datagram;
        this.datagramStart = dgStart;
        this.datagramEnd = end;
        try {
            return datagram(off, end, receivedMillis);
        } finally {
            this.buf = null;
            this.ex = null;
        }
    }

    private int datagram(int off, int end, long receivedMillis) {
        int p = off + 4;
        if (end - p < 4) {
            return truncated(off, "sFlow datagram header", 8, end - off);
        }
        int agentType = buf.getInt(p);
        int agentLength = addressLength(agentType);
        if (agentLength < 0) {
            decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(p),
                    "sFlow agent address type " + Integer.toUnsignedString(agentType)
                            + " is neither 1 (IPv4) nor 2 (IPv6)");
            return -1;
        }
        p += 4;
        if (end - p < agentLength + 16) {
            return truncated(off, "sFlow datagram header", 8 + agentLength + 16, end - off);
        }
        InetAddress agent = agentLength == 0 ? ex.address : agent(p, agentLength);
        p += agentLength;
        long samples = buf.getUnsignedInt(p + 12);
        decoder.packet.set(FlowProtocol.SFLOW_V5, agent, buf.getUnsignedInt(p), buf.getUnsignedInt(p + 4),
                receivedMillis, 0, buf.getUnsignedInt(p + 8), (int) Math.min(samples, Integer.MAX_VALUE));
        // Datagram sequence numbers count datagrams per (agent, sub-agent).
        DomainState dom = decoder.domain(ex, FlowProtocol.SFLOW_V5, buf.getUnsignedInt(p), offset(p));
        if (dom != null) {
            dom.sequence.observe(buf.getUnsignedInt(p + 4), 1, ex);
        }
        p += 16;
        for (long i = 0; i < samples; i++) {
            if (end - p < 8) {
                decoder.error(ex, DecodeError.Reason.TRUNCATED, offset(p), "sFlow sample " + (i + 1) + " of "
                        + samples + " needs an 8-byte header, " + (end - p) + " bytes left");
                break;
            }
            int format = buf.getInt(p);
            long length = buf.getUnsignedInt(p + 4);
            int body = p + 8;
            if (length > end - body) {
                decoder.error(ex, DecodeError.Reason.TRUNCATED, offset(p), "sFlow sample " + (i + 1) + " of "
                        + samples + " (" + formatName(format) + ") announces " + length + " bytes, " + (end - body)
                        + " are left");
                break;
            }
            int bodyEnd = body + (int) length;
            if (format >>> 12 == 0) {
                switch (format) {
                    case 1:
                        flowSample(false, body, bodyEnd);
                        break;
                    case 3:
                        flowSample(true, body, bodyEnd);
                        break;
                    case 2:
                        counterSample(false, body, bodyEnd);
                        break;
                    case 4:
                        counterSample(true, body, bodyEnd);
                        break;
                    case 5:
                        dropSample(body, bodyEnd);
                        break;
                    default:
                        ex.skippedFormats++;
                }
            } else {
                ex.skippedFormats++;
            }
            p = next(bodyEnd, length, end);
        }
        return end - off;
    }

    private int truncated(int off, String what, int need, int have) {
        decoder.error(ex, DecodeError.Reason.TRUNCATED, offset(off), what + " needs " + need + " bytes, "
                + have + " left");
        return -1;
    }

    /** The offset after a body of {@code length} bytes ending at {@code bodyEnd}: XDR pads to 4 bytes. */
    private static int next(int bodyEnd, long length, int end) {
        int padded = bodyEnd + (int) (-length & 3);
        return Math.min(padded, end);
    }

    private static int addressLength(int type) {
        switch (type) {
            case 0:
                return 0;
            case 1:
                return 4;
            case 2:
                return 16;
            default:
                return -1;
        }
    }

    private static String formatName(int dataFormat) {
        return (dataFormat >>> 12) + ":" + (dataFormat & 0xFFF);
    }

    // ------------------------------------------------------------------ flow samples

    private void flowSample(boolean expanded, int body, int end) {
        int fixed = expanded ? 44 : 32;
        if (end - body < fixed) {
            decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(body - 8), (expanded ? "expanded " : "")
                    + "flow sample of " + (end - body) + " bytes is shorter than its " + fixed + "-byte header");
            return;
        }
        SflowRecordView v = flow;
        v.reset(decoder.packet, buf);
        hasMasks = false;
        nextHopV6 = false;
        long rate;
        int inFormat;
        long in;
        int outFormat;
        long out;
        long records;
        if (expanded) {
            rate = buf.getUnsignedInt(body + 12);
            inFormat = buf.getInt(body + 24);
            in = buf.getUnsignedInt(body + 28);
            outFormat = buf.getInt(body + 32);
            out = buf.getUnsignedInt(body + 36);
            records = buf.getUnsignedInt(body + 40);
        } else {
            rate = buf.getUnsignedInt(body + 8);
            int i = buf.getInt(body + 20);
            int o = buf.getInt(body + 24);
            inFormat = i >>> 30;
            in = i & 0x3FFFFFFF;
            outFormat = o >>> 30;
            out = o & 0x3FFFFFFF;
            records = buf.getUnsignedInt(body + 28);
        }
        if (rate > 0) {
            v.set32(SLOT_SAMPLING, rate);
        }
        if (inFormat == 0) {
            v.set32(SLOT_IN, in);
        }
        if (outFormat == 0) {
            v.set32(SLOT_OUT, out);
        } else if (outFormat == 1) {
            v.set8(SLOT_FORWARDING, DISCARDED);
        }
        // format 2: sent to several interfaces (the value is their number); no single egress interface
        flowRecords(body + fixed, end, records);
        finish(v);
        decoder.deliverFlow(ex, v);
    }

    private void finish(SflowRecordView v) {
        v.set32(SLOT_PACKETS, 1);
        if (hasMasks) {
            boolean v6 = v.isSet(SLOT_IP_VERSION) ? v.slotValue(SLOT_IP_VERSION) == 6 : nextHopV6;
            v.set8(v6 ? SLOT_SRC_MASK6 : SLOT_SRC_MASK4, srcMask);
            v.set8(v6 ? SLOT_DST_MASK6 : SLOT_DST_MASK4, dstMask);
        }
    }

    private void flowRecords(int p, int end, long count) {
        for (long r = 0; r < count; r++) {
            if (end - p < 8) {
                decoder.error(ex, DecodeError.Reason.TRUNCATED, offset(p), "flow record " + (r + 1) + " of "
                        + count + " needs an 8-byte header, its sample has " + (end - p) + " bytes left");
                return;
            }
            int format = buf.getInt(p);
            long length = buf.getUnsignedInt(p + 4);
            int body = p + 8;
            if (length > end - body) {
                decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(p), "flow record " + (r + 1) + " of "
                        + count + " (" + formatName(format) + ") announces " + length + " bytes, its sample has "
                        + (end - body) + " left");
                return;
            }
            int bodyEnd = body + (int) length;
            flowRecord(format, body, bodyEnd);
            p = next(bodyEnd, length, end);
        }
    }

    private void flowRecord(int format, int body, int end) {
        SflowRecordView v = flow;
        int len = end - body;
        switch (format) {
            case 1:
                sampledHeader(v, body, end);
                return;
            case 2:
                if (need(format, len, 24, body)) {
                    sampledEthernet(v, body);
                }
                return;
            case 3:
                if (need(format, len, 32, body)) {
                    sampledIp(v, body, false);
                }
                return;
            case 4:
                if (need(format, len, 56, body)) {
                    sampledIp(v, body, true);
                }
                return;
            case 1001:
                if (need(format, len, 16, body)) {
                    v.set16(SLOT_VLAN, buf.getUnsignedInt(body) & 0xFFFF);
                    v.pin(SLOT_VLAN);
                    v.set8(SLOT_PRIORITY, buf.getUnsignedInt(body + 4) & 0xFF);
                    v.set16(SLOT_POST_VLAN, buf.getUnsignedInt(body + 8) & 0xFFFF);
                }
                return;
            case 1002:
                extendedRouter(v, body, end);
                return;
            case 1003:
                if (extendedGateway(v, body, end)) {
                    v.addRaw(format, body, len); // AS path, communities, local preference
                }
                return;
            default:
                ex.skippedFormats++;
                v.addRaw(format, body, len);
        }
    }

    /** Whether a record of {@code format} has the {@code need} bytes its structure takes; reports when not. */
    private boolean need(int format, int have, int need, int body) {
        if (have >= need) {
            return true;
        }
        decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(body - 8), "flow record " + formatName(format)
                + " of " + have + " bytes is shorter than its " + need + "-byte structure; ignored");
        return false;
    }

    private void sampledHeader(SflowRecordView v, int body, int end) {
        if (!need(1, end - body, 16, body)) {
            return;
        }
        int protocol = buf.getInt(body);
        v.set32(SLOT_BYTES, buf.getUnsignedInt(body + 4));
        long headerLength = buf.getUnsignedInt(body + 12);
        int from = body + 16;
        if (headerLength > end - from) {
            decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(body - 8), "sampled header announces "
                    + headerLength + " bytes, its record holds " + (end - from) + "; parsing those");
            headerLength = end - from;
        }
        SflowHeaderParser.parse(v, protocol, buf, from, from + (int) headerLength);
    }

    private void sampledEthernet(SflowRecordView v, int body) {
        if (!v.isSet(SLOT_BYTES)) {
            v.set32(SLOT_BYTES, buf.getUnsignedInt(body));
        }
        if (!v.isSet(SLOT_SRC_MAC)) {
            v.setMac(SLOT_SRC_MAC, buf, body + 4);
        }
        if (!v.isSet(SLOT_DST_MAC)) {
            v.setMac(SLOT_DST_MAC, buf, body + 12);
        }
        if (!v.isSet(SLOT_ETHERTYPE)) {
            v.set16(SLOT_ETHERTYPE, buf.getUnsignedInt(body + 20) & 0xFFFF);
        }
    }

    /** Sampled IPv4 (format 3) or IPv6 (format 4) data: values the sampled header did not give already. */
    private void sampledIp(SflowRecordView v, int body, boolean v6) {
        int a = v6 ? 16 : 4;
        int after = body + 8 + 2 * a;
        if (!v.isSet(SLOT_BYTES)) {
            v.set32(SLOT_BYTES, buf.getUnsignedInt(body));
        }
        if (!v.isSet(SLOT_IP_VERSION)) {
            v.set8(SLOT_IP_VERSION, v6 ? 6 : 4);
        }
        int protocol = (int) (buf.getUnsignedInt(body + 4) & 0xFF);
        if (!v.isSet(SLOT_PROTOCOL)) {
            v.set8(SLOT_PROTOCOL, protocol);
        }
        int src = v6 ? SLOT_SRC6 : SLOT_SRC4;
        int dst = v6 ? SLOT_DST6 : SLOT_DST4;
        if (!v.isSet(src)) {
            v.setBytes(src, buf, body + 8);
        }
        if (!v.isSet(dst)) {
            v.setBytes(dst, buf, body + 8 + a);
        }
        if (protocol == 6 || protocol == 17 || protocol == 33 || protocol == 132 || protocol == 136) {
            if (!v.isSet(SLOT_SRC_PORT)) {
                v.set16(SLOT_SRC_PORT, buf.getUnsignedInt(after) & 0xFFFF);
                v.set16(SLOT_DST_PORT, buf.getUnsignedInt(after + 4) & 0xFFFF);
            }
            if (protocol == 6 && !v.isSet(SLOT_TCP_FLAGS)) {
                v.set16(SLOT_TCP_FLAGS, buf.getUnsignedInt(after + 8) & 0x0FFF);
            }
        }
        if (!v.isSet(SLOT_TOS)) {
            v.set8(SLOT_TOS, buf.getUnsignedInt(after + 12) & 0xFF);
        }
    }

    /**
     * Reads an XDR address (type word, then 4 or 16 bytes) at {@code p} into {@code slot4} / {@code slot6};
     * returns the offset after it, or -1 (reported) when it does not fit or its type is unknown.
     */
    private int address(SflowRecordView v, int p, int end, int slot4, int slot6, int format) {
        if (end - p < 4) {
            return -1;
        }
        int type = buf.getInt(p);
        int len = addressLength(type);
        if (len < 0) {
            decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(p), "flow record " + formatName(format)
                    + ": address type " + Integer.toUnsignedString(type) + " is neither 1 (IPv4) nor 2 (IPv6)");
            return -2;
        }
        if (end - p - 4 < len) {
            return -1;
        }
        if (len == 4) {
            v.setBytes(slot4, buf, p + 4);
        } else if (len == 16) {
            v.setBytes(slot6, buf, p + 4);
        }
        return p + 4 + len;
    }

    private void extendedRouter(SflowRecordView v, int body, int end) {
        int p = address(v, body, end, SLOT_NEXT_HOP4, SLOT_NEXT_HOP6, 1002);
        if (p == -2) {
            return;
        }
        if (p < 0 || end - p < 8) {
            tooShort(1002, body, end);
            return;
        }
        nextHopV6 = v.isSet(SLOT_NEXT_HOP6);
        hasMasks = true;
        srcMask = (int) Math.min(buf.getUnsignedInt(p), 255);
        dstMask = (int) Math.min(buf.getUnsignedInt(p + 4), 255);
    }

    private void tooShort(int format, int body, int end) {
        decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(body - 8), "flow record " + formatName(format)
                + " of " + (end - body) + " bytes ends inside its structure; ignored from there");
    }

    /** Extended gateway: returns whether the whole structure fitted (then it is also kept raw). */
    private boolean extendedGateway(SflowRecordView v, int body, int end) {
        int p = address(v, body, end, SLOT_BGP_NEXT_HOP4, SLOT_BGP_NEXT_HOP6, 1003);
        if (p == -2) {
            return false;
        }
        if (p < 0 || end - p < 16) {
            tooShort(1003, body, end);
            return false;
        }
        long routerAs = buf.getUnsignedInt(p);
        long srcAs = buf.getUnsignedInt(p + 4);
        long srcPeerAs = buf.getUnsignedInt(p + 8);
        long segments = buf.getUnsignedInt(p + 12);
        p += 16;
        long firstAs = -1;
        long lastAs = -1;
        for (long s = 0; s < segments; s++) {
            if (end - p < 8) {
                tooShort(1003, body, end);
                return false;
            }
            long n = buf.getUnsignedInt(p + 4);
            p += 8;
            if (n > (end - p) / 4) {
                tooShort(1003, body, end);
                return false;
            }
            if (n > 0) {
                if (firstAs < 0) {
                    firstAs = buf.getUnsignedInt(p);
                }
                lastAs = buf.getUnsignedInt(p + 4 * (int) (n - 1));
            }
            p += 4 * (int) n;
        }
        if (end - p < 4) {
            tooShort(1003, body, end);
            return false;
        }
        long communities = buf.getUnsignedInt(p);
        p += 4;
        if (communities > (end - p) / 4 || end - p - 4 * communities < 4) {
            tooShort(1003, body, end);
            return false;
        }
        v.set32(SLOT_SRC_AS, srcAs != 0 ? srcAs : routerAs);
        v.set32(SLOT_DST_AS, lastAs >= 0 ? lastAs : routerAs);
        if (firstAs >= 0) {
            v.set32(SLOT_NEXT_AS, firstAs);
        }
        v.set32(SLOT_PREV_AS, srcPeerAs);
        return true;
    }

    // ------------------------------------------------------------------ counter samples

    private void counterSample(boolean expanded, int body, int end) {
        int fixed = expanded ? 16 : 12;
        if (end - body < fixed) {
            decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(body - 8), (expanded ? "expanded " : "")
                    + "counter sample of " + (end - body) + " bytes is shorter than its " + fixed + "-byte header");
            return;
        }
        ex.counterSamples++;
        int type;
        long index;
        if (expanded) {
            type = buf.getInt(body + 4);
            index = buf.getUnsignedInt(body + 8);
        } else {
            int source = buf.getInt(body + 4);
            type = source >>> 24;
            index = source & 0xFFFFFF;
        }
        SflowCountersView c = counters;
        c.reset(decoder.packet, buf, body, end, buf.getUnsignedInt(body), type, index);
        long count = buf.getUnsignedInt(body + fixed - 4);
        int p = body + fixed;
        for (long r = 0; r < count; r++) {
            if (end - p < 8) {
                decoder.error(ex, DecodeError.Reason.TRUNCATED, offset(p), "counter record " + (r + 1) + " of "
                        + count + " needs an 8-byte header, its sample has " + (end - p) + " bytes left");
                break;
            }
            int format = buf.getInt(p);
            long length = buf.getUnsignedInt(p + 4);
            int rb = p + 8;
            if (length > end - rb) {
                decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(p), "counter record " + (r + 1) + " of "
                        + count + " (" + formatName(format) + ") announces " + length + " bytes, its sample has "
                        + (end - rb) + " left");
                break;
            }
            if (format == 1 || format == 2) {
                int need = format == 1 ? SflowCountersView.GENERIC_LENGTH : SflowCountersView.ETHERNET_LENGTH;
                if (length < need) {
                    decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(p), "counter record "
                            + formatName(format) + " of " + length + " bytes is shorter than its " + need
                            + "-byte structure; ignored");
                } else if (format == 1) {
                    c.generic(rb);
                } else {
                    c.ethernet(rb);
                }
            } else {
                ex.skippedFormats++;
                c.addOther(format, rb, (int) length);
            }
            p = next(rb + (int) length, length, end);
        }
        if (c.deliverable()) {
            decoder.deliverCounters(ex, c);
        }
    }

    // ------------------------------------------------------------------ discarded packet samples

    /**
     * A discarded packet sample (format 5): seq, source id type and index, drops, input, output, reason, then
     * flow records (the dropped packet's header and the drop records 1036 egress queue, 1037 extended ACL,
     * 1038 extended function ...). Checked record by record and counted; not delivered.
     */
    private void dropSample(int body, int end) {
        if (end - body < 32) {
            decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(body - 8), "discarded packet sample of "
                    + (end - body) + " bytes is shorter than its 32-byte header");
            return;
        }
        ex.dropSamples++;
        long count = buf.getUnsignedInt(body + 28);
        int p = body + 32;
        for (long r = 0; r < count; r++) {
            if (end - p < 8) {
                decoder.error(ex, DecodeError.Reason.TRUNCATED, offset(p), "discard record " + (r + 1) + " of "
                        + count + " needs an 8-byte header, its sample has " + (end - p) + " bytes left");
                return;
            }
            int format = buf.getInt(p);
            long length = buf.getUnsignedInt(p + 4);
            int rb = p + 8;
            if (length > end - rb) {
                decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(p), "discard record " + (r + 1) + " of "
                        + count + " (" + formatName(format) + ") announces " + length + " bytes, its sample has "
                        + (end - rb) + " left");
                return;
            }
            int re = rb + (int) length;
            if (!dropRecordFits(format, rb, re)) {
                decoder.error(ex, DecodeError.Reason.BAD_LENGTH, offset(p), "discard record "
                        + formatName(format) + " of " + length + " bytes ends inside its structure");
            }
            p = next(re, length, end);
        }
    }

    /** Whether a record of a discarded packet sample is well formed (formats not known: skipped, counted). */
    private boolean dropRecordFits(int format, int p, int end) {
        switch (format) {
            case 1: // sampled header
                return end - p >= 16 && buf.getUnsignedInt(p + 12) <= end - p - 16;
            case 1036: // egress queue: queue number
                return end - p >= 4;
            case 1037: { // extended ACL: number, name<>, direction
                int q = string(p + 4, end);
                return end - p >= 4 && q >= 0 && end - q >= 4;
            }
            case 1038: // extended function: symbol<>
                return string(p, end) >= 0;
            default:
                ex.skippedFormats++;
                return true;
        }
    }

    /** The offset after an XDR string at {@code p} (padding may be missing at the very end), or -1. */
    private int string(int p, int end) {
        if (p > end || end - p < 4) {
            return -1;
        }
        long n = buf.getUnsignedInt(p);
        if (n > end - p - 4) {
            return -1;
        }
        return next(p + 4 + (int) n, n, end);
    }

    // ------------------------------------------------------------------ agent addresses

    private InetAddress agent(int p, int length) {
        long hi;
        long lo;
        if (length == 4) {
            hi = 4;
            lo = buf.getUnsignedInt(p);
        } else {
            hi = buf.getLong(p);
            lo = buf.getLong(p + 8);
        }
        int slot = (int) (((hi * 31 + lo) * 0x9E3779B97F4A7C15L) >>> 56) & (AGENTS - 1);
        InetAddress a = agentAddress[slot];
        if (a != null && agentHi[slot] == hi && agentLo[slot] == lo && agentLength[slot] == length) {
            return a;
        }
        byte[] bytes = new byte[length];
        buf.getBytes(p, bytes);
        try {
            a = InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
        agentHi[slot] = hi;
        agentLo[slot] = lo;
        agentLength[slot] = length;
        agentAddress[slot] = a;
        return a;
    }

    /**
     * The datagram offset to report for a problem found at buffer index {@code p}: a problem at the very end
     * (something announced but missing) is reported at the datagram's last byte, so offsets stay inside it.
     */
    private int offset(int p) {
        return Math.max(0, Math.min(p, datagramEnd - 1) - datagramStart);
    }
}
