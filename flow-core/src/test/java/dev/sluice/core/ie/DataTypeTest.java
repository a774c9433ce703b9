package dev.sluice.core.ie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataTypeTest {

    @Test
    void ianaNamesRoundTrip() {
        for (DataType type : DataType.values()) {
            assertThat(DataType.ofIanaName(type.ianaName())).isSameAs(type);
        }
        assertThat(DataType.DATE_TIME_MILLISECONDS.ianaName()).isEqualTo("dateTimeMilliseconds");
        assertThat(DataType.ofIanaName("ipv4Address")).isEqualTo(DataType.IPV4_ADDRESS);
        assertThat(DataType.ofIanaName("subTemplateMultiList")).isEqualTo(DataType.SUB_TEMPLATE_MULTI_LIST);
        assertThatThrownBy(() -> DataType.ofIanaName("unsigned128")).isInstanceOf(IllegalArgumentException.class);
    }
}
