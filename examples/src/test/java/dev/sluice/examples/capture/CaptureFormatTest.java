package dev.sluice.examples.capture;

import static dev.sluice.examples.capture.CaptureReads.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.examples.capture.CaptureReads.Received;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFormatTest {

    @TempDir
    Path dir;

    @Test
    void detectsPcapInEveryVariant() throws Exception {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            for (boolean nanos : new boolean[] {false, true}) {
                Path file = write(dir, "x.cap", new PcapFileBuilder(order, nanos, 1).bytes());
                assertThat(CaptureFormat.detect(file)).as("%s nanos=%s", order, nanos).isEqualTo(CaptureFormat.PCAP);
            }
        }
    }

    @Test
    void detectsPcapngInBothByteOrders() throws Exception {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            Path file = write(dir, "x.bin", new PcapngFileBuilder(order).bytes());
            assertThat(CaptureFormat.detect(file)).isEqualTo(CaptureFormat.PCAPNG);
        }
    }

    @Test
    void everyCorpusPayloadFileIsRawAndReadWhole() throws Exception {
        List<Path> files = CorpusPayloads.allPayloadFiles();
        assertThat(files).hasSizeGreaterThan(90);
        for (Path file : files) {
            assertThat(CaptureFormat.detect(file)).as(file.toString()).isEqualTo(CaptureFormat.RAW);
            Received only = CaptureReads.readAll(file).only();
            assertThat(only.payload()).as(file.toString()).isEqualTo(Files.readAllBytes(file));
            assertThat(only.source()).isEqualTo("127.0.0.1");
            assertThat(only.sourcePort()).isZero();
            assertThat(only.micros()).isEqualTo(UdpDatagram.UNKNOWN_TIME);
        }
    }

    @Test
    void shortAndEmptyFilesAreRaw() throws Exception {
        assertThat(CaptureFormat.detect(write(dir, "empty", new byte[0]))).isEqualTo(CaptureFormat.RAW);
        assertThat(CaptureFormat.detect(write(dir, "three", new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2})))
                .isEqualTo(CaptureFormat.RAW);
        assertThat(CaptureReads.readAll(dir.resolve("empty")).datagrams()).isEmpty();
    }

    @Test
    void rawStreamIsOneDatagram() throws Exception {
        byte[] ipfix = CorpusPayloads.bytes(CorpusPayloads.IPFIX);

        assertThat(CaptureReads.readStream(ipfix, CaptureFormat.RAW).only().payload()).isEqualTo(ipfix);
    }

    @Test
    void rawPayloadLargerThanOneReadBufferIsReadWhole() throws Exception {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }

        assertThat(CaptureReads.readStream(big, CaptureFormat.RAW).only().payload()).isEqualTo(big);
        assertThat(CaptureReads.readAll(write(dir, "big.dat", big)).only().payload()).isEqualTo(big);
    }
}
