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

    /**
     * How far a NetFlow v5/v9 switched time may lie after the header's uptime and still be read as a time
     * after the export time (exporter clock skew; FortiOS 5.2 sends switched times days ahead of its uptime);
     * further ahead, it is read as a time from before the 32-bit uptime counter wrapped around (every 49.7
     * days). Half the counter's range: the point where both readings are equally far from the export time.
     */
    long UPTIME_SKEW_TOLERANCE_MILLIS = 1L << 31;

    /**
     * Converts a time given in milliseconds of exporter uptime (NetFlow v5/v9 first/last switched) to epoch
     * milliseconds, using this packet's uptime and export time. A switched time before the header's uptime
     * is that long before the export time, however long (even a bogus 0 from an exporter up for weeks stays
     * in the past); one after it by at most {@link #UPTIME_SKEW_TOLERANCE_MILLIS} is that long after the
     * export time; one further after it predates an uptime wrap-around.
     *
     * @return epoch milliseconds, or {@link Long#MIN_VALUE} when the packet has no uptime
     */
    default long uptimeToEpochMillis(long switchedUptimeMillis) {
        long uptime = systemUptimeMillis();
        if (uptime < 0) {
            return Long.MIN_VALUE;
        }
        long switched = switchedUptimeMillis & 0xFFFFFFFFL;
        long ahead = switched - uptime;
        long age = ahead <= UPTIME_SKEW_TOLERANCE_MILLIS ? -ahead : uptime + (1L << 32) - switched;
        return exportTimeMillis() - age;
    }

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
