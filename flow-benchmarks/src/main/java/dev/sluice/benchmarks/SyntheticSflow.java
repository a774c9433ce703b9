package dev.sluice.benchmarks;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Realistic sFlow v5 datagrams built in memory, the way a switch agent sends them: compact flow samples
 * (format 1), each with a raw packet header record (format 1: a 128-byte Ethernet / 802.1Q / IPv4 / TCP header)
 * and an extended switch record (1001), plus counter samples (format 2) with the generic (1) and Ethernet (2)
 * interface counter records, interleaved with the flow samples. The sampled packets' addresses, ports, ToS,
 * TCP flags, interfaces and VLANs come from {@link SyntheticPackets.Flow}, so they vary the way the NetFlow and
 * IPFIX datagrams' flows do (TCP flows only: the header records are TCP). Deterministic for a given seed.
 *
 * <p>Sizes: a datagram header of 28 bytes (IPv4 agent), 216 bytes per flow sample (8 sample header + 32 + 152
 * raw header record + 24 extended switch record), 176 bytes per counter sample (8 + 12 + 96 generic + 60
 * Ethernet record). sFlow's default maximum datagram size (sFlowRcvrMaximumDatagramSize) is 1400 bytes, which
 * holds 5 flow samples and 1 counter sample (1284 bytes); agents configured for larger datagrams send more.
 */
final class SyntheticSflow {

    /** One datagram and what its samples add up to, for the benchmark's setup checks. */
    record Datagram(byte[] data, int flowSamples, int counterSamples, long bytesSum, long fieldSum,
            long octetsSum) {
    }

    /** Bytes of every sampled header (the common agent default). */
    static final int HEADER_BYTES = 128;
    static final int FLOW_SAMPLE_BYTES = 8 + 32 + (8 + 16 + HEADER_BYTES) + (8 + 16);
    static final int COUNTER_SAMPLE_BYTES = 8 + 12 + (8 + 88) + (8 + 52);
    static final int DATAGRAM_HEADER_BYTES = 28;

    /** The agent address (192.0.2.10) and sub-agent id of every datagram. */
    static final int AGENT = 0xC000020A;
    static final int SUB_AGENT = 1;

    private static final int ETHERNET = 1; // sFlow header_protocol
    private static final int FCS = 4;      // stripped from every sampled frame
    /** Smallest IPv4 total length drawn, so that every frame holds a full 128-byte header. */
    private static final int MIN_IP_LENGTH = HEADER_BYTES - 14 - 4;

    private SyntheticSflow() {
    }

    /**
     * A datagram of {@code flowSamples} flow samples and {@code counterSamples} counter samples, the counter
     * samples spread evenly between the flow samples.
     */
    static Datagram datagram(long seed, int flowSamples, int counterSamples) {
        SplittableRandom r = new SplittableRandom(seed);
        int size = DATAGRAM_HEADER_BYTES + flowSamples * FLOW_SAMPLE_BYTES + counterSamples * COUNTER_SAMPLE_BYTES;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(5).putInt(1).putInt(AGENT).putInt(SUB_AGENT).putInt(1_000 + (int) seed)
                .putInt((int) SyntheticPackets.UPTIME_MILLIS).putInt(flowSamples + counterSamples);
        long bytes = 0;
        long fields = 0;
        long octets = 0;
        int countersDone = 0;
        for (int i = 0; i < flowSamples; i++) {
            SyntheticPackets.Flow f = tcpFlow(r);
            int ipLength = (int) Math.max(MIN_IP_LENGTH, f.bytes / f.packets);
            int frameLength = 14 + 4 + ipLength + FCS;
            int rate = 1024 << (f.input % 3); // per input interface: 1 in 1024, 2048 or 4096
            flowSample(b, r, f, i, rate, ipLength, frameLength);
            bytes += frameLength;
            fields += (f.src & 0xFFFFFFFFL) + (f.dst & 0xFFFFFFFFL) + f.srcPort + f.dstPort + 6 + frameLength + 1
                    + f.tcpFlags + f.vlan + f.input + rate;
            // counter sample c goes after flow sample (c + 1) * flowSamples / (counterSamples + 1)
            while (countersDone < counterSamples
                    && i + 1 >= (countersDone + 1) * flowSamples / (counterSamples + 1)) {
                octets += counterSample(b, r, countersDone);
                countersDone++;
            }
        }
        while (countersDone < counterSamples) {
            octets += counterSample(b, r, countersDone);
            countersDone++;
        }
        if (b.hasRemaining()) {
            throw new AssertionError(b.remaining() + " bytes of the sFlow datagram left unwritten");
        }
        return new Datagram(b.array(), flowSamples, counterSamples, bytes, fields, octets);
    }

