package dev.sluice.collector;

import static dev.sluice.collector.Packets.v5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.enrich.FlowPredicates;
import dev.sluice.core.layout.EcsLayout;
import dev.sluice.core.sink.NdjsonSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** An enrichment chain as the collector's processor: the event reaches the sinks; the chain's filter drops. */
class EnrichmentProcessorTest {

    @Test
    void theChainEnrichesAndFiltersOnTheReceivingThread() throws Exception {
        EnrichmentChain chain = EnrichmentChain.builder()
                .filter((r, e) -> r.sourcePort() % 2 == 0)
                .add("observer", (r, e) -> e.setObserverName("edge-1"))
                .when(FlowPredicates.exporterIn("127.0.0.0/8"), "tag", (r, e) -> e.addTag("loopback"))
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NdjsonSink sink = NdjsonSink.builder(out).layout(EcsLayout::new).build();
        try (FlowCollector c = FlowCollector.builder().listen("127.0.0.1", 0).receiveThreads(1)
                .processor(FlowProcessor.enrichment(chain)).sink(sink).build().start();
                Udp exporter = new Udp("127.0.0.1", c.udpAddresses().get(0))) {
            exporter.send(v5(1, 10, 1000)); // source ports 1000..1009: five even
            Udp.await(Duration.ofSeconds(20), "records", () -> c.metrics().total().records() >= 10
                    && c.metrics().total().filtered() >= 5);
            sink.flush();
            assertThat(c.metrics().total().filtered()).isEqualTo(5);
        }
        List<String> lines = Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(s -> !s.isBlank()).collect(Collectors.toList());
        assertThat(lines).hasSize(5);
        assertThat(lines).allSatisfy(l -> {
            assertThat(l).contains("\"name\":\"edge-1\"");
            assertThat(l).contains("\"tags\":[\"loopback\"]");
        });
    }
}
