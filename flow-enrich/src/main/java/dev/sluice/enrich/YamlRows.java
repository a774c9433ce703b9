package dev.sluice.enrich;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The YAML form of the dictionary files: a list of mappings, either at the top of the document or under one key
 * ({@code exporters:}, {@code interfaces:}, {@code networks:}). Read with SnakeYAML's safe constructor (plain maps,
 * lists, strings and numbers only). Every problem is an {@link IOException} naming the file and the entry.
 */
final class YamlRows {

    private final Path file;

    private YamlRows(Path file) {
        this.file = file;
    }

    /** Whether the file is YAML by its name ({@code .yaml}, {@code .yml}); anything else is read as CSV. */
    static boolean isYaml(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** The entries of the file: the top-level list, or the list under {@code key}. */
    static List<Entry> read(Path file, String key) throws IOException {
        return new YamlRows(file).entries(key);
    }

    private List<Entry> entries(String key) throws IOException {
        Object doc;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (YAMLException e) {
            throw new IOException(file + ": not valid YAML: " + e.getMessage().replace('\n', ' '), e);
        }
        if (doc == null) {
            return List.of();
        }
        if (doc instanceof Map && ((Map<?, ?>) doc).size() == 1 && ((Map<?, ?>) doc).containsKey(key)) {
            doc = ((Map<?, ?>) doc).get(key);
        }
        if (!(doc instanceof List)) {
            throw new IOException(file + ": expected a list of entries (or '" + key + ":' holding one)");
        }
        List<Entry> out = new ArrayList<>();
        int n = 0;
        for (Object o : (List<?>) doc) {
            n++;
            if (!(o instanceof Map)) {
                throw new IOException(file + ": entry " + n + " is not a mapping of keys to values");
            }
            out.add(new Entry(file + ": entry " + n, (Map<?, ?>) o));
        }
        return out;
    }

    /** One mapping of the list, with typed access that names the entry in its errors. */
    static final class Entry {
        final String where;
        private final Map<?, ?> map;

        Entry(String where, Map<?, ?> map) {
            this.where = where;
            this.map = map;
        }

        /** A scalar as text (numbers too), or null when absent. */
        String string(String key) throws IOException {
            Object v = map.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof Map || v instanceof List) {
                throw new IOException(where + ": '" + key + "' must be a single value");
            }
            return v.toString().strip();
        }

        /** A scalar that must be there. */
        String required(String key) throws IOException {
            String v = string(key);
            if (v == null || v.isEmpty()) {
                throw new IOException(where + ": '" + key + "' is missing");
            }
            return v;
        }

        /** A whole number that must be there. */
        long number(String key) throws IOException {
            String v = required(key);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IOException(where + ": '" + key + "' is not a whole number: " + v);
            }
        }

        /** A list of scalars (a single scalar is a list of one); empty when absent. */
        List<String> list(String key) throws IOException {
            Object v = map.get(key);
            List<String> out = new ArrayList<>();
            if (v == null) {
                return out;
            }
            if (v instanceof Map) {
                throw new IOException(where + ": '" + key + "' must be a list");
            }
            for (Object o : v instanceof List ? (List<?>) v : List.of(v)) {
                if (o == null || o instanceof Map || o instanceof List) {
                    throw new IOException(where + ": '" + key + "' must be a list of single values");
                }
                out.add(o.toString().strip());
            }
            return out;
        }

        /** A mapping of scalars as {@code key=value} strings (the CSV label form); empty when absent. */
        List<String> labels(String key) throws IOException {
            Object v = map.get(key);
            List<String> out = new ArrayList<>();
            if (v == null) {
                return out;
            }
            if (!(v instanceof Map)) {
                throw new IOException(where + ": '" + key + "' must be a mapping (key: value)");
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (e.getValue() instanceof Map || e.getValue() instanceof List || e.getKey() == null) {
                    throw new IOException(where + ": '" + key + "' must map keys to single values");
                }
                out.add(e.getKey() + "=" + (e.getValue() == null ? "" : e.getValue()));
            }
            return out;
        }

        /** The nested entries under {@code key} (a list of mappings), or null when absent. */
        List<Entry> entries(String key) throws IOException {
            Object v = map.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof List)) {
                throw new IOException(where + ": '" + key + "' must be a list");
            }
            List<Entry> out = new ArrayList<>();
            int n = 0;
            for (Object o : (List<?>) v) {
                n++;
                if (!(o instanceof Map)) {
                    throw new IOException(where + ": " + key + " entry " + n + " is not a mapping");
                }
                out.add(new Entry(where + ", " + key + " entry " + n, (Map<?, ?>) o));
            }
            return out;
        }
    }
}
