package dev.sluice.benchmarks;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Realistic export packets built in memory: full-size datagrams whose records vary in addresses, ports,
 * protocols and counters the way a busy edge router's do. Deterministic for a given seed.
 */
final class SyntheticPackets {

    /** A template packet (null for NetFlow v5), one data packet, and what its records add up to. */
    record Packet(byte[] template, byte[] data, int records, long bytesSum, long packetsSum) {
    }

    /** Header of every synthetic packet: export time (seconds) and exporter uptime at export (ms). */
    static final long EXPORT_SECONDS = 1_700_000_000L;
    static final long UPTIME_MILLIS = 86_400_000L;

    /** NetFlow v9 field types / IPFIX element ids of the 20-field templates, in record order. */
    private static final int[][] V9_FIELDS = {
        {8, 4},   // IPV4_SRC_ADDR
        {12, 4},  // IPV4_DST_ADDR
        {7, 2},   // L4_SRC_PORT
        {11, 2},  // L4_DST_PORT
        {4, 1},   // PROTOCOL
        {5, 1},   // SRC_TOS
        {6, 1},   // TCP_FLAGS
        {10, 2},  // INPUT_SNMP
        {14, 2},  // OUTPUT_SNMP
        {1, 4},   // IN_BYTES
        {2, 4},   // IN_PKTS
        {22, 4},  // FIRST_SWITCHED
        {21, 4},  // LAST_SWITCHED
        {16, 4},  // SRC_AS
        {17, 4},  // DST_AS
        {9, 1},   // SRC_MASK
        {13, 1},  // DST_MASK
        {15, 4},  // IPV4_NEXT_HOP
        {61, 1},  // DIRECTION
        {58, 2},  // SRC_VLAN
    };
    private static final int[][] IPFIX_FIELDS = {
        {8, 4},   // sourceIPv4Address
        {12, 4},  // destinationIPv4Address
        {7, 2},   // sourceTransportPort
        {11, 2},  // destinationTransportPort
        {4, 1},   // protocolIdentifier
        {5, 1},   // ipClassOfService
        {6, 1},   // tcpControlBits
        {10, 4},  // ingressInterface
        {14, 4},  // egressInterface
        {1, 8},   // octetDeltaCount
        {2, 8},   // packetDeltaCount
        {152, 8}, // flowStartMilliseconds
        {153, 8}, // flowEndMilliseconds
        {16, 4},  // bgpSourceAsNumber
        {17, 4},  // bgpDestinationAsNumber
        {9, 1},   // sourceIPv4PrefixLength
        {13, 1},  // destinationIPv4PrefixLength
        {15, 4},  // ipNextHopIPv4Address
        {61, 1},  // flowDirection
        {58, 2},  // vlanId
    };

    static final int V5_RECORDS = 30;
    static final int V9_RECORD_LENGTH = length(V9_FIELDS);
    static final int IPFIX_RECORD_LENGTH = length(IPFIX_FIELDS);
    /** As many records as keep the datagram within 1400 bytes. */
    static final int V9_RECORDS = (1400 - 20 - 4) / V9_RECORD_LENGTH;
    static final int IPFIX_RECORDS = (1400 - 16 - 4) / IPFIX_RECORD_LENGTH;

    private static final int[] SERVICE_PORTS = {443, 443, 443, 80, 53, 123, 22, 25, 993, 3389, 8080, 5060};

    private SyntheticPackets() {
    }

    private static int length(int[][] fields) {
        int n = 0;
        for (int[] f : fields) {
            n += f[1];
        }
        return n;
    }

    /** One flow's values, drawn the same way for every protocol (also the sampled packets of SyntheticSflow). */
    static final class Flow {
        int src;
        int dst;
        int srcPort;
        int dstPort;
        int protocol;
        int tos;
        int tcpFlags;
        int input;
        int output;
        long bytes;
        long packets;
        /** Start / end as milliseconds of uptime before the export (always positive). */
        long startAge;
        long endAge;
        long srcAs;
        long dstAs;
        int srcMask;
        int dstMask;
        int nextHop;
        int direction;
        int vlan;

