package dev.sluice.core.ie;

import java.util.Objects;

/**
 * An information element: its enterprise number (0 for IANA), id, name and abstract data type.
 *
 * @param enterpriseId private enterprise number, 0 for IANA elements
 * @param elementId element id without the enterprise bit
 * @param name the element's name (IANA camelCase, or the vendor's name)
 * @param dataType its abstract data type
 */
public record InformationElement(long enterpriseId, int elementId, String name, DataType dataType) {

    public InformationElement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataType, "dataType");
    }

    /** Whether the registry knows this element (an unknown one is named {@code unknown_<ent>_<id>}). */
    public boolean isKnown() {
        return !name.startsWith("unknown_");
    }

    /**
     * The name in snake case, as Filebeat's netflow input names its {@code netflow.*} fields: {@code octetDeltaCount}
     * becomes {@code octet_delta_count}, {@code sourceIPv4Address} {@code source_ipv4_address}, {@code
     * postNATSourceIPv4Address} {@code post_nat_source_ipv4_address}; names that already hold an underscore are only
     * lower-cased. Precomputed for every element of the {@link InformationElementRegistry#standard() standard
     * registry}, so the call does not allocate for those (nor for unknown elements).
     */
    public String snakeCaseName() {
        return SnakeCase.of(name);
    }

    /** An element the registry does not know: an octet array named {@code unknown_<enterprise>_<id>}. */
    public static InformationElement unknown(long enterpriseId, int elementId) {
        return new InformationElement(enterpriseId, elementId, "unknown_" + enterpriseId + "_" + elementId,
                DataType.OCTET_ARRAY);
    }
}
