package dev.sluice.core.ie;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnakeCaseTest {

    private final InformationElementRegistry registry = InformationElementRegistry.standard();

    @Test
    void convertsLikeFilebeat() {
        String[][] cases = {
            {"octetDeltaCount", "octet_delta_count"},
            {"sourceIPv4Address", "source_ipv4_address"},
            {"aBCDe", "a_bc_de"},
            {"postNATSourceIPv4Address", "post_nat_source_ipv4_address"},
            {"selectorIDTotalFlowsObserved", "selector_id_total_flows_observed"},
            {"engineId", "engine_id"},
            {"samplerRandomInterval", "sampler_random_interval"},
            {"dot1qVlanId", "dot1q_vlan_id"},
            {"messageMD5Checksum", "message_md5_checksum"},
            {"hashIPPayloadSize", "hash_ip_payload_size"},
            {"upperCILimit", "upper_ci_limit"},
            {"virtualStationUUID", "virtual_station_uuid"},
            {"postMCastLayer2OctetDeltaCount", "post_mcast_layer2_octet_delta_count"},
            {"IPSecSPI", "ip_sec_spi"},
            {"VRFname", "vrf_name"},
            {"FW_Rule", "fw_rule"},
            {"ingress_acl_id", "ingress_acl_id"},
        };
        for (String[] c : cases) {
            assertThat(SnakeCase.convert(c[0])).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void elementsGiveTheirSnakeCaseName() {
        assertThat(registry.ipfix(0, 1).snakeCaseName()).isEqualTo("octet_delta_count");
        assertThat(registry.ipfix(0, 8).snakeCaseName()).isEqualTo("source_ipv4_address");
        assertThat(registry.ipfix(0, 152).snakeCaseName()).isEqualTo("flow_start_milliseconds");
        assertThat(registry.ipfix(0, 236).snakeCaseName()).isEqualTo("vrf_name");
        assertThat(registry.ipfix(29305, 1).snakeCaseName()).isEqualTo("reverse_octet_delta_count");
        assertThat(registry.ipfix(5951, 130).snakeCaseName()).isEqualTo("netscaler_http_req_url");
        assertThat(registry.netflowV9(33000).snakeCaseName()).isEqualTo("ingress_acl_id");
        assertThat(new InformationElement(1, 2, "someNewElement", DataType.STRING).snakeCaseName())
                .isEqualTo("some_new_element");
    }

    @Test
    void snakeCaseNamesArePrecomputedAndUnknownNamesKept() {
        InformationElement e = registry.ipfix(0, 27);
        assertThat(e.snakeCaseName()).isSameAs(e.snakeCaseName()).isEqualTo("source_ipv6_address");
        InformationElement unknown = registry.ipfix(99, 99);
        assertThat(unknown.snakeCaseName()).isSameAs(unknown.name());
    }

    @Test
    void everyRegistryNameHasAFieldFriendlySnakeCase() {
        for (InformationElement e : registry.all()) {
            assertThat(e.snakeCaseName()).as(e.name()).matches("[a-z0-9]+(_[a-z0-9]+)*");
        }
    }
}
