package dev.sluice.examples.flowctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.examples.capture.UdpDatagram;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowctlTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    /** A stand-in decoder session that records what it is given and writes one line per datagram. */
    private static final class RecordingSink implements DatagramSink {
        final List<String> seen = new ArrayList<>();
        OutputLayout layout;
        NdjsonOutput output;
        boolean closed;

        @Override
        public void accept(InetAddress exporter, int exporterPort, long timestampMillis, ByteBuf payload)
                throws IOException {
            seen.add(exporter.getHostAddress() + ":" + exporterPort + " t=" + timestampMillis + " "
                    + payload.readableBytes() + "B " + ByteBufUtil.hexDump(payload, payload.readerIndex(), 4));
            byte[] json = ("{\"bytes\":" + payload.readableBytes() + "}").getBytes(StandardCharsets.UTF_8);
            output.writeDocument(json, 0, json.length);
        }

        @Override
        public Map<String, Long> counters() {
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put("datagrams", (long) seen.size());
            counters.put("decode_errors", 0L);
            return counters;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private int run(DatagramSinkFactory decoder, String... args) {
        return Flowctl.run(args, stdout, new PrintStream(stderr, true, StandardCharsets.UTF_8), decoder);
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    /** One line, prefixed, no stack trace. */
    private void assertOneErrorLine(String containing) {
        assertThat(err()).startsWith("flowctl: ").contains(containing).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(err().strip().lines()).hasSize(1);
    }

    private static Path corpus(String name) {
        String root = System.getProperty("sluice.corpus");
        if (root == null) {
            throw new IllegalStateException("system property sluice.corpus is not set (the parent pom sets it)");
        }
        Path path = Paths.get(root, "logstash", "dat", name);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("corpus file missing: " + path);
        }
        return path;
    }

    /** A little-endian pcap with one Ethernet/IPv4/UDP packet 10.0.0.1:3000 -> 10.0.0.2:2055 at t=1.5 s. */
    private Path pcapOf(byte[] payload) throws IOException {
        int udpLength = 8 + payload.length;
        ByteBuffer frame = ByteBuffer.allocate(14 + 20 + udpLength)
                .put(new byte[12]).putShort((short) 0x0800)
                .put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength)).putInt(0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2})
                .putShort((short) 3000).putShort((short) 2055).putShort((short) udpLength).putShort((short) 0)
                .put(payload);
        ByteBuffer file = ByteBuffer.allocate(24 + 16 + frame.capacity()).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(1)
                .putInt(1).putInt(500_000).putInt(frame.capacity()).putInt(frame.capacity())
                .put(frame.array());
        return Files.write(dir.resolve("one.pcap"), file.array());
    }

    @Test
    void helpGoesToStdoutAndSucceeds() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}, {"decode", "--help"}}) {
            stdout.reset();
            assertThat(run(null, args)).isZero();
            assertThat(out()).startsWith("Usage: flowctl").contains("--layout ecs|logstash").contains("--stats");
        }
        assertThat(err()).isEmpty();
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run(null)).isEqualTo(Flowctl.EXIT_USAGE);
        assertOneErrorLine("missing command");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(run(null, "encode", "x")).isEqualTo(2);
        assertOneErrorLine("unknown command 'encode'");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run(null, "--verbose")).isEqualTo(2);
        assertOneErrorLine("unknown option '--verbose'");
    }

    @Test
    void unknownDecodeOptionIsAUsageError() {
        assertThat(run(null, "decode", "--fast", "x.pcap")).isEqualTo(2);
        assertOneErrorLine("unknown option '--fast'");
    }

    @Test
    void layoutNeedsAKnownValue() {
        assertThat(run(null, "decode", "x.pcap", "--layout")).isEqualTo(2);
        assertOneErrorLine("--layout needs a value");
        stderr.reset();
        assertThat(run(null, "decode", "--layout", "xml", "x.pcap")).isEqualTo(2);
        assertOneErrorLine("unknown layout 'xml'");
        stderr.reset();
        assertThat(run(null, "decode", "--layout=", "x.pcap")).isEqualTo(2);
        assertOneErrorLine("unknown layout ''");
    }

    @Test
    void decodeNeedsAFile() {
        assertThat(run(null, "decode", "--stats")).isEqualTo(2);
        assertOneErrorLine("at least one FILE");
    }

    @Test
    void missingFileIsBadInput() {
        Path missing = dir.resolve("nope.pcap");
        assertThat(run((l, o) -> new RecordingSink(), "decode", missing.toString())).isEqualTo(Flowctl.EXIT_BAD_INPUT);
        assertOneErrorLine(missing + ": no such file");
    }

    @Test
    void directoryIsBadInput() {
        assertThat(run((l, o) -> new RecordingSink(), "decode", dir.toString())).isEqualTo(1);
        assertOneErrorLine("is a directory");
    }

    @Test
    void missingFileIsReportedBeforeDecoderNotWired() {
        assertThat(run(null, "decode", dir.resolve("nope.dat").toString())).isEqualTo(1);
        assertOneErrorLine("no such file");
    }

    @Test
    void everyDatagramOfEveryFileGoesToOneSessionInOrder() throws IOException {
        byte[] ipfix = Files.readAllBytes(corpus("ipfix.dat"));
        Path pcap = pcapOf(ipfix);
        Path dat = corpus("netflow5.dat");
        List<RecordingSink> sessions = new ArrayList<>();
        DatagramSinkFactory decoder = (layout, output) -> {
            RecordingSink sink = new RecordingSink();
            sink.layout = layout;
            sink.output = output;
            sessions.add(sink);
            return sink;
        };

        int code = run(decoder, "decode", pcap.toString(), dat.toString());

        assertThat(code).as(err()).isZero();
        assertThat(sessions).hasSize(1);
        RecordingSink sink = sessions.get(0);
        assertThat(sink.layout).isEqualTo(OutputLayout.ECS);
        byte[] v5 = Files.readAllBytes(dat);
        assertThat(sink.seen).containsExactly(
                "10.0.0.1:3000 t=1500 " + ipfix.length + "B " + ByteBufUtil.hexDump(ipfix, 0, 4),
                "127.0.0.1:0 t=" + UdpDatagram.UNKNOWN_TIME + " " + v5.length + "B " + ByteBufUtil.hexDump(v5, 0, 4));
        assertThat(sink.closed).isTrue();
        assertThat(out()).isEqualTo("{\"bytes\":" + ipfix.length + "}\n{\"bytes\":" + v5.length + "}\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void layoutAndStatsOptions() throws IOException {
        Path dat = corpus("netflow9_test_cisco_asa_1_tpl.dat");
        OutputLayout[] chosen = new OutputLayout[1];
        DatagramSinkFactory decoder = (layout, output) -> {
            chosen[0] = layout;
            RecordingSink sink = new RecordingSink();
            sink.output = output;
            return sink;
        };

        assertThat(run(decoder, "decode", "--stats", "--layout", "logstash", dat.toString())).isZero();
        assertThat(chosen[0]).isEqualTo(OutputLayout.LOGSTASH);
        assertThat(err()).contains("flowctl: stats: capture packets=1 datagrams=1")
                .contains("flowctl: stats: decoder documents=1 datagrams=1 decode_errors=0");

        assertThat(run(decoder, "decode", "--layout=ecs", dat.toString())).isZero();
        assertThat(chosen[0]).isEqualTo(OutputLayout.ECS);
    }

    @Test
    void doubleDashEndsOptions() throws IOException {
        Path odd = Files.write(dir.resolve("--odd.dat"), new byte[] {0, 9, 0, 0});
        RecordingSink sink = new RecordingSink();
        sink.output = new NdjsonOutput(stdout);
        DatagramSinkFactory decoder = (layout, output) -> {
            sink.output = output;
            return sink;
        };

        assertThat(run(decoder, "decode", "--", odd.toString())).as(err()).isZero();
        assertThat(sink.seen).hasSize(1);
    }

    @Test
    void malformedCaptureIsBadInputWithItsOffset() throws IOException {
        Path pcap = pcapOf(Files.readAllBytes(corpus("netflow5.dat")));
        byte[] content = Files.readAllBytes(pcap);
        Path truncated = Files.write(dir.resolve("truncated.pcap"), java.util.Arrays.copyOf(content, 100));

        assertThat(run((l, o) -> new RecordingSink(), "decode", truncated.toString())).isEqualTo(1);
        assertOneErrorLine(truncated + ": malformed pcap file at byte offset 40: file ends inside the packet data");
    }

    @Test
    void aCaptureWithoutUdpGivesAWarning() throws IOException {
        ByteBuffer file = ByteBuffer.allocate(24 + 16 + 60).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(1)
                .putInt(1).putInt(0).putInt(60).putInt(60);
        file.position(24 + 16 + 12);
        file.put((byte) 0x08).put((byte) 0x06); // ARP
        Path arp = Files.write(dir.resolve("arp.pcap"), file.array());
        RecordingSink sink = new RecordingSink();

        assertThat(run((l, o) -> sink, "decode", arp.toString())).isZero();
        assertThat(err()).contains("warning: " + arp + ": no UDP datagram found").contains("not_udp=1");
    }

    @Test
    void outputFailureIsReported() throws IOException {
        Path dat = corpus("netflow5.dat");
        DatagramSinkFactory decoder = (layout, output) -> (exporter, port, time, payload) -> {
            throw new IOException("Broken pipe");
        };

        assertThat(run(decoder, "decode", dat.toString())).isEqualTo(Flowctl.EXIT_OUTPUT);
        assertOneErrorLine("cannot write output: Broken pipe");
    }

    @Test
    void aFailingDecoderIsAnInternalErrorWithoutStackTrace() throws IOException {
        Path dat = corpus("netflow5.dat");
        DatagramSinkFactory decoder = (layout, output) -> (exporter, port, time, payload) -> {
            throw new IllegalStateException("boom");
        };

        assertThat(run(decoder, "decode", dat.toString())).isEqualTo(70);
        assertThat(err()).contains("internal error while decoding " + dat).contains("boom").doesNotContain("\tat ");
    }

    @Test
    void theWiredDecoderIsUsedByDefault() {
        Path dat = corpus("netflow5.dat");
        int code = Flowctl.run(new String[] {"decode", dat.toString()}, stdout,
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertThat(code).as(err()).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8).lines()).as("one document per record").isNotEmpty();
    }
}
