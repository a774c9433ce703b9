package dev.sluice.examples.flowctl;

import dev.sluice.collector.CollectorMetrics;
import dev.sluice.collector.ExporterMetrics;
import dev.sluice.collector.FileTemplateStore;
import dev.sluice.collector.FlowCollector;
import dev.sluice.collector.FlowProcessor;
import dev.sluice.collector.ListenerMetrics;
import dev.sluice.collector.SinkMetrics;
import dev.sluice.core.layout.DocumentLayout;
import dev.sluice.core.layout.EcsLayout;
import dev.sluice.core.layout.LogstashLayout;
import dev.sluice.core.sink.FlowSink;
import dev.sluice.core.sink.NdjsonSink;
import dev.sluice.decoders.DecoderStatistics;
import dev.sluice.sink.elastic.ElasticsearchSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code flowctl collect}: runs a {@link FlowCollector} until {@code --duration} ends or the process is told to
 * stop (SIGTERM, SIGINT / Ctrl-C), then stops it gracefully and prints the final counters on stderr.
 *
 * <p>What goes where: flow records (and options records and sFlow counter samples) as NDJSON in the chosen layout
 * to {@code --out} (stdout by default), or nowhere with {@code --count-only} (a sink that only counts, for
 * benchmarks). On stderr: one {@code flowctl: listening PROTO ADDR:PORT} line per bound address at start (with
 * the port the OS chose for port 0), the live status with {@code --status}, and at the end {@code flowctl: final:}
 * lines; the first of them starts with {@code records=N} (flow records decoded) and, with
 * {@code --count-only}, {@code recorded=N} (flow records the counting sink took).
 *
 * <p>Signals: a shutdown hook turns SIGTERM/SIGINT into the same graceful stop as the end of {@code --duration}
 * (stop receiving, finish what was read, flush and close the sink, save the template store) and waits for the
 * final counters to be printed; the exit status is then the JVM's for the signal (143 for SIGTERM, 130 for
 * SIGINT). At the end of {@code --duration} the exit status is 0.
 */
final class CollectCommand {

    /** The longest a signal waits for the graceful stop before the JVM goes down anyway. */
    static final long SHUTDOWN_WAIT_SECONDS = 60;

    final CollectOptions options;
    /** The enrichment chain and its watched files, while the collector runs; null without enrichment. */
    private EnrichmentOptions.Enrichment enrich;

    private CollectCommand(CollectOptions options) {
        this.options = options;
    }

    /** Parses the arguments after {@code collect} (and the {@code --config} file they name). */
    static CollectCommand parse(java.util.List<String> args) throws UsageException {
        CollectOptions o = CollectOptions.parse(args);
        if (!o.help && o.countOnly() && o.out != null) {
            throw new UsageException("--count-only writes no documents: leave out --out");
        }
        if (!o.help && o.countOnly() && o.layout != null) {
            throw new UsageException("--count-only writes no documents: leave out --layout");
        }
        if (!o.help && o.elasticsearch.enabled() && (o.countOnly() || o.out != null)) {
            throw new UsageException("--elasticsearch is where the documents go: leave out "
                    + (o.countOnly() ? "--count-only" : "--out"));
        }
        return new CollectCommand(o);
    }

    boolean help() {
        return options.help;
    }

    /** Runs until {@code --duration} ends or a signal comes; {@code err} is checked for being a terminal. */
    int run(OutputStream out, PrintStream err) {
        return run(out, err, err == System.err && CollectStatus.stderrIsTerminal(), new CountDownLatch(1), true, 0);
    }

