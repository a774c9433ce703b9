package dev.sluice.decoders;

import static dev.sluice.decoders.SflowRecordView.*;

import io.netty.buffer.ByteBuf;

/**
 * Parses the sampled packet header of an sFlow raw packet header record (flow record format 1), layer by
 * layer, into the slots of a {@link SflowRecordView}: Ethernet II, 802.1Q / 802.1ad tags (QinQ), MPLS label
 * stacks, IPv4 (options skipped by IHL, fragments), IPv6 (extension headers, fragment header), then TCP,
 * UDP, SCTP, UDP-Lite and DCCP ports, TCP flags, ICMP and ICMPv6 type and code.
 *
 * <p>Sampled headers are cut at the agent's header size (typically 128 bytes), so every layer may end
 * early: each value is read only when its bytes are inside the header, and parsing stops quietly at the
 * first layer that is cut or unrecognised, keeping what was read before. Every loop consumes bytes of the
 * header and is bounded by its length. Stateless.
 */
final class SflowHeaderParser {

    /** sFlow header_protocol values this parser understands. */
    static final int PROTO_ETHERNET = 1;
    static final int PROTO_IPV4 = 11;
    static final int PROTO_IPV6 = 12;
    static final int PROTO_MPLS = 13;

    private static final int ETH_IPV4 = 0x0800;
    private static final int ETH_IPV6 = 0x86DD;
    private static final int ETH_VLAN = 0x8100;
    private static final int ETH_QINQ = 0x88A8;
    private static final int ETH_QINQ_OLD = 0x9100;
    private static final int ETH_MPLS = 0x8847;
    private static final int ETH_MPLS_MC = 0x8848;

    private SflowHeaderParser() {
    }

    /** Parses a sampled header of sFlow header protocol {@code protocol} in {@code [from, to)}. */
    static void parse(SflowRecordView v, int protocol, ByteBuf buf, int from, int to) {
        switch (protocol) {
            case PROTO_ETHERNET:
                ethernet(v, buf, from, to);
                break;
            case PROTO_IPV4:
                ipv4(v, buf, from, to);
                break;
            case PROTO_IPV6:
                ipv6(v, buf, from, to);
                break;
            case PROTO_MPLS:
                mpls(v, buf, from, to);
                break;
            default:
                // Token ring, FDDI, frame relay, PPP, 802.11 ...: the frame length is all that is known.
                break;
        }
    }

    static void ethernet(SflowRecordView v, ByteBuf buf, int p, int to) {
        if (to - p < 14) {
            if (to - p >= 12) {
                v.setMac(SLOT_DST_MAC, buf, p);
                v.setMac(SLOT_SRC_MAC, buf, p + 6);
            }
            return;
        }
        v.setMac(SLOT_DST_MAC, buf, p);
        v.setMac(SLOT_SRC_MAC, buf, p + 6);
        int type = buf.getUnsignedShort(p + 12);
        p += 14;
        int tags = 0;
        while (type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD) {
            if (to - p < 4) {
                return; // tag cut: the outer tags already read stay
            }
            int vlan = buf.getUnsignedShort(p) & 0x0FFF;
            if (tags == 0) {
                if (!v.isPinned(SLOT_VLAN)) {
                    v.set16(SLOT_VLAN, vlan);
                }
            } else if (tags == 1) {
                v.set16(SLOT_INNER_VLAN, vlan);
            }
            tags++;
            type = buf.getUnsignedShort(p + 2);
            p += 4;
        }
        if (type < 0x0600) {
            return; // an 802.3 length (LLC / SNAP frame), not an EtherType
        }
        v.set16(SLOT_ETHERTYPE, type);
        switch (type) {
            case ETH_IPV4:
                ipv4(v, buf, p, to);
                break;
            case ETH_IPV6:
                ipv6(v, buf, p, to);
                break;
            case ETH_MPLS:
            case ETH_MPLS_MC:
                mpls(v, buf, p, to);
                break;
            default:
                break;
        }
    }

    /** An MPLS label stack, then IPv4 or IPv6 guessed from the first nibble after the bottom of stack. */
    static void mpls(SflowRecordView v, ByteBuf buf, int p, int to) {
        int n = 0;
        while (to - p >= 4) {
            int entry = buf.getInt(p);
            if (n < MPLS_LABELS) {
                v.setNumber(SLOT_MPLS + n, entry >>> 8); // label (20 bits), traffic class (3), bottom of stack (1)
            }
            n++;
            p += 4;
            if ((entry & 0x100) != 0) {
                if (to - p >= 1) {
                    int version = buf.getUnsignedByte(p) >>> 4;
                    if (version == 4) {
                        ipv4(v, buf, p, to);
                    } else if (version == 6) {
                        ipv6(v, buf, p, to);
                    }
                }
                return;
            }
        }
    }

