package dev.sluice.decoders;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowProtocol;
import io.netty.buffer.ByteBuf;

/** NetFlow v5: a 24-byte header and up to 30 fixed 48-byte records, read with one fixed template. */
final class NetflowV5Parser {
    static final int HEADER = 24;
    static final int RECORD = 48;
    /** The most records a v5 packet may hold (Cisco's specification). */
    static final int MAX_RECORDS = 30;

    // Offsets of the fields in a v5 record (Cisco's layout; Template.netflowV5 lists the same fields in order).
    static final int SRC_ADDR = 0;
    static final int DST_ADDR = 4;
    static final int NEXT_HOP = 8;
    static final int INPUT = 12;
    static final int OUTPUT = 14;
    static final int PACKETS = 16;
    static final int OCTETS = 20;
    static final int FIRST = 24;
    static final int LAST = 28;
    static final int SRC_PORT = 32;
    static final int DST_PORT = 34;
    static final int TCP_FLAGS = 37;
    static final int PROTOCOL = 38;
    static final int TOS = 39;
    static final int SRC_AS = 40;
    static final int DST_AS = 42;

    private final FlowDecoder decoder;

    NetflowV5Parser(FlowDecoder decoder) {
        this.decoder = decoder;
    }

    /** Decodes the v5 packet at {@code off}; returns the bytes it used, or -1 when decoding must stop. */
    int parse(ExporterState ex, ByteBuf buf, int off, int end, int datagramStart) {
        if (end - off < HEADER) {
            decoder.error(ex, DecodeError.Reason.TRUNCATED, off - datagramStart,
                    "NetFlow v5 header needs 24 bytes, " + (end - off) + " left");
            return -1;
        }
        int count = buf.getUnsignedShort(off + 2);
        if (count > MAX_RECORDS) {
            // A count no v5 exporter can send means the header is not trustworthy: decode nothing of it.
            decoder.error(ex, DecodeError.Reason.BAD_LENGTH, off - datagramStart, "NetFlow v5 header announces "
                    + count + " records, at most " + MAX_RECORDS + " are allowed; packet dropped");
            return -1;
        }
        long nanos = buf.getUnsignedInt(off + 12);
        if (nanos >= 1_000_000_000L) {
            nanos = 0; // bogus residual: keep the whole seconds
        }
        int engineType = buf.getUnsignedByte(off + 20);
        int engineId = buf.getUnsignedByte(off + 21);
        int sampling = buf.getUnsignedShort(off + 22);
        PacketView p = decoder.packet;
        p.set(FlowProtocol.NETFLOW_V5, ex.address, (engineType << 8) | engineId, buf.getUnsignedInt(off + 16),
                buf.getUnsignedInt(off + 8) * 1000 + nanos / 1_000_000, nanos, buf.getUnsignedInt(off + 4), count);
        p.engineType = engineType;
        p.engineId = engineId;
        p.samplingAlgorithm = sampling >>> 14;
        p.headerSamplingInterval = sampling & 0x3FFF;

        // flow_sequence counts flow records per engine.
        DomainState dom = decoder.domain(ex, FlowProtocol.NETFLOW_V5, p.observationDomain, off - datagramStart);
        if (dom != null) {
            dom.sequence.observe(p.sequenceNumber, count, ex);
        }

        int available = (end - off - HEADER) / RECORD;
        int n = count;
        if (count > available) {
            decoder.error(ex, DecodeError.Reason.TRUNCATED, off - datagramStart, "NetFlow v5 header announces "
                    + count + " records, the datagram holds " + available);
            n = available;
        }
        Template t = decoder.netflowV5Template;
        for (int i = 0; i < n; i++) {
            decoder.dataSet5(ex, t, buf, off + HEADER + i * RECORD);
        }
        return count > available ? -1 : HEADER + count * RECORD;
    }
}
