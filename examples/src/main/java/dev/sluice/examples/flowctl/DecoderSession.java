package dev.sluice.examples.flowctl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.layout.DocumentLayout;
import dev.sluice.decoders.DecoderStatistics;
import dev.sluice.decoders.FlowDecoder;
import dev.sluice.examples.capture.UdpDatagram;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoder session behind {@code flowctl decode}: one {@link FlowDecoder} for all files, each flow record,
 * options record and sFlow counter sample rendered with the chosen {@link DocumentLayout} as one NDJSON line
 * ({@link DocumentLayout#write}, {@link DocumentLayout#writeOptions}, {@link DocumentLayout#writeCounters}), in the
 * order the decoder delivers them; with an {@link EnrichmentChain} every flow record is enriched first (one reused
 * {@link FlowEvent}) and written with the event. Decode errors go to stderr, one line each, and are counted.
 */
final class DecoderSession implements DatagramSink, FlowHandler {

    private final FlowDecoder decoder = new FlowDecoder();
    private final DocumentLayout layout;
    private final NdjsonOutput output;
    private final JsonGenerator json;
    private final PrintStream err;
    private final EnrichmentChain enrichment;
    private final FlowEvent event;
    private long lastMillis;

    /** @param enrichment run on every flow record before it is written, or null */
    DecoderSession(OutputLayout layout, NdjsonOutput output, PrintStream err, EnrichmentChain enrichment)
            throws IOException {
        this.layout = DocumentLayout.named(layout.cliName());
        this.output = output;
        this.err = err;
        this.enrichment = enrichment;
        this.event = enrichment == null ? null : new FlowEvent();
        this.json = new JsonFactory().createGenerator(output.stream());
        this.json.setRootValueSeparator(null);
    }

    @Override
    public void accept(InetAddress exporter, int exporterPort, long timestampMillis, ByteBuf payload)
            throws IOException {
        long now = timestampMillis == UdpDatagram.UNKNOWN_TIME ? System.currentTimeMillis() : timestampMillis;
        lastMillis = now;
        try {
            decoder.decode(payload, exporter, now, this);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void onRecord(FlowRecord record) {
        try {
            if (enrichment == null) {
                layout.write(record, json);
            } else if (enrichment.process(record, event)) {
                layout.write(record, event, json);
            } else {
                return; // dropped by a filter stage
            }
            json.flush();
            output.endDocument();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onOptions(FlowRecord record) {
        try {
            layout.writeOptions(record, json);
            json.flush();
            output.endDocument();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onCounters(InterfaceCounters counters) {
        try {
            layout.writeCounters(counters, json);
            json.flush();
            output.endDocument();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onError(DecodeError error) {
        err.println("flowctl: decode error: " + error);
    }

    @Override
    public Map<String, Long> counters() {
        return counters(decoder.statistics());
    }

    @Override
    public Map<String, Map<String, Long>> exporterCounters() {
        Map<String, Map<String, Long>> m = new LinkedHashMap<>();
        decoder.exporterStatistics().forEach((address, s) -> m.put(address.getHostAddress(), counters(s)));
        return m;
    }

    private static Map<String, Long> counters(DecoderStatistics s) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packets", s.packets());
        m.put("bytes", s.bytes());
        m.put("records", s.records());
        m.put("options_records", s.optionsRecords());
        m.put("templates", s.templates());
        m.put("templates_active", s.activeTemplates());
        m.put("templates_withdrawn", s.templatesWithdrawn());
        m.put("template_misses", s.templateMisses());
        m.put("pending_sets", s.pendingSets());
        m.put("pending_records_decoded", s.pendingRecords());
        m.put("counter_samples", s.counterSamples());
        m.put("drop_samples", s.dropSamples());
        m.put("skipped_formats", s.skippedFormats());
        m.put("sequence_gaps", s.sequenceGaps());
        m.put("sequence_lost", s.sequenceLost());
        m.put("errors", s.errorCount());
        s.errors().forEach((reason, n) -> m.put("errors." + reason.name().toLowerCase(java.util.Locale.ROOT), n));
        return m;
    }

    /** Data still waiting for a template at the end of the input will never be decoded: say so. */
    @Override
    public void close() throws IOException {
        long pending = decoder.statistics().pendingSets();
        if (pending > 0) {
            err.println("flowctl: " + pending + " data set(s) never saw their template and were not decoded");
        }
        decoder.expirePending(lastMillis + decoder.limits().maxPendingAgeMillis() + 1, this);
        json.flush();
    }
}
