package dev.sluice.core.layout;

import static dev.sluice.core.layout.EcsLayoutTest.TestRecord.ip;
import static dev.sluice.core.layout.EcsLayoutTest.TestRecord.u;
import static dev.sluice.core.layout.EcsLayoutTest.get;
import static dev.sluice.core.layout.EcsLayoutTest.map;
import static dev.sluice.core.layout.EcsLayoutTest.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.enrich.GeoLocation;
import dev.sluice.core.enrich.InterfaceInfo;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event's slots in the ECS and Logstash layouts. */
class EnrichedLayoutTest {

    private static final JsonFactory JSON = new JsonFactory();
    private static final GeoLocation LONDON = new GeoLocation("EU", "Europe", "GB", "United Kingdom", "ENG",
            "England", "London", true, 51.5142, -0.0931);

    private static EcsLayoutTest.TestRecord record() {
        return new EcsLayoutTest.TestRecord()
                .add(8, ip("10.0.0.1"))
                .add(12, ip("81.2.69.142"))
                .add(7, u(51000, 2))
                .add(11, u(443, 2))
                .add(4, u(6, 1))
                .add(1, u(1500, 8))
                .add(2, u(10, 8))
                .add(10, u(3, 4))
                .add(14, u(7, 4))
                .add(61, u(0, 1))
                .build();
    }

    private static FlowEvent event(FlowRecord r) {
        FlowEvent e = new FlowEvent();
        e.reset(r);
        e.destination().setGeo(LONDON);
        e.destination().setAsNumber(20712);
        e.destination().setAsOrganization("Andrews & Arnold Ltd");
        e.source().setAsNumber(64500);
        e.source().setLocality(FlowEvent.INTERNAL);
        e.destination().setLocality(FlowEvent.EXTERNAL);
        e.setObserverName("edge-1");
        e.setObserverSite("fra1");
        e.setObserverDatacenter("dc-west");
        e.ingress().setInfo(new InterfaceInfo("xe-0/0/3", "uplink to transit", List.of("upstream", "transit")));
        e.egress().setInfo(new InterfaceInfo("ge-0/0/7", null, List.of("transit", "customer")));
        e.setDirection(FlowEvent.OUTBOUND);
        e.setApplication("https");
        e.setBytes(1_500_000);
        e.setPackets(10_000);
        e.setSamplingInterval(1000);
        e.setBits(12_000_000);
        e.setTcpFlagNames(new String[] {"SYN", "ACK"});
        String cid = "1:LQU9qZlK+B5F3KDmev6m5PMibrg=";
        cid.getChars(0, cid.length(), e.communityIdBuffer(), 0);
        e.setCommunityIdLength(cid.length());
        e.addTag("edge");
        e.putLabel("tenant", "acme");
        e.setNumber("flow.score", 42);
        return e;
    }

