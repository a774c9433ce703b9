package dev.sluice.enrich;

/**
 * Well-known service names of TCP, UDP and SCTP ports (the IANA service name registry's keywords for the ports seen
 * most in flow data). A port it does not know has no name.
 */
public final class ServiceNames {

    private static final String[] TCP = new String[65536];
    private static final String[] UDP = new String[65536];
    /**
     * One bit per port with a name in either table: an 8 KB bitmap that stays in the CPU caches, read before the
     * 256 KB tables (random ephemeral ports would otherwise pull a table line each).
     */
    private static final long[] NAMED = new long[1024];

    static {
        both(7, "echo");
        tcp(20, "ftp-data");
        tcp(21, "ftp");
        tcp(22, "ssh");
        tcp(23, "telnet");
        tcp(25, "smtp");
        both(53, "domain");
        udp(67, "bootps");
        udp(68, "bootpc");
        udp(69, "tftp");
        both(80, "http");
        both(88, "kerberos");
        tcp(110, "pop3");
        udp(123, "ntp");
        tcp(135, "epmap");
        udp(137, "netbios-ns");
        udp(138, "netbios-dgm");
        tcp(139, "netbios-ssn");
        tcp(143, "imap");
        udp(161, "snmp");
        udp(162, "snmptrap");
        tcp(179, "bgp");
        tcp(389, "ldap");
        both(443, "https");
        tcp(445, "microsoft-ds");
        udp(500, "isakmp");
        udp(514, "syslog");
        tcp(587, "submission");
        tcp(636, "ldaps");
        tcp(853, "domain-s");
        tcp(993, "imaps");
        tcp(995, "pop3s");
        tcp(1433, "ms-sql-s");
        udp(1812, "radius");
        udp(1813, "radius-acct");
        udp(2055, "netflow");
        tcp(3306, "mysql");
        tcp(3389, "ms-wbt-server");
        udp(3478, "stun");
        udp(4500, "ipsec-nat-t");
        udp(4739, "ipfix");
        tcp(4739, "ipfix");
        udp(5060, "sip");
        tcp(5060, "sip");
        tcp(5432, "postgresql");
        udp(5353, "mdns");
        udp(6343, "sflow");
        tcp(6379, "redis");
        tcp(8080, "http-alt");
        tcp(9200, "wap-wsp"); // IANA's name for 9200; Elasticsearch uses it
        udp(9995, "netflow");
        tcp(27017, "mongodb");
    }

    private ServiceNames() {
    }

    private static void tcp(int port, String name) {
        TCP[port] = name;
        NAMED[port >>> 6] |= 1L << port;
    }

    private static void udp(int port, String name) {
        UDP[port] = name;
        NAMED[port >>> 6] |= 1L << port;
    }

    private static void both(int port, String name) {
        tcp(port, name);
        udp(port, name);
    }

    /** The service name of a port for a protocol (6 TCP, 17 UDP, 132 SCTP as TCP), or null. */
    public static String of(int protocol, int port) {
        if (port < 0 || port > 65535 || (NAMED[port >>> 6] & 1L << port) == 0) {
            return null;
        }
        return protocol == 17 ? UDP[port] : protocol == 6 || protocol == 132 ? TCP[port] : null;
    }
}
