package dev.sluice.core.layout;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.FlowEvent;
import java.io.IOException;

/**
 * Renders a flow record, an options record or a set of interface counters as one JSON document. One
 * implementation per layout serves every sink and {@code flowctl}: the ECS layout ({@link EcsLayout}) and the
 * Logstash-codec-compatible one ({@link LogstashLayout}).
 *
 * <p>Implementations write straight into the generator (no intermediate maps), keep no per-record
 * allocation on the common path, and are not thread-safe: use one instance per thread.
 */
public interface DocumentLayout {

    /** Writes the record as one complete JSON object, without enrichment. */
    void write(FlowRecord record, JsonGenerator out) throws IOException;

    /**
     * Writes the record with what the enrichment stages put into {@code event} (null: none), as one complete JSON
     * object. Each layout documents where the event's slots go. The default ignores the event.
     */
    default void write(FlowRecord record, FlowEvent event, JsonGenerator out) throws IOException {
        write(record, out);
    }

    /** Writes an options data record (exporter metadata) as one complete JSON object. */
    void writeOptions(FlowRecord record, JsonGenerator out) throws IOException;

    /**
     * Writes interface counters (an sFlow counter sample, see {@link dev.sluice.core.FlowHandler#onCounters}) as one
     * complete JSON object. Each layout documents the shape it gives them.
     */
    void writeCounters(InterfaceCounters counters, JsonGenerator out) throws IOException;

    /** The layout for a name: {@code ecs} or {@code logstash}. */
    static DocumentLayout named(String name) {
        switch (name) {
            case "ecs":
                return new EcsLayout();
            case "logstash":
                return new LogstashLayout();
            default:
                throw new IllegalArgumentException("unknown layout '" + name + "' (expected ecs or logstash)");
        }
    }
}
