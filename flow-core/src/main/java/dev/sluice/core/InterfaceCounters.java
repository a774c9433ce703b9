package dev.sluice.core;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;

/**
 * The interface counters an exporter polled and sent (sFlow v5 counter samples and expanded counter
 * samples: the generic interface counters record, format 1, and the Ethernet interface counters record,
 * format 2), delivered through {@link FlowHandler#onCounters(InterfaceCounters)} beside the flow records.
 *
 * <p>Like a {@link FlowRecord}, the instance a decoder hands out is a view that is valid only until the
 * callback returns; {@link #copy()} gives an owned one.
 *
 * <p>Counters are unsigned and returned as {@code long}. A 32-bit counter the agent cannot provide is sent as
 * {@code 0xFFFFFFFF} (64-bit ones as all ones) and is returned as sent. A counter whose record was absent
 * reads 0; {@link #hasGeneric()} and {@link #hasEthernet()} say which records were present.
 */
public interface InterfaceCounters {

    /** The export packet (sFlow datagram) the counters came in. */
    ExportPacket packet();

    /** The agent that sent the counters (for sFlow the agent address of the datagram). */
    default InetAddress exporter() {
        return packet().exporter();
    }

    /** The observation domain: for sFlow the sub-agent id. */
    default long observationDomain() {
        return packet().observationDomain();
    }

    /** The counter sample's own sequence number (per data source). */
    long sequenceNumber();

    /** The data source type: 0 ifIndex, 1 smonVlanDataSource, 2 entPhysicalEntry, 3 entLogicalEntry. */
    int sourceIdType();

    /** The data source index (for type 0 the ifIndex the counters were polled from). */
    long sourceIdIndex();

    /** Whether the generic interface counters record (sFlow format 1) was present. */
    boolean hasGeneric();

    /** Whether the Ethernet interface counters record (sFlow format 2) was present. */
    boolean hasEthernet();

    // ------------------------------------------------------------------ generic interface counters

    /** ifIndex (the generic record's, else the data source index). */
    long ifIndex();

    /** ifType (IANAifType), e.g. 6 for ethernetCsmacd. */
    long ifType();

    /** ifSpeed in bits per second. */
    long ifSpeed();

    /** ifDirection: 0 unknown, 1 full-duplex, 2 half-duplex, 3 in, 4 out. */
    int ifDirection();

    /** ifStatus bits: bit 0 ifAdminStatus up, bit 1 ifOperStatus up. */
    int ifStatus();

    /** Whether ifAdminStatus is up. */
    default boolean adminUp() {
        return (ifStatus() & 1) != 0;
    }

    /** Whether ifOperStatus is up. */
    default boolean operUp() {
        return (ifStatus() & 2) != 0;
    }

    long inOctets();

    long inUnicastPackets();

    long inMulticastPackets();

    long inBroadcastPackets();

    long inDiscards();

    long inErrors();

    long inUnknownProtos();

    long outOctets();

    long outUnicastPackets();

    long outMulticastPackets();

    long outBroadcastPackets();

    long outDiscards();

    long outErrors();

    /** ifPromiscuousMode: 1 true, 2 false (as in IF-MIB), 0 when unknown. */
    long promiscuousMode();

    // ------------------------------------------------------------------ Ethernet counters (EtherLike-MIB)

    long dot3AlignmentErrors();

    long dot3FcsErrors();

    long dot3SingleCollisionFrames();

    long dot3MultipleCollisionFrames();

    long dot3SqeTestErrors();

    long dot3DeferredTransmissions();

    long dot3LateCollisions();

    long dot3ExcessiveCollisions();

    long dot3InternalMacTransmitErrors();

    long dot3CarrierSenseErrors();

    long dot3FrameTooLongs();

    long dot3InternalMacReceiveErrors();

    long dot3SymbolErrors();

    // ------------------------------------------------------------------ other counter records, raw

    /**
     * How many other counter records (neither generic nor Ethernet: VLAN, processor, host, vendor ...) the
     * sample carried and are available raw (a decoder may bound this).
     */
    int otherRecordCount();

    /** The data format of another record: {@code enterprise << 12 | format}. */
    int otherRecordFormat(int index);

    /** The byte length of another record's body. */
    int otherRecordLength(int index);

    /** The buffer holding the other records' bodies (for zero-copy reads). Do not modify. */
    ByteBuf buffer();

    /** Absolute reader offset in {@link #buffer()} of another record's body. */
    int otherRecordOffset(int index);

    /** A copy of another record's body. Allocates. */
    default byte[] otherRecordBytes(int index) {
        byte[] b = new byte[otherRecordLength(index)];
        buffer().getBytes(otherRecordOffset(index), b);
        return b;
    }

    /** An owned copy that stays valid after the callback returns. */
    InterfaceCounters copy();
}
