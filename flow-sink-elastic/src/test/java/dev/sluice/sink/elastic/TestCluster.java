package dev.sluice.sink.elastic;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.testing.ElasticsearchNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Elasticsearch nodes of this module's tests, started once per test JVM: 8.19 on the JDK running the tests,
 * and 9.x on Temurin 25 where the machine has it (the 9.x tests are skipped, saying why, where it has not).
 */
final class TestCluster {

    private static ElasticsearchNode es8;
    private static ElasticsearchNode es9;

    private TestCluster() {
    }

    static synchronized ElasticsearchNode es8() {
        if (es8 == null) {
            es8 = start(property("sluice.es8.home"), Path.of(System.getProperty("java.home")));
        }
        return es8;
    }

    static synchronized ElasticsearchNode es9() {
        Path java = Path.of(property("sluice.es9.java"));
        assumeTrue(Files.isExecutable(java.resolve("bin/java")),
                "Elasticsearch 9 needs Java 21+; no JDK at " + java + ", so the 9.x tests are skipped");
        if (es9 == null) {
            es9 = start(property("sluice.es9.home"), java);
        }
        return es9;
    }

    private static ElasticsearchNode start(String home, Path java) {
        try {
            return ElasticsearchNode.start(Path.of(home), java);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Elasticsearch test node from " + home, e);
        }
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null) {
            throw new IllegalStateException("system property " + name + " is not set (the module's pom sets it)");
        }
        return v;
    }
}
