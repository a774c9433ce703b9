package dev.sluice.core.enrich;

import dev.sluice.core.FlowField;

/** Ready-made {@link FlowPredicate}s; none allocates per record. Any lambda is a predicate as well. */
public final class FlowPredicates {

    private FlowPredicates() {
    }

    private static Cidr[] parse(String... cidrs) {
        Cidr[] c = new Cidr[cidrs.length];
        for (int i = 0; i < cidrs.length; i++) {
            c[i] = Cidr.parse(cidrs[i]);
        }
        return c;
    }

    private static boolean any(Cidr[] cidrs, byte[] address, int length) {
        if (length == 0) {
            return false;
        }
        for (Cidr c : cidrs) {
            if (c.contains(address, length)) {
                return true;
            }
        }
        return false;
    }

    /** The exporter's address is in one of the networks. */
    public static FlowPredicate exporterIn(String... cidrs) {
        Cidr[] c = parse(cidrs);
        return (r, e) -> any(c, e.exporterAddress(), e.exporterAddressLength());
    }

    /** The source address is in one of the networks. */
    public static FlowPredicate sourceIn(String... cidrs) {
        Cidr[] c = parse(cidrs);
        return (r, e) -> any(c, e.sourceAddress(), e.sourceAddressLength());
    }

    /** The destination address is in one of the networks. */
    public static FlowPredicate destinationIn(String... cidrs) {
        Cidr[] c = parse(cidrs);
        return (r, e) -> any(c, e.destinationAddress(), e.destinationAddressLength());
    }

    /** Either address is in one of the networks. */
    public static FlowPredicate addressIn(String... cidrs) {
        Cidr[] c = parse(cidrs);
        return (r, e) -> any(c, e.sourceAddress(), e.sourceAddressLength())
                || any(c, e.destinationAddress(), e.destinationAddressLength());
    }

    /** The IP protocol is one of these numbers. */
    public static FlowPredicate protocol(int... numbers) {
        int[] n = numbers.clone();
        return (r, e) -> {
            if (!r.has(FlowField.PROTOCOL)) {
                return false;
            }
            int p = r.protocolNumber();
            for (int x : n) {
                if (x == p) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Either port is this one. */
    public static FlowPredicate port(int port) {
        return sourcePort(port).or(destinationPort(port));
    }

    public static FlowPredicate sourcePort(int port) {
        return (r, e) -> r.has(FlowField.SOURCE_PORT) && r.sourcePort() == port;
    }

    public static FlowPredicate destinationPort(int port) {
        return (r, e) -> r.has(FlowField.DESTINATION_PORT) && r.destinationPort() == port;
    }

    /**
     * The source AS is in {@code [from, to]}: the event's AS when a stage set it, else the record's BGP source AS.
     */
    public static FlowPredicate sourceAsIn(long from, long to) {
        return (r, e) -> inRange(sourceAs(r, e), from, to);
    }

    /** The destination AS (event's, else record's) is in {@code [from, to]}. */
    public static FlowPredicate destinationAsIn(long from, long to) {
        return (r, e) -> inRange(destinationAs(r, e), from, to);
    }

    /** Either AS is in {@code [from, to]}. */
    public static FlowPredicate asIn(long from, long to) {
        return sourceAsIn(from, to).or(destinationAsIn(from, to));
    }

    /** The event's direction (set by a stage, e.g. locality) is this one ({@link FlowEvent#INBOUND}, ...). */
    public static FlowPredicate direction(String direction) {
        return (r, e) -> direction.equals(e.direction());
    }

    /** The record carries the field. */
    public static FlowPredicate has(FlowField field) {
        return (r, e) -> r.has(field);
    }

    /** The event has the tag. */
    public static FlowPredicate tagged(String tag) {
        return (r, e) -> e.hasTag(tag);
    }

    static long sourceAs(dev.sluice.core.FlowRecord r, FlowEvent e) {
        long as = e.source().asNumber();
        return as != FlowEvent.UNSET ? as : r.has(FlowField.SOURCE_AS) ? r.sourceAs() : FlowEvent.UNSET;
    }

    static long destinationAs(dev.sluice.core.FlowRecord r, FlowEvent e) {
        long as = e.destination().asNumber();
        return as != FlowEvent.UNSET ? as : r.has(FlowField.DESTINATION_AS) ? r.destinationAs() : FlowEvent.UNSET;
    }

    private static boolean inRange(long as, long from, long to) {
        return as != FlowEvent.UNSET && as >= from && as <= to;
    }
}
