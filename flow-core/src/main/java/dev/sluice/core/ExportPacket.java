package dev.sluice.core;

import java.net.InetAddress;

/**
 * The export packet (NetFlow v5/v9 packet, IPFIX message, sFlow datagram) that a record came from:
 * the header values every record of the packet shares.
 *
 * <p>Like a {@link FlowRecord}, the instance a decoder hands out is a view that is only valid inside the
 * callback; {@link FlowRecord#copy()} snapshots it.
 */
public interface ExportPacket {

    /** The protocol of the packet. */
    FlowProtocol protocol();

    /** The address the packet came from (the UDP source, or the sFlow agent address). */
    InetAddress exporter();

    /**
     * IPFIX observation domain id, NetFlow v9 source id, sFlow sub-agent id; for NetFlow v5
     * {@code engineType << 8 | engineId}.
     */
    long observationDomain();

    /** The header's sequence number (its unit depends on the protocol). */
    long sequenceNumber();

    /** Export time from the header as epoch milliseconds (v5 includes the residual nanoseconds). */
    long exportTimeMillis();

    /** Export time's sub-second part in nanoseconds, where the header has it (v5), else 0. */
    long exportNanos();

    /** The exporter's uptime in milliseconds from the header (v5, v9, sFlow), or -1 where there is none. */
    long systemUptimeMillis();

    /** The record / set count from the header (v5, v9), or -1 where there is none (IPFIX). */
    int count();

    /** NetFlow v5 engine type, else 0. */
    int engineType();

    /** NetFlow v5 engine id, else 0. */
    int engineId();

    /** NetFlow v5 sampling mode (the 2 top bits of the sampling field), else 0. */
    int samplingAlgorithm();

    /** The sampling interval the header announces (v5), or 0. */
    long headerSamplingInterval();
}
