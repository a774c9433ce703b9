package dev.sluice.core.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.core.ie.InformationElement;
import dev.sluice.core.ie.InformationElementRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the Logstash codec's own definitions from the shared corpus and checks that every entry it names is in
 * {@link LogstashFieldNames} with the same name and type, and in the {@link InformationElementRegistry}.
 */
class LogstashFieldNamesCorpusTest {

    private final LogstashFieldNames names = LogstashFieldNames.standard();
    private final InformationElementRegistry registry = InformationElementRegistry.standard();

    @Test
    void everyNetflowYamlEntryIsKnown() throws IOException {
        Map<?, ?> netflow = load("netflow.yaml");
        assertThat(netflow).hasSizeGreaterThan(400);
        int named = 0;
        for (Map.Entry<?, ?> entry : netflow.entrySet()) {
            int type = ((Number) entry.getKey()).intValue();
            Codec codec = Codec.of(entry.getValue());
            LogstashField field = names.netflowV9(type);
            assertThat(field).as("v9 type %d", type).isNotNull();
            if (codec.skip()) {
                assertThat(field.isSkip()).as("v9 type %d skip", type).isTrue();
                continue;
            }
            named++;
            assertThat(field).as("v9 type %d", type).isEqualTo(new LogstashField(codec.name(), codec.type()));
            InformationElement element = registry.netflowV9(type);
            assertThat(element.isKnown()).as("registry knows v9 type %d (%s)", type, codec.name()).isTrue();
            if (registry.ipfix(0, type) != element) {
                assertThat(element.name()).as("v9 vendor type %d", type).isEqualTo(codec.name());
            }
        }
        assertThat(named).isGreaterThan(400);
    }

    @Test
    void everyIpfixYamlEntryIsKnown() throws IOException {
        Map<?, ?> ipfix = load("ipfix.yaml");
        assertThat(ipfix.keySet()).hasSizeGreaterThanOrEqualTo(10);
        int named = 0;
        for (Map.Entry<?, ?> enterprise : ipfix.entrySet()) {
            long pen = ((Number) enterprise.getKey()).longValue();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) enterprise.getValue()).entrySet()) {
                int id = ((Number) entry.getKey()).intValue();
                Codec codec = Codec.of(entry.getValue());
                LogstashField field = names.ipfix(pen, id);
                assertThat(field).as("ipfix %d/%d", pen, id).isNotNull();
                if (codec.skip()) {
                    assertThat(field.isSkip()).as("ipfix %d/%d skip", pen, id).isTrue();
                    continue;
                }
                named++;
                assertThat(field).as("ipfix %d/%d", pen, id).isEqualTo(new LogstashField(codec.name(), codec.type()));
                InformationElement element = registry.ipfix(pen, id);
                assertThat(element.isKnown()).as("registry knows %d/%d (%s)", pen, id, codec.name()).isTrue();
                assertThat(element.name()).as("registry name of %d/%d", pen, id).isEqualTo(codec.name());
            }
        }
        assertThat(named).isGreaterThan(1300);
    }

    /** One codec definition: {@code [type, name]} or {@code [:skip]}; symbols are written with a leading colon. */
    private record Codec(String type, String name) {
        static Codec of(Object definition) {
            List<?> list = (List<?>) definition;
            String type = symbol(list.get(0));
            if (type.equals("skip")) {
                return new Codec(type, null);
            }
            assertThat(list).as("definition %s", list).hasSize(2);
            return new Codec(type, symbol(list.get(1)));
        }

        boolean skip() {
            return name == null;
        }

        private static String symbol(Object value) {
            String text = String.valueOf(value);
            return text.startsWith(":") ? text.substring(1) : text;
        }
    }

    private static Map<?, ?> load(String file) throws IOException {
        String corpus = System.getProperty("sluice.corpus");
        if (corpus == null || corpus.isBlank()) {
            fail("system property sluice.corpus is not set: run the tests through Maven (the parent pom sets it)");
        }
        Path path = Path.of(corpus, "logstash", file);
        if (!Files.isRegularFile(path)) {
            fail("corpus file missing: " + path.toAbsolutePath());
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            assertThat(loaded).as(file).isInstanceOf(Map.class);
            return (Map<?, ?>) loaded;
        }
    }
}
