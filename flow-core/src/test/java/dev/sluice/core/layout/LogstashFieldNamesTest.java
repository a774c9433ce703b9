package dev.sluice.core.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogstashFieldNamesTest {

    private final LogstashFieldNames names = LogstashFieldNames.standard();

    @Test
    void netflowV9Names() {
        assertThat(names.netflowV9(1)).isEqualTo(new LogstashField("in_bytes", "4"));
        assertThat(names.netflowV9(2)).isEqualTo(new LogstashField("in_pkts", "4"));
        assertThat(names.netflowV9(4)).isEqualTo(new LogstashField("protocol", "uint8"));
        assertThat(names.netflowV9(8)).isEqualTo(new LogstashField("ipv4_src_addr", "ip4_addr"));
        assertThat(names.netflowV9(10)).isEqualTo(new LogstashField("input_snmp", "2"));
        assertThat(names.netflowV9(21)).isEqualTo(new LogstashField("last_switched", "uint32"));
        assertThat(names.netflowV9(152)).isEqualTo(new LogstashField("flow_start_msec", "8"));
        assertThat(names.netflowV9(225)).isEqualTo(new LogstashField("xlate_src_addr_ipv4", "ip4_addr"));
        assertThat(names.netflowV9(33000)).isEqualTo(new LogstashField("ingress_acl_id", "acl_id_asa"));
        assertThat(names.netflowV9(33001)).isEqualTo(new LogstashField("egress_acl_id", "acl_id_asa"));
        assertThat(names.netflowV9(57590)).isEqualTo(new LogstashField("nprobe_proto", "uint16"));
    }

    @Test
    void skipEntries() {
        assertThat(names.netflowV9(0)).isSameAs(LogstashField.SKIP);
        assertThat(names.netflowV9(65).isSkip()).isTrue();
        assertThat(names.netflowV9(210).isSkip()).isTrue();
        assertThat(names.netflowV9(210).name()).isNull();
        assertThat(names.ipfix(0, 291).isSkip()).isTrue();
        assertThat(names.ipfix(29305, 293).isSkip()).isTrue();
        assertThat(names.netflowV9(1).isSkip()).isFalse();
    }

    @Test
    void unknownFieldsAreNull() {
        assertThat(names.netflowV9(97)).isNull();
        assertThat(names.netflowV9(60000)).isNull();
        assertThat(names.netflowV9(-1)).isNull();
        assertThat(names.ipfix(0, 520)).isNull();
        assertThat(names.ipfix(4242, 1)).isNull();
        assertThat(names.ipfix(-5, 1)).isNull();
        assertThat(names.netflowV9Scope(0)).isNull();
        assertThat(names.netflowV9Scope(6)).isNull();
    }

    @Test
    void netflowV9ScopeNames() {
        assertThat(names.netflowV9Scope(1)).isEqualTo(new LogstashField("scope_system", "uint"));
        assertThat(names.netflowV9Scope(2).name()).isEqualTo("scope_interface");
        assertThat(names.netflowV9Scope(3).name()).isEqualTo("scope_line_card");
        assertThat(names.netflowV9Scope(4).name()).isEqualTo("scope_netflow_cache");
        assertThat(names.netflowV9Scope(5).name()).isEqualTo("scope_template");
    }

    @Test
    void ipfixNames() {
        assertThat(names.ipfix(0, 1)).isEqualTo(new LogstashField("octetDeltaCount", "uint64"));
        assertThat(names.ipfix(0, 8)).isEqualTo(new LogstashField("sourceIPv4Address", "ip4_addr"));
        assertThat(names.ipfix(0, 152)).isEqualTo(new LogstashField("flowStartMilliseconds", "uint64"));
        assertThat(names.ipfix(29305, 1)).isEqualTo(new LogstashField("reverseOctetDeltaCount", "uint64"));
        assertThat(names.ipfix(5951, 192)).isEqualTo(new LogstashField("netscalerConnectionChainID", "octetarray"));
        assertThat(names.ipfix(15397, 38)).isEqualTo(new LogstashField("proceraQoeIncomingInternal", "float"));
        assertThat(names.ipfix(10704, 3)).isEqualTo(new LogstashField("TrafficType", "uint8"));
    }

    @Test
    void onlySkipEntriesHaveNoName() {
        assertThatThrownBy(() -> new LogstashField(null, "uint8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogstashField("x", null)).isInstanceOf(NullPointerException.class);
    }
}
