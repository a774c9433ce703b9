package dev.sluice.examples.flowctl;

import dev.sluice.core.enrich.Cidr;
import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.enrich.AddressEnrichmentStage;
import dev.sluice.enrich.AsnDatabase;
import dev.sluice.enrich.AsnRewriteStage;
import dev.sluice.enrich.CidrTagStage;
import dev.sluice.enrich.CommunityIdStage;
import dev.sluice.enrich.DerivedFieldsStage;
import dev.sluice.enrich.ExporterDictionary;
import dev.sluice.enrich.GeoIpDatabase;
import dev.sluice.enrich.InterfaceDictionary;
import dev.sluice.enrich.NamesStage;
import dev.sluice.enrich.SamplingCorrectionStage;
import dev.sluice.enrich.WatchedFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The enrichment options that {@code flowctl decode} and {@code flowctl collect} share, and the
 * {@link EnrichmentChain} built from them: one parser for the command-line flags ({@code --geoip FILE}) and the
 * collect configuration keys ({@code enrich.geoip = FILE}), so both commands and both sources mean the same.
 *
 * <p>Keys (command line {@code --KEY}, configuration file {@code enrich.KEY}; see {@link #KEYS}): {@code enrich}
 * (switch: sampling correction, derived fields and names with no database), {@code geoip} (GeoIP2/GeoLite2 City or
 * Country MMDB), {@code asn} (GeoLite2 ASN MMDB), {@code exporters} (CSV {@code address-or-cidr,name,site,datacenter}),
 * {@code interfaces} (CSV {@code exporter,ifindex,name,description,tags}), {@code cidr-tags} (CSV
 * {@code cidr,tags,labels}; the three dictionaries also as {@code .yaml}/{@code .yml} files), {@code internal} (the operator's networks for locality and direction; repeatable,
 * comma-separated), {@code sampling} ({@code ADDR-or-CIDR=N}, an exporter's sampling interval; repeatable),
 * {@code sampling-override} (switch: the configured interval wins over the record's), {@code community-id}
 * (switch), {@code community-id-seed} (0 to 65535), {@code public-asn} (private AS numbers become this one),
 * {@code names} and {@code derived} (true by default once enrichment is on; {@code --no-names},
 * {@code --no-derived} on the command line), {@code reload} (seconds between checks of the files for changes;
 * collect only, default {@value #DEFAULT_RELOAD_SECONDS}). Any key but {@code enrich} turns enrichment on;
 * {@code enrich = false} in a file turns it off whatever else the file says.
 *
 * <p>The chain's order: sampling, derived, names, exporters, interfaces, then GeoIP, ASN, CIDR tags and locality
 * as one {@link AddressEnrichmentStage} (one lookup per address; named after the parts given, e.g.
 * {@code geoip+asn+locality}), public-asn, community-id. Files are checked and loaded by {@link #build(boolean)},
 * whose problems (a missing file, a file that is not a database of the right kind, a bad CSV row) are
 * {@link UsageException}s naming the option.
 */
final class EnrichmentOptions {

    /** The keys, without {@code --} or {@code enrich.}, in the order of the help text. */
    static final List<String> KEYS = List.of("enrich", "geoip", "asn", "exporters", "interfaces", "cidr-tags",
            "internal", "sampling", "sampling-override", "community-id", "community-id-seed", "public-asn", "names",
            "derived", "reload");

    /** Seconds between checks of the enrichment files for changes in {@code flowctl collect}. */
    static final double DEFAULT_RELOAD_SECONDS = 60;

    /** One {@code sampling} entry: the exporter address or network and its interval. */
    record SamplingEntry(String exporter, long interval) {
    }

    Boolean enabled;
    final Map<String, String> files = new LinkedHashMap<>(); // key -> file name, for geoip ... cidr-tags
    final List<String> internal = new ArrayList<>();
    final List<SamplingEntry> sampling = new ArrayList<>();
    Boolean samplingOverride;
    Boolean communityId;
    Integer communityIdSeed;
    Long publicAsn;
    Boolean names;
    Boolean derived;
    Double reload;
    /** How each option was given ({@code --geoip}, {@code FILE:LINE: enrich.geoip}), for error messages. */
    private final Map<String, String> where = new LinkedHashMap<>();

    private static final List<String> FILE_KEYS = List.of("geoip", "asn", "exporters", "interfaces", "cidr-tags");

    /** Whether {@code key} (without prefix) is an enrichment key. */
    static boolean isKey(String key) {
        return KEYS.contains(key);
    }

    private static boolean isSwitch(String key) {
        switch (key) {
            case "enrich":
            case "sampling-override":
            case "community-id":
            case "names":
            case "derived":
                return true;
            default:
                return false;
        }
    }

    /**
     * Takes a command-line argument if it is an enrichment option ({@code --geoip FILE}, {@code --geoip=FILE},
     * {@code --community-id}, {@code --no-names} ...), reading its value from {@code args}.
     *
     * @return false when {@code arg} is not an enrichment option
     */
    boolean parseArgument(String arg, CollectArgs args) throws UsageException {
        String name = CollectArgs.optionName(arg);
        if (!name.startsWith("--")) {
            return false;
        }
        String key = name.substring(2);
        if (key.equals("no-names") || key.equals("no-derived")) {
            if (!name.equals(arg)) {
                throw new UsageException("option " + name + " takes no value");
            }
            set(key.substring(3), "false", name, true);
            return true;
        }
        if (!isKey(key)) {
            return false;
        }
        if (isSwitch(key)) {
            if (!name.equals(arg)) {
                throw new UsageException("option " + name + " takes no value");
            }
            set(key, "true", name, true);
        } else {
            set(key, args.value(arg, describe(key)), name, true);
        }
        return true;
    }

    /** What the value of a key is, for messages. */
    static String describe(String key) {
        switch (key) {
            case "geoip":
                return "a City or Country .mmdb file (GeoIP2/GeoLite2, DB-IP, IPinfo, ip-location-db)";
            case "asn":
                return "an ASN .mmdb file (GeoLite2, DB-IP, IPinfo, ip-location-db)";
            case "exporters":
                return "a CSV file of address-or-cidr,name,site,datacenter (or .yaml)";
            case "interfaces":
                return "a CSV file of exporter,ifindex,name,description,tags (or .yaml)";
            case "cidr-tags":
                return "a CSV file of cidr,tags,labels (or .yaml)";
            case "internal":
                return "a CIDR such as 10.0.0.0/8";
            case "sampling":
                return "EXPORTER=N, the exporter's address or network and its sampling interval";
            case "community-id-seed":
                return "a seed from 0 to 65535";
            case "public-asn":
                return "an AS number";
            case "reload":
                return "seconds";
            default:
                return "true or false";
        }
    }

    /**
     * Sets one option from its text.
     *
     * @param key the key without {@code --} or {@code enrich.}
     * @param where how to name the option in an error ({@code --geoip}, or {@code FILE:LINE: enrich.geoip})
     * @param repeatAllowed false when a second value of a single-valued key is an error (configuration files)
     */
    void set(String key, String value, String where, boolean repeatAllowed) throws UsageException {
        switch (key) {
            case "internal":
                for (String item : value.split(",")) {
                    internal.add(cidr(where, item));
                }
                this.where.putIfAbsent(key, where);
                return;
            case "sampling":
                for (String item : value.split(",")) {
                    sampling.add(samplingEntry(where, item));
                }
                this.where.putIfAbsent(key, where);
                return;
            default:
                break;
        }
        if (!repeatAllowed && this.where.containsKey(key)) {
            throw new UsageException(where + " is given twice");
        }
        this.where.put(key, where);
        switch (key) {
            case "enrich":
                enabled = CollectArgs.parseBool(where, value);
                break;
            case "geoip":
            case "asn":
            case "exporters":
            case "interfaces":
            case "cidr-tags":
                if (value.isBlank()) {
                    throw new UsageException(where + " needs a file (" + describe(key) + ")");
                }
                files.put(key, value.strip());
                break;
            case "sampling-override":
                samplingOverride = CollectArgs.parseBool(where, value);
                break;
            case "community-id":
                communityId = CollectArgs.parseBool(where, value);
                break;
            case "community-id-seed":
                communityIdSeed = (int) CollectArgs.parseLong(where, value, "community id seed", 0, 65535);
                break;
            case "public-asn":
                publicAsn = CollectArgs.parseLong(where, value, "AS number", 1, 4294967295L);
                break;
            case "names":
                names = CollectArgs.parseBool(where, value);
                break;
            case "derived":
                derived = CollectArgs.parseBool(where, value);
                break;
            case "reload":
                reload = CollectArgs.parseSeconds(where, value);
                break;
            default:
                throw new UsageException("unknown enrichment key " + where);
        }
    }

    private static String cidr(String where, String item) throws UsageException {
        String c = item.strip();
        if (c.isEmpty()) {
            throw new UsageException(where + " has an empty network");
        }
        try {
            Cidr.parse(c);
        } catch (IllegalArgumentException e) {
            throw new UsageException(where + " '" + c + "' is not an address or CIDR (e.g. 10.0.0.0/8, 2001:db8::/32)");
        }
        return c;
    }

    private static SamplingEntry samplingEntry(String where, String item) throws UsageException {
        String s = item.strip();
        int eq = s.lastIndexOf('=');
        if (eq <= 0 || eq == s.length() - 1) {
            throw new UsageException(where + " '" + s + "' is not EXPORTER=N (e.g. 10.0.0.1=1000 or 10.1.0.0/16=512)");
        }
        String exporter = cidr(where, s.substring(0, eq));
        long interval = CollectArgs.parseLong(where, s.substring(eq + 1), "sampling interval", 1, Integer.MAX_VALUE);
        return new SamplingEntry(exporter, interval);
    }

    /** Whether any enrichment option was given (the {@code reload} interval alone does not count). */
    private boolean anyStageOption() {
        return !files.isEmpty() || !internal.isEmpty() || !sampling.isEmpty() || samplingOverride != null
                || communityId != null || communityIdSeed != null || publicAsn != null || names != null
                || derived != null;
    }

    /** Whether the records are to be enriched: {@code enrich} on, or any stage option given without it off. */
    boolean active() {
        return enabled != null ? enabled : anyStageOption();
    }

    /** This (a file's settings) with what the command line gave replaced (a repeatable key: its whole list). */
    EnrichmentOptions overriddenBy(EnrichmentOptions cli) {
        EnrichmentOptions m = new EnrichmentOptions();
        m.enabled = cli.enabled != null ? cli.enabled : enabled;
        m.files.putAll(files);
        m.files.putAll(cli.files);
        m.internal.addAll(cli.internal.isEmpty() ? internal : cli.internal);
        m.sampling.addAll(cli.sampling.isEmpty() ? sampling : cli.sampling);
        m.samplingOverride = cli.samplingOverride != null ? cli.samplingOverride : samplingOverride;
        m.communityId = cli.communityId != null ? cli.communityId : communityId;
        m.communityIdSeed = cli.communityIdSeed != null ? cli.communityIdSeed : communityIdSeed;
        m.publicAsn = cli.publicAsn != null ? cli.publicAsn : publicAsn;
        m.names = cli.names != null ? cli.names : names;
        m.derived = cli.derived != null ? cli.derived : derived;
        m.reload = cli.reload != null ? cli.reload : reload;
        m.where.putAll(where);
        m.where.putAll(cli.where);
        return m;
    }

    /** The parts of the address stage that are configured, in its order. */
    private List<String> addressParts() {
        List<String> parts = new ArrayList<>();
        for (String k : List.of("geoip", "asn", "cidr-tags")) {
            if (files.containsKey(k)) {
                parts.add(k);
            }
        }
        if (!internal.isEmpty()) {
            parts.add("locality");
        }
        return parts;
    }

    /** The stages that will run, in order (empty when enrichment is off), for the start-up message and tests. */
    List<String> stageNames() {
        List<String> n = new ArrayList<>();
        if (!active()) {
            return n;
        }
        n.add("sampling");
        if (!Boolean.FALSE.equals(derived)) {
            n.add("derived");
        }
        if (!Boolean.FALSE.equals(names)) {
            n.add("names");
        }
        for (String k : List.of("exporters", "interfaces")) {
            if (files.containsKey(k)) {
                n.add(k);
            }
        }
        List<String> addressParts = addressParts();
        if (!addressParts.isEmpty()) {
            n.add(String.join("+", addressParts));
        }
        if (publicAsn != null) {
            n.add("public-asn");
        }
        if (Boolean.TRUE.equals(communityId) || communityIdSeed != null) {
            n.add("community-id");
        }
        return n;
    }

    /**
     * Loads the files and builds the chain.
     *
     * @param watch whether to reload the files when they change (collect), checking every {@code reload} seconds
     * @return null when enrichment is off
     */
    Enrichment build(boolean watch) throws UsageException {
        if (!watch && reload != null) {
            throw new UsageException(where.get("reload") + " only applies to collect (decode reads the files once)");
        }
        if (!active()) {
            return null;
        }
        Duration interval = watch
                ? Duration.ofNanos((long) ((reload != null ? reload : DEFAULT_RELOAD_SECONDS) * 1e9)) : null;
        List<Closeable> watched = new ArrayList<>();
        try {
            EnrichmentChain.Builder b = EnrichmentChain.builder();
            SamplingCorrectionStage.Builder sb = SamplingCorrectionStage.builder();
            for (SamplingEntry s : sampling) {
                sb.network(s.exporter(), s.interval());
            }
            b.add("sampling", sb.overrideRecord(Boolean.TRUE.equals(samplingOverride)).build());
            if (!Boolean.FALSE.equals(derived)) {
                b.add("derived", new DerivedFieldsStage());
            }
            if (!Boolean.FALSE.equals(names)) {
                b.add("names", new NamesStage());
            }
            if (files.containsKey("exporters")) {
                Supplier<ExporterDictionary> d = load("exporters", ExporterDictionary::load, interval, watched);
                b.add("exporters", (r, e) -> d.get().enrich(r, e));
            }
            if (files.containsKey("interfaces")) {
                Supplier<InterfaceDictionary> d = load("interfaces", InterfaceDictionary::load, interval, watched);
                b.add("interfaces", (r, e) -> d.get().enrich(r, e));
            }
            List<String> addressParts = addressParts();
            if (!addressParts.isEmpty()) {
                AddressEnrichmentStage.Builder a = AddressEnrichmentStage.builder();
                if (files.containsKey("geoip")) {
                    a.geoIp(load("geoip", EnrichmentOptions::geoIp, interval, watched));
                }
                if (files.containsKey("asn")) {
                    a.asn(load("asn", EnrichmentOptions::asn, interval, watched));
                }
                if (files.containsKey("cidr-tags")) {
                    a.cidrTags(load("cidr-tags", CidrTagStage::load, interval, watched));
                }
                b.add(String.join("+", addressParts), a.internalNetworks(internal).build());
            }
            if (publicAsn != null) {
                b.add("public-asn", new AsnRewriteStage(publicAsn));
            }
            if (Boolean.TRUE.equals(communityId) || communityIdSeed != null) {
                b.add("community-id", new CommunityIdStage(communityIdSeed == null ? 0 : communityIdSeed));
            }
            return new Enrichment(b.build(), watched);
        } catch (UsageException | RuntimeException e) {
            closeAll(watched);
            throw e;
        }
    }

    /** A GeoIP database; one without any location is refused (an ASN or other database given by mistake). */
    private static GeoIpDatabase geoIp(Path file) throws IOException {
        GeoIpDatabase db = GeoIpDatabase.load(file);
        if (db.networks() == 0) {
            throw new IOException("no network with location data: not a City or Country database (type "
                    + db.type() + ")");
        }
        return db;
    }

    /** An ASN database; one without any AS number is refused. */
    private static AsnDatabase asn(Path file) throws IOException {
        AsnDatabase db = AsnDatabase.load(file);
        if (db.networks() == 0) {
            throw new IOException("no network with an AS number: not an ASN database (type " + db.type() + ")");
        }
        return db;
    }

    /** Loads the file of a key, watched or once; problems become a usage error naming the option and the file. */
    private <T> Supplier<T> load(String key, WatchedFile.Loader<T> loader, Duration interval, List<Closeable> watched)
            throws UsageException {
        String name = files.get(key);
        String option = where.getOrDefault(key, "--" + key);
        Path file;
        try {
            file = Paths.get(name);
        } catch (InvalidPathException e) {
            throw new UsageException(option + " '" + name + "' is not a valid file name");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException(option + " " + name + ": is a directory, expected " + describe(key));
        }
        if (!Files.exists(file)) {
            throw new UsageException(option + " " + name + ": no such file (" + describe(key) + ")");
        }
        try {
            if (interval == null) {
                T value = loader.load(file);
                return () -> value;
            }
            WatchedFile<T> w = WatchedFile.watch(file, loader, interval);
            watched.add(w);
            return w;
        } catch (NoSuchFileException e) {
            throw new UsageException(option + " " + name + ": no such file (" + describe(key) + ")");
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new UsageException(option + " " + name + ": cannot load " + describe(key) + ": "
                    + message.replace('\n', ' '));
        }
    }

    private static void closeAll(List<Closeable> closeables) {
        for (Closeable c : closeables) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                // nothing to add to the error being reported
            }
        }
    }

    /** A built chain and the watched files behind it (closed with it). */
    static final class Enrichment implements Closeable {
        final EnrichmentChain chain;
        private final List<Closeable> watched;

        Enrichment(EnrichmentChain chain, List<Closeable> watched) {
            this.chain = chain;
            this.watched = List.copyOf(watched);
        }

        /** Stops watching the files. */
        @Override
        public void close() {
            closeAll(watched);
        }
    }
}