    @Test
    void ecsPutsTheSlotsAtTheirEcsPlaces() throws IOException {
        EcsLayoutTest.TestRecord r = record();
        Map<String, Object> doc = ecs(r, event(r));
        assertThat(get(doc, "destination.geo")).isEqualTo(map("continent_code", "EU", "continent_name", "Europe",
                "country_iso_code", "GB", "country_name", "United Kingdom", "region_iso_code", "ENG",
                "region_name", "England", "city_name", "London",
                "location", map("lat", 51.5142, "lon", -0.0931)));
        assertThat(get(doc, "destination.as")).isEqualTo(map("number", 20712L,
                "organization", map("name", "Andrews & Arnold Ltd")));
        assertThat(get(doc, "source.as.number")).isEqualTo(64500L);
        assertThat(object(doc, "source")).doesNotContainKey("geo");
        assertThat(get(doc, "source.locality")).isEqualTo("internal");
        assertThat(get(doc, "observer")).isEqualTo(map("ip", "192.0.2.10", "name", "edge-1",
                "geo", map("name", "fra1"),
                "ingress", map("interface", map("id", "3", "name", "xe-0/0/3", "alias", "uplink to transit")),
                "egress", map("interface", map("id", "7", "name", "ge-0/0/7"))));
        assertThat(get(doc, "network.direction")).isEqualTo("outbound");
        assertThat(get(doc, "network.application")).isEqualTo("https");
        assertThat(get(doc, "network.community_id")).isEqualTo("1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
        assertThat(get(doc, "network.bytes")).isEqualTo(1_500_000L);
        assertThat(get(doc, "network.packets")).isEqualTo(10_000L);
        assertThat(get(doc, "source.bytes")).isEqualTo(1_500_000L);
        assertThat(get(doc, "netflow.octet_delta_count")).as("raw value kept").isEqualTo(1500L);
        assertThat(get(doc, "flow")).isEqualTo(map("locality", "external", "bits", 12_000_000L,
                "sampling_interval", 1000L, "tcp_flags", List.of("SYN", "ACK")));
        assertThat(doc.get("tags")).isEqualTo(List.of("edge", "upstream", "transit", "customer"));
        assertThat(doc.get("labels")).isEqualTo(map("datacenter", "dc-west", "tenant", "acme"));
        assertThat(doc.get("flow.score")).isEqualTo(42L);
    }

    @Test
    void anEmptyOrNullEventWritesTheUnenrichedDocument() throws IOException {
        EcsLayoutTest.TestRecord r = record();
        EcsLayout layout = new EcsLayout();
        String plain = text(g -> layout.write(r, g));
        String nullEvent = text(g -> layout.write(r, null, g));
        FlowEvent empty = new FlowEvent();
        empty.reset(r);
        String emptyEvent = text(g -> layout.write(r, empty, g));
        assertThat(nullEvent).isEqualTo(plain);
        assertThat(emptyEvent).isEqualTo(plain);
        LogstashLayout ls = new LogstashLayout();
        assertThat(text(g -> ls.write(r, empty, g))).isEqualTo(text(g -> ls.write(r, g)));
    }

    @Test
    void logstashWritesTheClassicFilterOutputs() throws IOException {
        EcsLayoutTest.TestRecord r = record();
        FlowEvent e = event(r);
        e.setTransport("tcp");
        e.source().setService("ephemeral");
        e.destination().setService("https");
        Map<String, Object> doc = EcsLayoutTest.parse(text(g -> new LogstashLayout().write(r, e, g)));
        assertThat(get(doc, "geoip_dst")).isEqualTo(map("ip", "81.2.69.142", "continent_code", "EU",
                "country_code2", "GB", "country_name", "United Kingdom", "region_code", "ENG",
                "region_name", "England", "city_name", "London", "latitude", 51.5142, "longitude", -0.0931,
                "location", map("lat", 51.5142, "lon", -0.0931), "asn", 20712L, "as_org", "Andrews & Arnold Ltd"));
        assertThat(get(doc, "geoip_src")).isEqualTo(map("ip", "10.0.0.1", "asn", 64500L));
        Map<String, Object> nf = object(doc, "netflow");
        assertThat(nf).containsEntry("bytes", 1_500_000L).containsEntry("packets", 10_000L)
                .containsEntry("sampling_applied", 1000L).containsEntry("bits", 12_000_000L)
                .containsEntry("protocol_name", "tcp").containsEntry("src_port_name", "ephemeral")
                .containsEntry("dst_port_name", "https").containsEntry("tcp_flag_names", List.of("SYN", "ACK"))
                .containsEntry("exporter_name", "edge-1").containsEntry("exporter_site", "fra1")
                .containsEntry("exporter_datacenter", "dc-west")
                .containsEntry("input_interface_name", "xe-0/0/3")
                .containsEntry("input_interface_description", "uplink to transit")
                .containsEntry("output_interface_name", "ge-0/0/7")
                .containsEntry("src_locality", "internal").containsEntry("dst_locality", "external")
                .containsEntry("direction", "outbound")
                .containsEntry("community_id", "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
        assertThat(doc.get("tags")).isEqualTo(List.of("edge", "upstream", "transit", "customer"));
        assertThat(doc.get("labels")).isEqualTo(map("tenant", "acme"));
        assertThat(doc.get("@version")).isEqualTo("1");
    }

    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    static String text(Writer w) throws IOException {
        StringWriter s = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(s)) {
            w.write(g);
        }
        return s.toString();
    }

    private static Map<String, Object> ecs(FlowRecord r, FlowEvent e) throws IOException {
        return EcsLayoutTest.parse(text(g -> new EcsLayout().write(r, e, g)));
    }
}
