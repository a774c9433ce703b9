package dev.sluice.examples;

import dev.sluice.collector.FileTemplateStore;
import dev.sluice.collector.FlowCollector;
import dev.sluice.collector.FlowProcessor;
import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.sink.NdjsonSink;
import dev.sluice.enrich.AddressEnrichmentStage;
import dev.sluice.enrich.CidrTagStage;
import dev.sluice.enrich.CommunityIdStage;
import dev.sluice.enrich.GeoIpDatabase;
import dev.sluice.enrich.NamesStage;
import dev.sluice.enrich.SamplingCorrectionStage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The collector example of the README: NetFlow/IPFIX on UDP 2055, enriched, written as ECS NDJSON.
 * Arguments: a GeoIP2/GeoLite2 City database and a CIDR tag file ({@code cidr,tag|tag,key=value}).
 */
public final class CollectorExample {

    private CollectorExample() {
    }

    public static void main(String[] args) throws Exception {
        EnrichmentChain chain = EnrichmentChain.builder()
                .add("sampling", SamplingCorrectionStage.builder().build())   // bytes × sampling interval
                .add("names", new NamesStage())                               // protocol, port, TCP flag names
                .add("addresses", AddressEnrichmentStage.builder()            // one lookup per address for
                        .geoIp(GeoIpDatabase.load(Path.of(args[0])))             // GeoIP,
                        .cidrTags(CidrTagStage.load(Path.of(args[1])))           // CIDR tags and labels,
                        .internalNetworks(List.of("10.0.0.0/8"))                 // locality and direction
                        .build())
                .add("community-id", new CommunityIdStage())
                .build();
        FlowCollector collector = FlowCollector.builder()
                .listen("0.0.0.0", 2055)
                .processor(FlowProcessor.enrichment(chain))
                .sink(NdjsonSink.builder(Path.of("flows.ndjson")).build())
                .templateStore(new FileTemplateStore(Path.of("templates.txt")))
                .build().start();
        // On SIGTERM / Ctrl-C: stop receiving, finish in-flight work, flush the sink, save the templates.
        Runtime.getRuntime().addShutdownHook(new Thread(collector::close));
        new CountDownLatch(1).await();
    }
}