    /**
     * Runs the collector.
     *
     * @param out standard output (NDJSON with {@code --out -})
     * @param err standard error (start-up lines, status, final counters, errors)
     * @param terminal whether {@code err} is a terminal (the status is then redrawn in place)
     * @param stop counted down by whoever wants the collector stopped (the shutdown hook, a test)
     * @param hook whether to install the SIGTERM/SIGINT shutdown hook (tests running in-process do not)
     * @param statusPeriodMillis the status refresh period; 0 for the default
     * @return the exit code
     */
    int run(OutputStream out, PrintStream err, boolean terminal, CountDownLatch stop, boolean hook,
            long statusPeriodMillis) {
        FlowSink sink;
        CollectCountingSink counter = null;
        ElasticsearchSink elastic = null;
        java.util.List<AutoCloseable> closeAtEnd = new java.util.ArrayList<>();
        String destination;
        try {
            if (options.countOnly()) {
                counter = new CollectCountingSink();
                sink = counter;
                destination = "counting records only (--count-only), writing nothing";
            } else if (options.elasticsearch.enabled()) {
                elastic = options.elasticsearch.build(options.layoutOrDefault(), closeAtEnd);
                sink = elastic;
                destination = options.elasticsearch.describeTarget() + ", " + options.layoutOrDefault().cliName()
                        + " layout";
            } else {
                Supplier<DocumentLayout> layout = options.layoutOrDefault() == OutputLayout.LOGSTASH
                        ? LogstashLayout::new : EcsLayout::new;
                NdjsonSink.Builder b;
                if (options.out == null || options.out.equals("-")) {
                    b = NdjsonSink.builder(out);
                    destination = "NDJSON (" + options.layoutOrDefault().cliName() + ") to stdout";
                } else {
                    Path file = path(options.out, "--out");
                    if (Files.isDirectory(file)) {
                        err.println("flowctl: collect: --out " + options.out + " is a directory");
                        return Flowctl.EXIT_OUTPUT;
                    }
                    b = NdjsonSink.builder(file);
                    destination = "NDJSON (" + options.layoutOrDefault().cliName() + ") appended to " + file;
                }
                sink = b.name("ndjson").layout(layout).build();
            }
        } catch (UsageException e) {
            closeAll(closeAtEnd);
            err.println("flowctl: collect: " + e.getMessage());
            return Flowctl.EXIT_USAGE;
        } catch (IOException e) {
            closeAll(closeAtEnd);
            err.println("flowctl: collect: " + (options.elasticsearch.enabled() ? "Elasticsearch: "
                    : "cannot open --out " + options.out + ": ") + e.getMessage());
            return Flowctl.EXIT_OUTPUT;
        }

        FlowCollector collector;
        try {
            collector = configure(sink).build();
        } catch (UsageException | IllegalArgumentException e) {
            closeQuietly(sink);
            closeEnrichment();
            closeAll(closeAtEnd);
            err.println("flowctl: collect: " + e.getMessage());
            return Flowctl.EXIT_USAGE;
        }
        try {
            collector.start();
        } catch (IOException | RuntimeException e) {
            collector.close();
            closeEnrichment();
            closeAll(closeAtEnd);
            err.println("flowctl: collect: cannot start: " + e.getMessage());
            return Flowctl.EXIT_UNAVAILABLE;
        }
        long started = System.nanoTime();

        Object stderrLock = new Object();
        CountDownLatch finished = new CountDownLatch(1);
        Thread shutdownHook = null;
        if (hook) {
            shutdownHook = new Thread(() -> {
                stop.countDown();
                try {
                    finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "flowctl-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        CollectStatus status = null;
        String stoppedBy = "a signal";
        try {
            synchronized (stderrLock) {
                if (collector.warmUpSummary() != null) {
                    err.println("flowctl: warmed up: " + collector.warmUpSummary());
                }
                printListening(err, collector);
                err.println("flowctl: collecting with " + collector.receiveThreads() + " receiving thread"
                        + (collector.receiveThreads() == 1 ? "" : "s") + " (" + collector.transport() + "), "
                        + destination + (enrich == null ? "" : ", enriching (" + String.join(", ",
                                enrich.chain.stageNames()) + ")") + "; " + (options.duration != null
                                ? "stopping after " + options.duration + " s" : "stop with Ctrl-C or SIGTERM"));
                err.flush();
            }
            if (options.status()) {
                status = new CollectStatus(collector::metrics, err, terminal, statusPeriodMillis, stderrLock).start();
            }
            boolean stopped;
            try {
                if (options.duration != null) {
                    stopped = stop.await((long) (options.duration * 1e9), TimeUnit.NANOSECONDS);
                    stoppedBy = stopped ? "a signal" : "--duration";
                } else {
                    stop.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stoppedBy = "an interrupt";
            }
            if (status != null) {
                status.close();
            }
            // The kernel's drop counters belong to the sockets: read them while the sockets are still open (the
            // collector's final snapshot is taken after it has closed them, when the OS no longer lists them).
            long kernelDrops = collector.metrics().kernelDrops();
            collector.close(); // stop receiving, finish in-flight work, save templates, flush and close the sink
            double seconds = (System.nanoTime() - started) / 1e9;
            CollectorMetrics m = collector.metrics();
            synchronized (stderrLock) {
                printFinal(err, m, Math.max(kernelDrops, m.kernelDrops()), counter, seconds, stoppedBy);
                if (elastic != null) {
                    err.println(ElasticsearchOptions.finalLine(elastic.elasticsearchStatistics()));
                }
                err.flush();
            }
            boolean sinkFailed = m.sinks().stream().anyMatch(s -> s.sink().failed() + s.exceptions() > 0);
            return sinkFailed && !options.countOnly() ? Flowctl.EXIT_OUTPUT : Flowctl.EXIT_OK;
        } finally {
            if (status != null) {
                status.close();
            }
            collector.close();
            closeEnrichment();
            closeAll(closeAtEnd);
            finished.countDown();
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down (a signal): the hook is running and now returns
                }
            }
        }
    }

    /** The collector's settings from the options. */
    private FlowCollector.Builder configure(FlowSink sink) throws UsageException {
        FlowCollector.Builder b = FlowCollector.builder();
        for (CollectArgs.HostPort a : options.udp) {
            b.listen(literal(a.host(), "--udp"), a.port());
        }
        for (CollectArgs.HostPort a : options.tcp) {
            b.listenTcp(literal(a.host(), "--tcp"), a.port());
        }
        if (!options.allow.isEmpty()) {
            try {
                b.allow(options.allow.toArray(new String[0]));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--allow: " + e.getMessage());
            }
        }
        if (options.threads != null) {
            b.receiveThreads(options.threads);
        }
        if (options.rcvbuf != null) {
            b.receiveBufferBytes((int) Math.min(Integer.MAX_VALUE, options.rcvbuf));
        }
        if (options.maxDatagram != null) {
            b.maxDatagramBytes(options.maxDatagram.intValue());
        }
        if (options.readPauseMicros != null) {
            b.readPause(Duration.ofNanos(options.readPauseMicros * 1000));
        }
        if (options.warmUp != null) {
            b.warmUp(Duration.ofNanos((long) (options.warmUp * 1e9)));
        }
        if (options.templateStore != null) {
            Path store = path(options.templateStore, "--template-store");
            Path parent = store.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new UsageException("--template-store " + options.templateStore + ": directory " + parent
                        + " does not exist");
            }
            b.templateStore(new FileTemplateStore(store));
        }
        enrich = options.enrichment.build(true);
        if (enrich != null) {
            b.processor(FlowProcessor.enrichment(enrich.chain));
        }
        return b.sink(sink);
    }

    private static void closeAll(java.util.List<AutoCloseable> resources) {
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception e) {
                // closing what is left at exit: nothing more to do
            }
        }
        resources.clear();
    }

