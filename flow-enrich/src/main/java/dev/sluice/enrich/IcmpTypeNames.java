package dev.sluice.enrich;

/** ICMP (RFC 792 and IANA) and ICMPv6 (RFC 4443, 4861) type names. */
public final class IcmpTypeNames {

    private static final String[] V4 = new String[256];
    private static final String[] V6 = new String[256];

    static {
        V4[0] = "echo-reply";
        V4[3] = "destination-unreachable";
        V4[4] = "source-quench";
        V4[5] = "redirect";
        V4[8] = "echo-request";
        V4[9] = "router-advertisement";
        V4[10] = "router-solicitation";
        V4[11] = "time-exceeded";
        V4[12] = "parameter-problem";
        V4[13] = "timestamp";
        V4[14] = "timestamp-reply";
        V4[15] = "information-request";
        V4[16] = "information-reply";
        V4[17] = "address-mask-request";
        V4[18] = "address-mask-reply";
        V4[30] = "traceroute";
        V4[42] = "extended-echo-request";
        V4[43] = "extended-echo-reply";
        V6[1] = "destination-unreachable";
        V6[2] = "packet-too-big";
        V6[3] = "time-exceeded";
        V6[4] = "parameter-problem";
        V6[128] = "echo-request";
        V6[129] = "echo-reply";
        V6[130] = "multicast-listener-query";
        V6[131] = "multicast-listener-report";
        V6[132] = "multicast-listener-done";
        V6[133] = "router-solicitation";
        V6[134] = "router-advertisement";
        V6[135] = "neighbor-solicitation";
        V6[136] = "neighbor-advertisement";
        V6[137] = "redirect";
        V6[143] = "multicast-listener-report-v2";
    }

    private IcmpTypeNames() {
    }

    public static String v4(int type) {
        return type >= 0 && type < 256 ? V4[type] : null;
    }

    public static String v6(int type) {
        return type >= 0 && type < 256 ? V6[type] : null;
    }
}