        Flow(SplittableRandom r) {
            boolean outbound = r.nextInt(2) == 0;
            int inside = 0x0A000000 | r.nextInt(1 << 20);            // 10.0.0.0/12 clients
            int outside = 0x17000000 + r.nextInt(0xB0000000 >>> 1) * 2; // spread over public space
            src = outbound ? inside : outside;
            dst = outbound ? outside : inside;
            int service = SERVICE_PORTS[r.nextInt(SERVICE_PORTS.length)];
            int ephemeral = 32768 + r.nextInt(28232);
            srcPort = outbound ? ephemeral : service;
            dstPort = outbound ? service : ephemeral;
            int p = r.nextInt(10);
            protocol = p < 7 ? 6 : p < 9 ? 17 : 1;
            if (protocol == 1) {
                srcPort = 0;
                dstPort = (r.nextInt(2) == 0 ? 8 : 0) << 8; // echo request / reply as type << 8 | code
            }
            tos = r.nextInt(4) == 0 ? 0xB8 : 0;
            tcpFlags = protocol == 6 ? 0x10 | (r.nextInt(2) == 0 ? 0x02 : 0) | (r.nextInt(3) == 0 ? 0x01 : 0)
                    | (r.nextInt(2) == 0 ? 0x08 : 0) : 0;
            input = 1 + r.nextInt(48);
            output = 1 + r.nextInt(48);
            packets = 1 + (r.nextInt(8) == 0 ? r.nextInt(100_000) : r.nextInt(40));
            bytes = packets * (40 + r.nextInt(1461));
            endAge = r.nextInt(30_000);
            startAge = endAge + r.nextInt(120_000);
            srcAs = outbound ? 0 : 1 + r.nextInt(64_000);
            dstAs = outbound ? 1 + r.nextInt(64_000) : 0;
            srcMask = outbound ? 24 : 8 + r.nextInt(17);
            dstMask = outbound ? 8 + r.nextInt(17) : 24;
            nextHop = 0xC0A80001 + r.nextInt(4);
            direction = outbound ? 1 : 0;
            vlan = 100 + r.nextInt(20);
        }
    }

    /** A NetFlow v5 packet with {@value #V5_RECORDS} records. */
    static Packet netflowV5(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(24 + V5_RECORDS * 48);
        b.putShort((short) 5).putShort((short) V5_RECORDS).putInt((int) UPTIME_MILLIS)
                .putInt((int) EXPORT_SECONDS).putInt(123_000_000).putInt(4_000_000)
                .put((byte) 0).put((byte) 1).putShort((short) 0);
        long bytes = 0;
        long packets = 0;
        for (int i = 0; i < V5_RECORDS; i++) {
            Flow f = new Flow(r);
            b.putInt(f.src).putInt(f.dst).putInt(f.nextHop).putShort((short) f.input).putShort((short) f.output)
                    .putInt((int) f.packets).putInt((int) f.bytes)
                    .putInt((int) (UPTIME_MILLIS - f.startAge)).putInt((int) (UPTIME_MILLIS - f.endAge))
                    .putShort((short) f.srcPort).putShort((short) f.dstPort).put((byte) 0).put((byte) f.tcpFlags)
                    .put((byte) f.protocol).put((byte) f.tos).putShort((short) f.srcAs).putShort((short) f.dstAs)
                    .put((byte) f.srcMask).put((byte) f.dstMask).putShort((short) 0);
            bytes += f.bytes;
            packets += f.packets;
        }
        return new Packet(null, b.array(), V5_RECORDS, bytes, packets);
    }

