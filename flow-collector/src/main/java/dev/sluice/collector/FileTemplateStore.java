package dev.sluice.collector;

import dev.sluice.core.FlowProtocol;
import dev.sluice.decoders.TemplateDefinition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A {@link TemplateStore} in one text file, written atomically (a temporary file in the same directory, forced to
 * disk, then renamed over the old one), so a crash leaves either the old or the new file, never half of one.
 *
 * <p>The format, version 1, UTF-8, one item per line:
 * <pre>
 * sluice-templates 1
 * count N
 * t EXPORTER PROTOCOL DOMAIN TEMPLATE_ID OPTIONS SCOPE_FIELDS FIELD_COUNT ENTERPRISE:ELEMENT:LENGTH ...
 * (N lines of templates)
 * crc32 HEX
 * </pre>
 * where EXPORTER is the address in hex (8 or 32 digits), PROTOCOL {@code v9} or {@code ipfix}, OPTIONS 0 or 1,
 * and the CRC-32 covers every byte before the {@code crc32} line. Reading checks every field and the checksum;
 * a file that fails any check is refused as a whole with an {@link IOException} that says where and why.
 */
public final class FileTemplateStore implements TemplateStore {

    static final String MAGIC = "sluice-templates 1";
    /** Files larger than this are refused unread. */
    static final long MAX_FILE_BYTES = 256L << 20;
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;

