package dev.sluice.sink.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.ElasticsearchNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink against a real Elasticsearch 8.19 node with security on: HTTPS with a certificate of a test CA made here
 * with openssl (the CA certificate or its fingerprint trusted), a file-realm user; API keys as far as this
 * distribution allows (see {@link #anUnknownApiKeyIsRefusedByTheNodeAndCounted}).
 */
class SecuredClusterTest {

    private static final String USER = "sluice";
    private static final String PASSWORD = "sluice-test-password";

    @TempDir
    static Path certs;

    private static ElasticsearchNode node;

    @BeforeAll
    static void startSecuredNode() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is needed to make the test CA");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=sluice-test-ca", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr",
                "-subj", "/CN=127.0.0.1");
        Files.writeString(certs.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "node.crt", "-days", "2", "-extfile", "san.cnf");
        node = ElasticsearchNode.builder(Path.of(System.getProperty("sluice.es8.home")),
                        Path.of(System.getProperty("java.home")))
                .setting("xpack.security.enabled", "true")
                .setting("xpack.security.http.ssl.enabled", "true")
                .setting("xpack.security.http.ssl.key", "node.key")
                .setting("xpack.security.http.ssl.certificate", "node.crt")
                .setting("xpack.security.http.ssl.certificate_authorities", "ca.crt")
                .configFile("node.key", Files.readAllBytes(certs.resolve("node.key")))
                // the chain as an auto-configured node presents it: its certificate, then the CA's
                .configFile("node.crt", chain(certs.resolve("node.crt"), certs.resolve("ca.crt")))
                .configFile("ca.crt", Files.readAllBytes(certs.resolve("ca.crt")))
                .user(USER, PASSWORD, "superuser")
                .start();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void basicAuthOverTlsWithTheCaCertificate() throws Exception {
        indexAndCount(ElasticsearchSink.builder(node.uri().toString()).basicAuth(USER, PASSWORD)
                .caCertificate(certs.resolve("ca.crt")), "sluice-tls-ca");
    }

    @Test
    void basicAuthOverTlsWithTheCaFingerprint() throws Exception {
        indexAndCount(ElasticsearchSink.builder(node.uri().toString()).basicAuth(USER, PASSWORD)
                .caFingerprint(caFingerprint()), "sluice-tls-fingerprint");
    }

    /**
     * The integ-test distribution cannot make API keys (its security index needs the analysis-common module, which
     * that distribution lacks), so this checks what can be checked here: the key goes out as an {@code ApiKey}
     * credential that the node evaluates and refuses (401, as for any unknown key), and the refusal is counted.
     */
    @Test
    void anUnknownApiKeyIsRefusedByTheNodeAndCounted() throws Exception {
        String unknown = java.util.Base64.getEncoder().encodeToString(
                "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw".getBytes(StandardCharsets.UTF_8));
        try (ElasticsearchSink sink = ElasticsearchSink.builder(node.uri().toString()).apiKey(unknown)
                .caCertificate(certs.resolve("ca.crt")).dataStream("sluice-tls-api-key")
                .outageMode(OutageMode.DROP).maxAttempts(1).build()) {
            assertThat(new FlowFeeder().feed(sink, 0, 30, Duration.ofSeconds(10))).isZero();
            sink.flush();
            ElasticsearchSinkStatistics s = sink.elasticsearchStatistics();
            assertThat(s.dropped()).isEqualTo(30);
            assertThat(s.available()).isFalse();
        }
        ElasticsearchNode.Response r = node.request("GET", "/_security/_authenticate", null);
        assertThat(r.status()).isEqualTo(200); // the node itself is fine: the refusal was the key's
    }

    @Test
    void aWrongPasswordIsAnOutageThatIsCountedNotASilentLoss() throws Exception {
        try (ElasticsearchSink sink = ElasticsearchSink.builder(node.uri().toString()).basicAuth(USER, "wrong")
                .caCertificate(certs.resolve("ca.crt")).dataStream("sluice-tls-denied")
                .outageMode(OutageMode.DROP).maxAttempts(1).build()) {
            assertThat(new FlowFeeder().feed(sink, 0, 60, Duration.ofSeconds(10))).isZero();
            sink.flush();
            ElasticsearchSinkStatistics s = sink.elasticsearchStatistics();
            assertThat(s.dropped()).isEqualTo(60);
            assertThat(s.indexed()).isZero();
            assertThat(s.available()).isFalse();
        }
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        try (ElasticsearchSink sink = ElasticsearchSink.builder(node.uri().toString()).basicAuth(USER, PASSWORD)
                .dataStream("sluice-tls-untrusted").outageMode(OutageMode.DROP).maxAttempts(1).build()) {
            assertThat(new FlowFeeder().feed(sink, 0, 30, Duration.ofSeconds(10))).isZero();
            sink.flush();
            assertThat(sink.elasticsearchStatistics().dropped()).isEqualTo(30);
        }
    }

    private static void indexAndCount(ElasticsearchSink.Builder builder, String stream) throws Exception {
        try (ElasticsearchSink sink = builder.dataStream(stream).shards(1, 0).build()) {
            assertThat(new FlowFeeder().feed(sink, 0, 300, Duration.ofSeconds(30))).isZero();
            sink.flush();
            assertThat(sink.elasticsearchStatistics().indexed()).isEqualTo(300);
        }
        assertThat(node.request("POST", "/" + stream + "/_refresh", null).status()).isEqualTo(200);
        ElasticsearchNode.Response r = node.request("GET", "/" + stream + "/_count", null);
        assertThat(new ObjectMapper().readTree(r.body()).get("count").asLong()).isEqualTo(300);
    }

    private static byte[] chain(Path... pems) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Path p : pems) {
            out.write(Files.readAllBytes(p));
        }
        return out.toByteArray();
    }

    private static String caFingerprint() throws Exception {
        try (InputStream in = Files.newInputStream(certs.resolve("ca.crt"))) {
            byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        }
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
