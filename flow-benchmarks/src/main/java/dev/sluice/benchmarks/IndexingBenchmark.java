package dev.sluice.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.layout.EcsLayout;
import dev.sluice.core.sink.SinkResult;
import dev.sluice.decoders.FlowDecoder;
import dev.sluice.sink.elastic.ElasticsearchSink;
import dev.sluice.sink.elastic.ElasticsearchSinkStatistics;
import dev.sluice.testing.ElasticsearchNode;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.http.HttpHost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end indexing into a real local Elasticsearch 8.19 node (started by the benchmark from the integ-test
 * distribution, 1 GiB heap, one shard, no replica), side by side with the ceiling: the raw {@code _bulk} rate of the
 * same documents, serialized beforehand with the same layout and sent by a minimal loader (the same low-level REST
 * client, bodies of {@value #BATCH} documents, two requests in flight, as the sink's defaults).
 *
 * <ul>
 *   <li>{@code rawBulk}: the minimal loader; its documents are ready, so it measures Elasticsearch's intake;</li>
 *   <li>{@code sluice}: NetFlow v5 datagrams decoded, rendered by the ECS layout into bulk batches and indexed by
 *       {@link ElasticsearchSink} (Elasticsearch's own ids, like the loader), on one receiving thread;</li>
 *   <li>{@code sluiceDeterministicIds}: the same with the sink's default deterministic ids (a hash per document,
 *       and Elasticsearch checks each id before it creates the document).</li>
 * </ul>
 * Each invocation writes {@value #DOCUMENTS} documents into a fresh index, checks that exactly that many are there
 * (a benchmark that lost documents would fail rather than report), and deletes the index. The score is seconds per
 * invocation; documents per second = {@value #DOCUMENTS} / score.
 *
 * <p>Needs {@code -Dsluice.es8.home=<unpacked integ-test distribution>} (passed on to the forks with
 * {@code -jvmArgsAppend}); see BENCHMARKS.md for the command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class IndexingBenchmark {

    /** 6,700 NetFlow v5 datagrams of 30 records. */
    static final int DOCUMENTS = 201_000;
    static final int BATCH = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ElasticsearchNode node;
    private RestClient client;
    private List<byte[]> datagrams;
    private List<byte[]> bodies;
    private final AtomicInteger run = new AtomicInteger();
    private String index;

    @Setup(Level.Trial)
    public void startNode() throws IOException {
        String home = System.getProperty("sluice.es8.home");
        if (home == null) {
            throw new IllegalStateException("give -Dsluice.es8.home=<unpacked Elasticsearch integ-test distribution>"
                    + " (and -jvmArgsAppend -Dsluice.es8.home=... for the forks)");
        }
        node = ElasticsearchNode.start(Path.of(home), Path.of(System.getProperty("java.home")), "1g");
        client = RestClient.builder(new HttpHost("127.0.0.1", node.port(), "http")).build();
        datagrams = new ArrayList<>();
        for (int i = 0; i * SyntheticPackets.V5_RECORDS < DOCUMENTS; i++) {
            datagrams.add(SyntheticPackets.netflowV5(i).data());
        }
        bodies = preSerialize(datagrams);
    }

    @TearDown(Level.Trial)
    public void stopNode() throws IOException {
        client.close();
        node.close();
    }

    @Setup(Level.Invocation)
    public void freshIndex() throws IOException {
        index = "bench-" + run.incrementAndGet() + "-";
        // the template the sink installs, so that the loader indexes into the same mappings
        try (ElasticsearchSink template = ElasticsearchSink.builder(node.uri().toString()).dailyIndex(index)
                .shards(1, 0).build()) {
            template.flush();
        }
    }

    @TearDown(Level.Invocation)
    public void checkAndDelete() throws IOException {
        String name = index + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy.MM.dd"));
        client.performRequest(new Request("POST", "/" + name + "/_refresh"));
        Response r = client.performRequest(new Request("GET", "/" + name + "/_count"));
        long count = JSON.readTree(r.getEntity().getContent()).get("count").asLong();
        if (count != DOCUMENTS) {
            throw new IllegalStateException(name + " holds " + count + " documents, not " + DOCUMENTS);
        }
        client.performRequest(new Request("DELETE", "/" + name));
    }

    @Benchmark
    public void rawBulk() throws Exception {
        String name = index + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy.MM.dd"));
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (byte[] body : bodies) {
                sent.add(senders.submit(() -> {
                    Request req = new Request("POST", "/" + name + "/_bulk");
                    req.addParameter("filter_path", "errors");
                    req.setEntity(new ByteArrayEntity(body, ContentType.create("application/x-ndjson",
                            StandardCharsets.UTF_8)));
                    JsonNode answer = JSON.readTree(client.performRequest(req).getEntity().getContent());
                    if (answer.path("errors").asBoolean(true)) {
                        throw new IllegalStateException("bulk errors: " + answer);
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            senders.shutdown();
        }
    }

    @Benchmark
    public ElasticsearchSinkStatistics sluice() throws IOException {
        return index(false);
    }

    @Benchmark
    public ElasticsearchSinkStatistics sluiceDeterministicIds() throws IOException {
        return index(true);
    }

    private ElasticsearchSinkStatistics index(boolean ids) throws IOException {
        ElasticsearchSinkStatistics stats;
        try (ElasticsearchSink sink = ElasticsearchSink.builder(node.uri().toString()).dailyIndex(index)
                .shards(1, 0).documentIds(ids).batchDocuments(BATCH).batchBytes(64 << 20).build()) {
            FlowDecoder decoder = new FlowDecoder();
            InetAddress exporter = InetAddress.getLoopbackAddress();
            FlowHandler handler = record -> {
                SinkResult r = sink.accept(record, null);
                while (r == SinkResult.FULL) {
                    try {
                        sink.awaitCapacity(TimeUnit.SECONDS.toNanos(1));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    r = sink.accept(record, null);
                }
                if (r != SinkResult.ACCEPTED) {
                    throw new IllegalStateException("the sink answered " + r);
                }
            };
            for (byte[] d : datagrams) {
                decoder.decode(Unpooled.wrappedBuffer(d), exporter, System.currentTimeMillis(), handler);
            }
            sink.flush();
            stats = sink.elasticsearchStatistics();
        }
        if (stats.indexed() != DOCUMENTS || stats.failed() != 0) {
            throw new IllegalStateException("the sink indexed " + stats.indexed() + " of " + DOCUMENTS + ": " + stats);
        }
        return stats;
    }

    /** The loader's bodies: the same documents, rendered by the same layout, {@value #BATCH} per body. */
    private static List<byte[]> preSerialize(List<byte[]> datagrams) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream(8 << 20);
        EcsLayout layout = new EcsLayout();
        JsonFactory factory = new JsonFactory();
        byte[] action = "{\"create\":{}}\n".getBytes(StandardCharsets.UTF_8);
        int[] inBody = {0};
        FlowDecoder decoder = new FlowDecoder();
        FlowHandler handler = record -> {
            try {
                body.write(action);
                JsonGenerator g = factory.createGenerator(body);
                layout.write(record, null, g);
                g.close();
                body.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (++inBody[0] == BATCH) {
                out.add(body.toByteArray());
                body.reset();
                inBody[0] = 0;
            }
        };
        for (byte[] d : datagrams) {
            decoder.decode(Unpooled.wrappedBuffer(d), InetAddress.getLoopbackAddress(), System.currentTimeMillis(),
                    handler);
        }
        if (inBody[0] > 0) {
            out.add(body.toByteArray());
        }
        return out;
    }
}
