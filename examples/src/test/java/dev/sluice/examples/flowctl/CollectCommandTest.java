package dev.sluice.examples.flowctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowctl collect} end to end over loopback: the collector runs in-process on port 0 (and once as a child
 * process stopped with SIGTERM), corpus datagrams are sent to the port it prints, and the NDJSON and the final
 * counters are checked against {@code flowctl decode} of the same files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CollectCommandTest {

    @TempDir
    Path dir;

    static final Path CORPUS = Paths.get(System.getProperty("sluice.corpus", "../../shared/corpus"));

    static final List<String> UDP_FILES = List.of(
            "goflow2/vectors/netflow_test__TestDecodeNetFlowV5__data__L11.bin",
            "goflow2/vectors/netflow_test__TestDecodeNetFlowV9__template__L14.bin",
            "goflow2/vectors/netflow_test__TestDecodeNetFlowV9__data__L118.bin",
            "logstash/dat/netflow9_test_cisco_asa_1_tpl.dat",
            "logstash/dat/netflow9_test_cisco_asa_1_data.dat",
            "logstash/dat/ipfix_test_mikrotik_tpl.dat",
            "logstash/dat/ipfix_test_mikrotik_data258.dat",
            "goflow2/vectors/sflow_test__TestSFlowDecode__data__L11.bin",
            "goflow2/vectors/sflow_test__TestExpandedSFlowDecode__data__L30.bin");

    /** A stream that many threads may write to and the test may read while it grows. */
    static final class Captured extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** {@code flowctl collect} running on a thread of the test. */
    static final class Running implements AutoCloseable {
        final Captured out = new Captured();
        final Captured err = new Captured();
        final CountDownLatch stop = new CountDownLatch(1);
        final Thread thread;
        volatile int code = -1;

        Running(boolean terminal, long statusMillis, String... args) throws Exception {
            CollectCommand command = CollectCommand.parse(List.of(args));
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            thread = new Thread(() -> code = command.run(out, errStream, terminal, stop, false, statusMillis),
                    "collect-under-test");
            thread.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!err.text().contains("flowctl: collecting") && thread.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(err.text()).as("start-up").contains("flowctl: collecting");
        }

        Running(String... args) throws Exception {
            this(false, 0, args);
        }

        int port(String protocol) {
            Matcher m = Pattern.compile("flowctl: listening " + protocol + " 127\\.0\\.0\\.1:(\\d+)").matcher(err.text());
            assertThat(m.find()).as("listening line in %s", err.text()).isTrue();
            return Integer.parseInt(m.group(1));
        }

        /** Stops the collector the way a signal does and waits for it. */
        int stop() throws InterruptedException {
            stop.countDown();
            thread.join(30_000);
            assertThat(thread.isAlive()).isFalse();
            return code;
        }

        long finalValue(String name) {
            String line = err.text().lines().filter(l -> l.startsWith("flowctl: final: records=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no final counters in " + err.text()));
            for (String token : line.substring("flowctl: final: ".length()).split(" ")) {
                if (token.startsWith(name + "=")) {
                    return Long.parseLong(token.substring(name.length() + 1));
                }
            }
            throw new AssertionError(name + " not in " + line);
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive()) {
                stop();
            }
        }
    }

    static byte[] corpus(String name) throws IOException {
        return Files.readAllBytes(CORPUS.resolve(name));
    }

    /** Sends each file as one datagram from {@code from}, a little apart so that they arrive in order. */
    static void send(int port, String from, List<String> files) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            for (String f : files) {
                byte[] b = corpus(f);
                socket.send(new DatagramPacket(b, b.length, InetAddress.getByName("127.0.0.1"), port));
                Thread.sleep(5);
            }
        }
    }

    /** What {@code flowctl decode} makes of the files, one document per line. */
    List<String> decoded(String layout, List<String> files) {
        List<String> args = new ArrayList<>(List.of("decode", "--layout", layout));
        files.forEach(f -> args.add(CORPUS.resolve(f).toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Flowctl.run(args.toArray(new String[0]), out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * Waits (at most 20 s: the machine may be busy) until a file holds {@code lines} lines. The sink writes
     * at least once a second, and the collector drops what is still in its socket buffers when it stops, so
     * tests wait for the output before they stop it.
     */
    static void awaitLines(Path file, int lines) throws Exception {
        awaitLines(() -> Files.exists(file) ? Files.readAllLines(file).size() : 0, lines);
    }

    interface Count {
        int get() throws Exception;
    }

    static void awaitLines(Count count, int lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && count.get() < lines) {
            Thread.sleep(50);
        }
    }

    static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    static long count(List<String> docs, String needle) {
        return docs.stream().filter(d -> d.contains(needle)).count();
    }

    @Test
    void corpusOverUdpArrivesDecodedInFullOnStdout() throws Exception {
        List<String> expected = decoded("ecs", UDP_FILES);
        assertThat(expected).hasSizeGreaterThan(40);

        int code;
        Running c = new Running("--udp", "127.0.0.1:0");
        try (c) {
            send(c.port("udp"), "127.0.0.1", UDP_FILES);
            awaitLines(() -> lines(c.out.text()).size(), expected.size());
            code = c.stop();
        }

        assertThat(code).as(c.err.text()).isEqualTo(Flowctl.EXIT_OK);
        List<String> docs = lines(c.out.text());
        assertThat(docs.size()).as(c.err.text()).isEqualTo(expected.size());
        // the same documents as the offline decode, except the times of receipt
        for (String needle : new String[] {"\"source\":{\"ip\":", "\"netflow\":", "\"network\":"}) {
            assertThat(count(docs, needle)).as(needle).isEqualTo(count(expected, needle));
        }
        assertThat(c.err.text()).contains("flowctl: stopped by a signal")
                .contains("flowctl: final: records=")
                .contains("flowctl: final: exporter 127.0.0.1 datagrams=" + UDP_FILES.size());
        assertThat(c.finalValue("datagrams")).isEqualTo(UDP_FILES.size());
        assertThat(c.finalValue("exporters")).isEqualTo(1);
        assertThat(c.finalValue("errors")).isZero();
        assertThat(c.finalValue("kernel_drops")).isZero();
    }

    @Test
    void countOnlyCountsWithoutWritingAndStopsAfterTheDuration() throws Exception {
        List<String> expected = decoded("ecs", UDP_FILES);
        long flows = count(expected, "\"event\":{\"kind\":\"event\"");
        assertThat(flows).isPositive();

        Running c = new Running("--udp", "127.0.0.1:0", "--count-only", "--duration", "5", "--threads", "1");
        send(c.port("udp"), "127.0.0.1", UDP_FILES);
        c.thread.join(20_000);

        assertThat(c.code).as(c.err.text()).isEqualTo(Flowctl.EXIT_OK);
        assertThat(c.out.text()).isEmpty();
        assertThat(c.err.text()).contains("flowctl: stopped by --duration").contains("1 receiving thread ");
        assertThat(c.finalValue("recorded")).isEqualTo(c.finalValue("records")).isEqualTo(flows);
        assertThat(c.finalValue("records") + c.finalValue("options") + c.finalValue("counter_samples"))
                .isEqualTo(expected.size());
    }

    /** A NetFlow v5 datagram of {@code count} records (24 + 48 count bytes), sequence {@code sequence}. */
    static byte[] v5(int count, long sequence) {
        ByteBuffer b = ByteBuffer.allocate(24 + 48 * count);
        b.putShort((short) 5).putShort((short) count).putInt(1_000).putInt(1_700_000_000).putInt(0)
                .putInt((int) sequence).putInt(0);
        for (int i = 0; i < count; i++) {
            b.putInt(0x0A000001).putInt(0x0A000002).putInt(0).putShort((short) 1).putShort((short) 2).putInt(10)
                    .putInt(1_000).putInt(500).putInt(900).putShort((short) (1000 + i)).putShort((short) 80)
                    .put((byte) 0).put((byte) 0x18).put((byte) 6).put((byte) 0).putInt(0).put((byte) 24)
                    .put((byte) 24).putShort((short) 0);
        }
        return b.array();
    }

    @Test
    void maxDatagramBoundsTheDatagramsDecodedAndCountsLongerOnes() throws Exception {
        Path config = dir.resolve("collect.conf");
        Files.writeString(config, "udp = 127.0.0.1:0\nmax-datagram = 32k\ncount-only = true\nthreads = 1\n");
        // the command line (1k) wins over the file (32k)
        Running c = new Running("--config", config.toString(), "--max-datagram", "1k", "--duration", "3");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", c.port("udp"));
            for (byte[] d : List.of(v5(10, 0), v5(30, 10), v5(20, 40))) { // 504, 1464 and 984 bytes
                socket.send(new DatagramPacket(d, d.length, to));
            }
        }
        c.thread.join(20_000);
        assertThat(c.code).as(c.err.text()).isEqualTo(Flowctl.EXIT_OK);
        assertThat(c.finalValue("datagrams")).as(c.err.text()).isEqualTo(3);
        assertThat(c.finalValue("records")).as("the 1464-byte datagram is not decoded").isEqualTo(30);
        assertThat(c.finalValue("errors")).as("it is counted as an error").isEqualTo(1);
        assertThat(c.err.text()).contains("datagrams_truncated=1")
                .contains("flowctl: final: sequence gaps=1 lost=30");
    }

    @Test
    void warmsUpBeforeListeningAndCountsNoneOfItsTrafficWithAReadPauseFromTheFile() throws Exception {
        Path config = dir.resolve("collect.conf");
        Files.writeString(config, "udp = 127.0.0.1:0\nwarm-up = 0.5\nread-pause = 500\ncount-only = true\nthreads = 1\n");
        Running c = new Running("--config", config.toString(), "--duration", "3");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", c.port("udp"));
            byte[] d = v5(10, 0);
            socket.send(new DatagramPacket(d, d.length, to));
        }
        c.thread.join(20_000);
        assertThat(c.code).as(c.err.text()).isEqualTo(Flowctl.EXIT_OK);
        assertThat(c.err.text()).containsPattern("flowctl: warmed up: [0-9,]+ datagrams \\([0-9,]+ records and"
                + " counter samples\\) in 0\\.[5-9] s");
        assertThat(c.finalValue("datagrams")).as(c.err.text()).isEqualTo(1);
        assertThat(c.finalValue("records")).isEqualTo(10);
        assertThat(c.finalValue("recorded")).isEqualTo(10);
    }

    @Test
    void writesTheLayoutChosenInAConfigFileAndTheCommandLineWins() throws Exception {
        Path out = dir.resolve("flows.ndjson");
        Path config = dir.resolve("collect.conf");
        Files.writeString(config, String.join("\n",
                "# flowctl collect settings",
                "udp = 127.0.0.1:0",
                "layout = logstash",
                "out = " + dir.resolve("not-this-one.ndjson"),
                "threads = 1",
                "rcvbuf = 1m",
                "status = false",
                ""));
        List<String> files = UDP_FILES.subList(0, 5); // NetFlow v5 and v9
        List<String> expected = decoded("logstash", files);

        Running c = new Running("--config", config.toString(), "--out", out.toString());
        try (c) {
            send(c.port("udp"), "127.0.0.1", files);
            awaitLines(out, expected.size());
            assertThat(c.stop()).as(c.err.text()).isEqualTo(Flowctl.EXIT_OK);
        }

        assertThat(Files.exists(dir.resolve("not-this-one.ndjson"))).isFalse();
        List<String> docs = Files.readAllLines(out);
        assertThat(docs).hasSameSizeAs(expected);
        assertThat(count(docs, "\"netflow\":{\"version\":")).isEqualTo(count(expected, "\"netflow\":{\"version\":"))
                .isPositive();
        assertThat(c.err.text()).contains("appended to " + out).contains("1 receiving thread ");
    }

    @Test
    void exportersOutsideTheAllowlistAreDroppedAndCounted() throws Exception {
        Path out = dir.resolve("flows.ndjson");
        List<String> files = UDP_FILES.subList(0, 3);
        int expected = decoded("ecs", files).size();

        Running c = new Running("--udp", "127.0.0.1:0", "--allow", "127.0.0.2/32", "--allow", "10.0.0.0/8",
                "--out", out.toString(), "--threads", "1");
        try (c) {
            send(c.port("udp"), "127.0.0.1", files); // refused
            send(c.port("udp"), "127.0.0.2", files); // accepted
            awaitLines(out, expected);
            Thread.sleep(300);
            assertThat(c.stop()).as(c.err.text()).isEqualTo(Flowctl.EXIT_OK);
        }

        assertThat(Files.readAllLines(out)).hasSize(expected);
        assertThat(c.finalValue("allowlist_dropped")).isEqualTo(files.size());
        assertThat(c.finalValue("datagrams")).isEqualTo(files.size());
        assertThat(c.err.text()).contains("flowctl: final: exporter 127.0.0.2 datagrams=" + files.size());
    }

    @Test
    void aPersistedTemplateStoreDecodesDataRightAfterARestart() throws Exception {
        Path store = dir.resolve("templates.txt");
        Path out = dir.resolve("flows.ndjson");
        String tpl = "logstash/dat/netflow9_test_cisco_asa_1_tpl.dat";
        String data = "logstash/dat/netflow9_test_cisco_asa_1_data.dat";
        int dataDocs = decoded("ecs", List.of(tpl, data)).size() - decoded("ecs", List.of(tpl)).size();
        assertThat(dataDocs).isPositive();

        Path firstOut = dir.resolve("first.ndjson");
        Running first = new Running("--udp", "127.0.0.1:0", "--template-store", store.toString(), "--out",
                firstOut.toString());
        try (first) {
            send(first.port("udp"), "127.0.0.1", List.of(tpl, data));
            awaitLines(firstOut, decoded("ecs", List.of(tpl, data)).size());
            assertThat(first.stop()).isZero();
        }
        assertThat(store).exists();

        Running second = new Running("--udp", "127.0.0.1:0", "--template-store", store.toString(), "--out",
                out.toString());
        try (second) {
            send(second.port("udp"), "127.0.0.1", List.of(data)); // no template in this run
            awaitLines(out, dataDocs);
            assertThat(second.stop()).isZero();
        }
        assertThat(Files.readAllLines(out)).hasSize(dataDocs);
        assertThat(second.err.text()).containsPattern("templates received=0 .* restored=[1-9]");
    }

    @Test
    void ipfixOverTcp() throws Exception {
        byte[] stream = corpus("logstash/dat/ipfix.dat"); // three IPFIX messages, templates first
        int expected = decoded("ecs", List.of("logstash/dat/ipfix.dat")).size();

        Running c = new Running("--tcp", "127.0.0.1:0", "--threads", "1");
        try (c) {
            try (Socket s = new Socket("127.0.0.1", c.port("tcp"))) {
                s.getOutputStream().write(stream);
                s.getOutputStream().flush();
                awaitLines(() -> lines(c.out.text()).size(), expected);
            }
            assertThat(c.stop()).isZero();
        }
        assertThat(lines(c.out.text())).hasSize(expected);
        assertThat(c.err.text()).contains("IPFIX over TCP");
    }

    @Test
    void statusIsRedrawnInPlaceOnATerminalAndPrintedAsLinesOtherwise() throws Exception {
        Running tty = new Running(true, 100, "--udp", "127.0.0.1:0", "--count-only", "--status");
        try (tty) {
            send(tty.port("udp"), "127.0.0.1", UDP_FILES);
            awaitLines(() -> tty.err.text().contains("| 1 exporter |") ? 1 : 0, 1);
            Thread.sleep(300);
            tty.stop();
        }
        String err = tty.err.text();
        assertThat(err).contains("\rflowctl: ").containsPattern("flows/s \\| 1 exporter \\| 0 errors \\| 0 drops")
                .contains("flows in total");
        // the status line is wiped before the final counters
        assertThat(err.substring(err.lastIndexOf('\r'))).startsWith("\r").doesNotContain("flows/s");

        Running log = new Running(false, 100, "--udp", "127.0.0.1:0", "--count-only", "--status");
        try (log) {
            Thread.sleep(500);
            log.stop();
        }
        assertThat(log.err.text()).doesNotContain("\r").containsPattern("(?m)^flowctl: 0 flows/s \\| 0 exporters");
    }

    @Test
    void sigtermStopsGracefullyWithFinalCounters() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path errFile = dir.resolve("collect.err");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Flowctl.class.getName(), "collect", "--udp", "127.0.0.1:0", "--count-only");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(errFile.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(errFile).contains("flowctl: collecting") && p.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Matcher m = Pattern.compile("listening udp 127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(errFile));
            assertThat(m.find()).as(Files.readString(errFile)).isTrue();
            send(Integer.parseInt(m.group(1)), "127.0.0.1", UDP_FILES);
            Thread.sleep(500);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(errFile);
        assertThat(p.exitValue()).as(err).isEqualTo(143);
        assertThat(err).contains("flowctl: stopped by a signal")
                .containsPattern("flowctl: final: records=\\d+ recorded=\\d+ .*datagrams=\\d+");
    }

    @Test
    void enrichesWithTheEnrichKeysOfAConfigFileReloadsTheirFilesAndTheCommandLineWins() throws Exception {
        Path out = dir.resolve("enriched.ndjson");
        Path exporters = EnrichmentFixtures.exporters(dir);
        Path cidrTags = EnrichmentFixtures.cidrTags(dir);
        Path config = dir.resolve("enrich.conf");
        Files.writeString(config, String.join("\n",
                "udp = 127.0.0.1:0",
                "threads = 1",
                "enrich.geoip = " + EnrichmentFixtures.mmdb("GeoLite2-City-Test"),
                "enrich.asn = " + EnrichmentFixtures.mmdb("GeoLite2-ASN-Test"),
                "enrich.exporters = " + exporters,
                "enrich.interfaces = " + EnrichmentFixtures.interfaces(dir),
                "enrich.cidr-tags = " + cidrTags,
                "enrich.internal = 10.0.0.0/8, 2001:db8::/32",
                "enrich.sampling = 127.0.0.1=100",
                "enrich.community-id-seed = 1",
                "enrich.names = false",
                "enrich.reload = 0.2",
                ""));
        byte[] datagram = EnrichmentFixtures.v5Datagram();
        ObjectMapper json = new ObjectMapper();

        Running c = new Running("--config", config.toString(), "--out", out.toString(), "--sampling", "127.0.0.1=7");
        try (c) {
            sendBytes(c.port("udp"), datagram);
            awaitLines(out, 3);
            // a changed exporter dictionary and CIDR tag file are picked up without a restart (the tags through the
            // address stage's rebuilt overlay)
            Files.writeString(exporters, "127.0.0.1,edge-1-renamed,lon2,dc-west\n");
            Files.writeString(cidrTags, "81.2.69.0/24,london-office,owner=netops-renamed\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int lines = 3;
            while (System.nanoTime() < deadline) {
                sendBytes(c.port("udp"), datagram);
                lines += 3;
                awaitLines(out, lines);
                List<String> all = Files.readAllLines(out);
                // a reload may swap a file between the records of one datagram: wait for a datagram whose three
                // documents all carry the new name, and whose first (from London) the new label
                if (all.size() >= 3 && all.subList(all.size() - 3, all.size()).stream()
                        .allMatch(l -> l.contains("edge-1-renamed"))
                        && all.get(all.size() - 3).contains("netops-renamed")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(c.stop()).as(c.err.text()).isEqualTo(Flowctl.EXIT_OK);
        }
        assertThat(c.err.text()).contains("enriching (sampling, derived, exporters, interfaces,"
                + " geoip+asn+cidr-tags+locality, community-id)");
        List<String> docs = Files.readAllLines(out);
        assertThat(docs.size()).isGreaterThanOrEqualTo(6);
        JsonNode london = json.readTree(docs.get(0));
        assertThat(london.at("/source/geo/country_iso_code").asText()).isEqualTo(
                EnrichmentFixtures.expected("GeoLite2-City-Test", EnrichmentFixtures.LONDON).at("/country/iso_code")
                        .asText());
        assertThat(london.at("/source/geo/city_name").asText()).isEqualTo("London");
        assertThat(london.at("/observer/name").asText()).isEqualTo("edge-1");
        assertThat(london.at("/observer/ingress/interface/name").asText()).isEqualTo("xe-0/0/0");
        assertThat(london.at("/network/direction").asText()).isEqualTo("inbound");
        assertThat(london.at("/labels/owner").asText()).isEqualTo("netops");
        assertThat(london.at("/flow/sampling_interval").asLong()).as("the command line's --sampling wins").isEqualTo(7);
        assertThat(london.at("/source/bytes").asLong()).isEqualTo(1500 * 7);
        assertThat(london.at("/flow/bits").asLong()).isEqualTo(1500 * 7 * 8);
        assertThat(london.at("/network/application").isMissingNode()).as("enrich.names = false").isTrue();
        JsonNode telstra = json.readTree(docs.get(1));
        assertThat(telstra.at("/destination/as/number").asLong()).isEqualTo(
                EnrichmentFixtures.expected("GeoLite2-ASN-Test", "1.128.0.0").get("asn").asLong());
        assertThat(json.readTree(docs.get(2)).at("/network/community_id").asText())
                .isEqualTo(EnrichmentFixtures.CID_SEED1);
        JsonNode last = json.readTree(docs.get(docs.size() - 3));
        assertThat(last.at("/observer/name").asText()).as("reloaded dictionary").isEqualTo("edge-1-renamed");
        assertThat(last.at("/observer/geo/name").asText()).isEqualTo("lon2");
        assertThat(last.at("/labels/owner").asText()).as("reloaded CIDR tags").isEqualTo("netops-renamed");
    }

    /** Sends one datagram from 127.0.0.1. */
    static void sendBytes(int port, byte[] datagram) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getByName("127.0.0.1"), port));
        }
    }

    @Test
    void aPortInUseIsReported() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = CollectCommand.parse(List.of("--udp", "127.0.0.1:" + taken.getLocalPort(), "--duration", "1"))
                    .run(new ByteArrayOutputStream(), new PrintStream(err, true, StandardCharsets.UTF_8), false,
                            new CountDownLatch(1), false, 0);
            assertThat(code).isEqualTo(Flowctl.EXIT_UNAVAILABLE);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("flowctl: collect: cannot start");
        }
    }

    @Test
    void usageErrors() throws Exception {
        Path badKey = dir.resolve("bad.conf");
        Files.writeString(badKey, "udp = 127.0.0.1:0\nbogus = 1\n");
        Path enrich = dir.resolve("enrich.conf");
        Files.writeString(enrich, "enrich.geoip = " + dir.resolve("missing.mmdb") + "\n");
        Path enrichKey = dir.resolve("enrich-key.conf");
        Files.writeString(enrichKey, "enrich.bogus = 1\n");
        Path enrichTwice = dir.resolve("enrich-twice.conf");
        Files.writeString(enrichTwice, "enrich.asn = a.mmdb\nenrich.asn = b.mmdb\n");
        Path twice = dir.resolve("twice.conf");
        Files.writeString(twice, "threads = 1\nthreads = 2\n");
        String[][] cases = {
            {"collect", "--udp", "127.0.0.1"},
            {"collect", "--udp", "localhost:2055"},
            {"collect", "--udp", "127.0.0.1:70000"},
            {"collect", "--count-only", "--out", "x.ndjson"},
            {"collect", "--threads", "0"},
            {"collect", "--rcvbuf", "12q"},
            {"collect", "--max-datagram", "63"},
            {"collect", "--max-datagram", "65536"},
            {"collect", "--max-datagram", "big"},
            {"collect", "--layout", "xml"},
            {"collect", "--allow", "10.0.0.0/33"},
            {"collect", "--duration", "-1"},
            {"collect", "--warm-up", "61"},
            {"collect", "--warm-up", "soon"},
            {"collect", "--read-pause", "-1"},
            {"collect", "--read-pause", "10001"},
            {"collect", "--read-pause", "0.5"},
            {"collect", "--bogus"},
            {"collect", "stray"},
            {"collect", "--config", dir.resolve("missing.conf").toString()},
            {"collect", "--config", badKey.toString()},
            {"collect", "--config", enrich.toString()},
            {"collect", "--config", enrichKey.toString()},
            {"collect", "--config", enrichTwice.toString()},
            {"collect", "--udp", "127.0.0.1:0", "--geoip", dir.resolve("missing.mmdb").toString()},
            {"collect", "--internal", "10.0.0.0/40"},
            {"collect", "--config", twice.toString()},
        };
        for (String[] args : cases) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Flowctl.run(args, new ByteArrayOutputStream(), new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as(String.join(" ", args) + ": " + text).isEqualTo(Flowctl.EXIT_USAGE);
            assertThat(text).startsWith("flowctl: ").doesNotContain("Exception");
        }
    }

    @Test
    void helpDescribesCollect() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Flowctl.run(new String[] {"collect", "--help"}, out, System.err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("collect").contains("--count-only")
                .contains("--config FILE").contains("--template-store");
    }
}
