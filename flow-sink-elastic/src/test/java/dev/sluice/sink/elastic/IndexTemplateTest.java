package dev.sluice.sink.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IndexTemplateTest {

    @Test
    void ecsTemplateTypesTheEcsFieldsAndEveryInformationElement() throws Exception {
        JsonNode t = new ObjectMapper().readTree(IndexTemplate.body("flows", true, "ecs", 1, 0,
                Duration.ofDays(30), null, 200));
        assertThat(t.at("/index_patterns/0").asText()).isEqualTo("flows");
        assertThat(t.has("data_stream")).isTrue();
        assertThat(t.at("/template/lifecycle/data_retention").asText()).isEqualTo("2592000s");
        assertThat(t.at("/template/settings/index.number_of_replicas").asInt()).isZero();
        JsonNode p = t.at("/template/mappings/properties");
        assertThat(p.at("/@timestamp/type").asText()).isEqualTo("date");
        assertThat(p.at("/source/properties/ip/type").asText()).isEqualTo("ip");
        assertThat(p.at("/destination/properties/geo/properties/location/type").asText()).isEqualTo("geo_point");
        assertThat(p.at("/source/properties/as/properties/number/type").asText()).isEqualTo("long");
        assertThat(p.at("/related/properties/ip/type").asText()).isEqualTo("ip");
        JsonNode nf = p.at("/netflow/properties");
        assertThat(nf.at("/source_ipv4_address/type").asText()).isEqualTo("ip");
        assertThat(nf.at("/source_ipv6_address/type").asText()).isEqualTo("ip");
        assertThat(nf.at("/octet_delta_count/type").asText()).isEqualTo("long");
        assertThat(nf.at("/octet_delta_count/ignore_malformed").asBoolean()).isTrue(); // a bad value costs the field
        assertThat(nf.at("/source_ipv4_address/ignore_malformed").asBoolean()).isTrue();
        assertThat(nf.at("/flow_start_milliseconds/type").asText()).isEqualTo("date");
        assertThat(nf.at("/source_mac_address/type").asText()).isEqualTo("keyword");
        assertThat(nf.at("/exporter/properties/timestamp/type").asText()).isEqualTo("date");
        assertThat(nf.size()).isGreaterThan(1000);
    }

    @Test
    void logstashTemplateTypesTheCodecAddressFields() throws Exception {
        JsonNode t = new ObjectMapper().readTree(IndexTemplate.body("ls-*", false, "logstash", 0, -1, null,
                "flows-30d", 200));
        assertThat(t.has("data_stream")).isFalse();
        assertThat(t.at("/template/settings/index.lifecycle.name").asText()).isEqualTo("flows-30d");
        JsonNode nf = t.at("/template/mappings/properties/netflow/properties");
        assertThat(nf.at("/ipv4_src_addr/type").asText()).isEqualTo("ip");
        assertThat(nf.at("/sourceIPv4Address/type").asText()).isEqualTo("ip");
        assertThat(t.at("/template/mappings/properties/geoip_dst/properties/location/type").asText())
                .isEqualTo("geo_point");
    }
}
