package dev.sluice.core.ie;

/** IPFIX abstract data types (RFC 7011 section 6, RFC 7012 section 3.1, RFC 6313 for the list types). */
public enum DataType {
    OCTET_ARRAY("octetArray"),
    UNSIGNED8("unsigned8"),
    UNSIGNED16("unsigned16"),
    UNSIGNED32("unsigned32"),
    UNSIGNED64("unsigned64"),
    SIGNED8("signed8"),
    SIGNED16("signed16"),
    SIGNED32("signed32"),
    SIGNED64("signed64"),
    FLOAT32("float32"),
    FLOAT64("float64"),
    BOOLEAN("boolean"),
    MAC_ADDRESS("macAddress"),
    STRING("string"),
    DATE_TIME_SECONDS("dateTimeSeconds"),
    DATE_TIME_MILLISECONDS("dateTimeMilliseconds"),
    DATE_TIME_MICROSECONDS("dateTimeMicroseconds"),
    DATE_TIME_NANOSECONDS("dateTimeNanoseconds"),
    IPV4_ADDRESS("ipv4Address"),
    IPV6_ADDRESS("ipv6Address"),
    BASIC_LIST("basicList"),
    SUB_TEMPLATE_LIST("subTemplateList"),
    SUB_TEMPLATE_MULTI_LIST("subTemplateMultiList");

    private final String ianaName;

    DataType(String ianaName) {
        this.ianaName = ianaName;
    }

    /** The type's name in the IANA registry, e.g. {@code unsigned64} or {@code dateTimeMilliseconds}. */
    public String ianaName() {
        return ianaName;
    }

    /**
     * The type with the given IANA name.
     *
     * @throws IllegalArgumentException if no type has that name
     */
    public static DataType ofIanaName(String ianaName) {
        for (DataType type : values()) {
            if (type.ianaName.equals(ianaName)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown IPFIX abstract data type: " + ianaName);
    }
}
