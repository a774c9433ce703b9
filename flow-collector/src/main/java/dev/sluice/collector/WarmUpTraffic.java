package dev.sluice.collector;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic export datagrams of a {@linkplain FlowCollector.Builder#warmUp warm-up}: NetFlow v5, NetFlow v9 and
 * IPFIX (templates for IPv4 and IPv6 flows, and data sets of both; an options template and, after the data of some
 * datagrams, an options record with the sampling interval, as exporters send), and sFlow v5 (flow samples of
 * Ethernet frames of IPv4 or IPv6 with TCP, UDP, ICMP, ICMPv6 or GRE, with extended switch, router and gateway
 * records, and interface counter samples), each about 1,400 bytes like an exporter's. The flows use documentation
 * addresses (192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32) and vary in ports, protocols, counters and times so that
 * the decoders take their usual branches. Deterministic.
 */
final class WarmUpTraffic {
    /** The header fields every datagram carries: export time (seconds) and exporter uptime (ms). */
    private static final int EXPORT_SECONDS = 1_700_000_000;
    private static final int UPTIME_MILLIS = 86_400_000;

    /** NetFlow v9 field types (= IPFIX element ids) and lengths of the IPv4 template. */
    private static final int[][] V4_FIELDS = {{8, 4}, {12, 4}, {7, 2}, {11, 2}, {4, 1}, {5, 1}, {6, 1}, {10, 4},
        {14, 4}, {1, 8}, {2, 8}, {0, 4}, {0, 4}, {16, 4}, {17, 4}, {9, 1}, {13, 1}, {15, 4}, {61, 1}, {58, 2}};
    /** ... and of the IPv6 template (addresses, next hop and prefix lengths of IPv6, a flow label). */
    private static final int[][] V6_FIELDS = {{27, 16}, {28, 16}, {7, 2}, {11, 2}, {4, 1}, {5, 1}, {6, 1},
        {10, 4}, {14, 4}, {1, 8}, {2, 8}, {0, 4}, {0, 4}, {29, 1}, {30, 1}, {62, 16}, {31, 4}, {61, 1}};
    /** The time fields (type 0 above): v9 FIRST/LAST_SWITCHED (uptime), IPFIX flowStart/EndSeconds. */
    private static final int[] V9_TIMES = {22, 21};
    private static final int[] IPFIX_TIMES = {150, 151};

    /**
     * Template ids: IPv4 flows, IPv6 flows, and the options template (scope System (v9) / meteringProcessId (IPFIX),
     * samplingInterval, samplingAlgorithm). They share a slot of the decoder's template table, as other exporters'
     * ids do, so that its lookups take their probing branch too.
     */
    private static final int V4_TEMPLATE = 256;
    private static final int V6_TEMPLATE = 264;
    private static final int OPTIONS_TEMPLATE = 272;
    /** An options data set of one record: set header, scope (4), interval (4), algorithm (1), padding (3). */
    private static final int OPTIONS_SET_BYTES = 16;

    /** Where an sFlow datagram's IPv4 agent address is (the warm-up gives each exporter its own). */
    static final int SFLOW_AGENT_OFFSET = 8;

    private static final int[] SERVICES = {443, 443, 443, 80, 53, 123, 22, 25, 993, 3389, 8080, 5060};

    /** One datagram, and whether it carries templates (sent first and then now and again). */
    record Datagram(byte[] bytes, boolean templates) {
        boolean sflow() {
            return bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 5;
        }
    }

    private WarmUpTraffic() {
    }

    /** Every protocol's datagrams: for each, its template datagrams before its data datagrams. */
    static List<Datagram> datagrams() {
        List<Datagram> all = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(2055);
        for (int i = 0; i < 4; i++) {
            all.add(new Datagram(netflowV5(r, i), false));
        }
        all.add(new Datagram(templates(9), true));
        all.add(new Datagram(templates(10), true));
        for (int i = 0; i < 4; i++) {
            all.add(new Datagram(data(9, r, i, i % 2 == 1, i == 0), false));
            all.add(new Datagram(data(10, r, i, i % 2 == 1, i == 0), false));
            all.add(new Datagram(sflow(r, i), false));
        }
        return all;
    }

    /** A flow of documentation addresses; {@code v6} picks 2001:db8::/32 instead of 192.0.2.0/24 / 198.51.100.0/24. */
    private static final class Flow {
        final byte[] src;
        final byte[] dst;
        final int srcPort;
        final int dstPort;
        final int protocol;
        final int tos;
        final int flags;
        final int input;
        final int output;
        final long packets;
        final long bytes;
        final int endAge;
        final int startAge;

        Flow(SplittableRandom r, boolean v6) {
            boolean out = r.nextBoolean();
            byte[] inside = v6 ? v6(0x20010db8, 1, r.nextInt()) : v4(0xC0000200 | r.nextInt(256));
            byte[] outside = v6 ? v6(0x20010db8, 0xffff, r.nextInt()) : v4(0xC6336400 | r.nextInt(256));
            src = out ? inside : outside;
            dst = out ? outside : inside;
            int p = r.nextInt(20); // 70 % TCP, 20 % UDP, 5 % ICMP, 5 % GRE
            protocol = p < 14 ? 6 : p < 18 ? 17 : p < 19 ? (v6 ? 58 : 1) : 47;
            int service = SERVICES[r.nextInt(SERVICES.length)];
            int ephemeral = 32768 + r.nextInt(28232);
            boolean icmp = protocol == 1 || protocol == 58;
            srcPort = icmp ? 0 : out ? ephemeral : service;
            dstPort = icmp ? (protocol == 1 ? 8 : 128) << 8 : out ? service : ephemeral;
            tos = r.nextInt(4) == 0 ? 0xB8 : 0;
            flags = protocol == 6 ? 0x10 | (r.nextBoolean() ? 0x02 : 0) | (r.nextInt(3) == 0 ? 0x01 : 0) : 0;
            input = 1 + r.nextInt(48);
            output = 1 + r.nextInt(48);
            packets = 1 + (r.nextInt(8) == 0 ? r.nextInt(100_000) : r.nextInt(40));
            bytes = packets * (40 + r.nextInt(1461));
            endAge = r.nextInt(30_000);
            startAge = endAge + r.nextInt(120_000);
        }

        private static byte[] v4(int a) {
            return ByteBuffer.allocate(4).putInt(a).array();
        }

        private static byte[] v6(int prefix, int subnet, int host) {
            return ByteBuffer.allocate(16).putInt(prefix).putInt(subnet).putInt(0).putInt(host).array();
        }
    }

    private static byte[] netflowV5(SplittableRandom r, int n) {
        int count = 28; // 1,368 bytes
        ByteBuffer b = ByteBuffer.allocate(24 + count * 48);
        b.putShort((short) 5).putShort((short) count).putInt(UPTIME_MILLIS).putInt(EXPORT_SECONDS).putInt(0)
                .putInt(n * count).put((byte) 0).put((byte) 1).putShort((short) 0);
        for (int i = 0; i < count; i++) {
            Flow f = new Flow(r, false);
            b.put(f.src).put(f.dst).putInt(0xC0000201).putShort((short) f.input).putShort((short) f.output)
                    .putInt((int) f.packets).putInt((int) f.bytes).putInt(UPTIME_MILLIS - f.startAge)
                    .putInt(UPTIME_MILLIS - f.endAge).putShort((short) f.srcPort).putShort((short) f.dstPort)
                    .put((byte) 0).put((byte) f.flags).put((byte) f.protocol).put((byte) f.tos)
                    .putShort((short) r.nextInt(64_000)).putShort((short) 0).put((byte) 24).put((byte) 24)
                    .putShort((short) 0);
        }
        return b.array();
    }

    /**
     * A NetFlow v9 ({@code version} 9) or IPFIX (10) datagram with the IPv4 and IPv6 templates and the options
     * template.
     */
    private static byte[] templates(int version) {
        ByteBuffer b = ByteBuffer.allocate(512);
        header(b, version, 3, 0);
        int set = b.position();
        b.putShort((short) (version == 9 ? 0 : 2)).putShort((short) 0);
        template(b, V4_TEMPLATE, V4_FIELDS, version);
        template(b, V6_TEMPLATE, V6_FIELDS, version);
        b.putShort(set + 2, (short) (b.position() - set));
        set = b.position();
        if (version == 9) { // RFC 3954 5.1: scope and option lengths in bytes
            b.putShort((short) 1).putShort((short) 0).putShort((short) OPTIONS_TEMPLATE).putShort((short) 4)
                    .putShort((short) 8).putShort((short) 1).putShort((short) 4);
        } else { // RFC 7011 3.4.2.2: field count, scope field count
            b.putShort((short) 3).putShort((short) 0).putShort((short) OPTIONS_TEMPLATE).putShort((short) 3)
                    .putShort((short) 1).putShort((short) 143).putShort((short) 4);
        }
        b.putShort((short) 34).putShort((short) 4).putShort((short) 35).putShort((short) 1).putShort((short) 0);
        b.putShort(set + 2, (short) (b.position() - set));
        return finish(b, version);
    }

    private static void template(ByteBuffer b, int id, int[][] fields, int version) {
        int[] times = version == 9 ? V9_TIMES : IPFIX_TIMES;
        b.putShort((short) id).putShort((short) fields.length);
        int t = 0;
        for (int[] f : fields) {
            b.putShort((short) (f[0] == 0 ? times[t++] : f[0])).putShort((short) f[1]);
        }
    }

    /**
     * A data datagram of the IPv4 or (with {@code v6}) IPv6 template, as many records as fit 1,400 bytes, and with
     * {@code options} an options data set after them.
     */
    private static byte[] data(int version, SplittableRandom r, int n, boolean v6, boolean options) {
        int[][] fields = v6 ? V6_FIELDS : V4_FIELDS;
        int length = 0;
        for (int[] f : fields) {
            length += f[1];
        }
        int extra = options ? OPTIONS_SET_BYTES : 0;
        int count = (1400 - 24 - extra) / length;
        ByteBuffer b = ByteBuffer.allocate(24 + count * length + extra);
        header(b, version, count + (options ? 1 : 0), n * count);
        b.putShort((short) (v6 ? V6_TEMPLATE : V4_TEMPLATE)).putShort((short) (4 + count * length));
        for (int i = 0; i < count; i++) {
            Flow f = new Flow(r, v6);
            b.put(f.src).put(f.dst).putShort((short) f.srcPort).putShort((short) f.dstPort).put((byte) f.protocol)
                    .put((byte) f.tos).put((byte) f.flags).putInt(f.input).putInt(f.output).putLong(f.bytes)
                    .putLong(f.packets);
            if (version == 9) {
                b.putInt(UPTIME_MILLIS - f.startAge).putInt(UPTIME_MILLIS - f.endAge);
            } else {
                b.putInt(EXPORT_SECONDS - f.startAge / 1000).putInt(EXPORT_SECONDS - f.endAge / 1000);
            }
            if (v6) {
                b.put((byte) 48).put((byte) 64).put(f.dst).putInt(r.nextInt(1 << 20)).put((byte) (i & 1));
            } else {
                b.putInt(r.nextInt(64_000)).putInt(0).put((byte) 24).put((byte) 24).putInt(0xC0000201)
                        .put((byte) (i & 1)).putShort((short) (100 + f.input % 20));
            }
        }
        if (options) { // sampling interval 1: the records stay unsampled
            b.putShort((short) OPTIONS_TEMPLATE).putShort((short) OPTIONS_SET_BYTES).putInt(1).putInt(1)
                    .put((byte) 1).put(new byte[3]);
        }
        return finish(b, version);
    }

    private static void header(ByteBuffer b, int version, int count, int sequence) {
        if (version == 9) { // count: records (data or template) in the packet
            b.putShort((short) 9).putShort((short) count).putInt(UPTIME_MILLIS).putInt(EXPORT_SECONDS)
                    .putInt(sequence).putInt(1);
        } else { // length patched in finish(); sequence counts data records
            b.putShort((short) 10).putShort((short) 0).putInt(EXPORT_SECONDS).putInt(sequence).putInt(1);
        }
    }

    private static byte[] finish(ByteBuffer b, int version) {
        if (version == 10) {
            b.putShort(2, (short) b.position());
        }
        byte[] out = new byte[b.position()];
        b.get(0, out);
        return out;
    }

    /**
     * An sFlow v5 datagram: four flow samples (Ethernet frames of IPv4 or IPv6 with TCP, UDP, ICMP or GRE) and one
     * counter sample.
     * Its agent address (IPv4, at {@link #SFLOW_AGENT_OFFSET}) is 192.0.2.1.
     */
    private static byte[] sflow(SplittableRandom r, int n) {
        int headerBytes = 128;
        ByteBuffer b = ByteBuffer.allocate(1400);
        b.putInt(5).putInt(1).putInt(0xC0000201).putInt(1).putInt(n).putInt(UPTIME_MILLIS).putInt(5);
        for (int i = 0; i < 4; i++) {
            boolean v6 = i == 3;
            Flow f = new Flow(r, v6);
            // every transport the header parser tells apart, in turn: TCP, UDP, ICMP / ICMPv6, other (GRE)
            int protocol = v6 ? new int[] {17, 6, 58, 47}[n % 4] : new int[] {6, 17, 1, 47}[(n * 3 + i) % 4];
            int ipLength = (int) Math.max(headerBytes, f.bytes / f.packets);
            int sample = b.position();
            b.putInt(1).putInt(0); // flow sample, length patched below
            b.putInt(n * 4 + i).putInt(f.input).putInt(1024).putInt(1024 * (n * 4 + i + 1)).putInt(0)
                    .putInt(f.input).putInt(f.output).putInt(4);
            b.putInt(1).putInt(16 + headerBytes).putInt(1).putInt(14 + 4 + ipLength + 4).putInt(4).putInt(headerBytes);
            int frame = b.position();
            b.putShort((short) 0x0010).putInt(0xDB000000 | f.output).putShort((short) 0x02AB).putInt(f.input)
                    .putShort((short) 0x8100).putShort((short) (100 + f.input % 20))
                    .putShort((short) (v6 ? 0x86DD : 0x0800));
            if (v6) {
                b.putInt(6 << 28 | f.tos << 20).putShort((short) (ipLength - 40)).put((byte) protocol).put((byte) 64)
                        .put(f.src).put(f.dst).putShort((short) f.srcPort).putShort((short) f.dstPort)
                        .putShort((short) (ipLength - 40)).putShort((short) 0);
            } else {
                b.put((byte) 0x45).put((byte) f.tos).putShort((short) ipLength).putShort((short) r.nextInt(1 << 16))
                        .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0).put(f.src)
                        .put(f.dst).putShort((short) f.srcPort).putShort((short) f.dstPort).putInt(r.nextInt())
                        .putInt(r.nextInt()).putShort((short) (5 << 12 | 0x10 | f.flags)).putShort((short) 65535)
                        .putInt(0);
            }
            while (b.position() < frame + headerBytes) {
                b.put((byte) r.nextInt(256));
            }
            b.putInt(1001).putInt(16).putInt(100).putInt(0).putInt(100 + f.input % 20).putInt(0);
            b.putInt(1002).putInt(16).putInt(1).putInt(0xC0000201).putInt(24).putInt(24); // router: next hop, masks
            b.putInt(1003).putInt(48).putInt(1).putInt(0xC0000201).putInt(64_500).putInt(64_501 + i) // gateway
                    .putInt(64_510).putInt(1).putInt(2).putInt(2).putInt(64_510).putInt(64_520 + n) // AS path
                    .putInt(0).putInt(100); // no communities, local preference
            b.putInt(sample + 4, b.position() - sample - 8);
        }
        int sample = b.position();
        int ifIndex = 1 + n;
        b.putInt(2).putInt(0).putInt(n).putInt(ifIndex).putInt(2);
        b.putInt(1).putInt(88).putInt(ifIndex).putInt(6).putLong(10_000_000_000L).putInt(1).putInt(3)
                .putLong(r.nextLong(1L << 50)).putInt(r.nextInt(1 << 30)).putInt(r.nextInt(1 << 20)).putInt(0)
                .putInt(0).putInt(0).putInt(0).putLong(r.nextLong(1L << 50)).putInt(r.nextInt(1 << 30))
                .putInt(r.nextInt(1 << 20)).putInt(0).putInt(0).putInt(0).putInt(0);
        b.putInt(2).putInt(52);
        for (int k = 0; k < 13; k++) {
            b.putInt(0);
        }
        b.putInt(sample + 4, b.position() - sample - 8);
        byte[] out = new byte[b.position()];
        b.get(0, out);
        return out;
    }
}
