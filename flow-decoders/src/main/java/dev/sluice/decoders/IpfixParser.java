package dev.sluice.decoders;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowProtocol;
import io.netty.buffer.ByteBuf;

/**
 * IPFIX (RFC 7011): a 16-byte message header with the message length, then sets. Set 2 holds templates,
 * 3 options templates, 256 and up data; a template record with no fields withdraws a template.
 */
final class IpfixParser {
    static final int HEADER = 16;
    static final int ENTERPRISE_BIT = 0x8000;

    private final FlowDecoder decoder;

    IpfixParser(FlowDecoder decoder) {
        this.decoder = decoder;
    }

    int parse(ExporterState ex, ByteBuf buf, int off, int end, int datagramStart) {
        if (end - off < HEADER) {
            decoder.error(ex, DecodeError.Reason.TRUNCATED, off - datagramStart,
                    "IPFIX header needs 16 bytes, " + (end - off) + " left");
            return -1;
        }
        int length = buf.getUnsignedShort(off + 2);
        if (length < HEADER) {
            decoder.error(ex, DecodeError.Reason.BAD_LENGTH, off - datagramStart,
                    "IPFIX message length " + length + " is shorter than its header");
            return -1;
        }
        int msgEnd = off + length;
        boolean truncated = false;
        if (length > end - off) {
            decoder.error(ex, DecodeError.Reason.TRUNCATED, off - datagramStart, "IPFIX message of " + length
                    + " bytes, " + (end - off) + " in the datagram; decoding what is complete");
            msgEnd = end;
            truncated = true;
        }
        long domainId = buf.getUnsignedInt(off + 12);
        decoder.packet.set(FlowProtocol.IPFIX, ex.address, domainId, buf.getUnsignedInt(off + 8),
                buf.getUnsignedInt(off + 4) * 1000, 0, -1, -1);
        DomainState dom = decoder.domain(ex, FlowProtocol.IPFIX, domainId, off - datagramStart);
        if (dom == null) {
            return truncated ? -1 : length;
        }
        long sequence = decoder.packet.sequenceNumber;
        long recordsBefore = ex.records + ex.optionsRecords - ex.pendingRecords;
        long missesBefore = ex.templateMisses;
        int p = off + HEADER;
        while (msgEnd - p >= 4) {
            int id = buf.getUnsignedShort(p);
            int len = buf.getUnsignedShort(p + 2);
            if (len < 4) {
                if (!FlowDecoder.isZero(buf, p, msgEnd)) {
                    decoder.error(ex, DecodeError.Reason.BAD_LENGTH, p - datagramStart,
                            "set " + id + " has length " + len + " (at least 4)");
                }
                break;
            }
            int setEnd = p + len;
            if (len > msgEnd - p) {
                if (!truncated) {
                    // The set overruns a message of intact length: its length is wrong, nothing to trust.
                    decoder.error(ex, DecodeError.Reason.TRUNCATED, p - datagramStart,
                            "set " + id + " of " + len + " bytes, " + (msgEnd - p) + " left in the message");
                    break;
                }
                // The datagram was cut off (reported above): decode what is complete of the set.
                setEnd = msgEnd;
            }
            if (id == 2) {
                templates(ex, dom, buf, p + 4, setEnd, datagramStart, false);
            } else if (id == 3) {
                templates(ex, dom, buf, p + 4, setEnd, datagramStart, true);
            } else if (id < 256) {
                decoder.error(ex, DecodeError.Reason.UNKNOWN_SET, p - datagramStart,
                        "reserved set id " + id + " skipped");
            } else {
                decoder.dataSet(ex, dom, id, buf, p + 4, setEnd, datagramStart);
            }
            p = setEnd;
        }
        // The sequence number counts data records per observation domain; when sets of this message could
        // not be decoded yet, how many records they hold is unknown.
        long units = ex.templateMisses != missesBefore || truncated
                ? -1 : ex.records + ex.optionsRecords - ex.pendingRecords - recordsBefore;
        dom.sequence.observe(sequence, units, ex);
        return truncated ? -1 : length;
    }