    /** A NetFlow v9 template packet and a data packet of {@link #V9_RECORDS} records (template 256). */
    static Packet netflowV9(long seed) {
        ByteBuffer t = ByteBuffer.allocate(20 + 4 + 4 + 4 * V9_FIELDS.length);
        v9Header(t, 1, 1);
        t.putShort((short) 0).putShort((short) (8 + 4 * V9_FIELDS.length));
        t.putShort((short) 256).putShort((short) V9_FIELDS.length);
        for (int[] f : V9_FIELDS) {
            t.putShort((short) f[0]).putShort((short) f[1]);
        }

        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(20 + 4 + V9_RECORDS * V9_RECORD_LENGTH);
        v9Header(b, V9_RECORDS, 2);
        b.putShort((short) 256).putShort((short) (4 + V9_RECORDS * V9_RECORD_LENGTH));
        long bytes = 0;
        long packets = 0;
        for (int i = 0; i < V9_RECORDS; i++) {
            Flow f = new Flow(r);
            b.putInt(f.src).putInt(f.dst).putShort((short) f.srcPort).putShort((short) f.dstPort)
                    .put((byte) f.protocol).put((byte) f.tos).put((byte) f.tcpFlags)
                    .putShort((short) f.input).putShort((short) f.output)
                    .putInt((int) f.bytes).putInt((int) f.packets)
                    .putInt((int) (UPTIME_MILLIS - f.startAge)).putInt((int) (UPTIME_MILLIS - f.endAge))
                    .putInt((int) f.srcAs).putInt((int) f.dstAs).put((byte) f.srcMask).put((byte) f.dstMask)
                    .putInt(f.nextHop).put((byte) f.direction).putShort((short) f.vlan);
            bytes += f.bytes;
            packets += f.packets;
        }
        return new Packet(t.array(), b.array(), V9_RECORDS, bytes, packets);
    }

    private static void v9Header(ByteBuffer b, int count, int sequence) {
        b.putShort((short) 9).putShort((short) count).putInt((int) UPTIME_MILLIS).putInt((int) EXPORT_SECONDS)
                .putInt(sequence).putInt(0);
    }

    /** An IPFIX template message and a data message of {@link #IPFIX_RECORDS} records (template 256). */
    static Packet ipfix(long seed) {
        int tlen = 16 + 4 + 4 + 4 * IPFIX_FIELDS.length;
        ByteBuffer t = ByteBuffer.allocate(tlen);
        ipfixHeader(t, tlen, 0);
        t.putShort((short) 2).putShort((short) (tlen - 16));
        t.putShort((short) 256).putShort((short) IPFIX_FIELDS.length);
        for (int[] f : IPFIX_FIELDS) {
            t.putShort((short) f[0]).putShort((short) f[1]);
        }

        SplittableRandom r = new SplittableRandom(seed);
        int len = 16 + 4 + IPFIX_RECORDS * IPFIX_RECORD_LENGTH;
        ByteBuffer b = ByteBuffer.allocate(len);
        ipfixHeader(b, len, 0);
        b.putShort((short) 256).putShort((short) (len - 16));
        long exportMillis = EXPORT_SECONDS * 1000;
        long bytes = 0;
        long packets = 0;
        for (int i = 0; i < IPFIX_RECORDS; i++) {
            Flow f = new Flow(r);
            b.putInt(f.src).putInt(f.dst).putShort((short) f.srcPort).putShort((short) f.dstPort)
                    .put((byte) f.protocol).put((byte) f.tos).put((byte) f.tcpFlags)
                    .putInt(f.input).putInt(f.output).putLong(f.bytes).putLong(f.packets)
                    .putLong(exportMillis - f.startAge).putLong(exportMillis - f.endAge)
                    .putInt((int) f.srcAs).putInt((int) f.dstAs).put((byte) f.srcMask).put((byte) f.dstMask)
                    .putInt(f.nextHop).put((byte) f.direction).putShort((short) f.vlan);
            bytes += f.bytes;
            packets += f.packets;
        }
        return new Packet(t.array(), b.array(), IPFIX_RECORDS, bytes, packets);
    }

    private static void ipfixHeader(ByteBuffer b, int length, int sequence) {
        b.putShort((short) 10).putShort((short) length).putInt((int) EXPORT_SECONDS).putInt(sequence).putInt(0);
    }
}
