package dev.sluice.core;

/**
 * The protocol-independent fields that every {@link FlowRecord} exposes through typed accessors.
 *
 * <p>Each decoder maps its own encoding onto these: for NetFlow v9 and IPFIX a template's information
 * elements are compiled once into an accessor plan that says where each of these fields sits. A field is
 * present ({@link FlowRecord#has(FlowField)}) only when the record really carried it (or, for
 * {@link #SAMPLING_INTERVAL}, when the exporter announced it in a header or in options data).
 */
public enum FlowField {
    /** Source IPv4 or IPv6 address (IE 8 / 27). */
    SOURCE_ADDRESS(Kind.ADDRESS),
    /** Destination IPv4 or IPv6 address (IE 12 / 28). */
    DESTINATION_ADDRESS(Kind.ADDRESS),
    /** Source transport port (IE 7, or 180 / 182 for UDP / TCP). */
    SOURCE_PORT(Kind.NUMBER),
    /** Destination transport port (IE 11, or 181 / 183). */
    DESTINATION_PORT(Kind.NUMBER),
    /** IP protocol number (IE 4). */
    PROTOCOL(Kind.NUMBER),
    /** Octets (IE 1 octetDeltaCount, else 85 octetTotalCount, else 23 postOctetDeltaCount). */
    BYTES(Kind.NUMBER),
    /** Packets (IE 2 packetDeltaCount, else 86 packetTotalCount, else 24 postPacketDeltaCount). */
    PACKETS(Kind.NUMBER),
    /** Flow start as epoch milliseconds, converted from whatever time encoding the exporter used. */
    START_MILLIS(Kind.NUMBER),
    /** Flow end as epoch milliseconds. */
    END_MILLIS(Kind.NUMBER),
    /** TCP control bits (IE 6). */
    TCP_FLAGS(Kind.NUMBER),
    /** IP type of service / traffic class octet (IE 5). */
    TOS(Kind.NUMBER),
    /** Input interface ifIndex (IE 10). */
    INPUT_INTERFACE(Kind.NUMBER),
    /** Output interface ifIndex (IE 14). */
    OUTPUT_INTERFACE(Kind.NUMBER),
    /** Source BGP AS (IE 16). */
    SOURCE_AS(Kind.NUMBER),
    /** Destination BGP AS (IE 17). */
    DESTINATION_AS(Kind.NUMBER),
    /** Next hop, IPv4 or IPv6 (IE 15 / 62, else BGP next hop 18 / 63). */
    NEXT_HOP(Kind.ADDRESS),
    /** Source prefix length (IE 9 / 29). */
    SOURCE_MASK(Kind.NUMBER),
    /** Destination prefix length (IE 13 / 30). */
    DESTINATION_MASK(Kind.NUMBER),
    /** VLAN id (IE 58 vlanId, else 243 dot1qVlanId). */
    VLAN(Kind.NUMBER),
    /** Destination / post VLAN id (IE 59 postVlanId). */
    POST_VLAN(Kind.NUMBER),
    /** Source MAC address (IE 56). */
    SOURCE_MAC(Kind.MAC),
    /** Destination MAC address (IE 80, else 57 postDestinationMacAddress). */
    DESTINATION_MAC(Kind.MAC),
    /** Flow direction: 0 ingress, 1 egress (IE 61). */
    DIRECTION(Kind.NUMBER),
    /** ICMP type and code as {@code type << 8 | code} (IE 32 / 139). */
    ICMP_TYPE_CODE(Kind.NUMBER),
    /**
     * The sampling interval in effect: 1 in N packets. From the record itself (IE 34, 305, 50), the v5
     * header, or options data the exporter sent earlier.
     */
    SAMPLING_INTERVAL(Kind.NUMBER),
    /** IP version of the flow's addresses (IE 60, or derived from the address fields present). */
    IP_VERSION(Kind.NUMBER),
    /** Flow end reason (IE 136). */
    FLOW_END_REASON(Kind.NUMBER);

    /** How a field's value is read. */
    public enum Kind {
        /** Read with {@link FlowRecord#getLong(FlowField)}. */
        NUMBER,
        /** Read with {@link FlowRecord#ipv4(FlowField)} or {@link FlowRecord#address(FlowField)}. */
        ADDRESS,
        /** Read with {@link FlowRecord#mac(FlowField)}. */
        MAC
    }

    private static final FlowField[] VALUES = values();

    private final Kind kind;

    FlowField(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** All fields, without the defensive copy of {@code values()}. Do not modify. */
    static FlowField[] all() {
        return VALUES;
    }
}
