package dev.sluice.sink.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.layout.DocumentLayout;
import dev.sluice.core.layout.EcsLayout;
import dev.sluice.testing.ElasticsearchNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink against real Elasticsearch nodes (see {@link TestCluster}). */
class ElasticsearchSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void indexesEnrichedFlowsIntoADataStreamOnElasticsearch8() throws Exception {
        indexesEnrichedFlowsIntoADataStream(TestCluster.es8(), "sluice-it-es8");
    }

    @Test
    void indexesEnrichedFlowsIntoADataStreamOnElasticsearch9() throws Exception {
        indexesEnrichedFlowsIntoADataStream(TestCluster.es9(), "sluice-it-es9");
    }

    private void indexesEnrichedFlowsIntoADataStream(ElasticsearchNode node, String stream) throws Exception {
        int flows = 3_000;
        ElasticsearchSinkStatistics stats;
        try (ElasticsearchSink sink = ElasticsearchSink.builder(node.uri().toString()).dataStream(stream)
                .shards(1, 0).retention(Duration.ofDays(30)).batchDocuments(500).build()) {
            assertThat(new FlowFeeder().feed(sink, 0, flows, Duration.ofSeconds(30))).isZero();
            sink.flush();
            stats = sink.elasticsearchStatistics();
        }
        assertThat(stats.accepted()).isEqualTo(flows);
        assertThat(stats.indexed()).isEqualTo(flows);
        assertThat(stats.failed()).isZero();
        assertThat(stats.pending()).isZero();
        refresh(node, stream);

        // the template and the data stream exist
        assertThat(node.request("GET", "/_index_template/" + stream, null).status()).isEqualTo(200);
        JsonNode resolved = get(node, "/_resolve/index/" + stream);
        assertThat(resolved.at("/data_streams/0/name").asText()).isEqualTo(stream);
        assertThat(resolved.at("/data_streams/0/timestamp_field").asText()).isEqualTo("@timestamp");

        // the mapping is the template's, not a dynamic guess
        String backing = resolved.at("/data_streams/0/backing_indices/0").asText();
        JsonNode props = get(node, "/" + stream + "/_mapping").at("/" + backing + "/mappings/properties");
        assertThat(props.at("/source/properties/ip/type").asText()).isEqualTo("ip");
        assertThat(props.at("/destination/properties/geo/properties/location/type").asText()).isEqualTo("geo_point");
        assertThat(props.at("/destination/properties/as/properties/number/type").asText()).isEqualTo("long");
        assertThat(props.at("/@timestamp/type").asText()).isEqualTo("date");
        assertThat(props.at("/network/properties/transport/type").asText()).isEqualTo("keyword");
        assertThat(props.at("/netflow/properties/octet_delta_count/type").asText()).isEqualTo("long");

        assertThat(count(node, stream, "{\"match_all\":{}}")).isEqualTo(flows);
        // IP and CIDR term queries
        assertThat(count(node, stream, "{\"term\":{\"source.ip\":\"10.0.0.0/16\"}}")).isEqualTo(flows);
        assertThat(count(node, stream, "{\"term\":{\"source.ip\":\"10.0.0.0/24\"}}")).isEqualTo(256);
        assertThat(count(node, stream, "{\"term\":{\"destination.ip\":\"81.2.69.142\"}}")).isEqualTo(flows / 5);
        assertThat(count(node, stream, "{\"term\":{\"related.ip\":\"89.160.20.112\"}}")).isEqualTo(flows / 5);
        // enrichment in its ECS places
        assertThat(count(node, stream, "{\"term\":{\"destination.geo.country_iso_code\":\"SE\"}}"))
                .isEqualTo(flows / 5);
        assertThat(count(node, stream, "{\"term\":{\"destination.as.number\":1221}}")).isEqualTo(flows / 5);
        // geo queries: London's flows lie within 20 km of the City, Linköping's do not
        assertThat(count(node, stream, "{\"geo_distance\":{\"distance\":\"20km\",\"destination.geo.location\":"
                + "{\"lat\":51.5142,\"lon\":-0.0931}}}")).isEqualTo(flows / 5);
        assertThat(count(node, stream, "{\"geo_bounding_box\":{\"destination.geo.location\":{\"top_left\":"
                + "{\"lat\":60,\"lon\":10},\"bottom_right\":{\"lat\":55,\"lon\":20}}}}")).isEqualTo(flows / 5);
        // a date histogram over the flow times: every flow in a bucket, spread over several minutes
        JsonNode hist = search(node, stream, "{\"size\":0,\"aggs\":{\"t\":{\"date_histogram\":{\"field\":"
                + "\"@timestamp\",\"fixed_interval\":\"1m\"}}}}").at("/aggregations/t/buckets");
        long inBuckets = 0;
        for (JsonNode b : hist) {
            inBuckets += b.get("doc_count").asLong();
        }
        assertThat(inBuckets).isEqualTo(flows);
        assertThat(hist.size()).isGreaterThan(5);
        // bytes are numbers: Σ (n + 1)
        JsonNode sum = search(node, stream, "{\"size\":0,\"aggs\":{\"b\":{\"sum\":{\"field\":\"source.bytes\"}}}}");
        assertThat(sum.at("/aggregations/b/value").asLong()).isEqualTo((long) flows * (flows + 1) / 2);
    }

    @Test
    void writesTheLogstashLayoutToDailyIndices() throws Exception {
        ElasticsearchNode node = TestCluster.es8();
        try (ElasticsearchSink sink = ElasticsearchSink.builder(node.uri().toString()).dailyIndex("sluice-ls-")
                .logstashLayout().shards(1, 0).build()) {
            assertThat(new FlowFeeder().feed(sink, 0, 300, Duration.ofSeconds(30))).isZero();
            sink.flush();
            assertThat(sink.elasticsearchStatistics().indexed()).isEqualTo(300);
        }
        String index = "sluice-ls-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy.MM.dd"));
        refresh(node, index);
        assertThat(count(node, index, "{\"term\":{\"netflow.ipv4_dst_addr\":\"81.2.69.0/24\"}}")).isEqualTo(60);
        JsonNode props = get(node, "/" + index + "/_mapping").at("/" + index + "/mappings/properties");
        assertThat(props.at("/netflow/properties/ipv4_src_addr/type").asText()).isEqualTo("ip");
        assertThat(props.at("/geoip_dst/properties/location/type").asText()).isEqualTo("geo_point");
    }

    @Test
    void mappingErrorsGoToTheDeadLetterHandlerAndTheRestIsIndexed() throws Exception {
        ElasticsearchNode node = TestCluster.es8();
        String stream = "sluice-it-dead-letters";
        List<DeadLetter> letters = new CopyOnWriteArrayList<>();
        int flows = 1_000;
        Path file = tmp.resolve("dead-letters.ndjson");
        try (DeadLetterFile toFile = DeadLetterFile.open(file);
                ElasticsearchSink sink = ElasticsearchSink.builder(node.uri().toString()).dataStream(stream)
                .shards(1, 0).layout("ecs", BrokenEveryTenth::new).deadLetters(letter -> {
                    letters.add(letter);
                    toFile.accept(letter);
                }).build()) {
            assertThat(new FlowFeeder().feed(sink, 0, flows, Duration.ofSeconds(30))).isZero();
            sink.flush();
            ElasticsearchSinkStatistics stats = sink.elasticsearchStatistics();
            assertThat(stats.indexed()).isEqualTo(flows - flows / 10);
            assertThat(stats.failed()).isEqualTo(flows / 10);
        }
        assertThat(letters).hasSize(flows / 10);
        for (DeadLetter l : letters) {
            assertThat(l.status()).isEqualTo(400);
            assertThat(l.index()).isEqualTo(stream);
            assertThat(l.id()).hasSize(22);
            assertThat(l.reason()).contains("source.ip");
            assertThat(l.documentText()).contains("\"ip\":\"not an address\"");
            int port = JSON.readTree(l.document()).at("/source/port").asInt();
            assertThat((port - 1024) % 10).isZero(); // exactly the broken ones
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(flows / 10);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("status").asInt()).isEqualTo(400);
        assertThat(first.at("/error/reason").asText()).contains("source.ip");
        assertThat(first.at("/document/source/ip").asText()).isEqualTo("not an address");
        refresh(node, stream);
        assertThat(count(node, stream, "{\"match_all\":{}}")).isEqualTo(flows - flows / 10);
    }

    /**
     * Stops the node in the middle of a 100,000-flow run and starts it again: with the spool, every flow arrives and
     * none twice (the count and the sum of the per-flow distinct byte counts are exact).
     */
    @Test
    void spoolCarriesAHundredThousandFlowsThroughANodeRestart() throws Exception {
        ElasticsearchNode node = TestCluster.es8();
        String stream = "sluice-it-outage";
        int flows = 100_000;
        FlowFeeder feeder = new FlowFeeder();
        ElasticsearchSinkStatistics stats;
        try (ElasticsearchSink sink = ElasticsearchSink.builder(node.uri().toString()).dataStream(stream)
                .shards(1, 0).batchDocuments(2_000).flushInterval(Duration.ofMillis(200))
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1)).spoolAfterAttempts(2)
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(20))
                .spool(tmp.resolve("spool"), 512L << 20).build()) {
            assertThat(feeder.feed(sink, 0, 30_000, Duration.ofSeconds(60))).isZero();
            try {
                node.stop();
                assertThat(feeder.feed(sink, 30_000, 70_000, Duration.ofSeconds(60))).isZero();
                waitFor(Duration.ofSeconds(60), () -> sink.elasticsearchStatistics().spoolDocuments() > 0
                        && sink.elasticsearchStatistics().queuedBatches() == 0);
            } finally {
                node.start();
            }
            assertThat(feeder.feed(sink, 70_000, flows, Duration.ofSeconds(60))).isZero();
            sink.flush();
            waitFor(Duration.ofMinutes(3), () -> {
                ElasticsearchSinkStatistics s = sink.elasticsearchStatistics();
                return s.spoolDocuments() == 0 && s.pending() == 0;
            });
            stats = sink.elasticsearchStatistics();
        }
        assertThat(stats.spooled()).isPositive();
        assertThat(stats.failed()).isZero();
        assertThat(stats.dropped()).isZero();
        assertThat(stats.indexed() + stats.duplicates()).isEqualTo(flows);
        refresh(node, stream);
        assertThat(count(node, stream, "{\"match_all\":{}}")).isEqualTo(flows);
        JsonNode sum = search(node, stream, "{\"size\":0,\"aggs\":{\"b\":{\"sum\":{\"field\":\"source.bytes\"}}}}");
        assertThat(sum.at("/aggregations/b/value").asLong()).isEqualTo((long) flows * (flows + 1) / 2);
    }

    /**
     * A node whose write thread pool takes one task and queues one more rejects the rest of concurrent bulk requests
     * with 429 (per item, es_rejected_execution_exception): the sink sends exactly those documents again, with
     * backoff, until every one is indexed.
     */
    @Test
    void itemsRejectedWith429AreSentAgainUntilIndexed() throws Exception {
        try (ElasticsearchNode small = ElasticsearchNode.builder(Path.of(System.getProperty("sluice.es8.home")),
                        Path.of(System.getProperty("java.home")))
                .setting("thread_pool.write.size", "1").setting("thread_pool.write.queue_size", "1").start()) {
            String stream = "sluice-it-429";
            int flows = 20_000;
            ElasticsearchSinkStatistics stats;
            try (ElasticsearchSink sink = ElasticsearchSink.builder(small.uri().toString()).dataStream(stream)
                    .shards(1, 0).batchDocuments(250).maxInFlight(6).queuedBatches(12)
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(500)).build()) {
                assertThat(new FlowFeeder().feed(sink, 0, flows, Duration.ofSeconds(60))).isZero();
                sink.flush();
                stats = sink.elasticsearchStatistics();
            }
            assertThat(stats.retried()).as("documents sent again after 429").isPositive();
            assertThat(stats.indexed()).isEqualTo(flows);
            assertThat(stats.failed()).isZero();
            refresh(small, stream);
            assertThat(count(small, stream, "{\"match_all\":{}}")).isEqualTo(flows);
        }
    }

    @Test
    void theSpoolSurvivesARestartOfTheSink() throws Exception {
        Path spool = tmp.resolve("spool");
        String stream = "sluice-it-respool";
        try (ElasticsearchSink down = ElasticsearchSink.builder("http://127.0.0.1:" + closedPort())
                .dataStream(stream).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).spoolAfterAttempts(1)
                .timeouts(Duration.ofMillis(500), Duration.ofSeconds(2))
                .timeoutsOnFlushAndClose(Duration.ofSeconds(10), Duration.ofSeconds(2))
                .spool(spool, 64L << 20).build()) {
            assertThat(new FlowFeeder().feed(down, 0, 500, Duration.ofSeconds(10))).isZero();
            down.flush();
            assertThat(down.elasticsearchStatistics().spoolDocuments()).isEqualTo(500);
        }
        try (var files = Files.list(spool)) {
            assertThat(files.filter(f -> f.toString().endsWith(".bulk")).count()).isPositive();
        }
        ElasticsearchNode node = TestCluster.es8();
        try (ElasticsearchSink up = ElasticsearchSink.builder(node.uri().toString()).dataStream(stream).shards(1, 0)
                .spool(spool, 64L << 20).build()) {
            assertThat(up.elasticsearchStatistics().recovered()).isEqualTo(500);
            waitFor(Duration.ofSeconds(60), () -> up.elasticsearchStatistics().spoolDocuments() == 0);
            assertThat(up.elasticsearchStatistics().indexed()).isEqualTo(500);
            assertThat(up.elasticsearchStatistics().pending()).isZero();
        }
        refresh(node, stream);
        assertThat(count(node, stream, "{\"match_all\":{}}")).isEqualTo(500);
    }

    @Test
    void dropModeCountsWhatItDropsWhenElasticsearchIsAway() throws Exception {
        try (ElasticsearchSink sink = ElasticsearchSink.builder("http://127.0.0.1:" + closedPort())
                .outageMode(OutageMode.DROP).maxAttempts(2).backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .batchDocuments(50).timeouts(Duration.ofMillis(500), Duration.ofSeconds(1)).build()) {
            assertThat(sink.policy().mode()).isEqualTo(dev.sluice.core.sink.SinkPolicy.Mode.DROP);
            assertThat(new FlowFeeder().feed(sink, 0, 200, Duration.ofSeconds(10))).isZero();
            sink.flush();
            ElasticsearchSinkStatistics s = sink.elasticsearchStatistics();
            assertThat(s.accepted()).isEqualTo(200);
            assertThat(s.dropped()).isEqualTo(200);
            assertThat(s.available()).isFalse();
            assertThat(sink.statistics().dropped()).isEqualTo(200);
        }
    }

    @Test
    void blockModeAnswersFullAndCountsWhatItCouldNotDeliverAtClose() throws Exception {
        ElasticsearchSink sink = ElasticsearchSink.builder("http://127.0.0.1:" + closedPort())
                .batchDocuments(10).queuedBatches(1).maxInFlight(1)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .timeouts(Duration.ofMillis(500), Duration.ofSeconds(1))
                .timeoutsOnFlushAndClose(Duration.ofMillis(200), Duration.ofMillis(500)).build();
        int refused = new FlowFeeder().feed(sink, 0, 200, Duration.ofMillis(20));
        assertThat(refused).isPositive(); // FULL, bounded waits timed out: the caller counts these
        long accepted = sink.elasticsearchStatistics().accepted();
        assertThat(accepted + refused).isEqualTo(200);
        assertThatThrownBy(sink::flush).isInstanceOf(IOException.class).hasMessageContaining("not yet delivered");
        sink.close();
        ElasticsearchSinkStatistics s = sink.elasticsearchStatistics();
        assertThat(s.failed()).isEqualTo(accepted); // nothing silent: every accepted document is accounted for
        assertThat(s.indexed()).isZero();
    }

    @Test
    void aClusterWithoutIlmRefusesThePolicyWithAClearError() {
        ElasticsearchNode node = TestCluster.es8();
        assertThatThrownBy(() -> ElasticsearchSink.builder(node.uri().toString()).dataStream("sluice-it-ilm")
                .ilmPolicy("sluice-30d", Duration.ofDays(30)).build())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ILM policy sluice-30d")
                .hasMessageContaining("ILM, for one, is missing");
    }

    @Test
    void badSettingsAreRefusedWithClearMessages() {
        assertThatThrownBy(() -> ElasticsearchSink.builder("localhost:9200"))
                .hasMessageContaining("not an http(s) address");
        assertThatThrownBy(() -> ElasticsearchSink.builder("http://127.0.0.1:9200").dataStream("Flows"))
                .hasMessageContaining("not a valid Elasticsearch index name");
        assertThatThrownBy(() -> ElasticsearchSink.builder("http://127.0.0.1:9200").outageMode(OutageMode.SPOOL)
                .build()).hasMessageContaining("spool directory");
        assertThatThrownBy(() -> ElasticsearchSink.builder("http://127.0.0.1:9200").caFingerprint("abc").build())
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> ElasticsearchSink.builder("http://127.0.0.1:9200")
                .caCertificate(tmp.resolve("missing.crt")).build())
                .hasMessageContaining("cannot read the CA certificate");
    }

    /** The ECS layout, except that every tenth flow (by source port) gets a source.ip that is not an address. */
    static final class BrokenEveryTenth implements DocumentLayout {
        private final EcsLayout ecs = new EcsLayout();

        @Override
        public void write(FlowRecord record, JsonGenerator out) throws IOException {
            write(record, null, out);
        }

        @Override
        public void write(FlowRecord record, FlowEvent event, JsonGenerator out) throws IOException {
            if ((record.sourcePort() - 1024) % 10 != 0) {
                ecs.write(record, event, out);
                return;
            }
            out.writeStartObject();
            out.writeStringField("@timestamp", "2026-01-01T00:00:00.000Z");
            out.writeObjectFieldStart("source");
            out.writeStringField("ip", "not an address");
            out.writeNumberField("port", record.sourcePort());
            out.writeEndObject();
            out.writeEndObject();
        }

        @Override
        public void writeOptions(FlowRecord record, JsonGenerator out) throws IOException {
            ecs.writeOptions(record, out);
        }

        @Override
        public void writeCounters(InterfaceCounters counters, JsonGenerator out) throws IOException {
            ecs.writeCounters(counters, out);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitFor(Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + max);
            }
            Thread.sleep(50);
        }
    }

    private static void refresh(ElasticsearchNode node, String index) throws IOException {
        assertThat(node.request("POST", "/" + index + "/_refresh", null).status()).isEqualTo(200);
    }

    private static JsonNode get(ElasticsearchNode node, String path) throws IOException {
        ElasticsearchNode.Response r = node.request("GET", path, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode search(ElasticsearchNode node, String index, String body) throws IOException {
        ElasticsearchNode.Response r = node.request("POST", "/" + index + "/_search", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static long count(ElasticsearchNode node, String index, String query) throws IOException {
        ElasticsearchNode.Response r = node.request("POST", "/" + index + "/_count", "{\"query\":" + query + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("count").asLong();
    }
}
