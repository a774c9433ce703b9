package dev.sluice.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.FlowProtocol;
import dev.sluice.decoders.TemplateDefinition;
import dev.sluice.decoders.TemplateDefinition.Field;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTemplateStoreTest {

    private static List<TemplateDefinition> sample() throws Exception {
        return List.of(
                new TemplateDefinition(InetAddress.getByName("192.0.2.1"), FlowProtocol.NETFLOW_V9, 0, 256, false, 0,
                        List.of(new Field(0, 8, 4), new Field(0, 12, 4), new Field(0, 1, 8))),
                new TemplateDefinition(InetAddress.getByName("2001:db8::7"), FlowProtocol.IPFIX, 4_294_967_295L,
                        65_535, true, 1, List.of(new Field(0, 149, 4), new Field(0, 34, 4))),
                new TemplateDefinition(InetAddress.getByName("192.0.2.1"), FlowProtocol.IPFIX, 7, 300, false, 0,
                        List.of(new Field(29_305, 100, 65_535), new Field(4_294_967_295L, 32_767, 2))));
    }

    @Test
    void savedTemplatesLoadBackEqual(@TempDir Path dir) throws Exception {
        FileTemplateStore store = new FileTemplateStore(dir.resolve("t.txt"));
        assertThat(store.load()).as("no file yet").isEmpty();
        store.save(sample());
        assertThat(store.load()).isEqualTo(sample());
        store.save(sample().subList(0, 1));
        assertThat(store.load()).isEqualTo(sample().subList(0, 1));
        store.save(List.of());
        assertThat(store.load()).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary files left").containsExactly(dir.resolve("t.txt"));
        }
    }

    @Test
    void everyTruncationIsRefusedWithAnIoException() throws Exception {
        byte[] good = FileTemplateStore.format(sample());
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> FileTemplateStore.parse(cut, "cut")).as("cut at " + n)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void everyChangedByteIsRefusedWithAnIoException() throws Exception {
        byte[] good = FileTemplateStore.format(sample());
        byte[] values = {0, '0', '9', ' ', '\n', ':', 'x', (byte) 0xC3};
        for (int i = 0; i < good.length; i++) {
            for (byte v : values) {
                if (good[i] == v) {
                    continue;
                }
                byte[] bad = good.clone();
                bad[i] = v;
                int at = i;
                assertThatThrownBy(() -> FileTemplateStore.parse(bad, "bad")).as("byte " + at + " = " + v)
                        .isInstanceOf(IOException.class);
            }
        }
    }

    /** A file with a correct checksum around the given template lines. */
    private static byte[] withChecksum(String... templateLines) {
        StringBuilder sb = new StringBuilder(FileTemplateStore.MAGIC).append('\n').append("count ")
                .append(templateLines.length).append('\n');
        for (String l : templateLines) {
            sb.append(l).append('\n');
        }
        CRC32 crc = new CRC32();
        crc.update(sb.toString().getBytes(StandardCharsets.UTF_8));
        sb.append(String.format("crc32 %08x\n", crc.getValue()));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyFieldIsChecked() throws Exception {
        assertThat(FileTemplateStore.parse(withChecksum("t c0000201 v9 0 256 0 0 1 0:8:4"), "ok")).hasSize(1);
        String[] bad = {
            "t c00002 v9 0 256 0 0 1 0:8:4",                // address of 3 bytes
            "t C0000201 v9 0 256 0 0 1 0:8:4",              // upper-case hex
            "t c0000201 v10 0 256 0 0 1 0:8:4",             // protocol
            "t c0000201 v9 4294967296 256 0 0 1 0:8:4",     // domain over 32 bits
            "t c0000201 v9 0 255 0 0 1 0:8:4",              // template id under 256
            "t c0000201 v9 0 256 2 0 1 0:8:4",              // options flag
            "t c0000201 v9 0 256 0 1 1 0:8:4",              // scope fields without options
            "t c0000201 ipfix 0 256 1 2 1 0:8:4",           // more scope fields than fields
            "t c0000201 v9 0 256 0 0 2 0:8:4",              // field count
            "t c0000201 v9 0 256 0 0 0",                    // no fields
            "t c0000201 v9 0 256 0 0 1 9:8:4",              // enterprise in NetFlow v9
            "t c0000201 ipfix 0 256 0 0 1 0:32768:4",       // IPFIX element id with the enterprise bit
            "t c0000201 ipfix 0 256 0 0 1 0:8:65536",       // length
            "t c0000201 ipfix 0 256 0 0 1 0:8",             // field of two parts
            "t c0000201 ipfix 0 256 0 0 1 0:-8:4",          // sign
            "x c0000201 ipfix 0 256 0 0 1 0:8:4",           // not a template line
        };
        for (String line : bad) {
            assertThatThrownBy(() -> FileTemplateStore.parse(withChecksum(line), "f")).as(line)
                    .isInstanceOf(IOException.class).hasMessageContaining("line 3");
        }
        byte[] wrongCount = new String(withChecksum("t c0000201 v9 0 256 0 0 1 0:8:4"), StandardCharsets.UTF_8)
                .replace("count 1", "count 2").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FileTemplateStore.parse(wrongCount, "f")).isInstanceOf(IOException.class);
    }

    @Test
    void aCorruptFileIsReportedWithItsPlace(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.txt");
        Files.writeString(f, "something else entirely\n");
        assertThatThrownBy(() -> new FileTemplateStore(f).load()).isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("line 1");
    }
}
