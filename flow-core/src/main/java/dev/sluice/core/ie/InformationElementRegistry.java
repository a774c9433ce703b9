package dev.sluice.core.ie;

/** Looks up information elements by (enterprise, id). PLACEHOLDER: being filled from the IANA registry. */
public final class InformationElementRegistry {

    private static final InformationElementRegistry STANDARD = new InformationElementRegistry();

    public static InformationElementRegistry standard() {
        return STANDARD;
    }

    /** The IPFIX element, or an {@link InformationElement#unknown unknown} one; never null. */
    public InformationElement ipfix(long enterpriseId, int elementId) {
        return InformationElement.unknown(enterpriseId, elementId);
    }

    /** The element a NetFlow v9 field type denotes, or an unknown one; never null. */
    public InformationElement netflowV9(int fieldType) {
        return InformationElement.unknown(0, fieldType);
    }
}