    private void templates(ExporterState ex, DomainState dom, ByteBuf buf, int q, int setEnd, int datagramStart,
            boolean options) {
        int maxFields = decoder.limits().maxFieldsPerTemplate();
        String kind = options ? "options template " : "template ";
        while (setEnd - q >= 4) {
            int tid = buf.getUnsignedShort(q);
            int fc = buf.getUnsignedShort(q + 2);
            int at = q - datagramStart;
            if (fc == 0) {
                if (tid == (options ? 3 : 2)) {
                    decoder.withdrawAll(ex, dom, options);
                } else if (tid >= 256) {
                    decoder.withdrawTemplate(ex, dom, tid);
                } else if (tid == 0 && FlowDecoder.isZero(buf, q, setEnd)) {
                    return; // padding
                } else {
                    decoder.error(ex, DecodeError.Reason.BAD_TEMPLATE, at, kind + "withdrawal for id " + tid);
                    return;
                }
                q += 4;
                continue;
            }
            if (tid < 256) {
                decoder.error(ex, DecodeError.Reason.BAD_TEMPLATE, at, kind + "id " + tid + " is below 256");
                return;
            }
            int p = q + 4;
            int scopes = 0;
            if (options) {
                if (setEnd - p < 2) {
                    decoder.error(ex, DecodeError.Reason.TRUNCATED, at, kind + tid + " has no scope count");
                    return;
                }
                scopes = buf.getUnsignedShort(p);
                p += 2;
                if (scopes > fc) {
                    decoder.error(ex, DecodeError.Reason.BAD_TEMPLATE, at, kind + tid + " has " + scopes
                            + " scope fields of " + fc);
                    return;
                }
            }
            Template held = dom.templates.get(tid);
            if (held != null) {
                int after = held.sameIpfixDefinition(buf, p, setEnd, options, scopes, fc);
                if (after >= 0) {
                    decoder.refreshTemplate(ex, dom, held);
                    q = after;
                    continue;
                }
            }
            boolean tooMany = fc > maxFields;
            int n = tooMany ? 0 : fc;
            int[] ids = new int[n];
            long[] ents = new long[n];
            int[] lens = new int[n];
            for (int i = 0; i < fc; i++) {
                if (setEnd - p < 4) {
                    decoder.error(ex, DecodeError.Reason.TRUNCATED, at, kind + tid + " announces " + fc
                            + " fields, the set ends after " + i);
                    return;
                }
                int id = buf.getUnsignedShort(p);
                int len = buf.getUnsignedShort(p + 2);
                long pen = 0;
                p += 4;
                if ((id & ENTERPRISE_BIT) != 0) {
                    if (setEnd - p < 4) {
                        decoder.error(ex, DecodeError.Reason.TRUNCATED, at, kind + tid
                                + " field " + i + " lacks its enterprise number");
                        return;
                    }
                    pen = buf.getUnsignedInt(p);
                    p += 4;
                    id &= ~ENTERPRISE_BIT;
                }
                if (!tooMany) {
                    ids[i] = id;
                    ents[i] = pen;
                    lens[i] = len;
                }
            }
            if (tooMany) {
                decoder.error(ex, DecodeError.Reason.LIMIT_EXCEEDED, at, kind + tid + " has " + fc
                        + " fields, the limit is " + maxFields);
            } else {
                Template t = new Template(FlowProtocol.IPFIX, tid, options, scopes, ids, ents, lens);
                if (t.recordLength == 0) {
                    decoder.error(ex, DecodeError.Reason.BAD_TEMPLATE, at, kind + tid + " describes empty records");
                } else {
                    decoder.addTemplate(ex, dom, t, at);
                }
            }
            q = p;
        }
    }
}
