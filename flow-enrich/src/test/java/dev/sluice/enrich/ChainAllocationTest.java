package dev.sluice.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.enrich.FlowEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The realistic chain allocates nothing per record in steady state; prints a rough single-thread rate. */
class ChainAllocationTest {

    @Test
    void realisticChainAllocatesNothingPerRecord() throws Exception {
        GeoIpDatabase city = GeoIpDatabase.load(MaxmindCorpusTest.db("GeoLite2-City-Test"));
        AsnDatabase asn = AsnDatabase.load(MaxmindCorpusTest.db("GeoLite2-ASN-Test"));
        Random rnd = new Random(1);
        CidrTagStage.Builder tags = CidrTagStage.builder();
        for (int i = 0; i < 5000; i++) {
            tags.add((rnd.nextInt(223) + 1) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + ".0/24",
                    List.of("t" + (i % 50)), List.of("zone=z" + (i % 7)));
        }
        EnrichmentChain chain = EnrichmentChain.builder()
                .add(SamplingCorrectionStage.builder().network("192.0.2.0/24", 100).build())
                .add(new DerivedFieldsStage())
                .add(new NamesStage())
                .add(ExporterDictionary.builder().add("192.0.2.1", "edge-1", "lon1", "dc-1").build())
                .add(InterfaceDictionary.builder().add("192.0.2.1", 1, "xe-0/0/1", "uplink", List.of("upstream"))
                        .build())
                .add(new AsnRewriteStage(3320))
                .add(new GeoIpStage(city))
                .add(new AsnStage(asn))
                .add(tags.build())
                .add(new LocalityStage(List.of("10.0.0.0/8")))
                .add(new CommunityIdStage())
                .build();
        String[] addresses = {"81.2.69.142", "1.128.0.1", "2.125.160.216", "10.1.1.1", "89.160.20.112", "8.8.8.8",
            "12.81.92.1", "67.43.156.1"};
        List<FlowRecord> records = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] p = V5.packet(0, new V5.Flow().src(addresses[i % addresses.length])
                    .dst(addresses[(i * 3 + 1) % addresses.length]).ports(1024 + i, i % 2 == 0 ? 443 : 53)
                    .proto(i % 2 == 0 ? 6 : 17));
            V5.decode(p, "192.0.2.1", r -> records.add(r.copy()));
        }
        FlowEvent e = new FlowEvent();
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int round = 0; round < 3; round++) {
            int n = 2_000_000;
            long a0 = mx.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                chain.process(records.get(i & 63), e);
            }
            long t1 = System.nanoTime();
            long bytes = mx.getThreadAllocatedBytes(tid) - a0;
            System.out.printf("chain of 11 stages: %.2f M records/s, %.3f B/record%n", n * 1e3 / (t1 - t0),
                    (double) bytes / n);
            if (round == 2) {
                assertThat((double) bytes / n).isLessThan(1.0);
            }
        }
    }
}
