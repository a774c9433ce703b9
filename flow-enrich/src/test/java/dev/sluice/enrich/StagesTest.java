package dev.sluice.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.enrich.EnrichmentStage;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.enrich.FlowPredicates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagesTest {

    /** Runs the stage over every flow of the packet, handing each event to {@code check}. */
    private static void run(EnrichmentStage stage, byte[] packet, String exporter, Consumer<FlowEvent> check) {
        EnrichmentChain chain = EnrichmentChain.builder().add(stage).build();
        FlowEvent e = new FlowEvent();
        int[] n = {0};
        V5.decode(packet, exporter, r -> {
            chain.process(r, e);
            check.accept(e);
            n[0]++;
        });
        assertThat(n[0]).isPositive();
    }

    @Test
    void samplingUsesTheRecordsIntervalElseTheMostSpecificOverride() {
        SamplingCorrectionStage s = SamplingCorrectionStage.builder()
                .network("10.1.0.0/16", 100).exporter("10.1.2.3", 1000).build();
        run(s, V5.packet(64, new V5.Flow()), "10.1.2.3", e -> {
            assertThat(e.samplingInterval()).isEqualTo(64);
            assertThat(e.bytes()).isEqualTo(1500 * 64);
            assertThat(e.packets()).isEqualTo(640);
        });
        run(s, V5.packet(0, new V5.Flow()), "10.1.2.3", e -> assertThat(e.bytes()).isEqualTo(1_500_000));
        run(s, V5.packet(0, new V5.Flow()), "10.1.9.9", e -> assertThat(e.packets()).isEqualTo(1000));
        run(s, V5.packet(0, new V5.Flow()), "10.2.0.1", e -> {
            assertThat(e.samplingInterval()).isEqualTo(1);
            assertThat(e.bytes()).isEqualTo(1500);
        });
        SamplingCorrectionStage forced = SamplingCorrectionStage.builder().exporter("10.1.2.3", 10)
                .overrideRecord(true).build();
        run(forced, V5.packet(64, new V5.Flow()), "10.1.2.3", e -> assertThat(e.bytes()).isEqualTo(15_000));
    }

    @Test
    void derivedFieldsUseCorrectedCounters() {
        EnrichmentStage chain = EnrichmentChain.builder().add(SamplingCorrectionStage.fromRecords())
                .add(new DerivedFieldsStage()).build();
        run(chain, V5.packet(10, new V5.Flow()), "10.0.0.9", e -> {
            assertThat(e.bits()).isEqualTo(15_000 * 8);
            assertThat(e.durationMillis()).isEqualTo(2_000);
            assertThat(e.bitsPerSecond()).isEqualTo(60_000);
            assertThat(e.packetsPerSecond()).isEqualTo(50);
        });
    }

    @Test
    void namesForProtocolsFlagsServicesAndIcmp() {
        run(new NamesStage(), V5.packet(0, new V5.Flow()), "10.0.0.9", e -> {
            assertThat(e.transport()).isEqualTo("tcp");
            assertThat(e.tcpFlagNames()).containsExactly("SYN", "ACK");
            assertThat(e.destination().service()).isEqualTo("https");
            assertThat(e.source().service()).isNull();
            assertThat(e.application()).isEqualTo("https");
        });
        run(new NamesStage(), V5.packet(0, new V5.Flow().proto(17).ports(53, 40000)), "10.0.0.9", e -> {
            assertThat(e.transport()).isEqualTo("udp");
            assertThat(e.application()).isEqualTo("domain");
            assertThat(e.tcpFlagNames()).isNull();
        });
        run(new NamesStage(), V5.packet(0, new V5.Flow().proto(1).ports(0, 0x0800)), "10.0.0.9",
                e -> assertThat(e.icmpTypeName()).isEqualTo("echo-request"));
        assertThat(TcpFlagNames.of(0xFF)).containsExactly("FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR");
        assertThat(TcpFlagNames.of(0x12)).isSameAs(TcpFlagNames.of(0x12));
        assertThat(IcmpTypeNames.v6(135)).isEqualTo("neighbor-solicitation");
    }

    @Test
    void dictionariesFromCsvAndFromCode(@TempDir Path dir) throws Exception {
        Path exporters = dir.resolve("exporters.csv");
        Files.writeString(exporters, "# address,name,site,datacenter\n10.0.0.9,edge-1,fra1,dc-west\n"
                + "10.0.0.0/24,core,fra1,dc-west\n2001:db8::1,edge-v6,ams1,dc-north\n");
        Path interfaces = dir.resolve("interfaces.csv");
        Files.writeString(interfaces, "# exporter,ifindex,name,description,tags\n"
                + "10.0.0.9,1,xe-0/0/1,\"uplink, transit A\",upstream|transit|provider=A\n"
                + "10.0.0.9,2,ge-0/0/2,customer LAN,downstream\n");
        EnrichmentStage chain = EnrichmentChain.builder().add(ExporterDictionary.load(exporters))
                .add(InterfaceDictionary.load(interfaces)).build();
        run(chain, V5.packet(0, new V5.Flow()), "10.0.0.9", e -> {
            assertThat(e.observerName()).isEqualTo("edge-1");
            assertThat(e.observerSite()).isEqualTo("fra1");
            assertThat(e.observerDatacenter()).isEqualTo("dc-west");
            assertThat(e.ingress().name()).isEqualTo("xe-0/0/1");
            assertThat(e.ingress().description()).isEqualTo("uplink, transit A");
            assertThat(e.ingress().info().tags()).containsExactly("upstream", "transit", "provider=A");
            assertThat(e.egress().name()).isEqualTo("ge-0/0/2");
        });
        run(chain, V5.packet(0, new V5.Flow()), "10.0.0.7", e -> {
            assertThat(e.observerName()).isEqualTo("core");
            assertThat(e.ingress().info()).isNull();
        });
        InterfaceDictionary code = InterfaceDictionary.builder().add("10.0.0.0/8", 1, "any-1", null, List.of()).build();
        run(code, V5.packet(0, new V5.Flow()), "10.3.3.3", e -> assertThat(e.ingress().name()).isEqualTo("any-1"));
    }

    @Test
    void privateAsnsBecomeThePublicOneOnlyWhenPrivate() {
        AsnRewriteStage s = new AsnRewriteStage(3320);
        run(s, V5.packet(0, new V5.Flow().as(64512, 15169)), "10.0.0.9", e -> {
            assertThat(e.source().asNumber()).isEqualTo(3320);
            assertThat(e.destination().asNumber()).isEqualTo(FlowEvent.UNSET);
        });
        assertThat(AsnRewriteStage.isPrivate(65534)).isTrue();
        assertThat(AsnRewriteStage.isPrivate(65535)).isFalse();
        assertThat(AsnRewriteStage.isPrivate(4_200_000_000L)).isTrue();
        assertThat(AsnRewriteStage.isPrivate(4_294_967_295L)).isFalse();
        // conditional: only for some exporters
        EnrichmentStage conditional = EnrichmentChain.builder()
                .when(FlowPredicates.exporterIn("10.9.0.0/16").and(FlowPredicates.sourceAsIn(64512, 65534)), s)
                .build();
        run(conditional, V5.packet(0, new V5.Flow().as(64512, 0)), "10.0.0.9",
                e -> assertThat(e.source().asNumber()).isEqualTo(FlowEvent.UNSET));
        run(conditional, V5.packet(0, new V5.Flow().as(64512, 0)), "10.9.0.9",
                e -> assertThat(e.source().asNumber()).isEqualTo(3320));
    }

    @Test
    void cidrTagsTakeTheMostSpecificPrefixOfEachEnd(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("tags.csv");
        Files.writeString(csv, "# cidr,tags,labels\n10.0.0.0/8,corp,zone=corp\n10.1.0.0/16,lab,zone=lab|owner=qa\n"
                + "8.8.8.0/24,google-dns,\n2001:db8::/32,v6doc,zone=doc\n");
        CidrTagStage s = CidrTagStage.load(csv);
        assertThat(s.size()).isEqualTo(4);
        run(s, V5.packet(0, new V5.Flow().src("10.1.2.3").dst("8.8.8.8")), "10.0.0.9", e -> {
            assertThat(e.hasTag("lab")).isTrue();
            assertThat(e.hasTag("corp")).isFalse();
            assertThat(e.hasTag("google-dns")).isTrue();
            assertThat(e.label("zone")).isEqualTo("lab");
            assertThat(e.label("owner")).isEqualTo("qa");
        });
        run(s, V5.packet(0, new V5.Flow().src("10.2.2.3").dst("1.1.1.1")), "10.0.0.9", e -> {
            assertThat(e.hasTag("corp")).isTrue();
            assertThat(e.label("zone")).isEqualTo("corp");
        });
    }

    @Test
    void prefixTableMatchesABruteForceLongestPrefixMatch() {
        Random rnd = new Random(7);
        PrefixTable.Builder<Integer> b = PrefixTable.builder();
        List<int[]> prefixes = new ArrayList<>(); // address, length, value
        for (int i = 0; i < 5000; i++) {
            int len = 8 + rnd.nextInt(25);
            int addr = rnd.nextInt(1 << 12) << 20 | rnd.nextInt(1 << 20); // clustered so they nest
            addr &= len == 0 ? 0 : -1 << (32 - len);
            prefixes.add(new int[] {addr, len, i});
            b.add(new byte[] {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr}, len, i);
        }
        PrefixTable<Integer> t = b.build();
        for (int q = 0; q < 20000; q++) {
            int[] p = prefixes.get(rnd.nextInt(prefixes.size()));
            int x = q % 2 == 0 ? p[0] | (rnd.nextInt() & ~(-1 << (32 - p[1]))) : rnd.nextInt();
            Integer best = null;
            int bestLen = -1;
            for (int[] c : prefixes) {
                int mask = c[1] == 0 ? 0 : -1 << (32 - c[1]);
                if ((x & mask) == c[0] && (c[1] > bestLen || c[1] == bestLen)) {
                    best = c[2];
                    bestLen = c[1];
                }
            }
            assertThat(t.lookupIpv4(x)).as("lookup %08x", x).isEqualTo(best);
        }
        PrefixTable<String> v6 = PrefixTable.<String>builder().add("2001:db8::/32", "a").add("2001:db8:1::/48", "b")
                .add("::/0", "default").add("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "last").build();
        assertThat(v6.lookup(V5.ip("2001:db8:1::5").getAddress(), 16)).isEqualTo("b");
        assertThat(v6.lookup(V5.ip("2001:db8:2::5").getAddress(), 16)).isEqualTo("a");
        assertThat(v6.lookup(V5.ip("2001:db9::").getAddress(), 16)).isEqualTo("default");
        assertThat(v6.lookup(V5.ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").getAddress(), 16)).isEqualTo("last");
        assertThat(v6.lookup(V5.ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe").getAddress(), 16)).isEqualTo("default");
        assertThat(v6.lookup(V5.v4("1.2.3.4"), 4)).isNull();
    }

    @Test
    void prefixTableIpv6AndSmallTablesMatchABruteForceLongestPrefixMatch() {
        Random rnd = new Random(11);
        for (int size : new int[] {1, 3, PrefixTable.INDEX_THRESHOLD, 2000}) {
            PrefixTable.Builder<Integer> b4 = PrefixTable.builder();
            PrefixTable.Builder<Integer> b6 = PrefixTable.builder();
            List<long[]> v4 = new ArrayList<>(); // address, length, value
            List<long[]> v6 = new ArrayList<>(); // high, low, length, value
            for (int i = 0; i < size; i++) {
                int len4 = rnd.nextInt(33);
                int a = rnd.nextInt(1 << 6) << 26 | rnd.nextInt(1 << 26); // clustered so they nest
                a &= len4 == 0 ? 0 : -1 << (32 - len4);
                v4.add(new long[] {a, len4, i});
                b4.add(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a}, len4, i);
                int len6 = rnd.nextInt(129);
                long h = (long) rnd.nextInt(4) << 62 | rnd.nextLong() >>> 2; // both halves of the space
                long l = rnd.nextLong();
                h &= len6 == 0 ? 0 : len6 >= 64 ? -1L : -1L << (64 - len6);
                l &= len6 <= 64 ? 0 : len6 == 128 ? -1L : -1L << (128 - len6);
                v6.add(new long[] {h, l, len6, i});
                byte[] addr = new byte[16];
                for (int k = 0; k < 8; k++) {
                    addr[k] = (byte) (h >>> (56 - 8 * k));
                    addr[8 + k] = (byte) (l >>> (56 - 8 * k));
                }
                b6.add(addr, len6, i);
            }
            PrefixTable<Integer> t4 = b4.build();
            PrefixTable<Integer> t6 = b6.build();
            for (int q = 0; q < 5000; q++) {
                long[] p = v4.get(rnd.nextInt(size));
                int x = q % 2 == 0 ? (int) p[0] | (rnd.nextInt() & (p[1] == 0 ? -1 : ~(-1 << (32 - p[1])))) : rnd.nextInt();
                Integer best = null;
                long bestLen = -1;
                for (long[] c : v4) {
                    int mask = c[1] == 0 ? 0 : -1 << (32 - c[1]);
                    if ((x & mask) == (int) c[0] && c[1] >= bestLen) {
                        best = (int) c[2];
                        bestLen = c[1];
                    }
                }
                assertThat(t4.lookupIpv4(x)).as("%d prefixes, lookup %08x", size, x).isEqualTo(best);
                long[] r = v6.get(rnd.nextInt(size));
                long xh = rnd.nextLong();
                long xl = rnd.nextLong();
                if (q % 2 == 0) { // inside r, else anywhere
                    long mh = r[2] == 0 ? 0 : r[2] >= 64 ? -1L : -1L << (64 - r[2]);
                    long ml = r[2] <= 64 ? 0 : r[2] == 128 ? -1L : -1L << (128 - r[2]);
                    xh = r[0] | xh & ~mh;
                    xl = r[1] | xl & ~ml;
                }
                if (xh == 0 && xl >>> 32 == 0xFFFFL) {
                    continue; // IPv4-mapped: looked up as IPv4
                }
                best = null;
                bestLen = -1;
                for (long[] c : v6) {
                    long mh = c[2] == 0 ? 0 : c[2] >= 64 ? -1L : -1L << (64 - c[2]);
                    long ml = c[2] <= 64 ? 0 : c[2] == 128 ? -1L : -1L << (128 - c[2]);
                    if ((xh & mh) == c[0] && (xl & ml) == c[1] && c[2] >= bestLen) {
                        best = (int) c[3];
                        bestLen = c[2];
                    }
                }
                byte[] addr = new byte[16];
                for (int k = 0; k < 8; k++) {
                    addr[k] = (byte) (xh >>> (56 - 8 * k));
                    addr[8 + k] = (byte) (xl >>> (56 - 8 * k));
                }
                assertThat(t6.lookup(addr, 16)).as("%d prefixes, lookup %016x%016x", size, xh, xl).isEqualTo(best);
            }
        }
    }

    @Test
    void localityAndDirection() {
        LocalityStage s = new LocalityStage(List.of("10.0.0.0/8", "2001:db8::/32"));
        run(s, V5.packet(0, new V5.Flow().src("10.1.1.1").dst("8.8.8.8")), "10.0.0.9", e -> {
            assertThat(e.source().locality()).isEqualTo(FlowEvent.INTERNAL);
            assertThat(e.destination().locality()).isEqualTo(FlowEvent.EXTERNAL);
            assertThat(e.direction()).isEqualTo(FlowEvent.OUTBOUND);
        });
        run(s, V5.packet(0, new V5.Flow().src("8.8.8.8").dst("10.1.1.1")), "10.0.0.9",
                e -> assertThat(e.direction()).isEqualTo(FlowEvent.INBOUND));
        run(s, V5.packet(0, new V5.Flow().src("10.8.8.8").dst("10.1.1.1")), "10.0.0.9",
                e -> assertThat(e.direction()).isEqualTo(FlowEvent.INTERNAL));
        run(s, V5.packet(0, new V5.Flow().src("8.8.8.8").dst("1.1.1.1")), "10.0.0.9",
                e -> assertThat(e.direction()).isEqualTo(FlowEvent.EXTERNAL));
        // direction as a condition for later stages
        EnrichmentStage chain = EnrichmentChain.builder().add(s)
                .when(FlowPredicates.direction(FlowEvent.INBOUND), (r, e) -> e.addTag("ingress-traffic")).build();
        run(chain, V5.packet(0, new V5.Flow().src("8.8.8.8").dst("10.1.1.1")), "10.0.0.9",
                e -> assertThat(e.hasTag("ingress-traffic")).isTrue());
    }

    /** Corelight community-id-spec baseline vectors (baseline/baseline_deflt.json and baseline_seed1.json). */
    @Test
    void communityIdMatchesTheSpecificationsBaseline() {
        Object[][] seed0 = {
            {58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 136, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
            {58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 135, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
            {58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 136, "1:zavyT/cezQr1fmImYCwYnMXbgck="},
            {58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ="},
            {58, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4,
                "1:hLZd0XGWojozrvxqE0dWB1iM6R0="},
            {58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 129, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
            {58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 134, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0="},
            {1, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
            {1, "192.168.0.1", "192.168.0.89", 0, 8, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
            {1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM="},
            {6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25,
                "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
            {132, "192.168.170.8", "192.168.170.56", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
            {6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
            {6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
            {17, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
            {46, "10.1.12.1", "10.1.12.2", 0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="},
            {46, "10.1.12.2", "10.1.12.1", 0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="},
        };
        CommunityIdStage c = new CommunityIdStage();
        for (Object[] v : seed0) {
            assertThat(c.of(V5.ip((String) v[1]).getAddress(), V5.ip((String) v[2]).getAddress(), (int) v[0],
                    (int) v[3], (int) v[4])).as("%s", java.util.Arrays.toString(v)).isEqualTo(v[5]);
        }
        CommunityIdStage seeded = new CommunityIdStage(1);
        assertThat(seeded.of(V5.v4("128.232.110.120"), V5.v4("66.35.250.204"), 6, 34855, 80))
                .isEqualTo("1:3V71V58M3Ksw/yuFALMcW0LAHvc=");
        assertThat(seeded.of(V5.v4("192.168.0.89"), V5.v4("192.168.0.1"), 1, 8, 0))
                .isEqualTo("1:03g6IloqVBdcZlPyX8r0hgoE7kA=");
        // through the stage, from a decoded record
        run(c, V5.packet(0, new V5.Flow().src("128.232.110.120").dst("66.35.250.204").ports(34855, 80)), "10.0.0.9",
                e -> assertThat(e.communityIdString()).isEqualTo("1:LQU9qZlK+B5F3KDmev6m5PMibrg="));
        run(c, V5.packet(0, new V5.Flow().src("192.168.0.89").dst("192.168.0.1").proto(1).ports(0, 0x0800)),
                "10.0.0.9", e -> assertThat(e.communityIdString()).isEqualTo("1:X0snYXpgwiv9TZtqg64sgzUn6Dk="));
        assertThatThrownBy(() -> c.of(V5.v4("10.0.0.1"), V5.ip("2001:db8::1").getAddress(), 6, 1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 and 16 bytes");
        assertThatThrownBy(() -> c.of(new byte[8], new byte[8], 6, 1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 and 8 bytes");
    }

    static FlowRecord unused;
}
