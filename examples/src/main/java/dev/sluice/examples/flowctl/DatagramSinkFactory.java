package dev.sluice.examples.flowctl;

import java.io.IOException;

/** Opens the decoder session of one {@code flowctl decode} run. */
@FunctionalInterface
public interface DatagramSinkFactory {

    /**
     * @param layout the document layout the user asked for
     * @param output where the session writes its NDJSON documents (stdout)
     */
    DatagramSink open(OutputLayout layout, NdjsonOutput output) throws IOException;
}
