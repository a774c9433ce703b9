package dev.sluice.examples.flowctl;

import java.util.Optional;

/**
 * The one place where {@code flowctl} meets the decoders.
 *
 * <p>Until {@link #decoderFactory()} returns a factory, {@code flowctl decode} fails with "decoder not wired"
 * (exit code 70) instead of pretending to decode. To wire it, return a factory that builds one decoder
 * session (flow-decoders) writing records through the chosen layout (flow-core) to the given output. A sketch
 * (the handler has to carry the generator's {@code IOException} out, e.g. as {@code UncheckedIOException}):
 * <pre>{@code
 * return Optional.of((layout, output) -> {
 *     FlowDecoder decoder = new FlowDecoder();
 *     DocumentLayout document = DocumentLayout.named(layout.cliName());
 *     JsonGenerator json = new JsonFactory().createGenerator(output.stream());
 *     json.setRootValueSeparator(null);             // NdjsonOutput writes the newlines
 *     FlowHandler handler = record -> { document.write(record, json); json.flush(); output.endDocument(); };
 *     return (exporter, port, millis, payload) -> decoder.decode(payload, exporter,
 *             millis == UdpDatagram.UNKNOWN_TIME ? System.currentTimeMillis() : millis, handler);
 * });
 * }</pre>
 */
public final class DecoderWiring {

    private DecoderWiring() {
    }

    /** The factory of the decoder session, or empty while no decoder is wired. */
    public static Optional<DatagramSinkFactory> decoderFactory() {
        return Optional.empty();
    }
}
