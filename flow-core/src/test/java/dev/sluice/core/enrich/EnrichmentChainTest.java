package dev.sluice.core.enrich;

import static dev.sluice.core.enrich.FlowPredicates.addressIn;
import static dev.sluice.core.enrich.FlowPredicates.destinationPort;
import static dev.sluice.core.enrich.FlowPredicates.exporterIn;
import static dev.sluice.core.enrich.FlowPredicates.protocol;
import static dev.sluice.core.enrich.FlowPredicates.sourceAsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EnrichmentChainTest {

    private static StubRecord flow(String exporter, String src, String dst, int proto, int dport) {
        return new StubRecord().exporter(exporter).address(FlowField.SOURCE_ADDRESS, src)
                .address(FlowField.DESTINATION_ADDRESS, dst).set(FlowField.PROTOCOL, proto)
                .set(FlowField.DESTINATION_PORT, dport).set(FlowField.SOURCE_PORT, 40000)
                .set(FlowField.BYTES, 100).set(FlowField.PACKETS, 2);
    }

    /** A user's stage, written exactly like a built-in one. */
    static final class ElephantStage implements EnrichmentStage {
        @Override
        public void enrich(FlowRecord record, FlowEvent event) {
            if (record.bytes() >= 100) {
                event.addTag("elephant");
            }
        }
    }

    @Test
    void stagesRunInOrderAndConditionsGuardThem() {
        EnrichmentChain chain = EnrichmentChain.builder()
                .add("elephants", new ElephantStage())
                .when(protocol(6).and(destinationPort(443)), "https", (r, e) -> e.setApplication("https"))
                .when(addressIn("192.168.0.0/16", "2001:db8::/32"), (r, e) -> e.addTag("lab"))
                .when(FlowPredicates.tagged("lab"), (r, e) -> e.putLabel("zone", "lab"))
                .perExporter("10.9.0.0/16", (r, e) -> e.setObserverName("edge"))
                .build();
        FlowEvent e = new FlowEvent();
        assertThat(chain.process(flow("10.9.1.1", "192.168.1.1", "8.8.8.8", 6, 443), e)).isTrue();
        assertThat(e.tagCount()).isEqualTo(2);
        assertThat(e.tag(0)).isEqualTo("elephant");
        assertThat(e.tag(1)).isEqualTo("lab");
        assertThat(e.application()).isEqualTo("https");
        assertThat(e.label("zone")).isEqualTo("lab");
        assertThat(e.observerName()).isEqualTo("edge");

        assertThat(chain.process(flow("10.8.1.1", "2001:db8::1", "8.8.8.8", 17, 53), e)).isTrue();
        assertThat(e.application()).as("reset between records").isNull();
        assertThat(e.observerName()).isNull();
        assertThat(e.hasTag("lab")).isTrue();
        assertThat(chain.stageNames()).containsExactly("elephants", "https", "stage-2", "stage-3", "stage-4");
    }

    @Test
    void filtersDropAndStopTheChain() {
        AtomicInteger after = new AtomicInteger();
        EnrichmentChain chain = EnrichmentChain.builder()
                .filter((r, e) -> r.protocolNumber() != 17)
                .add((r, e) -> after.incrementAndGet())
                .build();
        FlowEvent e = new FlowEvent();
        assertThat(chain.process(flow("10.0.0.1", "1.1.1.1", "2.2.2.2", 17, 53), e)).isFalse();
        assertThat(after).hasValue(0);
        assertThat(chain.process(flow("10.0.0.1", "1.1.1.1", "2.2.2.2", 6, 53), e)).isTrue();
        assertThat(after).hasValue(1);
    }

    @Test
    void aFailingStageIsCountedAndTheOthersRun() {
        EnrichmentChain chain = EnrichmentChain.builder()
                .add("bad", (r, e) -> {
                    throw new IllegalStateException("boom");
                })
                .add("good", (r, e) -> e.addTag("ok"))
                .build();
        FlowEvent e = new FlowEvent();
        assertThat(chain.process(flow("10.0.0.1", "1.1.1.1", "2.2.2.2", 6, 80), e)).isTrue();
        assertThat(e.hasTag("ok")).isTrue();
        assertThat(chain.failures("bad")).isEqualTo(1);
        assertThat(chain.failures("good")).isZero();
        assertThatThrownBy(() -> EnrichmentChain.builder().add("x", (r, ev) -> { }).add("x", (r, ev) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void perExporterFactoryIsAskedOncePerExporter() {
        AtomicInteger made = new AtomicInteger();
        EnrichmentChain chain = EnrichmentChain.builder()
                .perExporter(exporter -> {
                    made.incrementAndGet();
                    String site = exporter.getHostAddress().startsWith("10.1.") ? "fra" : null;
                    return site == null ? null : (r, e) -> e.setObserverSite(site);
                })
                .build();
        FlowEvent e = new FlowEvent();
        for (int i = 0; i < 3; i++) {
            chain.process(flow("10.1.0.1", "1.1.1.1", "2.2.2.2", 6, 80), e);
            assertThat(e.observerSite()).isEqualTo("fra");
            chain.process(flow("10.2.0.1", "1.1.1.1", "2.2.2.2", 6, 80), e);
            assertThat(e.observerSite()).isNull();
        }
        assertThat(made).hasValue(2);
    }

    @Test
    void asAndDirectionPredicatesReadTheEventFirst() {
        StubRecord r = flow("10.0.0.1", "1.1.1.1", "2.2.2.2", 6, 80).set(FlowField.SOURCE_AS, 64512);
        FlowEvent e = new FlowEvent();
        e.reset(r);
        assertThat(sourceAsIn(64512, 65534).test(r, e)).isTrue();
        e.source().setAsNumber(3320);
        assertThat(sourceAsIn(64512, 65534).test(r, e)).isFalse();
        assertThat(FlowPredicates.direction(FlowEvent.INBOUND).test(r, e)).isFalse();
        e.setDirection(FlowEvent.INBOUND);
        assertThat(FlowPredicates.direction(FlowEvent.INBOUND).test(r, e)).isTrue();
        assertThat(exporterIn("10.0.0.0/30").test(r, e)).isTrue();
        assertThat(exporterIn("10.0.0.4/30").negate().test(r, e)).isTrue();
    }

    @Test
    void cidrsMatchIpv4Ipv6AndMappedAddresses() {
        Cidr v4 = Cidr.parse("192.168.0.0/16");
        Cidr v6 = Cidr.parse("2001:db8::/33");
        byte[] b = StubRecord.addr("192.168.200.1").getAddress();
        assertThat(v4.contains(b, 4)).isTrue();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[13] = (byte) 168;
        assertThat(v4.contains(mapped, 16)).isTrue();
        assertThat(v6.contains(StubRecord.addr("2001:db8:7fff::1").getAddress(), 16)).isTrue();
        assertThat(v6.contains(StubRecord.addr("2001:db8:8000::1").getAddress(), 16)).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").containsIpv4(0x01020304)).isTrue();
        assertThat(Cidr.parse("::/0").contains(StubRecord.addr("::1").getAddress(), 16)).isTrue();
        assertThat(Cidr.parse("10.1.2.3").prefixLength()).isEqualTo(32);
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void steadyStateAllocatesNothing() {
        EnrichmentChain chain = EnrichmentChain.builder()
                .add(new ElephantStage())
                .when(addressIn("192.168.0.0/16"), (r, e) -> e.putLabel("zone", "lab"))
                .build();
        StubRecord r = flow("10.9.1.1", "192.168.1.1", "8.8.8.8", 6, 443);
        FlowEvent e = new FlowEvent();
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            chain.process(r, e);
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 100_000; i++) {
            chain.process(r, e);
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        // StubRecord's EnumMap boxes longs above the Long cache; allow that, but not per-record events/arrays.
        assertThat(allocated / 100_000).isLessThan(64);
    }
}
