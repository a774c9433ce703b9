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

    /** An element the registry does not know: an octet array named {@code unknown_<enterprise>_<id>}. */
    public static InformationElement unknown(long enterpriseId, int elementId) {
        return new InformationElement(enterpriseId, elementId, "unknown_" + enterpriseId + "_" + elementId,
                DataType.OCTET_ARRAY);
    }
}
