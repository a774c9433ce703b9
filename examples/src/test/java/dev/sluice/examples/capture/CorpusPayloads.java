package dev.sluice.examples.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real export payloads from the shared corpus, found through the {@code sluice.corpus} system property that the
 * parent pom hands to surefire. Missing corpus is an error, not a reason to skip.
 */
final class CorpusPayloads {

    /** 1728 bytes: 12 concatenated NetFlow v5 packets. */
    static final String NETFLOW5 = "netflow5.dat";
    /** 3 IPFIX messages. */
    static final String IPFIX = "ipfix.dat";
    /** A NetFlow v9 template packet from a Cisco ASR1001-X, 1468 bytes. */
    static final String NETFLOW9_TEMPLATE = "netflow9_cisco_asr1001x_tpl259.dat";
    /** NetFlow v9 data from a Juniper SRX. */
    static final String NETFLOW9_SRX = "netflow9_test_juniper_srx_tplopt.dat";
    /** IPFIX data from a Mikrotik router. */
    static final String IPFIX_MIKROTIK = "ipfix_test_mikrotik_data258.dat";

    private CorpusPayloads() {
    }

    /** The corpus root. */
    static Path root() {
        String property = System.getProperty("sluice.corpus");
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("system property sluice.corpus is not set: run the tests through Maven"
                    + " (the parent pom hands it to surefire) or pass -Dsluice.corpus=/path/to/shared/corpus");
        }
        Path root = Paths.get(property);
        if (!Files.isDirectory(root.resolve("logstash/dat"))) {
            throw new IllegalStateException("the flow corpus is missing: no directory " + root.resolve("logstash/dat")
                    + " (sluice.corpus=" + property + ")");
        }
        return root;
    }

    /** A logstash corpus payload file. */
    static Path path(String name) {
        Path path = root().resolve("logstash/dat").resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("corpus file missing: " + path);
        }
        return path;
    }

    /** The bytes of a logstash corpus payload file. */
    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every raw payload file of the corpus ({@code logstash/dat/*.dat}, {@code goflow2/vectors/*.bin}). */
    static List<Path> allPayloadFiles() {
        Path root = root();
        try (Stream<Path> dat = Files.list(root.resolve("logstash/dat"));
                Stream<Path> bin = Files.list(root.resolve("goflow2/vectors"))) {
            return Stream.concat(dat.filter(p -> p.toString().endsWith(".dat")),
                            bin.filter(p -> p.toString().endsWith(".bin")))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
