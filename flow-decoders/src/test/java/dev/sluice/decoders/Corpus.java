package dev.sluice.decoders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared conformance corpus, found through the {@code sluice.corpus} property the parent pom sets. */
final class Corpus {

    private Corpus() {
    }

    static Path root() {
        String dir = System.getProperty("sluice.corpus");
        if (dir == null) {
            throw new IllegalStateException("system property sluice.corpus is not set (run the tests through Maven)");
        }
        Path p = Path.of(dir);
        if (!Files.isDirectory(p.resolve("logstash"))) {
            throw new IllegalStateException("the shared corpus is missing at " + p.toAbsolutePath()
                    + ": it must be checked out beside the project as ../shared/corpus");
        }
        return p;
    }

    static Path logstash(String name) {
        return root().resolve("logstash").resolve(name);
    }

    static byte[] dat(String file) {
        try {
            return Files.readAllBytes(root().resolve("logstash/dat").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
