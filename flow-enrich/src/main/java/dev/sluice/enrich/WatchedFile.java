package dev.sluice.enrich;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database loaded from a file and loaded again when the file changes (modification time or size, checked by a
 * daemon thread every interval): the new value is built off the receiving threads and swapped in atomically (one
 * volatile write), so stages that read {@link #get()} once per record see either the old or the new database, never a
 * mix. A failed reload (a file being written, a corrupt file) keeps the old value, is counted and logged, and is
 * retried at the next change. Replace files by renaming a complete file into place for the cleanest swap.
 *
 * <pre>{@code
 * WatchedFile<GeoIpDatabase> city = WatchedFile.watch(Path.of("GeoLite2-City.mmdb"), GeoIpDatabase::load,
 *         Duration.ofSeconds(30));
 * chain.add("geo", new GeoIpStage(city));
 * }</pre>
 */
public final class WatchedFile<T> implements Supplier<T>, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchedFile.class);

    /** Loads a value from a file. */
    @FunctionalInterface
    public interface Loader<T> {
        T load(Path file) throws IOException;
    }

    private final Path file;
    private final Loader<T> loader;
    private final ScheduledExecutorService timer;
    private volatile T value;
    private FileTime lastModified;
    private long lastSize;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private WatchedFile(Path file, Loader<T> loader, Duration interval) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.lastModified = Files.getLastModifiedTime(file);
        this.lastSize = Files.size(file);
        this.value = loader.load(file);
        if (interval == null || interval.isZero()) {
            timer = null;
        } else {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-watch-" + file.getFileName());
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(1, interval.toMillis());
            timer.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Loads the file now (failing if it cannot) and checks it for changes every {@code interval}. */
    public static <T> WatchedFile<T> watch(Path file, Loader<T> loader, Duration interval) throws IOException {
        return new WatchedFile<>(file, loader, interval);
    }

    @Override
    public T get() {
        return value;
    }

    /** Checks the file now and reloads it if it changed; answers whether a new value was swapped in. */
    public synchronized boolean check() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(lastModified) && size == lastSize) {
                return false;
            }
            T loaded = loader.load(file);
            lastModified = modified;
            lastSize = size;
            value = loaded;
            reloads.incrementAndGet();
            LOG.info("reloaded {}", file);
            return true;
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            LOG.warn("reloading {} failed; keeping the loaded version: {}", file, e.toString());
            return false;
        }
    }

    public long reloads() {
        return reloads.get();
    }

    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
