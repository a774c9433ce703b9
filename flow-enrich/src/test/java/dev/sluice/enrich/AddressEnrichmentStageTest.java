package dev.sluice.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AddressEnrichmentStageTest {

    private static final List<String> INTERNAL = List.of("10.0.0.0/8", "81.2.69.0/24", "2001:db8::/32",
            "2a02:cf40::/29");

    @Test
    void answersWhatTheSeparateStagesAnswer() throws Exception {
        GeoIpDatabase city = GeoIpDatabase.load(MaxmindCorpusTest.db("GeoLite2-City-Test"));
        AsnDatabase asn = AsnDatabase.load(MaxmindCorpusTest.db("GeoLite2-ASN-Test"));
        Random rnd = new Random(3);
        List<byte[]> addresses = new ArrayList<>();
        addresses.addAll(inside("GeoLite2-City-Test", rnd));
        addresses.addAll(inside("GeoLite2-ASN-Test", rnd));
        CidrTagStage.Builder tags = CidrTagStage.builder();
        for (int i = 0; i < 400; i++) { // nested with each other and with the databases' networks
            byte[] a = addresses.get(rnd.nextInt(addresses.size())).clone();
            int len = a.length == 4 ? 8 + rnd.nextInt(25) : 16 + rnd.nextInt(113);
            tags.add(cidr(a, len), List.of("t" + i % 13), i % 3 == 0 ? List.of() : List.of("zone=z" + i % 5));
        }
        for (int i = 0; i < 200; i++) {
            addresses.add(random(rnd, 4));
            addresses.add(random(rnd, 16));
        }
        for (int i = 0; i < 100; i++) {
            byte[] v4 = random(rnd, 4);
            v4[0] = 10;
            byte[] v6 = random(rnd, 16);
            System.arraycopy(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8}, 0, v6, 0, 4);
            addresses.add(v4);
            addresses.add(v6);
        }
        addresses.add(V5.ip("::ffff:81.2.69.160").getAddress()); // IPv4-mapped
        CidrTagStage cidr = tags.build();

        EnrichmentChain separate = EnrichmentChain.builder().add(new GeoIpStage(city)).add(new AsnStage(asn))
                .add(cidr).add(new LocalityStage(INTERNAL)).build();
        AddressEnrichmentStage combined = AddressEnrichmentStage.builder().geoIp(city).asn(asn).cidrTags(cidr)
                .internalNetworks(INTERNAL).build();
        EnrichmentChain overlaid = EnrichmentChain.builder().add(combined).build();
        assertThat(combined.overlayCurrent()).isTrue();
        assertThat(combined.overlayRanges()).isPositive();

        FlowEvent a = new FlowEvent();
        FlowEvent b = new FlowEvent();
        int[] found = new int[4]; // geo, AS, tags, internal
        for (int i = 0; i < 3000; i++) {
            byte[] src = addresses.get(rnd.nextInt(addresses.size()));
            byte[] dst = addresses.get(rnd.nextInt(addresses.size()));
            for (FlowRecord r : records(src, dst)) {
                separate.process(r, a);
                overlaid.process(r, b);
                assertThat(describe(b)).as("%s -> %s", text(src), text(dst)).isEqualTo(describe(a));
                found[0] += a.source().geo() != null ? 1 : 0;
                found[1] += a.source().asNumber() != FlowEvent.UNSET ? 1 : 0;
                found[2] += a.tagCount() > 0 ? 1 : 0;
                found[3] += FlowEvent.INTERNAL.equals(a.source().locality()) ? 1 : 0;
            }
        }
        assertThat(Arrays.stream(found).min().getAsInt()).as("every part exercised").isGreaterThan(100);
    }

    @Test
    void aNewSourceAnswersAtOnceAndTheOverlayIsBuiltAgain() throws Exception {
        CidrTagStage first = CidrTagStage.builder().add("198.51.100.0/24", List.of("first"), List.of()).build();
        CidrTagStage second = CidrTagStage.builder().add("198.51.100.0/25", List.of("second"), List.of("k=v")).build();
        AtomicReference<CidrTagStage> current = new AtomicReference<>(first);
        AddressEnrichmentStage stage = AddressEnrichmentStage.builder().cidrTags(current::get)
                .internalNetworks(List.of("10.0.0.0/8")).build();
        EnrichmentChain chain = EnrichmentChain.builder().add(stage).build();
        FlowRecord r = records(V5.v4("198.51.100.7"), V5.v4("10.0.0.1")).get(0);
        FlowEvent e = new FlowEvent();
        chain.process(r, e);
        assertThat(e.hasTag("first")).isTrue();
        assertThat(e.direction()).isEqualTo(FlowEvent.INBOUND);
        assertThat(stage.overlayBuilds()).isEqualTo(1);

        current.set(second);
        chain.process(r, e); // before the new overlay is ready: from the new source directly
        assertThat(e.hasTag("first")).isFalse();
        assertThat(e.hasTag("second")).isTrue();
        assertThat(e.label("k")).isEqualTo("v");
        assertThat(e.direction()).isEqualTo(FlowEvent.INBOUND);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!stage.overlayCurrent() && System.nanoTime() < deadline) {
            Thread.sleep(5);
            chain.process(r, e);
        }
        assertThat(stage.overlayCurrent()).isTrue();
        assertThat(stage.overlayBuilds()).isEqualTo(2);
        assertThat(stage.overlayFailures()).isZero();
        chain.process(r, e);
        assertThat(e.hasTag("second")).isTrue();
        assertThat(e.label("k")).isEqualTo("v");
        assertThat(chain.failures(chain.stageNames().get(0))).isZero();
    }

    @Test
    void onlyTheConfiguredPartsAreWritten() {
        AddressEnrichmentStage locality = AddressEnrichmentStage.builder().internalNetworks(List.of("10.0.0.0/8"))
                .build();
        FlowEvent e = new FlowEvent();
        FlowRecord r = records(V5.v4("10.1.1.1"), V5.v4("8.8.8.8")).get(0);
        EnrichmentChain.builder().add((rec, ev) -> ev.source().setGeo(null)).add(locality).build().process(r, e);
        assertThat(e.direction()).isEqualTo(FlowEvent.OUTBOUND);
        assertThat(e.source().asNumber()).isEqualTo(FlowEvent.UNSET);
        assertThat(e.tagCount()).isZero();

        AddressEnrichmentStage tagsOnly = AddressEnrichmentStage.builder()
                .cidrTags(CidrTagStage.builder().add("8.8.8.0/24", List.of("dns"), List.of()).build()).build();
        EnrichmentChain.builder().add(tagsOnly).build().process(r, e);
        assertThat(e.hasTag("dns")).isTrue();
        assertThat(e.direction()).isNull(); // no internal networks: no locality, no direction
        assertThat(e.source().locality()).isNull();

        assertThatThrownBy(() -> AddressEnrichmentStage.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no GeoIP, ASN, CIDR tags or internal networks");
        assertThatThrownBy(() -> AddressEnrichmentStage.builder().internalNetworks(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOverlayAnswersTheCombinationOfItsTablesEverywhere() {
        Random rnd = new Random(5);
        List<PrefixTable<Integer>> tables = new ArrayList<>();
        List<byte[]> networks = new ArrayList<>(); // of every table, to probe inside them
        int[] sizes = {0, 7, 600};
        for (int t = 0; t < sizes.length; t++) {
            PrefixTable.Builder<Integer> b = PrefixTable.builder();
            for (int i = 0; i < sizes[t]; i++) {
                byte[] a = random(rnd, rnd.nextBoolean() ? 4 : 16);
                a[0] = (byte) (a[0] & 0x83); // clustered, so that the tables' prefixes nest and overlap
                int len = rnd.nextInt(a.length * 8 + 1);
                b.add(mask(a, len), len, t * 1000 + i);
                networks.add(mask(a, len));
            }
            tables.add(b.build());
        }
        Map<List<Integer>, List<Integer>> shared = new HashMap<>();
        PrefixTable<List<Integer>> overlay = PrefixTable.overlay(tables, v -> {
            if (v[0] == null && v[1] == null && v[2] == null) {
                return null;
            }
            List<Integer> key = Arrays.asList((Integer) v[0], (Integer) v[1], (Integer) v[2]);
            return shared.computeIfAbsent(key, k -> k);
        });
        for (int q = 0; q < 20000; q++) {
            byte[] x;
            if (q % 4 == 0) {
                x = random(rnd, q % 8 == 0 ? 4 : 16);
            } else {
                x = networks.get(rnd.nextInt(networks.size())).clone();
                for (int i = x.length - 1 - rnd.nextInt(x.length); i < x.length; i++) {
                    x[i] ^= (byte) rnd.nextInt(256); // somewhere in or near the network
                }
            }
            List<Integer> expected = Arrays.asList(tables.get(0).lookup(x, x.length),
                    tables.get(1).lookup(x, x.length), tables.get(2).lookup(x, x.length));
            List<Integer> actual = overlay.lookup(x, x.length);
            if (expected.stream().allMatch(v -> v == null)) {
                assertThat(actual).as(text(x)).isNull();
            } else {
                assertThat(actual).as(text(x)).isEqualTo(expected);
            }
        }
        assertThat(overlay.rangeCount()).isLessThanOrEqualTo(2 * (tables.get(1).rangeCount()
                + tables.get(2).rangeCount()) + 2);
    }

    // ------------------------------------------------------------------ helpers

    /** The event's address-derived fields as text. */
    private static String describe(FlowEvent e) {
        StringBuilder s = new StringBuilder();
        for (FlowEvent.Endpoint end : List.of(e.source(), e.destination())) {
            s.append(end.geo() == null ? "-" : end.geo().countryIsoCode() + "/" + end.geo().cityName()
                    + "@" + System.identityHashCode(end.geo()));
            s.append(" AS").append(end.asNumber()).append(' ').append(end.asOrganization());
            s.append(' ').append(end.locality()).append(" | ");
        }
        s.append(e.direction()).append(" tags");
        for (int i = 0; i < e.tagCount(); i++) {
            s.append(' ').append(e.tag(i));
        }
        s.append(" labels");
        for (int i = 0; i < e.labelCount(); i++) {
            s.append(' ').append(e.labelKey(i)).append('=').append(e.labelValue(i));
        }
        return s.toString();
    }

    private static String text(byte[] a) {
        try {
            return java.net.InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The first {@code len} bits of the address, the rest 0. */
    private static byte[] mask(byte[] a, int len) {
        byte[] m = a.clone();
        for (int bit = len; bit < m.length * 8; bit++) {
            m[bit >> 3] &= (byte) ~(0x80 >>> (bit & 7));
        }
        return m;
    }

    /** Flow records from src to dst: one of NetFlow v5 for two IPv4 addresses, else one of IPFIX. */
    private static List<FlowRecord> records(byte[] src, byte[] dst) {
        List<FlowRecord> out = new ArrayList<>();
        if (src.length == 4 && dst.length == 4) {
            V5.decode(V5.packet(0, new V5.Flow().src(text(src)).dst(text(dst))), "192.0.2.1",
                    r -> out.add(r.copy()));
            return out;
        }
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + 8 + 4 * 4 + 4 + 16 + 16 + 16 + 16 + 1);
        int fields = 3;
        b.putShort((short) 10).putShort((short) 0).putInt(1_700_000_000).putInt(0).putInt(1);
        b.putShort((short) 2).putShort((short) (4 + 4 + 4 * fields)).putShort((short) 256).putShort((short) fields);
        b.putShort((short) (src.length == 16 ? 27 : 8)).putShort((short) src.length);
        b.putShort((short) (dst.length == 16 ? 28 : 12)).putShort((short) dst.length);
        b.putShort((short) 4).putShort((short) 1);
        b.putShort((short) 256).putShort((short) (4 + src.length + dst.length + 1));
        b.put(src).put(dst).put((byte) 6);
        b.putShort(2, (short) b.position());
        byte[] packet = Arrays.copyOf(b.array(), b.position());
        new FlowDecoder().decode(Unpooled.wrappedBuffer(packet), V5.ip("192.0.2.1"), 1_700_000_000_000L,
                (FlowHandler) r -> out.add(r.copy()));
        assertThat(out).hasSize(1);
        return out;
    }

    /** Each network of a test database: its first address and a random one inside (::a.b.c.d networks as IPv4). */
    @SuppressWarnings("rawtypes")
    private static List<byte[]> inside(String db, Random rnd) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Reader reader = new Reader(MaxmindCorpusTest.db(db).toFile())) {
            Networks<Map> it = reader.networks(false, Map.class);
            while (it.hasNext()) {
                DatabaseRecord<Map> rec = it.next();
                byte[] a = rec.getNetwork().getNetworkAddress().getAddress();
                int prefix = rec.getNetwork().getPrefixLength();
                if (a.length == 16 && prefix >= 96 && Arrays.equals(a, 0, 12, new byte[12], 0, 12)) {
                    a = Arrays.copyOfRange(a, 12, 16);
                    prefix -= 96;
                }
                out.add(a);
                byte[] b = a.clone();
                for (int bit = prefix; bit < b.length * 8; bit++) {
                    if (rnd.nextBoolean()) {
                        b[bit >> 3] |= (byte) (0x80 >>> (bit & 7));
                    }
                }
                out.add(b);
            }
        }
        return out;
    }

    private static byte[] random(Random rnd, int length) {
        byte[] a = new byte[length];
        rnd.nextBytes(a);
        return a;
    }

    private static String cidr(byte[] a, int len) {
        return text(mask(a, len)) + "/" + len;
    }
}
