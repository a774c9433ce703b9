package dev.sluice.examples.capture;

import static dev.sluice.examples.capture.CaptureReads.readAll;
import static dev.sluice.examples.capture.CaptureReads.write;
import static dev.sluice.examples.capture.TestFrames.COLLECTOR_V4;
import static dev.sluice.examples.capture.TestFrames.COLLECTOR_V6;
import static dev.sluice.examples.capture.TestFrames.ETHERTYPE_IPV4;
import static dev.sluice.examples.capture.TestFrames.EXPORTER_V4;
import static dev.sluice.examples.capture.TestFrames.EXPORTER_V6;
import static dev.sluice.examples.capture.TestFrames.PROTO_UDP;
import static dev.sluice.examples.capture.TestFrames.ethernet;
import static dev.sluice.examples.capture.TestFrames.ethernetIpv4Udp;
import static dev.sluice.examples.capture.TestFrames.ipv4;
import static dev.sluice.examples.capture.TestFrames.ipv6;
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

class PcapngReaderTest {

    private static final byte[] V5 = CorpusPayloads.bytes(CorpusPayloads.NETFLOW5);
    private static final byte[] IPFIX = CorpusPayloads.bytes(CorpusPayloads.IPFIX);
    private static final byte[] V9 = CorpusPayloads.bytes(CorpusPayloads.NETFLOW9_SRX);
    private static final byte[] MIKROTIK = CorpusPayloads.bytes(CorpusPayloads.IPFIX_MIKROTIK);

