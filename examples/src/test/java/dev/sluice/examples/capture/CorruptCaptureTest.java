package dev.sluice.examples.capture;

import static dev.sluice.examples.capture.CaptureReads.write;
import static dev.sluice.examples.capture.TestFrames.COLLECTOR_V6;
import static dev.sluice.examples.capture.TestFrames.EXPORTER_V6;
import static dev.sluice.examples.capture.TestFrames.PROTO_UDP;
import static dev.sluice.examples.capture.TestFrames.concat;
import static dev.sluice.examples.capture.TestFrames.ethernetIpv4Udp;
import static dev.sluice.examples.capture.TestFrames.ipv6;
import static dev.sluice.examples.capture.TestFrames.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated and corrupt captures raise {@link CaptureFormatException} and nothing else. */
class CorruptCaptureTest {

    private static final byte[] V5 = CorpusPayloads.bytes(CorpusPayloads.NETFLOW5);
    private static final byte[] IPFIX = CorpusPayloads.bytes(CorpusPayloads.IPFIX);
    private static final byte[] SFLOW = Arrays.copyOf(CorpusPayloads.bytes(CorpusPayloads.NETFLOW9_SRX), 100);

    @TempDir
    Path dir;

    private static PcapFileBuilder smallPcap() {
        return new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, 1)
                .packet(1, 2, ethernetIpv4Udp(1, 2055, SFLOW))
                .packet(3, 4, ethernetIpv4Udp(1, 2055, new byte[] {0, 5, 0, 1}))
                .packet(5, 6, ethernetIpv4Udp(1, 2055, SFLOW));
    }

    private static PcapngFileBuilder smallPcapng() {
        return new PcapngFileBuilder(ByteOrder.BIG_ENDIAN)
                .interfaceBlock(1, 0, 9, null)
                .enhancedPacket(0, 10, ethernetIpv4Udp(1, 2055, SFLOW))
                .block(0x0000_0BAD, new byte[8])
                .simplePacket(ethernetIpv4Udp(1, 2055, new byte[] {0, 10, 0, 1}))
                .enhancedPacket(0, 20, ethernetIpv4Udp(1, 2055, SFLOW));
    }

    @Test
    void everyPrefixOfAPcapIsAnErrorOrEndsOnARecordBoundary() throws Exception {
        PcapFileBuilder builder = smallPcap();
        byte[] file = builder.bytes();
        List<Integer> ends = builder.recordEnds();
        for (int length = 0; length < file.length; length++) {
            byte[] prefix = Arrays.copyOf(file, length);
            int end = length;
            int complete = (int) ends.stream().filter(e -> e <= end).count();
            boolean boundary = length == builder.headerEnd() || ends.contains(length);
            for (boolean stream : new boolean[] {false, true}) {
                String what = "pcap prefix of " + length + " bytes, " + (stream ? "stream" : "file");
                if (boundary) {
                    assertThat(read(prefix, CaptureFormat.PCAP, stream).datagrams()).as(what).hasSize(complete);
                } else {
                    assertFormatError(prefix, CaptureFormat.PCAP, stream, what);
                }
            }
        }
    }

    @Test
    void everyPrefixOfAPcapngIsAnErrorOrEndsOnABlockBoundary() throws Exception {
        PcapngFileBuilder builder = smallPcapng();
        byte[] file = builder.bytes();
        List<Integer> ends = builder.blockEnds();
        List<Integer> packetEnds = List.of(ends.get(2), ends.get(4), ends.get(5));
        for (int length = 0; length < file.length; length++) {
            byte[] prefix = Arrays.copyOf(file, length);
            boolean boundary = ends.contains(length);
            int end = length;
            for (boolean stream : new boolean[] {false, true}) {
                String what = "pcapng prefix of " + length + " bytes, " + (stream ? "stream" : "file");
                if (boundary) {
                    int expected = (int) packetEnds.stream().filter(e -> e <= end).count();
                    assertThat(read(prefix, CaptureFormat.PCAPNG, stream).datagrams()).as(what).hasSize(expected);
                } else {
                    assertFormatError(prefix, CaptureFormat.PCAPNG, stream, what);
                }
            }
        }
    }

    @Test
    void absurdPcapRecordLengths() throws Exception {
        for (long length : new long[] {0xFFFF_FFFFL, 0x8000_0000L, 0x7FFF_FFFFL, CaptureReader.MAX_BLOCK_LENGTH + 1L,
                CaptureReader.MAX_BLOCK_LENGTH, 262_145, 100_000}) {
            byte[] file = smallPcap().bytes();
            ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8, (int) length);
            for (boolean stream : new boolean[] {false, true}) {
                assertFormatError(file, CaptureFormat.PCAP, stream, "incl_len " + length)
                        .satisfies(e -> assertThat(((CaptureFormatException) e).offset()).isBetween(24L, 40L));
            }
        }
    }

    @Test
    void pcapHeaderProblems() throws Exception {
        byte[] notPcap = CorpusPayloads.bytes(CorpusPayloads.IPFIX);
        assertFormatError(notPcap, CaptureFormat.PCAP, false, "IPFIX as pcap").hasMessageContaining("not a pcap file");

        byte[] version = smallPcap().bytes();
        version[4] = 3;
        assertFormatError(version, CaptureFormat.PCAP, false, "version 3").hasMessageContaining("version 3.4");
    }

    @Test
    void absurdPcapngBlockLengths() throws Exception {
        byte[] good = smallPcapng().bytes();
        int idb = new PcapngFileBuilder(ByteOrder.BIG_ENDIAN).bytes().length;
        for (long length : new long[] {0xFFFF_FFFCL, 0x8000_0000L, 0x7FFF_FFFCL, CaptureReader.MAX_BLOCK_LENGTH + 4L,
                CaptureReader.MAX_BLOCK_LENGTH, 4096, 13, 8, 0}) {
            for (int blockStart : new int[] {0, idb}) {
                byte[] file = good.clone();
                ByteBuffer.wrap(file).putInt(blockStart + 4, (int) length);
                for (boolean stream : new boolean[] {false, true}) {
                    assertFormatError(file, CaptureFormat.PCAPNG, stream, "block at " + blockStart + " length " + length);
                }
            }
        }
    }

    @Test
    void absurdLengthOfAnUnknownBlockIsNotLoaded() throws Exception {
        PcapngFileBuilder builder = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN);
        builder.raw(concat(builder.int32(0x0BAD), builder.int32(0xFFFF_FFF0), new byte[64]));

        for (boolean stream : new boolean[] {false, true}) {
            assertFormatError(builder.bytes(), CaptureFormat.PCAPNG, stream, "unknown block")
                    .hasMessageContaining("file ends");
        }
    }

    @Test
    void pcapngStructureProblems() throws Exception {
        PcapngFileBuilder noInterface = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                .enhancedPacket(0, 1, ethernetIpv4Udp(1, 2, V5));
        assertFormatError(noInterface.bytes(), CaptureFormat.PCAPNG, false, "EPB without IDB")
                .hasMessageContaining("interface 0");

        PcapngFileBuilder wrongInterface = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(1, 0, null, null)
                .enhancedPacket(7, 1, ethernetIpv4Udp(1, 2, V5));
        assertFormatError(wrongInterface.bytes(), CaptureFormat.PCAPNG, false, "EPB on interface 7")
                .hasMessageContaining("interface 7");

        PcapngFileBuilder spbWithoutInterface = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                .simplePacket(ethernetIpv4Udp(1, 2, V5));
        assertFormatError(spbWithoutInterface.bytes(), CaptureFormat.PCAPNG, false, "SPB without IDB");

        PcapngFileBuilder capturedTooLong = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(1, 0, null, null)
                .enhancedPacket(0, 1, ethernetIpv4Udp(1, 2, V5));
        byte[] file = capturedTooLong.bytes();
        int epb = capturedTooLong.blockEnds().get(1);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(epb + 20, 0x7FFF_0000);
        assertFormatError(file, CaptureFormat.PCAPNG, false, "EPB captured length").hasMessageContaining("overruns");

        byte[] trailer = capturedTooLong.bytes();
        int trailerAt = capturedTooLong.blockEnds().get(2) - 4;
        trailer[trailerAt] ^= 4;
        assertFormatError(trailer, CaptureFormat.PCAPNG, false, "trailer").hasMessageContaining("trailing");

        byte[] magic = capturedTooLong.bytes();
        magic[8] = 0x55;
        assertFormatError(magic, CaptureFormat.PCAPNG, false, "byte-order magic").hasMessageContaining("magic");

        byte[] version = capturedTooLong.bytes();
        version[12] = 2;
        assertFormatError(version, CaptureFormat.PCAPNG, false, "version").hasMessageContaining("version 2");

        byte[] first = CorpusPayloads.bytes(CorpusPayloads.NETFLOW5);
        assertFormatError(first, CaptureFormat.PCAPNG, false, "not pcapng").hasMessageContaining("not a pcapng file");
    }

    @Test
    void badInterfaceOptions() throws Exception {
        for (int resolution : new int[] {19, 40, 127, 0x80 | 64, 0xFF}) {
            byte[] file = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                    .interfaceBlock(1, 0, resolution, null)
                    .bytes();
            assertFormatError(file, CaptureFormat.PCAPNG, false, "if_tsresol " + resolution)
                    .hasMessageContaining("if_tsresol");
        }

        PcapngFileBuilder overrun = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, 0, null, null);
        byte[] file = overrun.bytes();
        int idb = overrun.blockEnds().get(0);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putShort(idb + 16 + 2, (short) 0x7FFF);
        assertFormatError(file, CaptureFormat.PCAPNG, false, "option length").hasMessageContaining("option 2");
    }

    @Test
    void timestampsThatCannotBeMicroseconds() throws Exception {
        byte[] frame = ethernetIpv4Udp(1, 2, V5);
        for (Integer resolution : new Integer[] {0, 3, null}) {
            byte[] file = new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                    .interfaceBlock(1, 0, resolution, null)
                    .enhancedPacket(0, -1L, frame)
                    .bytes();
            assertFormatError(file, CaptureFormat.PCAPNG, false, "timestamp at resolution " + resolution)
                    .hasMessageContaining("timestamp");
        }
    }

    /** Random damage to valid files: a reader may read garbage packets, but may only fail one way. */
    @Test
    void randomDamageOnlyEverRaisesCaptureFormatException() throws Exception {
        Random random = new Random(20_261_127L);
        byte[][] originals = {smallPcap().bytes(), smallPcapng().bytes(), mixedLinkTypes()};
        CaptureFormat[] formats = {CaptureFormat.PCAP, CaptureFormat.PCAPNG, CaptureFormat.PCAPNG};
        int errors = 0;
        for (int round = 0; round < 1500; round++) {
            int which = round % originals.length;
            byte[] file = originals[which].clone();
            int damage = 1 + random.nextInt(6);
            for (int i = 0; i < damage; i++) {
                int at = random.nextInt(file.length);
                switch (random.nextInt(4)) {
                    case 0:
                        file[at] = (byte) random.nextInt(256);
                        break;
                    case 1:
                        file[at] ^= (byte) (1 << random.nextInt(8));
                        break;
                    case 2:
                        file[at] = (byte) (random.nextBoolean() ? 0 : 0xFF);
                        break;
                    default:
                        if (at + 4 <= file.length) {
                            ByteBuffer.wrap(file).putInt(at, random.nextInt());
                        }
                        break;
                }
            }
            if (random.nextInt(4) == 0) {
                file = Arrays.copyOf(file, random.nextInt(file.length));
            }
            try {
                read(file, formats[which], random.nextBoolean());
            } catch (CaptureFormatException expected) {
                errors++;
            } catch (Exception | Error e) {
                fail("round " + round + " raised " + e, e);
            }
        }
        assertThat(errors).as("the damage is detected at least sometimes").isGreaterThan(50);
    }

    /** Random bytes as frames of every supported link type: garbage packets are counted, never thrown. */
    @Test
    void garbageFramesAreSkippedNotThrown() throws Exception {
        Random random = new Random(42);
        for (int linkType : new int[] {0, 1, 12, 14, 101, 108, 113, 228, 229, 276}) {
            PcapFileBuilder builder = new PcapFileBuilder(ByteOrder.LITTLE_ENDIAN, false, linkType);
            for (int i = 0; i < 2000; i++) {
                byte[] frame = new byte[random.nextInt(120)];
                random.nextBytes(frame);
                if (frame.length > 20 && random.nextBoolean()) {
                    // Make IP-looking garbage more likely.
                    int ip = linkType == 1 ? 14 : linkType == 113 ? 16 : linkType == 276 ? 20
                            : linkType == 0 || linkType == 108 ? 4 : 0;
                    if (ip < frame.length) {
                        frame[ip] = (byte) (random.nextBoolean() ? 0x45 : 0x60);
                    }
                }
                builder.packet(i, 0, frame);
            }
            CaptureReads.Result result = CaptureReads.readAll(write(dir, "garbage.pcap", builder.bytes()));
            assertThat(result.stats().packets()).isEqualTo(2000);
            assertThat(result.stats().datagrams() + result.stats().skipped()).isEqualTo(2000);
        }
    }

    private static byte[] mixedLinkTypes() {
        return new PcapngFileBuilder(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(1, 0, null, null)
                .interfaceBlock(229, 0, 0x80 | 10, 60L)
                .interfaceBlock(276, 128, null, null)
                .enhancedPacket(1, 99, ipv6(EXPORTER_V6, COLLECTOR_V6, 0,
                        concat(TestFrames.ipv6Options(PROTO_UDP, 0), udp(1, 2, IPFIX))))
                .enhancedPacket(2, 1, TestFrames.sll2(0x0800, TestFrames.ipv4(TestFrames.EXPORTER_V4,
                        TestFrames.COLLECTOR_V4, PROTO_UDP, udp(1, 2, SFLOW))))
                .enhancedPacket(0, 1, ethernetIpv4Udp(1, 2055, SFLOW))
                .bytes();
    }

    private CaptureReads.Result read(byte[] content, CaptureFormat format, boolean stream) throws Exception {
        if (stream) {
            return CaptureReads.readStream(content, format);
        }
        return CaptureReads.readAll(write(dir, "capture", content), format);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertFormatError(byte[] content, CaptureFormat format,
            boolean stream, String what) {
        return assertThatThrownBy(() -> read(content, format, stream))
                .as(what)
                .isInstanceOf(CaptureFormatException.class);
    }
}
