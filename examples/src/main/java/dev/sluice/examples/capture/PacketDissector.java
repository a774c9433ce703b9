package dev.sluice.examples.capture;

/**
 * Finds the UDP datagram in one captured frame: link layer, IPv4 or IPv6 with extension headers, UDP.
 *
 * <p>Works on the captured bytes only and never trusts a length without checking it against both the
 * enclosing header and the captured bytes. After {@link #dissect} returns {@link Outcome#UDP} the fields
 * describe the datagram; they are overwritten by the next call.
 */
final class PacketDissector {

    /** What a frame turned out to be. */
    enum Outcome {
        UDP, NOT_UDP, LATER_FRAGMENT, TRUNCATED, MALFORMED, UNSUPPORTED_LINK_TYPE
    }

    static final int LINKTYPE_NULL = 0;
    static final int LINKTYPE_ETHERNET = 1;
    static final int DLT_RAW_12 = 12;
    static final int DLT_RAW_14 = 14;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_LOOP = 108;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_IPV4 = 228;
    static final int LINKTYPE_IPV6 = 229;
    static final int LINKTYPE_LINUX_SLL2 = 276;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int MAX_VLAN_TAGS = 8;
    private static final int MAX_IPV6_EXTENSION_HEADERS = 16;
    private static final int PROTO_UDP = 17;

    /** Offset of the source address in the frame's array (4 bytes for IPv4, 16 for IPv6). */
    int addressOffset;
    /** 4 or 16. */
    int addressLength;
    /** Offset of the destination address; {@link #addressLength} bytes. */
    int destinationOffset;
    int sourcePort;
    int destinationPort;
    int payloadOffset;
    int payloadLength;
    boolean partial;

    /**
     * @param linkType the interface's link type
     * @param b the array holding the frame
     * @param offset where the frame starts
     * @param length captured length of the frame
     */
    Outcome dissect(int linkType, byte[] b, int offset, int length) {
        int end = offset + length;
        switch (linkType) {
            case LINKTYPE_ETHERNET:
                return ethernet(b, offset, end);
            case LINKTYPE_RAW:
            case DLT_RAW_12:
            case DLT_RAW_14:
                return rawIp(b, offset, end);
            case LINKTYPE_IPV4:
                return ipv4(b, offset, end);
            case LINKTYPE_IPV6:
                return ipv6(b, offset, end);
            case LINKTYPE_LINUX_SLL:
                if (end - offset < 16) {
                    return Outcome.TRUNCATED;
                }
                return byEtherType(u16(b, offset + 14), b, offset + 16, end);
            case LINKTYPE_LINUX_SLL2:
                if (end - offset < 20) {
                    return Outcome.TRUNCATED;
                }
                return byEtherType(u16(b, offset), b, offset + 20, end);
            case LINKTYPE_NULL:
            case LINKTYPE_LOOP:
                return loopback(b, offset, end);
            default:
                return Outcome.UNSUPPORTED_LINK_TYPE;
        }
    }

    private Outcome ethernet(byte[] b, int p, int end) {
        if (end - p < 14) {
            return Outcome.TRUNCATED;
        }
        int type = u16(b, p + 12);
        p += 14;
        for (int tags = 0; type == 0x8100 || type == 0x88A8 || type == 0x9100 || type == 0x9200; tags++) {
            if (tags == MAX_VLAN_TAGS) {
                return Outcome.MALFORMED;
            }
            if (end - p < 4) {
                return Outcome.TRUNCATED;
            }
            type = u16(b, p + 2);
            p += 4;
        }
        return byEtherType(type, b, p, end);
    }

    private Outcome byEtherType(int type, byte[] b, int p, int end) {
        if (type == ETHERTYPE_IPV4) {
            return ipv4(b, p, end);
        }
        if (type == ETHERTYPE_IPV6) {
            return ipv6(b, p, end);
        }
        return Outcome.NOT_UDP;
    }

    private Outcome rawIp(byte[] b, int p, int end) {
        if (end - p < 1) {
            return Outcome.TRUNCATED;
        }
        switch ((b[p] & 0xF0) >>> 4) {
            case 4:
                return ipv4(b, p, end);
            case 6:
                return ipv6(b, p, end);
            default:
                return Outcome.NOT_UDP;
        }
    }

