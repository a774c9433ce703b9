package dev.sluice.examples.flowctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What the flowctl enrichment tests share: the MaxMind test databases and their expected lookups in the shared
 * corpus, a NetFlow v5 datagram whose addresses those databases know, and dictionary files for exporter 127.0.0.1
 * (the exporter of raw payload files and of loopback datagrams).
 */
final class EnrichmentFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** In GeoLite2-City-Test (London, GB). */
    static final String LONDON = "81.2.69.142";
    /** In GeoLite2-ASN-Test (1.128.0.0/11). */
    static final String TELSTRA = "1.128.0.1";
    /** Community ID specification baseline, seed 1: 128.232.110.120:34855 -> 66.35.250.204:80 TCP. */
    static final String CID_SRC = "128.232.110.120";
    static final String CID_DST = "66.35.250.204";
    static final String CID_SEED1 = "1:3V71V58M3Ksw/yuFALMcW0LAHvc=";

    private EnrichmentFixtures() {
    }

    static Path corpus() {
        String p = System.getProperty("sluice.corpus");
        assertThat(p).as("system property sluice.corpus (set by the parent pom)").isNotNull();
        Path dir = Paths.get(p);
        assertThat(dir.resolve("maxmind/test-data")).as("the MaxMind test databases").isDirectory();
        return dir;
    }

    static Path mmdb(String name) {
        return corpus().resolve("maxmind/test-data/" + name + ".mmdb");
    }

    /** The expected lookup of {@code ip} in a MaxMind test database, from {@code expected_lookups}. */
    static JsonNode expected(String database, String ip) throws IOException {
        JsonNode rows = JSON.readTree(corpus().resolve("maxmind/expected_lookups/" + database + ".json").toFile())
                .get("rows");
        for (JsonNode row : rows) {
            if (row.get("lookup_ip").asText().equals(ip)) {
                return row.get("expected");
            }
        }
        throw new AssertionError(ip + " is not in the expected lookups of " + database);
    }

    /**
     * A NetFlow v5 datagram (sampling interval 0 in the header) with three flows, each 1500 bytes / 10 packets over
     * 2 s, in on ifIndex 10 and out on 20:
     * <ol>
     *   <li>{@value #LONDON}:443 → 10.1.2.3:51000 TCP</li>
     *   <li>10.1.2.3:53000 → {@value #TELSTRA}:53 UDP</li>
     *   <li>{@value #CID_SRC}:34855 → {@value #CID_DST}:80 TCP</li>
     * </ol>
     */
    static byte[] v5Datagram() {
        Object[][] flows = {
            {LONDON, "10.1.2.3", 443, 51000, 6},
            {"10.1.2.3", TELSTRA, 53000, 53, 17},
            {CID_SRC, CID_DST, 34855, 80, 6},
        };
        ByteBuffer b = ByteBuffer.allocate(24 + 48 * flows.length);
        b.putShort((short) 5).putShort((short) flows.length).putInt(10_000).putInt(1_700_000_000).putInt(0)
                .putInt(1).put((byte) 0).put((byte) 0).putShort((short) 0);
        for (Object[] f : flows) {
            b.put(v4((String) f[0])).put(v4((String) f[1])).putInt(0).putShort((short) 10).putShort((short) 20)
                    .putInt(10).putInt(1500).putInt(1_000).putInt(3_000)
                    .putShort((short) (int) f[2]).putShort((short) (int) f[3])
                    .put((byte) 0).put((byte) 0x18).put((byte) (int) f[4]).put((byte) 0)
                    .putShort((short) 0).putShort((short) 0).put((byte) 24).put((byte) 24).putShort((short) 0);
        }
        return b.array();
    }

    private static byte[] v4(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code exporters.csv}: 127.0.0.1 is edge-1 at site lon1 in dc-west. */
    static Path exporters(Path dir) throws IOException {
        return Files.writeString(dir.resolve("exporters.csv"),
                "# address-or-cidr,name,site,datacenter\n127.0.0.1,edge-1,lon1,dc-west\n10.9.0.0/16,other,fra1,dc-east\n");
    }

    /** {@code interfaces.csv}: ifIndex 10 and 20 of 127.0.0.1, and 542/536 (the Juniper MX80 corpus file's). */
    static Path interfaces(Path dir) throws IOException {
        return Files.writeString(dir.resolve("interfaces.csv"), String.join("\n",
                "# exporter,ifindex,name,description,tags",
                "127.0.0.1,10,xe-0/0/0,uplink to transit,transit|provider-a",
                "127.0.0.1,20,ae1.100,customer vlan 100,customer",
                "127.0.0.1,542,ge-1/0/1,to the internet,transit",
                "127.0.0.1,536,ge-1/0/2,office LAN,internal",
                ""));
    }

    /** {@code cidr-tags.csv}: the London test network and Google's 66.249.64.0/19. */
    static Path cidrTags(Path dir) throws IOException {
        return Files.writeString(dir.resolve("cidr-tags.csv"), String.join("\n",
                "# cidr,tags,labels",
                "81.2.69.0/24,london-office,owner=netops",
                "66.249.64.0/19,googlebot,owner=seo|org=google",
                ""));
    }
}
