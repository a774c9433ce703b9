package dev.sluice.examples.flowctl;

import dev.sluice.core.enrich.EnrichmentChain;
import java.io.IOException;

/** Opens the decoder session of one {@code flowctl decode} run. */
@FunctionalInterface
public interface DatagramSinkFactory {

    /**
     * @param layout the document layout the user asked for
     * @param output where the session writes its NDJSON documents (stdout)
     */
    DatagramSink open(OutputLayout layout, NdjsonOutput output) throws IOException;

    /**
     * Opens a session that runs {@code enrichment} on every flow record before writing it. The default refuses an
     * enrichment chain (a session that cannot enrich must not pretend to) and otherwise calls
     * {@link #open(OutputLayout, NdjsonOutput)}.
     *
     * @param enrichment the chain from the enrichment options, or null when none was asked for
     * @throws IOException also when this factory's sessions cannot enrich
     */
    default DatagramSink open(OutputLayout layout, NdjsonOutput output, EnrichmentChain enrichment)
            throws IOException {
        if (enrichment != null) {
            throw new IOException("this decoder session does not run enrichment");
        }
        return open(layout, output);
    }
}
