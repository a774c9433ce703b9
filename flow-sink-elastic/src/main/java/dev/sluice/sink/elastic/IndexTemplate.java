package dev.sluice.sink.elastic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ie.DataType;
import dev.sluice.core.ie.InformationElement;
import dev.sluice.core.ie.InformationElementRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;

/**
 * The body of the composable index template the sink installs ({@code PUT _index_template/<name>}): index patterns,
 * data stream or not, settings and the mappings of the layout.
 *
 * <p>ECS layout: the ECS fields the layout writes with their types ({@code ip}, {@code geo_point}, {@code keyword},
 * {@code long}, {@code double}, {@code date}), from {@code ecs-mappings.json}, plus one field per known information
 * element under {@code netflow.*}, typed by the element's abstract data type (numbers {@code long}, floats
 * {@code double}, addresses {@code ip}, times {@code date}; strings, MAC addresses and octet arrays {@code keyword}),
 * with {@code ignore_malformed} on the typed ones: a vendor field whose value does not fit its type (an unsigned64
 * above 2^63-1, an over-long number) is left unindexed (listed in {@code _ignored}) instead of costing the whole
 * flow document. Logstash layout: the codec's address and
 * time fields typed, the rest dynamic. In both, other strings become {@code keyword} (not {@code text}).
 */
final class IndexTemplate {

    /** Group names the ECS layout writes under {@code netflow} itself; elements of these names go to {@code _2}. */
    private static final Set<String> ECS_NETFLOW_GROUPS = Set.of("type", "exporter", "scope", "options");

    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexTemplate() {
    }

    /**
     * @param pattern the index pattern ({@code sluice-flows-*} or the data stream name)
     * @param dataStream whether matching names become data streams
     * @param layout {@code ecs} or {@code logstash}
     * @param shards primary shards, or 0 to leave the cluster's default
     * @param replicas replicas, or -1 to leave the cluster's default
     * @param retention data stream retention (data stream lifecycle), or null
     * @param ilmPolicy the ILM policy the indices use, or null
     * @param priority the template's priority (above the built-in {@code logs-*-*} template's 100)
     */
    static String body(String pattern, boolean dataStream, String layout, int shards, int replicas,
            Duration retention, String ilmPolicy, int priority) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("index_patterns").add(pattern);
        root.put("priority", priority);
        if (dataStream) {
            root.putObject("data_stream");
        }
        ObjectNode template = root.putObject("template");
        ObjectNode settings = template.putObject("settings");
        if (shards > 0) {
            settings.put("index.number_of_shards", shards);
        }
        if (replicas >= 0) {
            settings.put("index.number_of_replicas", replicas);
        }
        settings.put("index.mapping.total_fields.limit", 10000);
        if (ilmPolicy != null) {
            settings.put("index.lifecycle.name", ilmPolicy);
        }
        if (retention != null) {
            template.putObject("lifecycle").put("data_retention", retention.toSeconds() + "s");
        }
        template.set("mappings", mappings(layout));
        root.putObject("_meta").put("description", "Sluice flow documents (" + layout + " layout)")
                .put("managed_by", "sluice");
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mappings for a layout: its fixed fields, and for ECS every known information element. */
    static ObjectNode mappings(String layout) {
        ObjectNode mappings = resource(layout + "-mappings.json");
        ObjectNode netflow = (ObjectNode) mappings.with("properties").with("netflow").with("properties");
        for (InformationElement e : InformationElementRegistry.standard().all()) {
            if (!e.isKnown() || e.dataType() == null) {
                continue;
            }
            if (layout.equals("ecs")) {
                String name = e.snakeCaseName();
                if (ECS_NETFLOW_GROUPS.contains(name) || netflow.has(name) || name.indexOf('.') >= 0) {
                    continue;
                }
                netflow.set(name, fieldType(e.dataType()));
            } else if (isAddress(e.dataType()) && !netflow.has(e.name())) {
                netflow.set(e.name(), JSON.createObjectNode().put("type", "ip")); // the codec's IPFIX names
            }
        }
        return mappings;
    }

    private static boolean isAddress(DataType t) {
        return t == DataType.IPV4_ADDRESS || t == DataType.IPV6_ADDRESS;
    }

    private static ObjectNode fieldType(DataType t) {
        ObjectNode f = JSON.createObjectNode();
        switch (t) {
            case UNSIGNED64:
            case UNSIGNED8:
            case UNSIGNED16:
            case UNSIGNED32:
            case SIGNED8:
            case SIGNED16:
            case SIGNED32:
            case SIGNED64:
                return f.put("type", "long").put("ignore_malformed", true);
            case FLOAT32:
            case FLOAT64:
                return f.put("type", "double").put("ignore_malformed", true);
            case BOOLEAN:
                return f.put("type", "boolean");
            case IPV4_ADDRESS:
            case IPV6_ADDRESS:
                return f.put("type", "ip").put("ignore_malformed", true);
            case DATE_TIME_SECONDS:
            case DATE_TIME_MILLISECONDS:
            case DATE_TIME_MICROSECONDS:
            case DATE_TIME_NANOSECONDS:
                return f.put("type", "date").put("ignore_malformed", true);
            default:
                return f.put("type", "keyword").put("ignore_above", 1024);
        }
    }

    private static ObjectNode resource(String name) {
        try (InputStream in = IndexTemplate.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no mappings for layout resource " + name);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
