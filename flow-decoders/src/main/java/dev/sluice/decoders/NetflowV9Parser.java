package dev.sluice.decoders;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowProtocol;
import io.netty.buffer.ByteBuf;

/**
 * NetFlow v9 (RFC 3954): a 20-byte header, then flowsets up to the end of the datagram (a v9 header has no
 * length, so one datagram is one packet). Flowset 0 holds templates, 1 options templates, 256 and up data.
 */
final class NetflowV9Parser {
    static final int HEADER = 20;

    private final FlowDecoder decoder;

    NetflowV9Parser(FlowDecoder decoder) {
        this.decoder = decoder;
    }

    int parse(ExporterState ex, ByteBuf buf, int off, int end, int datagramStart) {
        if (end - off < HEADER) {
            decoder.error(ex, DecodeError.Reason.TRUNCATED, off - datagramStart,
                    "NetFlow v9 header needs 20 bytes, " + (end - off) + " left");
            return -1;
        }
        long sourceId = buf.getUnsignedInt(off + 16);
        decoder.packet.set(FlowProtocol.NETFLOW_V9, ex.address, sourceId, buf.getUnsignedInt(off + 12),
                buf.getUnsignedInt(off + 8) * 1000, 0, buf.getUnsignedInt(off + 4), buf.getUnsignedShort(off + 2));
        DomainState dom = decoder.domain(ex, FlowProtocol.NETFLOW_V9, sourceId, off - datagramStart);
        if (dom == null) {
            return -1;
        }
        dom.sequence.observe(decoder.packet.sequenceNumber, 1, ex); // v9 counts export packets per source id
        int p = off + HEADER;
        while (end - p >= 4) {
            int id = buf.getUnsignedShort(p);
            int len = buf.getUnsignedShort(p + 2);
            if (len < 4) {
                if (!FlowDecoder.isZero(buf, p, end)) {
                    decoder.error(ex, DecodeError.Reason.BAD_LENGTH, p - datagramStart,
                            "flowset " + id + " has length " + len + " (at least 4)");
                }
                break;
            }
            int setEnd = p + len;
            if (len > end - p) {
                // A cut-off datagram: report it, and decode what is complete of the flowset (the records or
                // templates that fit), as Wireshark and goflow2 do.
                decoder.error(ex, DecodeError.Reason.TRUNCATED, p - datagramStart, "flowset " + id + " of " + len
                        + " bytes, " + (end - p) + " left in the datagram; decoding its complete records");
                setEnd = end;
            }
            if (id == 0) {
                templates(ex, dom, buf, p + 4, setEnd, datagramStart);
            } else if (id == 1) {
                optionsTemplates(ex, dom, buf, p + 4, setEnd, datagramStart);
            } else if (id < 256) {
                decoder.error(ex, DecodeError.Reason.UNKNOWN_SET, p - datagramStart,
                        "reserved flowset id " + id + " skipped");
            } else {
                decoder.dataSet(ex, dom, id, buf, p + 4, setEnd, datagramStart);
            }
            p = setEnd;
        }
        return end - off;
    }

    private void templates(ExporterState ex, DomainState dom, ByteBuf buf, int q, int setEnd, int datagramStart) {
        int maxFields = decoder.limits().maxFieldsPerTemplate();
        while (setEnd - q >= 4) {
            int tid = buf.getUnsignedShort(q);
            int fc = buf.getUnsignedShort(q + 2);
            int at = q - datagramStart;
            if (tid == 0 && fc == 0 && FlowDecoder.isZero(buf, q, setEnd)) {
                return; // padding
            }
            if (tid < 256) {
                decoder.error(ex, DecodeError.Reason.BAD_TEMPLATE, at, "template id " + tid + " is below 256");
                return;
            }
            if (fc == 0) {
                decoder.error(ex, DecodeError.Reason.BAD_TEMPLATE, at, "template " + tid + " has no fields");
                return;
            }
            int size = 4 + 4 * fc;
            if (size > setEnd - q) {
                decoder.error(ex, DecodeError.Reason.TRUNCATED, at, "template " + tid + " announces " + fc
                        + " fields, the flowset holds " + (setEnd - q - 4) / 4);
                return;
            }
            Template held = dom.templates.get(tid);
            if (held != null && held.sameV9Definition(buf, q + 4, false, 0, fc)) {
                decoder.refreshTemplate(ex, dom, held);
            } else if (fc > maxFields) {
                decoder.error(ex, DecodeError.Reason.LIMIT_EXCEEDED, at, "template " + tid + " has " + fc
                        + " fields, the limit is " + maxFields);
            } else {
                int[] ids = new int[fc];
                int[] lens = new int[fc];
                for (int i = 0; i < fc; i++) {
                    ids[i] = buf.getUnsignedShort(q + 4 + 4 * i);
                    lens[i] = buf.getUnsignedShort(q + 6 + 4 * i);
                }
                add(ex, dom, new Template(FlowProtocol.NETFLOW_V9, tid, false, 0, ids, new long[fc], lens), at);
            }
            q += size;
        }
    }

    private void optionsTemplates(ExporterState ex, DomainState dom, ByteBuf buf, int q, int setEnd,
            int datagramStart) {
        int maxFields = decoder.limits().maxFieldsPerTemplate();
        while (setEnd - q >= 6) {
            int tid = buf.getUnsignedShort(q);
            int scopeLen = buf.getUnsignedShort(q + 2);
            int optionLen = buf.getUnsignedShort(q + 4);
            int at = q - datagramStart;
            if (tid == 0 && FlowDecoder.isZero(buf, q, setEnd)) {
                return; // padding
            }
            if (tid < 256) {
                decoder.error(ex, DecodeError.Reason.BAD_TEMPLATE, at, "options template id " + tid + " is below 256");
                return;
            }
            if (scopeLen % 4 != 0 || optionLen % 4 != 0 || scopeLen + optionLen == 0) {
                decoder.error(ex, DecodeError.Reason.BAD_TEMPLATE, at, "options template " + tid
                        + " has scope length " + scopeLen + " and option length " + optionLen);
                return;
            }
            int size = 6 + scopeLen + optionLen;
            if (size > setEnd - q) {
                decoder.error(ex, DecodeError.Reason.TRUNCATED, at, "options template " + tid + " needs " + size
                        + " bytes, the flowset holds " + (setEnd - q));
                return;
            }
            int scopes = scopeLen / 4;
            int fc = scopes + optionLen / 4;
            Template held = dom.templates.get(tid);
            if (held != null && held.sameV9Definition(buf, q + 6, true, scopes, fc)) {
                decoder.refreshTemplate(ex, dom, held);
            } else if (fc > maxFields) {
                decoder.error(ex, DecodeError.Reason.LIMIT_EXCEEDED, at, "options template " + tid + " has " + fc
                        + " fields, the limit is " + maxFields);
            } else {
                int[] ids = new int[fc];
                int[] lens = new int[fc];
                for (int i = 0; i < fc; i++) {
                    ids[i] = buf.getUnsignedShort(q + 6 + 4 * i);
                    lens[i] = buf.getUnsignedShort(q + 8 + 4 * i);
                }
                add(ex, dom, new Template(FlowProtocol.NETFLOW_V9, tid, true, scopes, ids, new long[fc], lens), at);
            }
            q += size;
        }
    }

    private void add(ExporterState ex, DomainState dom, Template t, int at) {
        if (t.recordLength == 0) {
            decoder.error(ex, DecodeError.Reason.BAD_TEMPLATE, at, "template " + t.id + " describes empty records");
            return;
        }
        decoder.addTemplate(ex, dom, t, at);
    }
}
