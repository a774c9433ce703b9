package dev.sluice.examples.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.examples.capture.CaptureReads.Received;
import dev.sluice.examples.capture.CaptureReads.Result;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real captures: tcpdump records corpus payloads sent over the loopback interface, and the reader must give them
 * back. Skipped (not failed) where tcpdump is not installed or may not capture; no capture file is kept.
 */
class TcpdumpCaptureTest {

    private static final byte[][] PAYLOADS = {
        CorpusPayloads.bytes(CorpusPayloads.NETFLOW5),
        CorpusPayloads.bytes(CorpusPayloads.IPFIX),
        CorpusPayloads.bytes(CorpusPayloads.NETFLOW9_TEMPLATE),
    };

    @TempDir
    Path dir;

    @ParameterizedTest(name = "tcpdump -i {0} {1} precision {2}")
    @CsvSource({
        "lo,  '',         micro, '1'",
        "any, '',         micro, '113,276'",
        "any, LINUX_SLL,  nano,  '113'",
        "lo,  '',         nano,  '1'",
    })
    void readsWhatTcpdumpCaptured(String iface, String linkTypeName, String precision, String expectedLinkTypes)
            throws Exception {
        Path tcpdump = findTcpdump();
        Assumptions.assumeTrue(tcpdump != null, "tcpdump is not installed");
        Path file = dir.resolve("real.pcap");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket receiver = new DatagramSocket(0, loopback);
                DatagramSocket sender = new DatagramSocket(0, loopback)) {
            List<String> command = new ArrayList<>(List.of(tcpdump.toString(), "-i", iface, "-n", "-U",
                    "--immediate-mode", "-c", String.valueOf(PAYLOADS.length), "-w", file.toString(),
                    "--time-stamp-precision=" + precision));
            if (!linkTypeName.isEmpty()) {
                command.addAll(List.of("-y", linkTypeName));
            }
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("-Z", "root")); // keep the right to write into the private temp dir
            }
            command.add("udp and src port " + sender.getLocalPort() + " and dst port " + receiver.getLocalPort());
            Process process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                List<String> messages = Collections.synchronizedList(new ArrayList<>());
                CountDownLatch listening = new CountDownLatch(1);
                Thread stderr = new Thread(() -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            messages.add(line);
                            if (line.contains("listening on")) {
                                listening.countDown();
                            }
                        }
                    } catch (Exception e) {
                        messages.add(e.toString());
                    }
                });
                stderr.setDaemon(true);
                stderr.start();
                if (!listening.await(15, TimeUnit.SECONDS)) {
                    process.destroy();
                    Assumptions.abort("tcpdump cannot capture here: " + messages);
                }
                long before = System.currentTimeMillis() * 1000 - 1_000_000;
                for (byte[] payload : PAYLOADS) {
                    sender.send(new DatagramPacket(payload, payload.length, loopback, receiver.getLocalPort()));
                }
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    fail("tcpdump did not capture the " + PAYLOADS.length + " datagrams: " + messages);
                }
                long after = System.currentTimeMillis() * 1000 + 1_000_000;
                assertThat(process.exitValue()).as("tcpdump exit, %s", messages).isZero();

                int linkType = ByteBuffer.wrap(Files.readAllBytes(file), 20, 4).order(ByteOrder.nativeOrder()).getInt();
                assertThat(Set.of(expectedLinkTypes.split(","))).contains(String.valueOf(linkType));
                assertThat(CaptureFormat.detect(file)).isEqualTo(CaptureFormat.PCAP);

                Result result = CaptureReads.readAll(file);
                assertThat(result.datagrams()).hasSize(PAYLOADS.length);
                for (int i = 0; i < PAYLOADS.length; i++) {
                    Received d = result.datagrams().get(i);
                    assertThat(d.payload()).isEqualTo(PAYLOADS[i]);
                    assertThat(d.source()).isEqualTo("127.0.0.1");
                    assertThat(d.sourcePort()).isEqualTo(sender.getLocalPort());
                    assertThat(d.destination()).isEqualTo("127.0.0.1");
                    assertThat(d.destinationPort()).isEqualTo(receiver.getLocalPort());
                    assertThat(d.micros()).isBetween(before, after);
                    assertThat(d.partial()).isFalse();
                }
            } finally {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Path findTcpdump() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty()) {
                Path candidate = Paths.get(d, "tcpdump");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
