package dev.sluice.examples.flowctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.ElasticsearchNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowctl collect --elasticsearch} end to end: corpus datagrams over loopback UDP into a real Elasticsearch
 * 8.19 node, enriched, with the final counters of the sink on stderr.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CollectElasticsearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ElasticsearchNode node;

    @TempDir
    Path dir;

    @BeforeAll
    static void startNode() throws Exception {
        node = ElasticsearchNode.start(Path.of(System.getProperty("sluice.es8.home")),
                Path.of(System.getProperty("java.home")));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void corpusOverUdpIsIndexedEnrichedIntoADataStream() throws Exception {
        List<String> expected = decoded();
        Path maxmind = CollectCommandTest.CORPUS.resolve("maxmind/test-data");
        String stream = "sluice-flowctl";
        int code;
        CollectCommandTest.Running c = new CollectCommandTest.Running("--udp", "127.0.0.1:0",
                "--elasticsearch", node.uri().toString(), "--es-data-stream", stream,
                "--es-dead-letters", dir.resolve("refused.ndjson").toString(),
                "--asn", maxmind.resolve("GeoLite2-ASN-Test.mmdb").toString(), "--internal", "192.168.0.0/16");
        try (c) {
            assertThat(c.err.text()).contains("Elasticsearch " + node.uri() + " (data stream " + stream);
            CollectCommandTest.send(c.port("udp"), "127.0.0.1", CollectCommandTest.UDP_FILES);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(stream, "{\"match_all\":{}}") < expected.size() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            code = c.stop();
        }
        assertThat(code).as(c.err.text()).isEqualTo(Flowctl.EXIT_OK);
        assertThat(count(stream, "{\"match_all\":{}}")).as(c.err.text()).isEqualTo(expected.size());
        long flows = expected.stream().filter(d -> d.contains("\"kind\":\"event\"")).count();
        assertThat(count(stream, "{\"term\":{\"event.kind\":\"event\"}}")).isEqualTo(flows);
        long sflow = expected.stream().filter(d -> d.contains("\"action\":\"sflow_flow\"")).count();
        assertThat(sflow).isPositive();
        assertThat(count(stream, "{\"term\":{\"event.action\":\"sflow_flow\"}}")).isEqualTo(sflow);
        assertThat(count(stream, "{\"exists\":{\"field\":\"source.locality\"}}")).isPositive(); // enriched
        assertThat(count(stream, "{\"term\":{\"source.ip\":\"192.168.0.0/16\"}}")).isPositive();
        assertThat(c.err.text()).contains("flowctl: final: elasticsearch accepted=" + expected.size() + " indexed="
                + expected.size() + " duplicates=0 retried=0 failed=0");
        assertThat(Files.exists(dir.resolve("refused.ndjson"))).isTrue();
        assertThat(Files.readAllLines(dir.resolve("refused.ndjson"))).isEmpty();
    }

    @Test
    void aConfigFileNamesTheClusterAndBadCombinationsAreUsageErrors() throws Exception {
        Path config = dir.resolve("collect.conf");
        Files.writeString(config, "udp = 127.0.0.1:0\nelasticsearch = " + node.uri() + "\n"
                + "es-daily-index = sluice-conf-\nes-outage = drop\nlayout = logstash\n");
        CollectCommandTest.Running c = new CollectCommandTest.Running("--config", config.toString());
        try (c) {
            assertThat(c.err.text()).contains("daily indices sluice-conf-yyyy.MM.dd, outage: drop")
                    .contains("logstash layout");
            assertThat(c.stop()).isEqualTo(Flowctl.EXIT_OK);
        }
        assertThat(c.err.text()).contains("flowctl: final: elasticsearch accepted=0");

        assertThat(usageError("--elasticsearch", node.uri().toString(), "--out", "x.ndjson"))
                .contains("leave out --out");
        assertThat(usageError("--elasticsearch", "127.0.0.1:9200")).contains("give http(s)://HOST:PORT");
        assertThat(usageError("--elasticsearch", node.uri().toString(), "--es-user", "elastic"))
                .contains("needs a password");
        assertThat(usageError("--elasticsearch", node.uri().toString(), "--es-outage", "spool"))
                .contains("--es-outage spool needs --es-spool DIR");
        assertThat(usageError("--elasticsearch", node.uri().toString(), "--es-data-stream", "Bad"))
                .contains("not a valid Elasticsearch index name");
    }

    private String usageError(String... args) {
        List<String> all = new ArrayList<>(List.of("collect", "--udp", "127.0.0.1:0", "--duration", "1"));
        all.addAll(List.of(args));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Flowctl.run(all.toArray(new String[0]), new ByteArrayOutputStream(),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(Flowctl.EXIT_USAGE);
        return err.toString(StandardCharsets.UTF_8);
    }

    private static List<String> decoded() {
        List<String> args = new ArrayList<>(List.of("decode", "--layout", "ecs"));
        CollectCommandTest.UDP_FILES.forEach(f -> args.add(CollectCommandTest.CORPUS.resolve(f).toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Flowctl.run(args.toArray(new String[0]), out, new PrintStream(new ByteArrayOutputStream()));
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    private static long count(String index, String query) throws Exception {
        node.request("POST", "/" + index + "/_refresh", null);
        ElasticsearchNode.Response r = node.request("POST", "/" + index + "/_count", "{\"query\":" + query + "}");
        if (r.status() == 404) {
            return 0;
        }
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode n = JSON.readTree(r.body());
        return n.get("count").asLong();
    }
}
