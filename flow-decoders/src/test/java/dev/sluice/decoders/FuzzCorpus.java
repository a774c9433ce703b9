package dev.sluice.decoders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzing seeds: every NetFlow/IPFIX datagram of the shared corpus (logstash {@code dat/*.dat} and the goflow2
 * NetFlow vectors), each with the datagrams that carry the templates it needs ({@code needs_templates_from} in
 * the logstash index). Fails loudly when the corpus is missing.
 */
final class FuzzCorpus {

    /** A datagram to mutate, and what must be fed before it. */
    record Seed(String name, List<byte[]> preamble, byte[] packet) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<Seed> seeds;

    private FuzzCorpus() {
    }

    static synchronized List<Seed> seeds() {
        if (seeds == null) {
            seeds = load();
        }
        return seeds;
    }

    private static List<Seed> load() {
        List<Seed> out = new ArrayList<>();
        try {
            JsonNode index = new ObjectMapper().readTree(Corpus.logstash("index.json").toFile());
            for (JsonNode entry : index) {
                int version = entry.path("version").asInt();
                if (version != 5 && version != 9 && version != 10) {
                    continue;
                }
                List<byte[]> pre = new ArrayList<>();
                for (JsonNode need : entry.path("needs_templates_from")) {
                    pre.add(Corpus.dat(need.asText()));
                }
                String file = entry.get("file").asText();
                out.add(new Seed("logstash/" + file, pre, Corpus.dat(file)));
            }
            Path vectors = Corpus.root().resolve("goflow2/vectors");
            byte[] v9Template = Files.readAllBytes(vectors.resolve("netflow_test__TestDecodeNetFlowV9__template__L14.bin"));
            out.add(new Seed("goflow2/v9 template", List.of(), v9Template));
            out.add(new Seed("goflow2/v9 data", List.of(v9Template),
                    Files.readAllBytes(vectors.resolve("netflow_test__TestDecodeNetFlowV9__data__L118.bin"))));
            out.add(new Seed("goflow2/v5 data", List.of(),
                    Files.readAllBytes(vectors.resolve("netflow_test__TestDecodeNetFlowV5__data__L11.bin"))));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the shared corpus", e);
        }
        if (out.size() < 90) {
            throw new IllegalStateException("the shared corpus holds only " + out.size() + " NetFlow/IPFIX seeds");
        }
        return List.copyOf(out);
    }
}