    /** Stops watching the enrichment files (after the collector has stopped using them). */
    private void closeEnrichment() {
        if (enrich != null) {
            enrich.close();
            enrich = null;
        }
    }

    /** An IP literal for a listening address (no DNS: a collector binds what it is told). */
    private static String literal(String host, String option) throws UsageException {
        if (host.equals("*")) {
            return "0.0.0.0";
        }
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = host.indexOf(':') >= 0 && host.matches("[0-9a-fA-F:.%a-zA-Z]+");
        if (!v4 && !v6) {
            throw new UsageException(option + " " + host + ": give an IP address (e.g. 0.0.0.0, 127.0.0.1 or [::])");
        }
        return host;
    }

    private static Path path(String name, String option) throws UsageException {
        try {
            return Paths.get(name);
        } catch (InvalidPathException e) {
            throw new UsageException(option + " '" + name + "' is not a valid file name");
        }
    }

    private static void printListening(PrintStream err, FlowCollector collector) {
        for (ListenerMetrics l : collector.metrics().listeners()) {
            StringBuilder line = new StringBuilder("flowctl: listening ").append(l.protocol()).append(' ')
                    .append(format(l.address())).append(" (").append(l.transport());
            if (l.protocol().equals("udp")) {
                line.append(", ").append(l.sockets()).append(l.sockets() == 1 ? " socket" : " sockets")
                        .append(", receive buffer ").append(l.receiveBufferGranted()).append(" bytes as the OS reports it, ")
                        .append(l.receiveBufferRequested()).append(" asked");
            } else {
                line.append(", IPFIX over TCP");
            }
            err.println(line.append(')'));
        }
    }

