package dev.sluice.examples.capture;

import static dev.sluice.examples.capture.CaptureReads.readAll;
import static dev.sluice.examples.capture.CaptureReads.write;
import static dev.sluice.examples.capture.TestFrames.COLLECTOR_V4;
import static dev.sluice.examples.capture.TestFrames.COLLECTOR_V6;
import static dev.sluice.examples.capture.TestFrames.ETHERTYPE_ARP;
import static dev.sluice.examples.capture.TestFrames.ETHERTYPE_IPV4;
import static dev.sluice.examples.capture.TestFrames.ETHERTYPE_IPV6;
import static dev.sluice.examples.capture.TestFrames.EXPORTER_V4;
import static dev.sluice.examples.capture.TestFrames.EXPORTER_V6;
import static dev.sluice.examples.capture.TestFrames.PROTO_TCP;
import static dev.sluice.examples.capture.TestFrames.PROTO_UDP;
import static dev.sluice.examples.capture.TestFrames.concat;
import static dev.sluice.examples.capture.TestFrames.ethernet;
import static dev.sluice.examples.capture.TestFrames.ethernetIpv4Udp;
import static dev.sluice.examples.capture.TestFrames.ipv4;
import static dev.sluice.examples.capture.TestFrames.ipv6;
import static dev.sluice.examples.capture.TestFrames.ipv6Fragment;
import static dev.sluice.examples.capture.TestFrames.ipv6Options;
import static dev.sluice.examples.capture.TestFrames.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.examples.capture.CaptureReads.Received;
import dev.sluice.examples.capture.CaptureReads.Result;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcapReaderTest {

    private static final byte[] V5 = CorpusPayloads.bytes(CorpusPayloads.NETFLOW5);
    private static final byte[] IPFIX = CorpusPayloads.bytes(CorpusPayloads.IPFIX);
    private static final byte[] V9 = CorpusPayloads.bytes(CorpusPayloads.NETFLOW9_TEMPLATE);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void ethernetIpv4UdpInBothByteOrders(String byteOrder) throws Exception {
        ByteOrder order = byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] tcp = ethernet(ETHERTYPE_IPV4, ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_TCP, new byte[40]));
        byte[] arp = ethernet(ETHERTYPE_ARP, new byte[28]);
        byte[] file = new PcapFileBuilder(order, false, 1)
                .packet(1_700_000_000L, 123_456, ethernetIpv4Udp(50_000, 2055, V5))
                .packet(1_700_000_001L, 0, tcp)
                .packet(1_700_000_002L, 999_999, ethernetIpv4Udp(50_001, 4739, IPFIX))
                .packet(1_700_000_003L, 1, arp)
                .packet(1_700_000_004L, 500_000, ethernetIpv4Udp(50_002, 9995, V9))
                .bytes();

        Result result = readAll(write(dir, "flows.pcap", file));

        assertThat(result.datagrams()).hasSize(3);
        Received first = result.datagrams().get(0);
        assertThat(first.source()).isEqualTo("10.1.2.3");
        assertThat(first.sourcePort()).isEqualTo(50_000);
        assertThat(first.destination()).isEqualTo("192.168.7.9");
        assertThat(first.destinationPort()).isEqualTo(2055);
        assertThat(first.micros()).isEqualTo(1_700_000_000_123_456L);
        assertThat(first.payload()).isEqualTo(V5);
        assertThat(first.partial()).isFalse();
        assertThat(result.datagrams().get(1).payload()).isEqualTo(IPFIX);
        assertThat(result.datagrams().get(1).micros()).isEqualTo(1_700_000_002_999_999L);
        assertThat(result.datagrams().get(2).payload()).isEqualTo(V9);
        assertThat(result.datagrams().get(2).destinationPort()).isEqualTo(9995);
        assertThat(result.stats()).isEqualTo(new CaptureStats(5, 3, 0, 2, 0, 0, 0, 0));
    }

    @Test
    void nanosecondPcapKeepsMicroseconds() throws Exception {
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, true, 1)
                .packet(1_700_000_000L, 123_456_789, ethernetIpv4Udp(1, 2055, V5))
                .bytes();

        Received only = readAll(write(dir, "nanos.pcap", file)).only();

        assertThat(only.micros()).isEqualTo(1_700_000_000_123_456L);
        assertThat(only.payload()).isEqualTo(V5);
    }

    @Test
    void bigEndianNanosecondPcap() throws Exception {
        byte[] file = new PcapFileBuilder(ByteOrder.BIG_ENDIAN, true, 1)
                .packet(2, 5_000, ethernetIpv4Udp(1, 2055, IPFIX))
                .bytes();

        assertThat(readAll(write(dir, "be-nanos.pcap", file)).only().micros()).isEqualTo(2_000_005L);
    }

    @Test
    void vlanTagsAreSkipped() throws Exception {
        byte[] udp = ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP, udp(7, 2055, V9));
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 1)
                .packet(1, 0, ethernet(ETHERTYPE_IPV4, udp, 0x8100))
                .packet(2, 0, ethernet(ETHERTYPE_IPV4, udp, 0x88A8, 0x8100))
                .packet(3, 0, ethernet(ETHERTYPE_IPV4, udp, 0x9100, 0x8100, 0x8100))
                .bytes();

        Result result = readAll(write(dir, "vlan.pcap", file));

        assertThat(result.datagrams()).hasSize(3).allSatisfy(d -> {
            assertThat(d.payload()).isEqualTo(V9);
            assertThat(d.source()).isEqualTo("10.1.2.3");
        });
    }

    @Test
    void payloadLengthComesFromTheIpHeaderNotTheCaptureLength() throws Exception {
        byte[] trailer = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; // Ethernet padding / FCS after the IP packet
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 1)
                .packet(1, 0, concat(ethernetIpv4Udp(1, 2055, V5), trailer))
                .packet(2, 0, concat(ethernetIpv4Udp(1, 2055, new byte[] {0, 5}), new byte[30]))
                .bytes();

        Result result = readAll(write(dir, "padded.pcap", file));

        assertThat(result.datagrams().get(0).payload()).isEqualTo(V5);
        assertThat(result.datagrams().get(1).payload()).containsExactly(0, 5);
    }

    @Test
    void ipv4OptionsAreHonoured() throws Exception {
        byte[] options = {(byte) 0x94, 4, 0, 0, 1, 1, 1, 0}; // router alert, NOP, NOP, NOP, EOL
        byte[] packet = ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP, udp(9, 2055, IPFIX), options, 0);
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 1)
                .packet(1, 0, ethernet(ETHERTYPE_IPV4, packet))
                .bytes();

        Received only = readAll(write(dir, "options.pcap", file)).only();

        assertThat(only.payload()).isEqualTo(IPFIX);
        assertThat(only.sourcePort()).isEqualTo(9);
    }

    @Test
    void ipv4FirstFragmentIsPartialAndLaterFragmentsAreSkipped() throws Exception {
        byte[] datagram = udp(9, 2055, V5);
        byte[] firstPart = Arrays.copyOf(datagram, 1000);
        byte[] secondPart = Arrays.copyOfRange(datagram, 1000, datagram.length);
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 1)
                .packet(1, 0, ethernet(ETHERTYPE_IPV4,
                        ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP, firstPart, new byte[0], 0x2000)))
                .packet(1, 1, ethernet(ETHERTYPE_IPV4,
                        ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP, secondPart, new byte[0], 1000 / 8)))
                .bytes();

        Result result = readAll(write(dir, "fragments.pcap", file));

        Received only = result.only();
        assertThat(only.partial()).isTrue();
        assertThat(only.payload()).isEqualTo(Arrays.copyOfRange(V5, 0, 1000 - 8));
        assertThat(result.stats().laterFragments()).isEqualTo(1);
        assertThat(result.stats().partialDatagrams()).isEqualTo(1);
    }

    @Test
    void ipv6ExtensionHeadersAreWalked() throws Exception {
        byte[] hopByHopThenDestinationThenUdp = concat(ipv6Options(60, 0), ipv6Options(43, 1),
                concat(ipv6Options(PROTO_UDP, 0)), udp(4739, 4739, IPFIX));
        byte[] atomicFragment = concat(ipv6Fragment(PROTO_UDP, 0, false), udp(2055, 2055, V9));
        byte[] laterFragment = concat(ipv6Fragment(PROTO_UDP, 100, false), new byte[64]);
        byte[] tcp = concat(ipv6Options(PROTO_TCP, 0), new byte[40]);
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 1)
                .packet(1, 0, ethernet(ETHERTYPE_IPV6, ipv6(EXPORTER_V6, COLLECTOR_V6, 0,
                        hopByHopThenDestinationThenUdp)))
                .packet(2, 0, ethernet(ETHERTYPE_IPV6, ipv6(EXPORTER_V6, COLLECTOR_V6, 44, atomicFragment)))
                .packet(3, 0, ethernet(ETHERTYPE_IPV6, ipv6(EXPORTER_V6, COLLECTOR_V6, 44, laterFragment)))
                .packet(4, 0, ethernet(ETHERTYPE_IPV6, ipv6(EXPORTER_V6, COLLECTOR_V6, 60, tcp)))
                .bytes();

        Result result = readAll(write(dir, "ipv6.pcap", file));

        assertThat(result.datagrams()).hasSize(2);
        Received first = result.datagrams().get(0);
        assertThat(first.source()).isEqualTo("2001:db8:0:0:0:0:0:42");
        assertThat(first.destination()).isEqualTo("2001:db8:0:0:0:0:0:99");
        assertThat(first.sourcePort()).isEqualTo(4739);
        assertThat(first.payload()).isEqualTo(IPFIX);
        assertThat(result.datagrams().get(1).payload()).isEqualTo(V9);
        assertThat(result.datagrams().get(1).partial()).isFalse();
        assertThat(result.stats().laterFragments()).isEqualTo(1);
        assertThat(result.stats().notUdp()).isEqualTo(1);
    }

    @Test
    void ipv6FirstFragmentIsPartial() throws Exception {
        byte[] datagram = udp(2055, 2055, V9);
        byte[] first = concat(ipv6Fragment(PROTO_UDP, 0, true), Arrays.copyOf(datagram, 512));
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 1)
                .packet(1, 0, ethernet(ETHERTYPE_IPV6, ipv6(EXPORTER_V6, COLLECTOR_V6, 44, first)))
                .bytes();

        Received only = readAll(write(dir, "ipv6-fragment.pcap", file)).only();

        assertThat(only.partial()).isTrue();
        assertThat(only.payload()).isEqualTo(Arrays.copyOf(V9, 504));
    }

    @Test
    void linuxCookedCaptures() throws Exception {
        byte[] v4 = ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP, udp(1, 2055, V5));
        byte[] v6 = ipv6(EXPORTER_V6, COLLECTOR_V6, PROTO_UDP, udp(2, 4739, IPFIX));
        byte[] sll = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 113)
                .packet(1, 0, TestFrames.sll(ETHERTYPE_IPV4, v4))
                .packet(2, 0, TestFrames.sll(ETHERTYPE_IPV6, v6))
                .packet(3, 0, TestFrames.sll(ETHERTYPE_ARP, new byte[28]))
                .bytes();
        byte[] sll2 = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 276)
                .packet(1, 0, TestFrames.sll2(ETHERTYPE_IPV4, v4))
                .packet(2, 0, TestFrames.sll2(ETHERTYPE_IPV6, v6))
                .bytes();

        for (Result result : new Result[] {readAll(write(dir, "sll.pcap", sll)),
                readAll(write(dir, "sll2.pcap", sll2))}) {
            assertThat(result.datagrams()).hasSize(2);
            assertThat(result.datagrams().get(0).payload()).isEqualTo(V5);
            assertThat(result.datagrams().get(1).payload()).isEqualTo(IPFIX);
            assertThat(result.datagrams().get(1).source()).isEqualTo("2001:db8:0:0:0:0:0:42");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {101, 12, 14})
    void rawIpBothVersions(int linkType) throws Exception {
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, linkType)
                .packet(1, 0, ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP, udp(1, 2055, V5)))
                .packet(2, 0, ipv6(EXPORTER_V6, COLLECTOR_V6, PROTO_UDP, udp(2, 4739, IPFIX)))
                .bytes();

        Result result = readAll(write(dir, "raw.pcap", file));

        assertThat(result.datagrams()).extracting(Received::payload).containsExactly(V5, IPFIX);
    }

    @Test
    void rawIpv4AndIpv6LinkTypes() throws Exception {
        byte[] v4 = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 228)
                .packet(1, 0, ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP, udp(1, 2055, V5)))
                .bytes();
        byte[] v6 = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 229)
                .packet(1, 0, ipv6(EXPORTER_V6, COLLECTOR_V6, PROTO_UDP, udp(2, 4739, IPFIX)))
                .bytes();

        assertThat(readAll(write(dir, "v4.pcap", v4)).only().payload()).isEqualTo(V5);
        assertThat(readAll(write(dir, "v6.pcap", v6)).only().payload()).isEqualTo(IPFIX);
    }

    @Test
    void loopbackInEitherHostByteOrder() throws Exception {
        byte[] v4 = ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP, udp(1, 2055, V5));
        byte[] v6 = ipv6(EXPORTER_V6, COLLECTOR_V6, PROTO_UDP, udp(2, 4739, IPFIX));
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 0)
                .packet(1, 0, TestFrames.loopback(2, ByteOrder.LITTLE_ENDIAN, v4))
                .packet(2, 0, TestFrames.loopback(2, ByteOrder.BIG_ENDIAN, v4))
                .packet(3, 0, TestFrames.loopback(30, ByteOrder.LITTLE_ENDIAN, v6))
                .packet(4, 0, TestFrames.loopback(10, ByteOrder.BIG_ENDIAN, v6))
                .packet(5, 0, TestFrames.loopback(7, ByteOrder.LITTLE_ENDIAN, v4))
                .bytes();
        byte[] loop = new PcapFileBuilder(ByteOrder.BIG_ENDIAN, false, 108)
                .packet(1, 0, TestFrames.loopback(24, ByteOrder.BIG_ENDIAN, v6))
                .bytes();

        Result result = readAll(write(dir, "null.pcap", file));

        assertThat(result.datagrams()).extracting(Received::payload).containsExactly(V5, V5, IPFIX, IPFIX);
        assertThat(result.stats().notUdp()).isEqualTo(1);
        assertThat(readAll(write(dir, "loop.pcap", loop)).only().payload()).isEqualTo(IPFIX);
    }

    @Test
    void snapshotLengthCutsArePartialOrSkipped() throws Exception {
        byte[] frame = ethernetIpv4Udp(1, 2055, V5);
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 1, 200)
                .packet(1, 0, frame, 200)
                .packet(2, 0, frame, 14 + 20 + 4)
                .bytes();

        Result result = readAll(write(dir, "snaplen.pcap", file));

        Received only = result.only();
        assertThat(only.partial()).isTrue();
        assertThat(only.payload()).isEqualTo(Arrays.copyOf(V5, 200 - 14 - 20 - 8));
        assertThat(result.stats().truncatedFrames()).isEqualTo(1);
    }

    @Test
    void unsupportedLinkTypeIsCountedNotFatal() throws Exception {
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 105)
                .packet(1, 0, new byte[60])
                .bytes();

        Result result = readAll(write(dir, "wifi.pcap", file));

        assertThat(result.datagrams()).isEmpty();
        assertThat(result.stats().unsupportedLinkType()).isEqualTo(1);
    }

    @Test
    void fcsBitsInTheLinkTypeFieldAreIgnored() throws Exception {
        int ethernetWithFcs = 1 | 0x1000_0000 | 4 << 29; // "F" bit and an FCS length
        byte[] file = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, ethernetWithFcs)
                .packet(1, 0, concat(ethernetIpv4Udp(1, 2055, V9), new byte[] {1, 2, 3, 4}))
                .bytes();

        assertThat(readAll(write(dir, "fcs.pcap", file)).only().payload()).isEqualTo(V9);
    }

    @Test
    void streamAndFileReadTheSame() throws Exception {
        byte[] file = new PcapFileBuilder(ByteOrder.BIG_ENDIAN, false, 1)
                .packet(1, 0, ethernetIpv4Udp(1, 2055, V5))
                .packet(2, 0, ethernetIpv4Udp(1, 2055, IPFIX))
                .bytes();

        Result fromStream = CaptureReads.readStream(file, CaptureFormat.PCAP);

        assertThat(fromStream.datagrams()).extracting(Received::payload).containsExactly(V5, IPFIX);
    }
}
