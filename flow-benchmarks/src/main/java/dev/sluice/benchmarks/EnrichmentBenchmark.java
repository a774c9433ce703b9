package dev.sluice.benchmarks;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.decoders.FlowDecoder;
import dev.sluice.enrich.AddressEnrichmentStage;
import dev.sluice.enrich.AsnDatabase;
import dev.sluice.enrich.AsnStage;
import dev.sluice.enrich.CidrTagStage;
import dev.sluice.enrich.CommunityIdStage;
import dev.sluice.enrich.DerivedFieldsStage;
import dev.sluice.enrich.ExporterDictionary;
import dev.sluice.enrich.GeoIpDatabase;
import dev.sluice.enrich.GeoIpStage;
import dev.sluice.enrich.InterfaceDictionary;
import dev.sluice.enrich.LocalityStage;
import dev.sluice.enrich.NamesStage;
import dev.sluice.enrich.SamplingCorrectionStage;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Enrichment throughput in records per second ({@link OperationsPerInvocation} is the number of records one
 * invocation runs through the chain): {@link EnrichmentChain#process} over {@value #RECORDS} decoded flow records,
 * one reused {@link FlowEvent}, as a receiving thread does.
 *
 * <p>The records: NetFlow v5 (IPv4) and IPFIX (IPv6) datagrams built here, decoded once by the real decoder and
 * kept as {@link FlowRecord#copy() copies}; four exporters (192.0.2.1-4, 48 interfaces each); every flow has one
 * end inside the operator's networks (10.0.0.0/12, 2001:db8::/32) and one outside, three quarters IPv4 and one
 * quarter IPv6, 70 % TCP, 20 % UDP, 10 % ICMP; the outside address is drawn from the networks of the MaxMind test
 * databases (City for even records, ASN for odd ones: the way a full database finds nearly every public address),
 * so the GeoIP and ASN lookups mostly hit. No sampling interval in the datagrams: the sampling stage uses its
 * per-exporter override (192.0.2.0/24 = 100).
 *
 * <p>{@code stages}: {@code full} is the realistic chain of the issue: sampling correction, derived fields, names,
 * exporter and interface dictionaries, GeoIP City and ASN for both ends (MaxMind test databases of the shared
 * corpus), CIDR tags over {@value #CIDR_PREFIXES} IPv4 and IPv6 prefixes (a fifth of them inside the operator's
 * networks, some nested), locality and Community ID, the four address parts as one {@link AddressEnrichmentStage}
 * (as flowctl builds it); {@code full-separate} the same with {@link GeoIpStage}, {@link AsnStage},
 * {@link CidrTagStage} and {@link LocalityStage} as four stages; {@code full-except-communityid} the full chain
 * without its last stage, Community ID (whose SHA-1 alone {@link Sha1Benchmark} measures). The other values run a
 * part of it, to see where the time goes: {@code none} (only {@link FlowEvent#reset}), {@code basic} (sampling,
 * derived, names), {@code dictionaries}, {@code addresses} (the address stage alone), {@code geo} (GeoIP + ASN
 * stages), {@code cidr} (CIDR tag + locality stages), {@code communityid}. The setup checks that the full chain
 * finds locations, AS numbers, tags and Community IDs; the teardown that no stage failed.
 *
 * <p>{@code java -jar flow-benchmarks/target/benchmarks.jar EnrichmentBenchmark -prof gc} from the repository's
 * root (the test databases are found through {@code sluice.corpus}, default {@code ../shared/corpus}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnrichmentBenchmark {

    static final int RECORDS = 1024;
    static final int CIDR_PREFIXES = 5000;
    private static final long RECEIVED = SyntheticPackets.EXPORT_SECONDS * 1000 + 5;

    @Param({"full", "full-separate", "full-except-communityid", "none", "basic", "dictionaries", "addresses", "geo",
        "cidr", "communityid"})
    public String stages;

    private EnrichmentChain chain;
    private FlowRecord[] records;
    private final FlowEvent event = new FlowEvent();

    @Setup(Level.Trial)
    public void setup() throws IOException {
        Path maxmind = BenchmarkCorpus.root().resolve("maxmind/test-data");
        Path cityFile = maxmind.resolve("GeoLite2-City-Test.mmdb");
        Path asnFile = maxmind.resolve("GeoLite2-ASN-Test.mmdb");
        records = records(networks(cityFile), networks(asnFile));
        chain = chain(stages, GeoIpDatabase.load(cityFile), AsnDatabase.load(asnFile));
        if (stages.startsWith("full")) {
            check();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (String name : chain.stageNames()) {
            if (chain.failures(name) != 0) {
                throw new IllegalStateException("stage " + name + " failed " + chain.failures(name) + " times");
            }
        }
    }

    /** The chain over every record once. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void chain(Blackhole bh) {
        FlowEvent e = event;
        for (FlowRecord r : records) {
            bh.consume(chain.process(r, e));
            bh.consume(e.communityIdLength() + e.tagCount());
            bh.consume(e.destination().geo());
        }
    }

    // ------------------------------------------------------------------ the chain

    static EnrichmentChain chain(String stages, GeoIpDatabase city, AsnDatabase asn) {
        EnrichmentChain.Builder b = EnrichmentChain.builder();
        boolean separate = stages.equals("full-separate");
        boolean noCommunityId = stages.equals("full-except-communityid");
        boolean full = stages.equals("full") || separate || noCommunityId;
        switch (stages) {
            case "full":
            case "full-separate":
            case "full-except-communityid":
            case "addresses":
            case "basic":
            case "dictionaries":
            case "geo":
            case "cidr":
            case "communityid":
            case "none":
                break;
            default:
                throw new IllegalArgumentException("unknown stages " + stages);
        }
        if (full || stages.equals("basic")) {
            b.add("sampling", SamplingCorrectionStage.builder().network("192.0.2.0/24", 100).build());
            b.add("derived", new DerivedFieldsStage());
            b.add("names", new NamesStage());
        }
        if (full || stages.equals("dictionaries")) {
            ExporterDictionary.Builder exporters = ExporterDictionary.builder();
            InterfaceDictionary.Builder interfaces = InterfaceDictionary.builder();
            for (int x = 1; x <= 4; x++) {
                String exporter = "192.0.2." + x;
                exporters.add(exporter, "edge-" + x, "site-" + x, "dc-" + (x % 2));
                for (int i = 1; i <= 48; i++) {
                    interfaces.add(exporter, i, "xe-0/0/" + i, "port " + i + " of edge-" + x,
                            List.of(i <= 8 ? "transit" : "customer", "edge-" + x));
                }
            }
            b.add("exporters", exporters.build());
            b.add("interfaces", interfaces.build());
        }
        List<String> internal = List.of("10.0.0.0/8", "2001:db8::/32");
        if (full && !separate || stages.equals("addresses")) {
            b.add("addresses", AddressEnrichmentStage.builder().geoIp(city).asn(asn).cidrTags(cidrTags())
                    .internalNetworks(internal).build());
        }
        if (separate || stages.equals("geo")) {
            b.add("geoip", new GeoIpStage(city));
            b.add("asn", new AsnStage(asn));
        }
        if (separate || stages.equals("cidr")) {
            b.add("cidr-tags", cidrTags());
            b.add("locality", new LocalityStage(internal));
        }
        if (full && !noCommunityId || stages.equals("communityid")) {
            b.add("community-id", new CommunityIdStage());
        }
        return b.build();
    }

    /** {@value #CIDR_PREFIXES} prefixes: a fifth inside 10.0.0.0/12 and 2001:db8::/32, the rest public. */
    static CidrTagStage cidrTags() {
        SplittableRandom r = new SplittableRandom(5000);
        CidrTagStage.Builder b = CidrTagStage.builder();
        for (int i = 0; i < CIDR_PREFIXES; i++) {
            List<String> tags = List.of("tag-" + (i % 64));
            List<String> labels = List.of("zone=z" + (i % 9));
            if (i % 5 == 0) {
                if (i % 10 == 0) {
                    b.add("10." + r.nextInt(16) + "." + r.nextInt(256) + ".0/" + (20 + r.nextInt(5)), tags, labels);
                } else {
                    b.add(String.format("2001:db8:%x:%x::/%d", r.nextInt(16), r.nextInt(65536), 48 + r.nextInt(17)),
                            tags, labels);
                }
            } else if (i % 4 == 0) {
                b.add(String.format("%x:%x::/%d", 0x2000 + r.nextInt(0x1000), r.nextInt(65536), 32 + r.nextInt(17)),
                        tags, labels);
            } else {
                int len = 16 + r.nextInt(13);
                int a = (1 + r.nextInt(223)) << 24 | r.nextInt(1 << 24);
                a &= -1 << (32 - len);
                b.add((a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255) + "/" + len, tags,
                        labels);
            }
        }
        return b.build();
    }

    // ------------------------------------------------------------------ the records

    /** A network of a database: its address bytes (4 or 16) and prefix length. */
    private record Net(byte[] address, int prefix) {
    }

    @SuppressWarnings("rawtypes")
    private static List<Net> networks(Path mmdb) throws IOException {
        List<Net> nets = new ArrayList<>();
        try (Reader reader = new Reader(mmdb.toFile())) {
            Networks<Map> it = reader.networks(false, Map.class);
            while (it.hasNext()) {
                DatabaseRecord<Map> rec = it.next();
                byte[] a = rec.getNetwork().getNetworkAddress().getAddress();
                int prefix = rec.getNetwork().getPrefixLength();
                if (a.length == 16 && prefix >= 96 && Arrays.equals(a, 0, 12, new byte[12], 0, 12)) {
                    a = Arrays.copyOfRange(a, 12, 16);
                    prefix -= 96;
                }
                if (a.length == 16 && prefix >= 96 || (a[0] & 0xFF) == 10 || (a[0] & 0xFF) >= 224) {
                    continue; // the IPv4 tree's own place in IPv6, private and multicast space
                }
                nets.add(new Net(a, prefix));
            }
        } catch (com.maxmind.db.InvalidNetworkException e) {
            throw new IOException(e);
        }
        return nets;
    }

    /** An address inside one of the networks of the family, drawn at random. */
    private static byte[] inside(List<Net> nets, boolean v6, SplittableRandom r) {
        for (int tries = 0; tries < 1000; tries++) {
            Net n = nets.get(r.nextInt(nets.size()));
            if ((n.address.length == 16) != v6) {
                continue;
            }
            byte[] a = n.address.clone();
            for (int bit = n.prefix; bit < a.length * 8; bit++) {
                if (r.nextBoolean()) {
                    a[bit >> 3] |= (byte) (0x80 >>> (bit & 7));
                }
            }
            return a;
        }
        throw new IllegalStateException("no " + (v6 ? "IPv6" : "IPv4") + " network in the test database");
    }

    private static FlowRecord[] records(List<Net> city, List<Net> asn) throws UnknownHostException {
        SplittableRandom r = new SplittableRandom(42);
        List<FlowRecord> out = new ArrayList<>();
        FlowDecoder decoder = new FlowDecoder();
        FlowHandler keep = new FlowHandler() {
            @Override
            public void onRecord(FlowRecord record) {
                out.add(record.copy());
            }

            @Override
            public void onError(DecodeError error) {
                throw new IllegalStateException("decode error in the benchmark's records: " + error);
            }
        };
        int[] ports = {443, 443, 443, 80, 53, 123, 22, 25, 993, 3389, 8080, 5060};
        int n = 0;
        while (out.size() < RECORDS) {
            boolean v6 = n % 2 == 1;
            int exporter = 1 + r.nextInt(4);
            int count = v6 ? 10 : 30;
            ByteBuffer data = ByteBuffer.allocate(v6 ? 20 + count * IPFIX6_RECORD : 24 + count * 48);
            if (v6) {
                data.putShort((short) 10).putShort((short) data.capacity())
                        .putInt((int) SyntheticPackets.EXPORT_SECONDS).putInt(n).putInt(0);
                data.putShort((short) 256).putShort((short) (4 + count * IPFIX6_RECORD));
            } else {
                data.putShort((short) 5).putShort((short) count).putInt((int) SyntheticPackets.UPTIME_MILLIS)
                        .putInt((int) SyntheticPackets.EXPORT_SECONDS).putInt(0).putInt(n * count)
                        .put((byte) 0).put((byte) 0).putShort((short) 0);
            }
            for (int i = 0; i < count; i++) {
                boolean outbound = r.nextBoolean();
                byte[] inner = v6 ? InetAddress.getByName("2001:db8::").getAddress() : new byte[] {10, 0, 0, 0};
                for (int k = v6 ? 4 : 1; k < inner.length; k++) {
                    inner[k] = (byte) (k == 1 && !v6 ? r.nextInt(16) : r.nextInt(256));
                }
                byte[] outer = inside((out.size() + i) % 2 == 0 ? city : asn, v6, r);
                byte[] src = outbound ? inner : outer;
                byte[] dst = outbound ? outer : inner;
                int p = r.nextInt(10);
                int proto = p < 7 ? 6 : p < 9 ? 17 : 1;
                int service = ports[r.nextInt(ports.length)];
                int ephemeral = 32768 + r.nextInt(28232);
                int sport = proto == 1 ? 0 : outbound ? ephemeral : service;
                int dport = proto == 1 ? (r.nextBoolean() ? 8 : 0) << 8 : outbound ? service : ephemeral;
                int flags = proto == 6 ? 0x10 | (r.nextBoolean() ? 0x02 : 0) | (r.nextInt(3) == 0 ? 0x01 : 0) : 0;
                long packets = 1 + r.nextInt(40);
                long bytes = packets * (40 + r.nextInt(1461));
                int in = 1 + r.nextInt(48);
                int eg = 1 + r.nextInt(48);
                long endAge = r.nextInt(30_000);
                long startAge = endAge + r.nextInt(120_000);
                if (v6) {
                    long export = SyntheticPackets.EXPORT_SECONDS * 1000;
                    data.put(src).put(dst).putShort((short) sport).putShort((short) dport).put((byte) proto)
                            .put((byte) flags).putInt(in).putInt(eg).putLong(bytes).putLong(packets)
                            .putLong(export - startAge).putLong(export - endAge);
                } else {
                    long up = SyntheticPackets.UPTIME_MILLIS;
                    data.put(src).put(dst).putInt(0).putShort((short) in).putShort((short) eg)
                            .putInt((int) packets).putInt((int) bytes).putInt((int) (up - startAge))
                            .putInt((int) (up - endAge)).putShort((short) sport).putShort((short) dport)
                            .put((byte) 0).put((byte) flags).put((byte) proto).put((byte) 0)
                            .putShort((short) 0).putShort((short) 0).put((byte) 24).put((byte) 24).putShort((short) 0);
                }
            }
            InetAddress from = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) exporter});
            if (v6) {
                decoder.decode(Unpooled.wrappedBuffer(ipfix6Template()), from, RECEIVED, keep);
            }
            int before = out.size();
            decoder.decode(Unpooled.wrappedBuffer(data.array()), from, RECEIVED, keep);
            if (out.size() - before != count) {
                throw new IllegalStateException("expected " + count + " records, decoded " + (out.size() - before));
            }
            n++;
        }
        return out.subList(0, RECORDS).toArray(new FlowRecord[0]);
    }

    /** IPFIX IPv6 template 256: addresses, ports, protocol, flags, interfaces, counters, start/end milliseconds. */
    private static final int[][] IPFIX6_FIELDS = {
        {27, 16}, {28, 16}, {7, 2}, {11, 2}, {4, 1}, {6, 1}, {10, 4}, {14, 4}, {1, 8}, {2, 8}, {152, 8}, {153, 8},
    };
    private static final int IPFIX6_RECORD = 78;

    private static byte[] ipfix6Template() {
        int len = 16 + 4 + 4 + 4 * IPFIX6_FIELDS.length;
        ByteBuffer t = ByteBuffer.allocate(len);
        t.putShort((short) 10).putShort((short) len).putInt((int) SyntheticPackets.EXPORT_SECONDS).putInt(0).putInt(0);
        t.putShort((short) 2).putShort((short) (len - 16)).putShort((short) 256).putShort((short) IPFIX6_FIELDS.length);
        for (int[] f : IPFIX6_FIELDS) {
            t.putShort((short) f[0]).putShort((short) f[1]);
        }
        return t.array();
    }

    /** The full chain must find what the records were drawn to find; fails the setup otherwise. */
    private void check() {
        int geo = 0;
        int as = 0;
        int tags = 0;
        int cid = 0;
        int v6 = 0;
        for (FlowRecord r : records) {
            chain.process(r, event);
            geo += event.source().geo() != null || event.destination().geo() != null ? 1 : 0;
            as += event.source().asNumber() != FlowEvent.UNSET || event.destination().asNumber() != FlowEvent.UNSET
                    ? 1 : 0;
            tags += event.tagCount() > 0 ? 1 : 0;
            cid += event.communityIdLength() > 0 ? 1 : 0;
            v6 += event.sourceAddressLength() == 16 ? 1 : 0;
            if (event.observerName() == null || event.ingress().info() == null || event.bits() == FlowEvent.UNSET
                    || event.transport() == null || event.direction() == null || event.samplingInterval() != 100) {
                throw new IllegalStateException("a record was not fully enriched: " + r);
            }
        }
        System.out.printf("EnrichmentBenchmark records: %d (IPv6 %d), with a location %d, with an AS %d,"
                + " with CIDR tags %d, with a community id %d%n", records.length, v6, geo, as, tags, cid);
        int cids = stages.equals("full-except-communityid") ? 0 : RECORDS;
        if (geo < RECORDS / 3 || as < RECORDS / 4 || tags == 0 || cid != cids || v6 == 0) {
            throw new IllegalStateException("the records do not exercise the chain (locations " + geo + ", AS " + as
                    + ", tags " + tags + ", community ids " + cid + ", IPv6 " + v6 + ")");
        }
    }
}
