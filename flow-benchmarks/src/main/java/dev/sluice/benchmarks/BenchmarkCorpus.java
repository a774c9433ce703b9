package dev.sluice.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared conformance corpus, found through the {@code sluice.corpus} system property; without it,
 * {@code ../shared/corpus} relative to the working directory, which is right when the benchmarks are run from
 * the repository's root. A missing corpus fails the benchmark's setup; it is never skipped.
 */
final class BenchmarkCorpus {

    static final String PROPERTY = "sluice.corpus";
    static final String DEFAULT = "../shared/corpus";

    private BenchmarkCorpus() {
    }

    static Path root() {
        Path p = Path.of(System.getProperty(PROPERTY, DEFAULT));
        if (!Files.isDirectory(p.resolve("logstash/dat"))) {
            throw new IllegalStateException("the shared corpus is missing at " + p.toAbsolutePath().normalize()
                    + ": run from the repository's root (it must sit beside it as ../shared/corpus) or pass -D"
                    + PROPERTY + "=/path/to/corpus");
        }
        return p;
    }

    /** The bytes of one {@code logstash/dat} file. */
    static byte[] logstashDat(String file) {
        return read("logstash/dat", file);
    }

    /** The bytes of one {@code goflow2/vectors} file. */
    static byte[] goflow2Vector(String file) {
        return read("goflow2/vectors", file);
    }

    private static byte[] read(String dir, String file) {
        try {
            return Files.readAllBytes(root().resolve(dir).resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
