package dev.sluice.examples.flowctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of {@code flowctl collect}, from the command line and/or a configuration file.
 *
 * <p>The configuration file ({@code --config FILE}) is plain {@code key = value} lines, UTF-8: the keys are the
 * long option names without the leading {@code --} ({@code udp}, {@code tcp}, {@code allow}, {@code threads},
 * {@code rcvbuf}, {@code max-datagram}, {@code template-store}, {@code layout}, {@code out}, {@code count-only},
 * {@code status}, {@code duration}, {@code warm-up}, {@code read-pause}); {@code #} starts a comment line; blank
 * lines are ignored; the repeatable keys ({@code udp}, {@code tcp}, {@code allow}) may appear several times and take
 * comma-separated lists; the switches take {@code true} or {@code false}. An unknown key, a bad value or a repeated
 * single-valued key is an error naming the file and line. Options on the command line win over the file: a
 * single-valued option replaces the file's value, and a repeatable option given on the command line replaces the
 * file's whole list. Relative paths are relative to the current directory. The enrichment options are
 * {@link EnrichmentOptions}' (shared with {@code decode}):
 * {@code --geoip FILE} on the command line is {@code enrich.geoip = FILE} in the file, {@code --enrich} is
 * {@code enrich = true}, {@code --no-names} is {@code enrich.names = false}.
 */
final class CollectOptions {

    /** The settings as parsed; the lists are empty when not given. */
    final List<CollectArgs.HostPort> udp = new ArrayList<>();
    final List<CollectArgs.HostPort> tcp = new ArrayList<>();
    final List<String> allow = new ArrayList<>();
    Integer threads;
    Long rcvbuf;
    Long maxDatagram;
    String templateStore;
    OutputLayout layout;
    String out;
    Boolean countOnly;
    Boolean status;
    Double duration;
    Double warmUp;
    Long readPauseMicros;
    String config;
    boolean help;
    /** The enrichment options ({@code --geoip ...} / {@code enrich.geoip = ...}). */
    EnrichmentOptions enrichment = new EnrichmentOptions();
    /** Elasticsearch as the destination ({@code --elasticsearch URL ...}). */
    ElasticsearchOptions elasticsearch = new ElasticsearchOptions();

    /** Highest {@code --threads}. */
    static final int MAX_THREADS = 256;
    /** Highest {@code --rcvbuf} (the kernel caps it anyway, at {@code net.core.rmem_max} on Linux). */
    static final long MAX_RCVBUF = 1L << 30;
    /** Longest {@code --warm-up}. */
    static final int MAX_WARM_UP_SECONDS = 60;

    /** Parses the arguments after {@code collect}; reads the configuration file when one is named. */
    static CollectOptions parse(List<String> args) throws UsageException {
        CollectOptions cli = new CollectOptions();
        CollectArgs a = new CollectArgs("collect", args);
        while (a.hasNext()) {
            String arg = a.next();
            if (arg.equals("-h") || arg.equals("--help")) {
                cli.help = true;
                return cli;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("collect takes no arguments but options: '" + arg + "'");
            }
            if (arg.equals("--count-only")) {
                cli.countOnly = true;
            } else if (arg.equals("--status")) {
                cli.status = true;
            } else if (a.isOption(arg, "--config")) {
                cli.config = a.value(arg, "a configuration file");
            } else if (cli.enrichment.parseArgument(arg, a)) {
                continue;
            } else if (cli.elasticsearch.parseArgument(arg, a)) {
                continue;
            } else {
                String key = CollectArgs.optionName(arg).substring(2);
                if (!isValued(key)) {
                    throw new UsageException("unknown option '" + arg + "' for collect");
                }
                cli.set(key, a.value(arg, describe(key)), "--" + key, true);
            }
        }
        CollectOptions merged = cli;
        if (cli.config != null) {
            CollectOptions file = readConfig(Paths.get(cli.config));
            merged = file.overriddenBy(cli);
        }
        return merged;
    }

    private static boolean isValued(String key) {
        switch (key) {
            case "udp":
            case "tcp":
            case "allow":
            case "threads":
            case "rcvbuf":
            case "max-datagram":
            case "template-store":
            case "layout":
            case "out":
            case "duration":
            case "warm-up":
            case "read-pause":
                return true;
            default:
                return false;
        }
    }

    private static String describe(String key) {
        switch (key) {
            case "udp":
            case "tcp":
                return "ADDR:PORT";
            case "allow":
                return "a CIDR such as 10.0.0.0/8";
            case "threads":
                return "a number of receiving threads";
            case "rcvbuf":
                return "bytes (k, m, g suffixes allowed)";
            case "max-datagram":
                return "bytes, 64 to 65535 (k suffix allowed)";
            case "template-store":
                return "a file";
            case "layout":
                return "ecs or logstash";
            case "out":
                return "a file, or - for stdout";
            case "duration":
            case "warm-up":
                return "seconds";
            case "read-pause":
                return "microseconds, 0 to 10000";
            default:
                return "a value";
        }
    }

    /**
     * Sets one option from its text.
     *
     * @param where how to name the option in an error ({@code --udp}, or {@code FILE:LINE: udp})
     * @param repeatAllowed false when the caller refuses a second value of a single-valued key
     */
    private void set(String key, String value, String where, boolean repeatAllowed) throws UsageException {
        switch (key) {
            case "udp":
            case "tcp":
                for (String item : value.split(",")) {
                    CollectArgs.HostPort hp = CollectArgs.HostPort.parse(item.strip(), where);
                    (key.equals("udp") ? udp : tcp).add(hp);
                }
                return;
            case "allow":
                for (String item : value.split(",")) {
                    if (item.isBlank()) {
                        throw new UsageException(where + " has an empty range");
                    }
                    allow.add(item.strip());
                }
                return;
            default:
                break;
        }
        if (!repeatAllowed && isSet(key)) {
            throw new UsageException(where + " is given twice");
        }
        switch (key) {
            case "threads":
                threads = (int) CollectArgs.parseLong(where, value, "receiving threads", 1, MAX_THREADS);
                break;
            case "rcvbuf":
                rcvbuf = CollectArgs.parseBytes(where, value, 1024, MAX_RCVBUF);
                break;
            case "max-datagram":
                maxDatagram = CollectArgs.parseBytes(where, value, 64, 65_535);
                break;
            case "template-store":
                templateStore = nonEmpty(where, value);
                break;
            case "layout":
                layout = OutputLayout.fromCliName(value.strip());
                if (layout == null) {
                    throw new UsageException("unknown layout '" + value + "' for " + where + ": use ecs or logstash");
                }
                break;
            case "out":
                out = nonEmpty(where, value);
                break;
            case "duration":
                duration = CollectArgs.parseSeconds(where, value);
                break;
            case "warm-up":
                warmUp = CollectArgs.parseSeconds(where, value);
                if (warmUp > MAX_WARM_UP_SECONDS) {
                    throw new UsageException(where + " is at most " + MAX_WARM_UP_SECONDS + " seconds: " + value);
                }
                break;
            case "read-pause":
                readPauseMicros = CollectArgs.parseLong(where, value, "microseconds", 0, 10_000);
                break;
            case "count-only":
                countOnly = CollectArgs.parseBool(where, value);
                break;
            case "status":
                status = CollectArgs.parseBool(where, value);
                break;
            default:
                throw new UsageException("unknown key " + where);
        }
    }

    private boolean isSet(String key) {
        switch (key) {
            case "threads":
                return threads != null;
            case "rcvbuf":
                return rcvbuf != null;
            case "max-datagram":
                return maxDatagram != null;
            case "template-store":
                return templateStore != null;
            case "layout":
                return layout != null;
            case "out":
                return out != null;
            case "duration":
                return duration != null;
            case "warm-up":
                return warmUp != null;
            case "read-pause":
                return readPauseMicros != null;
            case "count-only":
                return countOnly != null;
            case "status":
                return status != null;
            default:
                return false;
        }
    }

    private static String nonEmpty(String where, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(where + " needs a non-empty value");
        }
        return value.strip();
    }

    /** Reads a configuration file (see the class comment). */
    static CollectOptions readConfig(Path file) throws UsageException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read --config " + file + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()));
        }
        CollectOptions o = new CollectOptions();
        o.config = file.toString();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(where + "expected key = value, got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.equals("enrich") || key.startsWith("enrich.")) {
                String enrichKey = key.equals("enrich") ? key : key.substring("enrich.".length());
                if (enrichKey.equals("enrich") && key.startsWith("enrich.") || !EnrichmentOptions.isKey(enrichKey)) {
                    throw new UsageException(where + "unknown key '" + key + "' (enrichment keys: enrich, enrich."
                            + String.join(", enrich.", EnrichmentOptions.KEYS.subList(1, EnrichmentOptions.KEYS.size()))
                            + ")");
                }
                o.enrichment.set(enrichKey, value, where + key, false);
                continue;
            }
            if (ElasticsearchOptions.isKey(key)) {
                o.elasticsearch.set(key, value, where + key, false);
                continue;
            }
            if (!isValued(key) && !key.equals("count-only") && !key.equals("status")) {
                throw new UsageException(where + "unknown key '" + key + "' (keys: udp, tcp, allow, threads, rcvbuf,"
                        + " max-datagram, template-store, layout, out, count-only, status, duration, warm-up,"
                        + " read-pause, enrich, enrich.*, "
                        + String.join(", ", ElasticsearchOptions.KEYS) + ")");
            }
            o.set(key, value, where + key, false);
        }
        return o;
    }

    /** This (a file's settings) with every option the command line gave replaced. */
    private CollectOptions overriddenBy(CollectOptions cli) {
        CollectOptions m = new CollectOptions();
        m.udp.addAll(cli.udp.isEmpty() ? udp : cli.udp);
        m.tcp.addAll(cli.tcp.isEmpty() ? tcp : cli.tcp);
        m.allow.addAll(cli.allow.isEmpty() ? allow : cli.allow);
        m.threads = cli.threads != null ? cli.threads : threads;
        m.rcvbuf = cli.rcvbuf != null ? cli.rcvbuf : rcvbuf;
        m.maxDatagram = cli.maxDatagram != null ? cli.maxDatagram : maxDatagram;
        m.templateStore = cli.templateStore != null ? cli.templateStore : templateStore;
        m.layout = cli.layout != null ? cli.layout : layout;
        m.out = cli.out != null ? cli.out : out;
        m.countOnly = cli.countOnly != null ? cli.countOnly : countOnly;
        m.status = cli.status != null ? cli.status : status;
        m.duration = cli.duration != null ? cli.duration : duration;
        m.warmUp = cli.warmUp != null ? cli.warmUp : warmUp;
        m.readPauseMicros = cli.readPauseMicros != null ? cli.readPauseMicros : readPauseMicros;
        m.config = cli.config;
        m.enrichment = enrichment.overriddenBy(cli.enrichment);
        m.elasticsearch = elasticsearch.overriddenBy(cli.elasticsearch);
        return m;
    }

    OutputLayout layoutOrDefault() {
        return layout == null ? OutputLayout.ECS : layout;
    }

    boolean countOnly() {
        return Boolean.TRUE.equals(countOnly);
    }

    boolean status() {
        return Boolean.TRUE.equals(status);
    }

    /** The effective settings, for the start-up message and tests. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("udp", udp);
        m.put("tcp", tcp);
        m.put("allow", allow);
        m.put("threads", threads);
        m.put("rcvbuf", rcvbuf);
        m.put("max-datagram", maxDatagram);
        m.put("template-store", templateStore);
        m.put("layout", layoutOrDefault().cliName());
        m.put("out", countOnly() ? "(count only)" : out == null ? "-" : out);
        m.put("duration", duration);
        m.put("warm-up", warmUp);
        m.put("read-pause", readPauseMicros);
        m.put("enrich", enrichment.stageNames());
        m.put("elasticsearch", elasticsearch.hosts);
        return m;
    }
}