    static String format(InetSocketAddress a) {
        InetAddress address = a.getAddress();
        String host = address == null ? a.getHostString() : address.getHostAddress();
        return (address instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * The final counters, one {@code flowctl: final:} line per topic: totals, decode errors by reason, sequence
     * tracking, templates, sinks, listeners, then one line per exporter.
     */
    static void printFinal(PrintStream err, CollectorMetrics m, long kernelDrops, CollectCountingSink counter,
            double seconds, String stoppedBy) {
        ExporterMetrics t = m.total();
        DecoderStatistics d = t.decoder();
        err.printf(Locale.ROOT, "flowctl: stopped by %s after %.1f s%n", stoppedBy, seconds);
        StringBuilder line = new StringBuilder("flowctl: final: records=").append(t.records());
        if (counter != null) {
            line.append(" recorded=").append(counter.records());
        }
        line.append(" options=").append(t.optionsRecords()).append(" counter_samples=").append(t.counterSamples())
                .append(" datagrams=").append(t.datagrams()).append(" bytes=").append(t.bytes())
                .append(" exporters=").append(m.exporters().values().stream().filter(e -> e.datagrams() > 0).count())
                .append(" errors=").append(CollectStatus.errors(m))
                .append(" kernel_drops=").append(kernelDrops)
                .append(" unread_at_close=").append(m.unreadAtClose())
                .append(" allowlist_dropped=").append(t.allowlistDropped())
                .append(" filtered=").append(t.filtered())
                .append(String.format(Locale.ROOT, " records_per_s=%.0f", seconds > 0 ? t.records() / seconds : 0.0));
        err.println(line);
        if (d.errorCount() > 0 || t.transportErrors() > 0 || t.processorErrors() > 0 || t.datagramsTruncated() > 0) {
            StringBuilder errors = new StringBuilder("flowctl: final: errors");
            d.errors().forEach((reason, n) -> errors.append(' ').append(reason.name().toLowerCase(Locale.ROOT))
                    .append('=').append(n));
            errors.append(" tcp_framing=").append(t.transportErrors()).append(" processor=").append(t.processorErrors())
                    .append(" datagrams_truncated=").append(t.datagramsTruncated());
            err.println(errors);
        }
        err.println("flowctl: final: sequence gaps=" + d.sequenceGaps() + " lost=" + d.sequenceLost() + " reordered="
                + d.sequenceReordered() + " resets=" + d.sequenceResets());
        err.println("flowctl: final: templates received=" + d.templates() + " active=" + d.activeTemplates()
                + " misses=" + d.templateMisses() + " pending_records=" + d.pendingRecords() + " restored="
                + m.templatesRestored() + " saves=" + m.templateSaves() + " store_errors=" + m.templateStoreErrors());
        for (SinkMetrics s : m.sinks()) {
            err.println("flowctl: final: sink " + s.name() + " accepted=" + s.sink().accepted() + " failed="
                    + (s.sink().failed() + s.exceptions()) + " dropped=" + (s.sink().dropped() + s.policyDropped())
                    + " full=" + s.full() + " waited_ms=" + s.waitedMillis());
        }
        for (ListenerMetrics l : m.listeners()) {
            err.println("flowctl: final: listener " + l.protocol() + " " + format(l.address())
                    + (l.protocol().equals("tcp") ? " connections=" + l.connectionsAccepted()
                            + " rejected=" + l.connectionsRejected() + " framing_errors=" + l.framingErrors() : ""));
        }
        for (Map.Entry<InetAddress, ExporterMetrics> e : m.exporters().entrySet()) {
            ExporterMetrics x = e.getValue();
            err.println("flowctl: final: exporter " + e.getKey().getHostAddress() + " datagrams=" + x.datagrams()
                    + " records=" + x.records() + " options=" + x.optionsRecords() + " counter_samples="
                    + x.counterSamples() + " errors=" + x.errorCount() + " datagrams_truncated="
                    + x.datagramsTruncated() + " allowlist_dropped=" + x.allowlistDropped()
                    + " sequence_lost=" + x.decoder().sequenceLost());
        }
        if (m.stale()) {
            err.println("flowctl: final: warning: a receiving thread did not answer; its counters are from its last"
                    + " report");
        }
    }

    private static void closeQuietly(FlowSink sink) {
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            // the configuration error is the one to report
        }
    }
}