    private Outcome loopback(byte[] b, int p, int end) {
        if (end - p < 4) {
            return Outcome.TRUNCATED;
        }
        // The address family is in the capturing host's byte order (network order for LINKTYPE_LOOP).
        int family = (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | b[p + 3] & 0xFF;
        if ((family & 0xFFFF0000) != 0) {
            family = Integer.reverseBytes(family);
        }
        switch (family) {
            case 2: // AF_INET everywhere
                return ipv4(b, p + 4, end);
            case 10: // AF_INET6 Linux
            case 24: // NetBSD, OpenBSD
            case 28: // FreeBSD
            case 30: // macOS
                return ipv6(b, p + 4, end);
            default:
                return Outcome.NOT_UDP;
        }
    }

    private Outcome ipv4(byte[] b, int p, int end) {
        if (end - p < 20) {
            return Outcome.TRUNCATED;
        }
        if ((b[p] & 0xF0) != 0x40) {
            return Outcome.MALFORMED;
        }
        int headerLength = (b[p] & 0x0F) * 4;
        int totalLength = u16(b, p + 2);
        if (headerLength < 20 || totalLength < headerLength) {
            return Outcome.MALFORMED;
        }
        if ((b[p + 9] & 0xFF) != PROTO_UDP) {
            return Outcome.NOT_UDP;
        }
        int fragment = u16(b, p + 6);
        if ((fragment & 0x1FFF) != 0) {
            return Outcome.LATER_FRAGMENT;
        }
        boolean moreFragments = (fragment & 0x2000) != 0;
        addressLength = 4;
        addressOffset = p + 12;
        destinationOffset = p + 16;
        return udp(b, p + headerLength, p + totalLength, end, moreFragments);
    }

    private Outcome ipv6(byte[] b, int p, int end) {
        if (end - p < 40) {
            return Outcome.TRUNCATED;
        }
        if ((b[p] & 0xF0) != 0x60) {
            return Outcome.MALFORMED;
        }
        int payloadLength = u16(b, p + 4);
        if (payloadLength == 0) {
            return Outcome.MALFORMED; // jumbogram or garbage: not a flow export
        }
        int next = b[p + 6] & 0xFF;
        int ipEnd = p + 40 + payloadLength;
        int q = p + 40;
        boolean moreFragments = false;
        for (int headers = 0; ; headers++) {
            if (headers > MAX_IPV6_EXTENSION_HEADERS) {
                return Outcome.MALFORMED;
            }
            int headerLength;
            switch (next) {
                case PROTO_UDP:
                    addressLength = 16;
                    addressOffset = p + 8;
                    destinationOffset = p + 24;
                    return udp(b, q, ipEnd, end, moreFragments);
                case 0:  // hop-by-hop options
                case 43: // routing
                case 60: // destination options
                    if (ipEnd - q < 8) {
                        return Outcome.MALFORMED;
                    }
                    if (end - q < 2) {
                        return Outcome.TRUNCATED;
                    }
                    headerLength = ((b[q + 1] & 0xFF) + 1) * 8;
                    break;
                case 51: // authentication header
                    if (ipEnd - q < 12) {
                        return Outcome.MALFORMED;
                    }
                    if (end - q < 2) {
                        return Outcome.TRUNCATED;
                    }
                    headerLength = ((b[q + 1] & 0xFF) + 2) * 4;
                    break;
                case 44: // fragment
                    if (ipEnd - q < 8) {
                        return Outcome.MALFORMED;
                    }
                    if (end - q < 8) {
                        return Outcome.TRUNCATED;
                    }
                    int offsetAndFlags = u16(b, q + 2);
                    if ((offsetAndFlags & 0xFFF8) != 0) {
                        return (b[q] & 0xFF) == PROTO_UDP ? Outcome.LATER_FRAGMENT : Outcome.NOT_UDP;
                    }
                    moreFragments = (offsetAndFlags & 1) != 0;
                    headerLength = 8;
                    break;
                default: // no next header (59), ESP, TCP, ICMPv6, ...
                    return Outcome.NOT_UDP;
            }
            if (headerLength > ipEnd - q) {
                return Outcome.MALFORMED;
            }
            next = b[q] & 0xFF;
            q += headerLength;
        }
    }

    /**
     * @param u where the UDP header starts
     * @param ipEnd where the IP packet ends according to its header
     * @param end where the captured bytes end
     * @param fragmented the IP packet is the first fragment of a larger datagram
     */
    private Outcome udp(byte[] b, int u, int ipEnd, int end, boolean fragmented) {
        if (ipEnd - u < 8) {
            return Outcome.MALFORMED;
        }
        if (end - u < 8) {
            return Outcome.TRUNCATED;
        }
        int udpLength = u16(b, u + 4);
        if (udpLength < 8 || !fragmented && udpLength > ipEnd - u) {
            return Outcome.MALFORMED;
        }
        int udpEnd = u + udpLength;
        int dataEnd = Math.min(udpEnd, Math.min(ipEnd, end));
        sourcePort = u16(b, u);
        destinationPort = u16(b, u + 2);
        payloadOffset = u + 8;
        payloadLength = dataEnd - payloadOffset;
        partial = dataEnd < udpEnd;
        return Outcome.UDP;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
    }
}