    /** A store in {@code file} (its directory must exist). */
    public FileTemplateStore(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The file. */
    public Path file() {
        return file;
    }

    @Override
    public List<TemplateDefinition> load() throws IOException {
        byte[] data;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IOException("template file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return parse(data, file.toString());
    }

    @Override
    public void save(List<TemplateDefinition> templates) throws IOException {
        byte[] data = format(templates);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static byte[] format(List<TemplateDefinition> templates) {
        StringBuilder sb = new StringBuilder(64 + templates.size() * 128);
        sb.append(MAGIC).append('\n').append("count ").append(templates.size()).append('\n');
        for (TemplateDefinition t : templates) {
            sb.append("t ").append(HEX.formatHex(t.exporter().getAddress())).append(' ')
                    .append(protocolName(t.protocol())).append(' ').append(t.observationDomain()).append(' ')
                    .append(t.templateId()).append(' ').append(t.options() ? 1 : 0).append(' ')
                    .append(t.scopeFieldCount()).append(' ').append(t.fields().size());
            for (TemplateDefinition.Field f : t.fields()) {
                sb.append(' ').append(f.enterpriseId()).append(':').append(f.elementId()).append(':')
                        .append(f.length());
            }
            sb.append('\n');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] trailer = String.format("crc32 %08x\n", crc.getValue()).getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + trailer.length];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(trailer, 0, all, body.length, trailer.length);
        return all;
    }

    static List<TemplateDefinition> parse(byte[] data, String where) throws IOException {
        String text = new String(data, StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) {
            throw corrupt(where, 0, "does not end with a line break (cut short?)");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3 || !lines[0].equals(MAGIC)) {
            throw corrupt(where, 1, "is not a '" + MAGIC + "' file");
        }
        String last = lines[lines.length - 1];
        if (!last.startsWith("crc32 ") || last.length() != 14) {
            throw corrupt(where, lines.length, "has no crc32 line at its end (cut short?)");
        }
        int bodyLength = text.length() - last.length() - 1;
        CRC32 crc = new CRC32();
        crc.update(text.substring(0, bodyLength).getBytes(StandardCharsets.UTF_8));
        long expected;
        try {
            expected = Long.parseLong(last.substring(6), 16);
        } catch (NumberFormatException e) {
            throw corrupt(where, lines.length, "has a bad checksum '" + last.substring(6) + "'");
        }
        if (crc.getValue() != expected) {
            throw corrupt(where, lines.length, "fails its checksum");
        }
        if (!lines[1].startsWith("count ")) {
            throw corrupt(where, 2, "has no count line");
        }
        long count = number(lines[1].substring(6), 0, Integer.MAX_VALUE, where, 2, "count");
        if (count != lines.length - 3) {
            throw corrupt(where, 2, "announces " + count + " templates but has " + (lines.length - 3));
        }
        List<TemplateDefinition> out = new ArrayList<>((int) count);
        for (int i = 2; i < lines.length - 1; i++) {
            out.add(template(lines[i], where, i + 1));
        }
        return out;
    }

    private static TemplateDefinition template(String line, String where, int n) throws IOException {
        String[] tok = line.split(" ", -1);
        if (tok.length < 9 || !tok[0].equals("t")) {
            throw corrupt(where, n, "is not a template line");
        }
        InetAddress exporter;
        if ((tok[1].length() != 8 && tok[1].length() != 32) || !tok[1].matches("[0-9a-f]+")) {
            throw corrupt(where, n, "has a bad exporter address '" + tok[1] + "'");
        }
        try {
            exporter = InetAddress.getByAddress(HEX.parseHex(tok[1]));
        } catch (UnknownHostException e) {
            throw corrupt(where, n, "has a bad exporter address '" + tok[1] + "'");
        }
        FlowProtocol protocol;
        if (tok[2].equals("v9")) {
            protocol = FlowProtocol.NETFLOW_V9;
        } else if (tok[2].equals("ipfix")) {
            protocol = FlowProtocol.IPFIX;
        } else {
            throw corrupt(where, n, "has an unknown protocol '" + tok[2] + "'");
        }
        long domain = number(tok[3], 0, 0xFFFFFFFFL, where, n, "observation domain");
        int id = (int) number(tok[4], 256, 0xFFFF, where, n, "template id");
        int options = (int) number(tok[5], 0, 1, where, n, "options flag");
        int fieldCount = (int) number(tok[7], 1, 16_383, where, n, "field count");
        int scope = (int) number(tok[6], 0, options == 1 ? fieldCount : 0, where, n, "scope field count");
        if (tok.length != 8 + fieldCount) {
            throw corrupt(where, n, "announces " + fieldCount + " fields but has " + (tok.length - 8));
        }
        List<TemplateDefinition.Field> fields = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            String[] f = tok[8 + i].split(":", -1);
            if (f.length != 3) {
                throw corrupt(where, n, "has a bad field '" + tok[8 + i] + "'");
            }
            long enterprise = number(f[0], 0, protocol == FlowProtocol.IPFIX ? 0xFFFFFFFFL : 0, where, n, "enterprise");
            int element = (int) number(f[1], 0, protocol == FlowProtocol.IPFIX ? 0x7FFF : 0xFFFF, where, n, "element id");
            int length = (int) number(f[2], 0, 0xFFFF, where, n, "field length");
            fields.add(new TemplateDefinition.Field(enterprise, element, length));
        }
        return new TemplateDefinition(exporter, protocol, domain, id, options == 1, scope, fields);
    }

    private static long number(String s, long min, long max, String where, int line, String what) throws IOException {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw corrupt(where, line, "has a bad " + what + " '" + s + "'");
        }
        long v = Long.parseLong(s);
        if (v < min || v > max) {
            throw corrupt(where, line, "has a " + what + " of " + v + " outside " + min + ".." + max);
        }
        return v;
    }

    private static String protocolName(FlowProtocol p) {
        if (p == FlowProtocol.NETFLOW_V9) {
            return "v9";
        }
        if (p == FlowProtocol.IPFIX) {
            return "ipfix";
        }
        throw new IllegalArgumentException("only NetFlow v9 and IPFIX templates can be stored, not " + p);
    }

    private static IOException corrupt(String where, int line, String why) {
        return new IOException("template file " + where + (line > 0 ? " line " + line : "") + " " + why
                + "; it is ignored");
    }
}