    /** The next TCP flow of the generator (the others are drawn and passed over). */
    private static SyntheticPackets.Flow tcpFlow(SplittableRandom r) {
        SyntheticPackets.Flow f;
        do {
            f = new SyntheticPackets.Flow(r);
        } while (f.protocol != 6);
        return f;
    }

    private static void flowSample(ByteBuffer b, SplittableRandom r, SyntheticPackets.Flow f, int i, int rate,
            int ipLength, int frameLength) {
        b.putInt(1).putInt(FLOW_SAMPLE_BYTES - 8);
        b.putInt(50_000 + i)                        // sequence number
                .putInt(f.input)                    // source id: type 0 (ifIndex) << 24 | index
                .putInt(rate)
                .putInt(rate * (100_000 + i))       // sample pool
                .putInt(0)                          // drops
                .putInt(f.input).putInt(f.output)   // compact interfaces, format 0 (ifIndex)
                .putInt(2);                         // flow records
        // raw packet header
        b.putInt(1).putInt(16 + HEADER_BYTES);
        b.putInt(ETHERNET).putInt(frameLength).putInt(FCS).putInt(HEADER_BYTES);
        int start = b.position();
        long routerMac = 0x0010DB000000L | f.output;
        long hostMac = 0x02AB00000000L | (f.src & 0xFFFFFFFFL);
        putMac(b, routerMac);
        putMac(b, hostMac);
        b.putShort((short) 0x8100).putShort((short) ((f.tos == 0xB8 ? 5 : 0) << 13 | f.vlan))
                .putShort((short) 0x0800);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) f.tos).putShort((short) ipLength).putShort((short) r.nextInt(1 << 16))
                .putShort((short) 0x4000).put((byte) (64 - r.nextInt(16))).put((byte) 6).putShort((short) 0)
                .putInt(f.src).putInt(f.dst);
        b.putShort(ip + 10, ipChecksum(b, ip));
        b.putShort((short) f.srcPort).putShort((short) f.dstPort).putInt(r.nextInt()).putInt(r.nextInt())
                .putShort((short) (5 << 12 | f.tcpFlags)).putShort((short) (8192 + r.nextInt(57344)))
                .putShort((short) r.nextInt(1 << 16)).putShort((short) 0);
        while (b.position() < start + HEADER_BYTES) { // payload
            b.put((byte) r.nextInt(256));
        }
        // extended switch
        b.putInt(1001).putInt(16).putInt(f.vlan).putInt(0).putInt(f.vlan).putInt(0);
    }

    /** A counter sample of interface {@code 1 + n}; returns its in + out octet counters. */
    private static long counterSample(ByteBuffer b, SplittableRandom r, int n) {
        int ifIndex = 1 + n;
        long inOctets = (1L << 40) + r.nextLong(1L << 40);
        long outOctets = (1L << 40) + r.nextLong(1L << 40);
        b.putInt(2).putInt(COUNTER_SAMPLE_BYTES - 8);
        b.putInt(7_000 + n).putInt(ifIndex).putInt(2);
        // generic interface counters
        b.putInt(1).putInt(88);
        b.putInt(ifIndex).putInt(6).putLong(10_000_000_000L).putInt(1).putInt(3)
                .putLong(inOctets).putInt(r.nextInt(1 << 30)).putInt(r.nextInt(1 << 20)).putInt(r.nextInt(1 << 16))
                .putInt(r.nextInt(100)).putInt(0).putInt(0)
                .putLong(outOctets).putInt(r.nextInt(1 << 30)).putInt(r.nextInt(1 << 20)).putInt(r.nextInt(1 << 16))
                .putInt(0).putInt(0).putInt(2);
        // Ethernet interface counters
        b.putInt(2).putInt(52);
        for (int k = 0; k < 13; k++) {
            b.putInt(k == 1 ? r.nextInt(10) : 0);
        }
        return inOctets + outOctets;
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    private static short ipChecksum(ByteBuffer b, int at) {
        int sum = 0;
        for (int k = 0; k < 20; k += 2) {
            sum += b.getShort(at + k) & 0xFFFF;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (short) ~sum;
    }
}
