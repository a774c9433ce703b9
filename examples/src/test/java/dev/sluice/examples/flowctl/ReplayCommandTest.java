package dev.sluice.examples.flowctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowctl replay} against a real UDP socket on 127.0.0.1. */
class ReplayCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private Receiver receiver;

    /** Receives datagrams on 127.0.0.1 in a thread, with their arrival times. */
    static final class Receiver implements AutoCloseable {
        final DatagramChannel channel;
        final List<byte[]> payloads = Collections.synchronizedList(new ArrayList<>());
        final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        final List<String> senders = Collections.synchronizedList(new ArrayList<>());
        final Thread thread;

        Receiver() throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            thread = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocate(65536);
                try {
                    while (true) {
                        buf.clear();
                        InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                        arrivals.add(System.nanoTime());
                        senders.add(from.getAddress().getHostAddress());
                        buf.flip();
                        byte[] b = new byte[buf.remaining()];
                        buf.get(b);
                        payloads.add(b);
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "test-receiver");
            thread.setDaemon(true);
            thread.start();
        }

        int port() throws IOException {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        /** Waits until nothing has arrived for 300 ms. */
        int settle() throws InterruptedException {
            int last = -1;
            while (payloads.size() != last) {
                last = payloads.size();
                Thread.sleep(300);
            }
            return last;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @BeforeEach
    void open() throws IOException {
        receiver = new Receiver();
    }

    @AfterEach
    void close() throws IOException {
        receiver.close();
    }

    private int run(String... args) {
        return Flowctl.run(args, stdout, new PrintStream(stderr, true, StandardCharsets.UTF_8), null);
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    private long reported(String what) {
        Matcher m = Pattern.compile("sent (\\d+) datagrams \\((\\d+) bytes\\)").matcher(out());
        assertThat(m.find()).as("summary line in %s", out()).isTrue();
        return Long.parseLong(m.group(what.equals("bytes") ? 2 : 1));
    }

    /** A classic pcap, link type 101 (raw IP), with one IPv4/UDP packet per payload. */
    static byte[] rawIpPcap(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0xA1B2C3D4)
                .putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101).array());
        int second = 1_700_000_000;
        for (byte[] payload : payloads) {
            int total = 20 + 8 + payload.length;
            ByteBuffer ip = ByteBuffer.allocate(total);
            ip.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) 1).putShort((short) 0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
            ip.putShort((short) 40000).putShort((short) 2055).putShort((short) (8 + payload.length))
                    .putShort((short) 0).put(payload);
            out.writeBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(second++).putInt(0)
                    .putInt(total).putInt(total).array());
            out.writeBytes(ip.array());
        }
        return out.toByteArray();
    }

    private Path pcapOf(String name, int n, int size) throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[size];
            ByteBuffer.wrap(p).putInt(i);
            payloads.add(p);
        }
        Path file = dir.resolve(name);
        Files.write(file, rawIpPcap(payloads));
        return file;
    }

    private static Path corpus(String name) {
        return Paths.get(System.getProperty("sluice.corpus", "../../shared/corpus")).resolve(name);
    }

    @Test
    void sendsEveryPayloadOnceInOrder() throws Exception {
        Path pcap = pcapOf("twenty.pcap", 20, 100);
        Path raw = corpus("logstash/dat/netflow9_test_cisco_asa_1_tpl.dat");
        byte[] rawBytes = Files.readAllBytes(raw);

        int code = run("replay", pcap.toString(), raw.toString(), "--to", "127.0.0.1:" + receiver.port(),
                "--rate", "5000");

        assertThat(code).as(err()).isEqualTo(Flowctl.EXIT_OK);
        assertThat(receiver.settle()).isEqualTo(21);
        assertThat(reported("datagrams")).isEqualTo(21);
        assertThat(reported("bytes")).isEqualTo(20 * 100 + rawBytes.length);
        for (int i = 0; i < 20; i++) {
            assertThat(ByteBuffer.wrap(receiver.payloads.get(i)).getInt()).isEqualTo(i);
            assertThat(receiver.payloads.get(i)).hasSize(100);
        }
        assertThat(receiver.payloads.get(20)).isEqualTo(rawBytes);
        assertThat(out()).contains("1 pass over 2 files").contains("0 send errors").contains("end of files");
    }

    @Test
    void loopsUntilTheCountAndRespectsTheRate() throws Exception {
        Path pcap = pcapOf("seven.pcap", 7, 64);

        long t0 = System.nanoTime();
        int code = run("replay", pcap.toString(), "--to", "127.0.0.1:" + receiver.port(), "--rate", "1000",
                "--loop", "--count", "400");
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertThat(code).as(err()).isEqualTo(Flowctl.EXIT_OK);
        assertThat(receiver.settle()).isEqualTo(400);
        assertThat(reported("datagrams")).isEqualTo(400);
        // 400 datagrams at 1000/s: datagram 399 is due at 0.399 s, so the run cannot be shorter than that
        assertThat(seconds).isGreaterThan(0.39);
        double spread = (receiver.arrivals.get(399) - receiver.arrivals.get(0)) / 1e9;
        assertThat(spread).as("first to last arrival").isGreaterThan(0.38);
        // roughly paced: no second half-window holds much more than its share
        long firstHalf = receiver.arrivals.stream().filter(t -> t - receiver.arrivals.get(0) < 200_000_000L).count();
        assertThat(firstHalf).isBetween(150L, 260L);
        for (int i = 0; i < 400; i++) {
            assertThat(ByteBuffer.wrap(receiver.payloads.get(i)).getInt()).isEqualTo(i % 7);
        }
        assertThat(out()).contains("stopped by --count");
    }

    @Test
    void durationBoundsALoopAndWhatArrivesIsWhatItReports() throws Exception {
        Path pcap = pcapOf("three.pcap", 3, 200);

        int code = run("replay", pcap.toString(), "--to", "127.0.0.1:" + receiver.port(), "--rate", "400",
                "--loop", "--duration", "0.5");

        assertThat(code).as(err()).isEqualTo(Flowctl.EXIT_OK);
        long sent = reported("datagrams");
        assertThat(receiver.settle()).isEqualTo((int) sent);
        assertThat(sent).isBetween(100L, 201L); // 0.5 s at 400/s = 200 at most (+1 for the one at t=0)
        assertThat(out()).contains("stopped by --duration");
    }

    @Test
    void countCutsASinglePassShort() throws Exception {
        Path pcap = pcapOf("ten.pcap", 10, 50);

        assertThat(run("replay", pcap.toString(), "--to=127.0.0.1:" + receiver.port(), "--rate=10000",
                "--count=4")).as(err()).isEqualTo(Flowctl.EXIT_OK);
        assertThat(receiver.settle()).isEqualTo(4);
    }

    @Test
    void sendsFromTheGivenLoopbackSource() throws Exception {
        Path pcap = pcapOf("one.pcap", 1, 10);

        assertThat(run("replay", pcap.toString(), "--to", "127.0.0.1:" + receiver.port(), "--rate", "100",
                "--from", "127.0.0.2")).as(err()).isEqualTo(Flowctl.EXIT_OK);

        assertThat(receiver.settle()).isEqualTo(1);
        assertThat(receiver.senders).containsExactly("127.0.0.2");
    }

    @Test
    void refusesANonLoopbackTarget() throws Exception {
        Path pcap = pcapOf("one.pcap", 1, 10);
        for (String target : new String[] {"192.0.2.1:2055", "10.1.2.3:9995", "[2001:db8::1]:2055", "0.0.0.0:2055"}) {
            stderr.reset();
            assertThat(run("replay", pcap.toString(), "--to", target, "--rate", "10")).isEqualTo(Flowctl.EXIT_USAGE);
            assertThat(err()).startsWith("flowctl: replay: refusing --to").contains("not a loopback address")
                    .doesNotContain("Exception");
        }
        stderr.reset();
        assertThat(run("replay", pcap.toString(), "--to", "127.0.0.1:" + receiver.port(), "--rate", "10",
                "--from", "192.0.2.7")).isEqualTo(Flowctl.EXIT_USAGE);
        assertThat(err()).contains("refusing --from 192.0.2.7");
        assertThat(out()).isEmpty();
        assertThat(receiver.settle()).isZero();
    }

    @Test
    void usageErrors() throws Exception {
        Path pcap = pcapOf("one.pcap", 1, 10);
        String to = "127.0.0.1:" + receiver.port();
        String[][] cases = {
            {"replay", "--to", to, "--rate", "10"},                           // no file
            {"replay", pcap.toString(), "--rate", "10"},                      // no --to
            {"replay", pcap.toString(), "--to", to},                          // no --rate
            {"replay", pcap.toString(), "--to", to, "--rate", "0"},           // rate out of range
            {"replay", pcap.toString(), "--to", to, "--rate", "10", "--loop"}, // unbounded loop
            {"replay", pcap.toString(), "--to", "127.0.0.1", "--rate", "10"},  // no port
            {"replay", pcap.toString(), "--to", to, "--rate", "10", "--bogus"},
        };
        for (String[] args : cases) {
            stderr.reset();
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(Flowctl.EXIT_USAGE);
            assertThat(err()).startsWith("flowctl: ");
        }
        stderr.reset();
        assertThat(run("replay", dir.resolve("missing.pcap").toString(), "--to", to, "--rate", "10"))
                .isEqualTo(Flowctl.EXIT_BAD_INPUT);
        assertThat(err()).contains("no such file");
        assertThat(receiver.settle()).isZero();
    }

    @Test
    void helpMentionsReplay() {
        assertThat(run("replay", "--help")).isEqualTo(Flowctl.EXIT_OK);
        assertThat(out()).contains("replay FILE...").contains("--to HOST:PORT").contains("loopback");
    }
}
