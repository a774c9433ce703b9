package dev.sluice.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The shared conformance corpus, found through the {@code sluice.corpus} property the parent pom sets. */
final class TestCorpus {

    private TestCorpus() {
    }

    static Path root() {
        String dir = System.getProperty("sluice.corpus");
        if (dir == null) {
            throw new IllegalStateException("system property sluice.corpus is not set (run the tests through Maven)");
        }
        Path p = Path.of(dir);
        if (!Files.isDirectory(p.resolve("logstash")) || !Files.isDirectory(p.resolve("goflow2"))) {
            throw new IllegalStateException("the shared corpus is missing at " + p.toAbsolutePath()
                    + ": it must be checked out beside the project as ../shared/corpus");
        }
        return p;
    }

    static byte[] dat(String file) {
        return read(root().resolve("logstash/dat").resolve(file));
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The logstash cases: per case, its input files in the order they are fed to one session. */
    static List<List<String>> logstashCases() {
        ObjectMapper json = new ObjectMapper();
        List<List<String>> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(root().resolve("logstash/expected"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                JsonNode c = json.readTree(f.toFile());
                List<String> inputs = new ArrayList<>();
                c.get("input_files").forEach(n -> inputs.add(n.asText()));
                cases.add(inputs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    /** The goflow2 vectors as sessions: the NetFlow v9 template and data together, every other vector alone. */
    static List<List<Path>> goflowSessions() {
        Path dir = root().resolve("goflow2/vectors");
        List<List<Path>> sessions = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(x -> x.toString().endsWith(".bin")).sorted().toList();
            List<Path> v9 = new ArrayList<>();
            for (Path p : all) {
                String name = p.getFileName().toString();
                if (name.startsWith("netflow_test__TestDecodeNetFlowV9__")) {
                    v9.add(p);
                } else {
                    sessions.add(List.of(p));
                }
            }
            v9.sort((a, b) -> a.toString().contains("template") ? -1 : b.toString().contains("template") ? 1 : 0);
            sessions.add(v9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (sessions.size() < 10) {
            throw new IllegalStateException("goflow2 vectors missing in " + dir);
        }
        return sessions;
    }
}
