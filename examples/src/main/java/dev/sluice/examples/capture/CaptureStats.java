package dev.sluice.examples.capture;

/**
 * What a {@link CaptureReader} saw: every packet read from the file ends up in exactly one of the
 * {@code datagrams}, {@code notUdp}, {@code laterFragments}, {@code truncatedFrames}, {@code malformedFrames}
 * or {@code unsupportedLinkType} counters.
 *
 * @param packets packets (records, packet blocks) read from the file; a raw payload file counts as one
 * @param datagrams UDP datagrams handed out
 * @param partialDatagrams of those, datagrams whose payload is shorter than the UDP header announces (first
 *        fragment of a fragmented datagram, or cut by the capture's snapshot length)
 * @param notUdp packets that are not IPv4/IPv6 UDP
 * @param laterFragments non-first IP fragments of UDP datagrams, skipped (no reassembly)
 * @param truncatedFrames packets skipped because the capture ends before the UDP header
 * @param malformedFrames packets skipped because their link, IP or UDP headers contradict each other
 * @param unsupportedLinkType packets skipped because their interface's link type is not supported
 */
public record CaptureStats(
        long packets,
        long datagrams,
        long partialDatagrams,
        long notUdp,
        long laterFragments,
        long truncatedFrames,
        long malformedFrames,
        long unsupportedLinkType) {

    /** All zero. */
    public static final CaptureStats EMPTY = new CaptureStats(0, 0, 0, 0, 0, 0, 0, 0);

    /** The field-by-field sum of this and {@code other}. */
    public CaptureStats plus(CaptureStats other) {
        return new CaptureStats(
                packets + other.packets,
                datagrams + other.datagrams,
                partialDatagrams + other.partialDatagrams,
                notUdp + other.notUdp,
                laterFragments + other.laterFragments,
                truncatedFrames + other.truncatedFrames,
                malformedFrames + other.malformedFrames,
                unsupportedLinkType + other.unsupportedLinkType);
    }

    /** Packets that did not become a datagram. */
    public long skipped() {
        return notUdp + laterFragments + truncatedFrames + malformedFrames + unsupportedLinkType;
    }

    @Override
    public String toString() {
        return "packets=" + packets + " datagrams=" + datagrams + " partial_datagrams=" + partialDatagrams
                + " not_udp=" + notUdp + " later_fragments=" + laterFragments + " truncated=" + truncatedFrames
                + " malformed=" + malformedFrames + " unsupported_link_type=" + unsupportedLinkType;
    }
}