    private static final long EPOCH_SECONDS = 1_700_000_000L;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void interfacesWithDifferentTimestampResolutions(String byteOrder) throws Exception {
        ByteOrder order = byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] file = new PcapngFileBuilder(order)
                .interfaceBlock(1, 262_144, null, null)          // 0: Ethernet, microseconds (default)
                .interfaceBlock(101, 65_535, 9, null)            // 1: raw IP, nanoseconds
                .interfaceBlock(1, 0, 0x80 | 20, null)           // 2: Ethernet, 2^-20 s
                .interfaceBlock(228, 0, 3, 3600L)                // 3: raw IPv4, milliseconds, +1 h offset
                .enhancedPacket(0, EPOCH_SECONDS * 1_000_000 + 654_321, ethernetIpv4Udp(1, 2055, V5))
                .enhancedPacket(1, EPOCH_SECONDS * 1_000_000_000 + 123_456_789,
                        ipv6(EXPORTER_V6, COLLECTOR_V6, PROTO_UDP, udp(2, 4739, IPFIX)))
                .enhancedPacket(2, (EPOCH_SECONDS << 20) | (1 << 19), ethernetIpv4Udp(3, 2055, V9))
                .enhancedPacket(3, EPOCH_SECONDS * 1000 + 7,
                        ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP, udp(4, 4739, MIKROTIK)))
                .bytes();

        Result result = readAll(write(dir, "two-interfaces.pcapng", file));

        assertThat(result.datagrams()).extracting(Received::payload).containsExactly(V5, IPFIX, V9, MIKROTIK);
        assertThat(result.datagrams()).extracting(Received::micros).containsExactly(
                EPOCH_SECONDS * 1_000_000 + 654_321,
                EPOCH_SECONDS * 1_000_000 + 123_456,
                EPOCH_SECONDS * 1_000_000 + 500_000,
                (EPOCH_SECONDS + 3600) * 1_000_000 + 7_000);
        assertThat(result.datagrams().get(1).source()).isEqualTo("2001:db8:0:0:0:0:0:42");
        assertThat(result.datagrams().get(3).sourcePort()).isEqualTo(4);
        assertThat(result.stats()).isEqualTo(new CaptureStats(4, 4, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void newSectionSwitchesByteOrderAndForgetsInterfaces() throws Exception {
        PcapngFileBuilder builder = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(1, 0, 9, null)
                .enhancedPacket(0, 5_000, ethernetIpv4Udp(1, 2055, V5));
        builder.section(ByteOrder.BIG_ENDIAN)
                .interfaceBlock(101, 0, null, null)
                .enhancedPacket(0, 7, ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP, udp(2, 2055, IPFIX)));

        Result result = readAll(write(dir, "sections.pcapng", builder.bytes()));

        assertThat(result.datagrams()).extracting(Received::payload).containsExactly(V5, IPFIX);
        assertThat(result.datagrams()).extracting(Received::micros).containsExactly(5L, 7L);
    }

    @Test
    void simplePacketBlocksUseInterfaceZeroAndItsSnapshotLength() throws Exception {
        byte[] frame = ethernetIpv4Udp(1, 2055, V5);
        byte[] file = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(1, 0, null, null)
                .simplePacket(ethernetIpv4Udp(1, 2055, IPFIX))
                .bytes();
        byte[] snapped = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(1, 300, null, null)
                .simplePacket(frame)
                .bytes();

        Received whole = readAll(write(dir, "spb.pcapng", file)).only();
        Received cut = readAll(write(dir, "spb-snap.pcapng", snapped)).only();

        assertThat(whole.payload()).isEqualTo(IPFIX);
        assertThat(whole.micros()).isEqualTo(UdpDatagram.UNKNOWN_TIME);
        assertThat(cut.partial()).isTrue();
        assertThat(cut.payload()).isEqualTo(Arrays.copyOf(V5, 300 - 42));
    }

    @Test
    void unknownBlocksAreSkippedByLength() throws Exception {
        byte[] file = new PcapngFileBuilder(ByteOrder.BIG_ENDIAN)
                .block(0x0000_0BAD, new byte[1000])
                .interfaceBlock(1, 0, null, null)
                .block(PcapngFileBuilder.NRB, new byte[] {0, 1, 0, 8, 10, 1, 2, 3, 'a', '.', 'b', 0, 0, 0, 0, 0})
                .enhancedPacket(0, 1, ethernetIpv4Udp(1, 2055, V9))
                .block(PcapngFileBuilder.ISB, new byte[12])
                .block(0x4000_0BAD, new byte[] {1, 2, 3})
                .obsoletePacket(0, 2, ethernetIpv4Udp(1, 2055, V5))
                .bytes();

        Result result = readAll(write(dir, "unknown-blocks.pcapng", file));

        assertThat(result.datagrams()).extracting(Received::payload).containsExactly(V9, V5);
        assertThat(result.datagrams()).extracting(Received::micros).containsExactly(1L, 2L);
    }

    @Test
    void nonUdpPacketsAreCounted() throws Exception {
        byte[] file = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(1, 0, null, null)
                .enhancedPacket(0, 1, ethernet(0x0806, new byte[28]))
                .enhancedPacket(0, 2, ethernet(ETHERTYPE_IPV4, ipv4(EXPORTER_V4, COLLECTOR_V4, 1, new byte[8])))
                .enhancedPacket(0, 3, ethernetIpv4Udp(1, 2055, V5))
                .bytes();

        Result result = readAll(write(dir, "mixed.pcapng", file));

        assertThat(result.only().payload()).isEqualTo(V5);
        assertThat(result.stats().notUdp()).isEqualTo(2);
        assertThat(result.stats().packets()).isEqualTo(3);
    }

    @Test
    void streamAndFileReadTheSame() throws Exception {
        byte[] file = new PcapngFileBuilder(ByteOrder.BIG_ENDIAN)
                .block(0x0000_0BAD, new byte[100])
                .interfaceBlock(1, 0, null, null)
                .enhancedPacket(0, 1, ethernetIpv4Udp(1, 2055, V9))
                .bytes();

        assertThat(CaptureReads.readStream(file, CaptureFormat.PCAPNG).only().payload()).isEqualTo(V9);
    }
}