    static void ipv4(SflowRecordView v, ByteBuf buf, int p, int to) {
        int have = to - p;
        if (have < 1) {
            return;
        }
        int b0 = buf.getUnsignedByte(p);
        int ihl = (b0 & 0x0F) * 4;
        if (b0 >>> 4 != 4 || ihl < 20) {
            return; // not IPv4 after all
        }
        v.set8(SLOT_IP_VERSION, 4);
        if (have < 2) {
            return;
        }
        v.set8(SLOT_TOS, buf.getUnsignedByte(p + 1));
        if (have < 4) {
            return;
        }
        v.set32(SLOT_IP_LENGTH, buf.getUnsignedShort(p + 2));
        if (have < 8) {
            return;
        }
        int fragWord = buf.getUnsignedShort(p + 6);
        int fragOffset = fragWord & 0x1FFF;
        v.set32(SLOT_FRAG_ID, buf.getUnsignedShort(p + 4));
        v.set16(SLOT_FRAG_OFFSET, fragOffset);
        v.set8(SLOT_FRAG_FLAGS, (fragWord >>> 8) & 0xE0);
        if (have < 10) {
            return;
        }
        v.set8(SLOT_TTL, buf.getUnsignedByte(p + 8));
        int protocol = buf.getUnsignedByte(p + 9);
        v.set8(SLOT_PROTOCOL, protocol);
        if (have < 20) {
            return;
        }
        v.setAddress4(SLOT_SRC4, buf, p + 12);
        v.setAddress4(SLOT_DST4, buf, p + 16);
        if (fragOffset != 0 || have < ihl) {
            return; // a later fragment carries no transport header; or the options are cut
        }
        transport(v, protocol, false, buf, p + ihl, to);
    }

    static void ipv6(SflowRecordView v, ByteBuf buf, int p, int to) {
        int have = to - p;
        if (have < 1 || buf.getUnsignedByte(p) >>> 4 != 6) {
            return;
        }
        v.set8(SLOT_IP_VERSION, 6);
        if (have < 4) {
            if (have >= 2) {
                v.set8(SLOT_TOS, (buf.getUnsignedShort(p) >>> 4) & 0xFF);
            }
            return;
        }
        int w = buf.getInt(p);
        v.set8(SLOT_TOS, (w >>> 20) & 0xFF);
        v.set32(SLOT_FLOW_LABEL, w & 0xFFFFF);
        if (have < 8) {
            return;
        }
        v.set32(SLOT_IP_LENGTH, buf.getUnsignedShort(p + 4) + 40);
        int next = buf.getUnsignedByte(p + 6);
        v.set8(SLOT_PROTOCOL, next);
        v.set8(SLOT_TTL, buf.getUnsignedByte(p + 7));
        if (have < 40) {
            return;
        }
        v.setAddress16(SLOT_SRC6, buf, p + 8);
        v.setAddress16(SLOT_DST6, buf, p + 24);
        p += 40;
        // Extension headers: each one consumes at least 8 bytes of the header, so the loop is bounded.
        while (true) {
            int len;
            switch (next) {
                case 0: // hop-by-hop options
                case 43: // routing
                case 60: // destination options
                case 135: // mobility
                case 139: // HIP
                case 140: // shim6
                    if (to - p < 2) {
                        return;
                    }
                    len = (buf.getUnsignedByte(p + 1) + 1) * 8;
                    break;
                case 51: // authentication header: length in 4-byte units, minus 2
                    if (to - p < 2) {
                        return;
                    }
                    len = (buf.getUnsignedByte(p + 1) + 2) * 4;
                    break;
                case 44: { // fragment
                    if (to - p < 8) {
                        return;
                    }
                    int word = buf.getUnsignedShort(p + 2);
                    int offset = word >>> 3;
                    v.set16(SLOT_FRAG_OFFSET, offset);
                    v.set32(SLOT_FRAG_ID, buf.getInt(p + 4));
                    v.set8(SLOT_FRAG_FLAGS, (word & 1) << 5); // More Fragments is bit 2 (0x20)
                    next = buf.getUnsignedByte(p);
                    v.set8(SLOT_PROTOCOL, next);
                    if (offset != 0) {
                        return; // a later fragment carries no transport header
                    }
                    p += 8;
                    continue;
                }
                default:
                    transport(v, next, true, buf, p, to);
                    return;
            }
            if (to - p < len) {
                return; // the extension header is cut: the protocol stays the last one known
            }
            next = buf.getUnsignedByte(p);
            v.set8(SLOT_PROTOCOL, next);
            p += len;
        }
    }

    /** The transport header of {@code protocol} at {@code p}. */
    static void transport(SflowRecordView v, int protocol, boolean ipv6, ByteBuf buf, int p, int to) {
        int have = to - p;
        switch (protocol) {
            case 6: // TCP
                if (have >= 4) {
                    ports(v, buf, p);
                }
                if (have >= 14) {
                    v.set16(SLOT_TCP_FLAGS, buf.getUnsignedShort(p + 12) & 0x0FFF);
                }
                break;
            case 17: // UDP
            case 33: // DCCP
            case 132: // SCTP
            case 136: // UDP-Lite
                if (have >= 4) {
                    ports(v, buf, p);
                }
                break;
            case 1: // ICMP
                if (!ipv6 && have >= 2) {
                    v.set16(SLOT_ICMP4, buf.getUnsignedShort(p));
                }
                break;
            case 58: // ICMPv6
                if (ipv6 && have >= 2) {
                    v.set16(SLOT_ICMP6, buf.getUnsignedShort(p));
                }
                break;
            default:
                break;
        }
    }

    private static void ports(SflowRecordView v, ByteBuf buf, int p) {
        v.set16(SLOT_SRC_PORT, buf.getUnsignedShort(p));
        v.set16(SLOT_DST_PORT, buf.getUnsignedShort(p + 2));
    }
}
