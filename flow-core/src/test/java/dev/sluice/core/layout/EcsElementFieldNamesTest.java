package dev.sluice.core.layout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.SerializedString;
import dev.sluice.core.ie.DataType;
import dev.sluice.core.ie.InformationElement;
import dev.sluice.core.ie.InformationElementRegistry;
import org.junit.jupiter.api.Test;

/** The per-element key cache of the ECS layout ({@link ElementFieldNames}). */
class EcsElementFieldNamesTest {

    private final InformationElementRegistry registry = InformationElementRegistry.standard();

    @Test
    void keysAreSnakeCaseAndComputedOncePerElement() {
        ElementFieldNames names = new ElementFieldNames("type");
        ElementFieldNames.Entry entry = names.entry(registry.ipfix(0, 8));
        assertThat(entry.slot.name).isEqualTo("source_ipv4_address");
        assertThat(entry.dataType).isEqualTo(DataType.IPV4_ADDRESS);
        assertThat(names.entry(registry.ipfix(0, 8))).isSameAs(entry);
        assertThat(names.entry(registry.ipfix(0, 225)).slot.name).isEqualTo("post_nat_source_ipv4_address");
        assertThat(names.entry(registry.ipfix(6871, 9999)).slot.name).isEqualTo("unknown_6871_9999");
        assertThat(names.size()).isEqualTo(3);
    }

    @Test
    void paddingHasNoKey() {
        ElementFieldNames names = new ElementFieldNames();
        assertThat(names.entry(registry.ipfix(0, 210)).isPadding()).isTrue();
        assertThat(names.entry(registry.netflowV9(210)).isPadding()).isTrue();
        assertThat(names.entry(registry.ipfix(0, 1)).isPadding()).isFalse();
    }

    @Test
    void occurrencesAreNumberedPerObject() {
        ElementFieldNames names = new ElementFieldNames("type");
        ElementFieldNames.Slot slot = names.entry(registry.ipfix(0, 10)).slot;
        ElementFieldNames.Slot type = names.entry(new InformationElement(1, 1, "type", DataType.STRING)).slot;
        names.beginObject(true);
        assertThat(names.nextName(slot).getValue()).isEqualTo("ingress_interface");
        SerializedString second = names.nextName(slot);
        assertThat(second.getValue()).isEqualTo("ingress_interface_2");
        assertThat(names.nextName(type).getValue()).isEqualTo("type_2");
        for (int k = 3; k <= 12; k++) {
            assertThat(names.nextName(slot).getValue()).isEqualTo("ingress_interface_" + k);
        }
        names.beginObject(false);
        assertThat(names.nextName(slot).getValue()).isEqualTo("ingress_interface");
        assertThat(names.nextName(type).getValue()).as("not reserved in this object").isEqualTo("type");
        assertThat(names.nextName(slot)).as("built once, reused").isSameAs(second);
    }

    @Test
    void cacheIsBounded() {
        ElementFieldNames names = new ElementFieldNames("type");
        for (int i = 0; i < 3 * ElementFieldNames.MAX_ELEMENTS; i++) {
            // New element objects every time, as an exporter sending ever new unknown ids would cause.
            names.entry(InformationElement.unknown(77, i));
            assertThat(names.size()).isLessThanOrEqualTo(ElementFieldNames.MAX_ELEMENTS);
        }
        ElementFieldNames.Slot type = names.entry(new InformationElement(1, 1, "type", DataType.STRING)).slot;
        names.beginObject(true);
        assertThat(names.nextName(type).getValue()).as("reserved names survive a reset").isEqualTo("type_2");
    }
}
