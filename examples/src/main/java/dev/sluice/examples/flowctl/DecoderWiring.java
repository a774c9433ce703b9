package dev.sluice.examples.flowctl;

import dev.sluice.core.enrich.EnrichmentChain;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The one place where {@code flowctl} meets the decoders: a {@link DecoderSession} per run (enriching the records
 * when an enrichment chain is given), with decode errors reported on stderr.
 */
public final class DecoderWiring {

    private DecoderWiring() {
    }

    /** Decoder sessions that report decode errors on {@code err}. */
    static DatagramSinkFactory sessions(PrintStream err) {
        return new DatagramSinkFactory() {
            @Override
            public DatagramSink open(OutputLayout layout, NdjsonOutput output) throws IOException {
                return new DecoderSession(layout, output, err, null);
            }

            @Override
            public DatagramSink open(OutputLayout layout, NdjsonOutput output, EnrichmentChain enrichment)
                    throws IOException {
                return new DecoderSession(layout, output, err, enrichment);
            }
        };
    }
}
