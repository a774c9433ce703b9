package dev.sluice.examples.flowctl;

import dev.sluice.sink.elastic.DeadLetterFile;
import dev.sluice.sink.elastic.ElasticsearchSink;
import dev.sluice.sink.elastic.ElasticsearchSinkStatistics;
import dev.sluice.sink.elastic.OutageMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code flowctl collect} options that send documents to Elasticsearch instead of NDJSON. Command line
 * {@code --KEY VALUE}, configuration file {@code KEY = VALUE} (see {@link #KEYS}):
 * {@code elasticsearch} (one or more {@code http(s)://host:port}, comma-separated or repeated), {@code es-user} with
 * {@code es-password-file} (or the environment variable {@code SLUICE_ES_PASSWORD}), {@code es-api-key-file} (or
 * {@code SLUICE_ES_API_KEY}: the encoded key), {@code es-ca} (the cluster's CA certificate, PEM) or
 * {@code es-fingerprint} (its SHA-256), {@code es-data-stream} (default {@code sluice-flows}) or
 * {@code es-daily-index} (a prefix), {@code es-outage} ({@code block}, {@code spool} or {@code drop}),
 * {@code es-spool} (the spool directory; implies {@code spool}) and {@code es-spool-max} (bytes, default 1g),
 * {@code es-dead-letters} (a file for the documents Elasticsearch refuses), {@code es-ids} ({@code false}, or
 * {@code --es-no-ids}: Elasticsearch's own ids instead of deterministic ones). Secrets are read from files or the
 * environment, never from the command line, where other users could see them.
 */
final class ElasticsearchOptions {

    /** The keys, without {@code --}. */
    static final List<String> KEYS = List.of("elasticsearch", "es-user", "es-password-file", "es-api-key-file",
            "es-ca", "es-fingerprint", "es-data-stream", "es-daily-index", "es-outage", "es-spool", "es-spool-max",
            "es-dead-letters", "es-ids");

    final List<String> hosts = new ArrayList<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> where = new LinkedHashMap<>();

    static boolean isKey(String key) {
        return KEYS.contains(key);
    }

    /** Whether documents go to Elasticsearch. */
    boolean enabled() {
        return !hosts.isEmpty();
    }

    /**
     * Takes a command-line argument if it is one of these options ({@code --elasticsearch URL},
     * {@code --es-ca=FILE}, {@code --es-no-ids}).
     *
     * @return false when it is not
     */
    boolean parseArgument(String arg, CollectArgs args) throws UsageException {
        String name = CollectArgs.optionName(arg);
        if (!name.startsWith("--")) {
            return false;
        }
        String key = name.substring(2);
        if (key.equals("es-no-ids")) {
            if (!name.equals(arg)) {
                throw new UsageException("option " + name + " takes no value");
            }
            set("es-ids", "false", name, true);
            return true;
        }
        if (!isKey(key)) {
            return false;
        }
        set(key, args.value(arg, describe(key)), name, true);
        return true;
    }

    static String describe(String key) {
        switch (key) {
            case "elasticsearch":
                return "http(s)://HOST:PORT";
            case "es-user":
                return "a user name";
            case "es-password-file":
            case "es-api-key-file":
                return "a file holding the secret";
            case "es-ca":
                return "a PEM certificate file";
            case "es-fingerprint":
                return "a SHA-256 fingerprint (64 hex digits)";
            case "es-data-stream":
            case "es-daily-index":
                return "an index name";
            case "es-outage":
                return "block, spool or drop";
            case "es-spool":
                return "a directory";
            case "es-spool-max":
                return "bytes (k, m, g suffixes allowed)";
            case "es-dead-letters":
                return "a file";
            default:
                return "true or false";
        }
    }

    /** Sets one option; {@code where} names it in errors; {@code repeatAllowed} false for configuration files. */
    void set(String key, String value, String where, boolean repeatAllowed) throws UsageException {
        if (key.equals("elasticsearch")) {
            for (String h : value.split(",")) {
                String url = h.strip();
                if (!url.matches("https?://[^/\\s]+(:\\d+)?/?")) {
                    throw new UsageException(where + " '" + url + "': give http(s)://HOST:PORT");
                }
                hosts.add(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            }
            this.where.putIfAbsent(key, where);
            return;
        }
        if (!repeatAllowed && values.containsKey(key)) {
            throw new UsageException(where + " is given twice");
        }
        String v = value.strip();
        if (v.isEmpty()) {
            throw new UsageException(where + " needs a value (" + describe(key) + ")");
        }
        switch (key) {
            case "es-outage":
                v = v.toLowerCase(Locale.ROOT);
                if (!v.equals("block") && !v.equals("spool") && !v.equals("drop")) {
                    throw new UsageException(where + " '" + value + "': use block, spool or drop");
                }
                break;
            case "es-spool-max":
                v = Long.toString(CollectArgs.parseBytes(where, v, 1 << 20, Long.MAX_VALUE / 2));
                break;
            case "es-ids":
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new UsageException(where + " '" + value + "' is not true or false");
                }
                v = v.toLowerCase(Locale.ROOT);
                break;
            default:
                break;
        }
        values.put(key, v);
        this.where.put(key, where);
    }

    /** This (a file's settings) with the command line's replacing them. */
    ElasticsearchOptions overriddenBy(ElasticsearchOptions cli) {
        ElasticsearchOptions m = new ElasticsearchOptions();
        m.hosts.addAll(cli.hosts.isEmpty() ? hosts : cli.hosts);
        m.values.putAll(values);
        m.values.putAll(cli.values);
        m.where.putAll(where);
        m.where.putAll(cli.where);
        return m;
    }

    /** What to say where documents go. */
    String describeTarget() {
        String target = values.containsKey("es-daily-index") ? "daily indices " + values.get("es-daily-index")
                + "yyyy.MM.dd" : "data stream " + values.getOrDefault("es-data-stream", "sluice-flows");
        return "Elasticsearch " + String.join(", ", hosts) + " (" + target + ", outage: " + outage().name()
                .toLowerCase(Locale.ROOT) + ")";
    }

    /** The sink, connected, its index template installed; {@code deadLetters} receives the file handler if any. */
    ElasticsearchSink build(OutputLayout layout, List<AutoCloseable> toClose) throws UsageException, IOException {
        if (values.containsKey("es-data-stream") && values.containsKey("es-daily-index")) {
            throw new UsageException("give --es-data-stream or --es-daily-index, not both");
        }
        if (values.containsKey("es-api-key-file") && (values.containsKey("es-user")
                || values.containsKey("es-password-file"))) {
            throw new UsageException("give --es-api-key-file or --es-user with --es-password-file, not both");
        }
        ElasticsearchSink.Builder b;
        try {
            b = ElasticsearchSink.builder(hosts.toArray(new String[0]));
            if (values.containsKey("es-data-stream")) {
                b.dataStream(values.get("es-data-stream"));
            }
            if (values.containsKey("es-daily-index")) {
                b.dailyIndex(values.get("es-daily-index"));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (layout == OutputLayout.LOGSTASH) {
            b.logstashLayout();
        }
        String user = values.get("es-user");
        if (user != null) {
            String password = secret("es-password-file", "SLUICE_ES_PASSWORD");
            if (password == null) {
                throw new UsageException(where.get("es-user") + " needs a password: --es-password-file FILE or the"
                        + " environment variable SLUICE_ES_PASSWORD");
            }
            b.basicAuth(user, password);
        } else if (values.containsKey("es-password-file")) {
            throw new UsageException(where.get("es-password-file") + " needs --es-user");
        }
        String apiKey = secret("es-api-key-file", "SLUICE_ES_API_KEY");
        if (apiKey != null && user == null) {
            b.apiKey(apiKey);
        }
        if (values.containsKey("es-ca")) {
            Path ca = Path.of(values.get("es-ca"));
            if (!Files.isReadable(ca)) {
                throw new UsageException(where.get("es-ca") + " " + ca + ": cannot read the file");
            }
            b.caCertificate(ca);
        }
        if (values.containsKey("es-fingerprint")) {
            b.caFingerprint(values.get("es-fingerprint"));
        }
        OutageMode mode = outage();
        if (mode == OutageMode.SPOOL) {
            String dir = values.get("es-spool");
            if (dir == null) {
                throw new UsageException("--es-outage spool needs --es-spool DIR");
            }
            b.spool(Path.of(dir), Long.parseLong(values.getOrDefault("es-spool-max", Long.toString(1L << 30))));
        } else {
            if (values.containsKey("es-spool")) {
                throw new UsageException(where.get("es-spool") + " is for --es-outage spool, not "
                        + mode.name().toLowerCase(Locale.ROOT));
            }
            b.outageMode(mode);
        }
        if ("false".equals(values.get("es-ids"))) {
            b.documentIds(false);
        }
        if (values.containsKey("es-dead-letters")) {
            DeadLetterFile file = DeadLetterFile.open(Path.of(values.get("es-dead-letters")));
            toClose.add(file);
            b.deadLetters(file);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The counters of the sink, for the final lines. */
    static String finalLine(ElasticsearchSinkStatistics s) {
        return "flowctl: final: elasticsearch accepted=" + s.accepted() + " indexed=" + s.indexed() + " duplicates="
                + s.duplicates() + " retried=" + s.retried() + " failed=" + s.failed() + " spooled=" + s.spooled()
                + " dropped=" + s.dropped() + " in_spool=" + s.spoolDocuments() + " recovered=" + s.recovered()
                + " bulk_requests=" + s.bulkRequests() + " bulk_failures=" + s.bulkFailures()
                + String.format(Locale.ROOT, " bulk_ms_mean=%.1f bulk_ms_max=%.1f", s.bulkLatencyMillisMean(),
                        s.bulkLatencyMillisMax());
    }

    private OutageMode outage() {
        String mode = values.get("es-outage");
        if (mode == null) {
            return values.containsKey("es-spool") ? OutageMode.SPOOL : OutageMode.BLOCK;
        }
        return OutageMode.valueOf(mode.toUpperCase(Locale.ROOT));
    }

    private String secret(String fileKey, String env) throws UsageException {
        String file = values.get(fileKey);
        if (file != null) {
            try {
                String s = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                if (s.isEmpty()) {
                    throw new UsageException(where.get(fileKey) + " " + file + " is empty");
                }
                return s;
            } catch (IOException e) {
                throw new UsageException(where.get(fileKey) + " " + file + ": cannot read it (" + e.getMessage() + ")");
            }
        }
        String v = System.getenv(env);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
