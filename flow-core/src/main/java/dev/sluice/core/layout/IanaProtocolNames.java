package dev.sluice.core.layout;

/**
 * Names for IP protocol numbers, as ECS {@code network.transport} wants them: the IANA "Protocol Numbers"
 * registry keyword in lower case ({@code tcp}, {@code udp}, {@code icmp}, {@code ipv6-icmp}, {@code gre},
 * {@code esp}, {@code sctp}, ...), and the number itself as the decimal string {@code network.iana_number} holds.
 *
 * <p>Public so that enrichment stages ({@code flow-enrich}'s protocol names) use this one table.
 *
 * <p>The table covers the protocols seen in flow data; a number it does not name has no transport name (the
 * number is still written). Protocol 0 is left unnamed on purpose: IANA calls it HOPOPT, but an exporter never
 * reports the hop-by-hop options header as a flow's protocol, and 0 in flow records means "not set" (layer-2
 * flows, some firewalls' session events).
 */
public final class IanaProtocolNames {

    private static final String[] NAMES = new String[256];
    private static final String[] NUMBERS = new String[256];

    static {
        for (int i = 0; i < 256; i++) {
            NUMBERS[i] = Integer.toString(i);
        }
        name(1, "icmp");
        name(2, "igmp");
        name(3, "ggp");
        name(4, "ipv4");
        name(5, "st");
        name(6, "tcp");
        name(8, "egp");
        name(9, "igp");
        name(12, "pup");
        name(17, "udp");
        name(20, "hmp");
        name(22, "xns-idp");
        name(27, "rdp");
        name(29, "iso-tp4");
        name(33, "dccp");
        name(36, "xtp");
        name(37, "ddp");
        name(38, "idpr-cmtp");
        name(41, "ipv6");
        name(43, "ipv6-route");
        name(44, "ipv6-frag");
        name(45, "idrp");
        name(46, "rsvp");
        name(47, "gre");
        name(50, "esp");
        name(51, "ah");
        name(57, "skip");
        name(58, "ipv6-icmp");
        name(59, "ipv6-nonxt");
        name(60, "ipv6-opts");
        name(73, "cphb");
        name(81, "vmtp");
        name(88, "eigrp");
        name(89, "ospfigp");
        name(93, "ax.25");
        name(94, "ipip");
        name(97, "etherip");
        name(98, "encap");
        name(103, "pim");
        name(108, "ipcomp");
        name(112, "vrrp");
        name(113, "pgm");
        name(115, "l2tp");
        name(124, "isis");
        name(132, "sctp");
        name(133, "fc");
        name(135, "mobility-header");
        name(136, "udplite");
        name(137, "mpls-in-ip");
        name(138, "manet");
        name(139, "hip");
        name(140, "shim6");
        name(141, "wesp");
        name(142, "rohc");
        name(143, "ethernet");
    }

    private IanaProtocolNames() {
    }

    private static void name(int number, String name) {
        NAMES[number] = name;
    }

    /** The lower-case IANA keyword of a protocol number, or null when the table has none. */
    public static String name(int number) {
        return number >= 0 && number < 256 ? NAMES[number] : null;
    }

    /** The number as a decimal string (shared instances for 0 to 255). */
    static String number(long number) {
        return number >= 0 && number < 256 ? NUMBERS[(int) number] : Long.toString(number);
    }
}
