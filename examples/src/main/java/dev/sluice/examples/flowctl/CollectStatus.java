package dev.sluice.examples.flowctl;

import dev.sluice.collector.CollectorMetrics;
import dev.sluice.collector.ExporterMetrics;
import dev.sluice.collector.SinkMetrics;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The live status of {@code flowctl collect --status}: flows/s, exporters, errors, drops.
 *
 * <p>On a terminal one line is redrawn in place ({@code \r}) once a second; when standard error is not a
 * terminal (a log file) a plain line is printed every ten seconds instead, so that logs stay readable. It runs on
 * a daemon thread of its own and reads {@link dev.sluice.collector.FlowCollector#metrics()}, which asks every
 * receiving thread for its counters (cheap at this rate).
 */
final class CollectStatus implements AutoCloseable {

    /** Refresh period on a terminal. */
    static final long TERMINAL_PERIOD_MILLIS = 1_000;
    /** Period of plain lines when standard error is not a terminal. */
    static final long LOG_PERIOD_MILLIS = 10_000;

    private final Supplier<CollectorMetrics> metrics;
    private final PrintStream err;
    private final boolean terminal;
    private final long periodMillis;
    private final Thread thread;
    private final Object lock;
    private int lastWidth;
    private volatile boolean stopped;

    /**
     * @param metrics where the counters come from
     * @param err where the status goes
     * @param terminal whether {@code err} is a terminal ({@code \r} redraws) or a log (plain lines)
     * @param periodMillis how often; 0 for the default of the mode
     * @param lock held while a line is printed, so that other stderr messages do not cut into it
     */
    CollectStatus(Supplier<CollectorMetrics> metrics, PrintStream err, boolean terminal, long periodMillis,
            Object lock) {
        this.metrics = metrics;
        this.err = err;
        this.terminal = terminal;
        this.periodMillis = periodMillis > 0 ? periodMillis : terminal ? TERMINAL_PERIOD_MILLIS : LOG_PERIOD_MILLIS;
        this.lock = lock;
        this.thread = new Thread(this::loop, "flowctl-status");
        this.thread.setDaemon(true);
    }

    CollectStatus start() {
        thread.start();
        return this;
    }

    private void loop() {
        CollectorMetrics previous = metrics.get();
        while (!stopped) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (stopped) {
                return;
            }
            CollectorMetrics now;
            try {
                now = metrics.get();
            } catch (RuntimeException e) {
                return; // the collector is closing
            }
            print(line(previous, now));
            previous = now;
        }
    }

    private void print(String line) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (terminal) {
                int pad = Math.max(0, lastWidth - line.length());
                err.print("\r" + line + " ".repeat(pad));
                lastWidth = line.length();
            } else {
                err.println(line);
            }
            err.flush();
        }
    }

    /** Stops refreshing and, on a terminal, clears the status line so that what follows starts clean. */
    @Override
    public void close() {
        synchronized (lock) {
            stopped = true;
            if (terminal && lastWidth > 0) {
                err.print("\r" + " ".repeat(lastWidth) + "\r");
                err.flush();
                lastWidth = 0;
            }
        }
        thread.interrupt();
    }

    /** The status line for the interval between two snapshots. */
    static String line(CollectorMetrics before, CollectorMetrics now) {
        ExporterMetrics t = now.total();
        long millis = Math.max(1, now.takenAtMillis() - before.takenAtMillis());
        double flowsPerSecond = (t.records() - before.total().records()) * 1000.0 / millis;
        long exporters = now.exporters().values().stream().filter(e -> e.datagrams() > 0).count();
        long errors = errors(now);
        long sinkDrops = 0;
        for (SinkMetrics s : now.sinks()) {
            sinkDrops += s.policyDropped() + s.sink().dropped();
        }
        long kernel = Math.max(0, now.kernelDrops());
        long drops = kernel + t.allowlistDropped() + sinkDrops;
        return String.format(Locale.ROOT,
                "flowctl: %s flows/s | %d exporter%s | %s errors | %s drops (kernel %s%s, allowlist %s, sink %s) | %s"
                        + " flows in total%s",
                grouped(Math.round(flowsPerSecond)), exporters, exporters == 1 ? "" : "s", grouped(errors),
                grouped(drops), grouped(kernel), now.kernelDrops() < 0 ? " unknown" : "",
                grouped(t.allowlistDropped()), grouped(sinkDrops), grouped(t.records()), now.stale() ? " (stale)" : "");
    }

    /** Decode errors, transport (TCP framing) errors, processor errors, truncated datagrams and sink failures. */
    static long errors(CollectorMetrics m) {
        ExporterMetrics t = m.total();
        long sinkFailed = 0;
        for (SinkMetrics s : m.sinks()) {
            sinkFailed += s.sink().failed() + s.exceptions();
        }
        return t.errorCount() + t.transportErrors() + t.processorErrors() + t.datagramsTruncated() + sinkFailed;
    }

    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * Whether this process's standard error is a terminal. Linux: {@code /proc/self/fd/2} links to a tty or pty;
     * elsewhere the answer of {@link System#console()} (which also needs stdin and stdout to be terminals).
     */
    static boolean stderrIsTerminal() {
        try {
            Path fd = Path.of("/proc/self/fd/2");
            if (Files.exists(fd.getParent())) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            }
        } catch (java.io.IOException | RuntimeException e) {
            // fall through
        }
        return System.console() != null;
    }
}
