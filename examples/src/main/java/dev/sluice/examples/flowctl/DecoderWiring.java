package dev.sluice.examples.flowctl;

import java.util.Optional;

/**
 * The one place where {@code flowctl} meets the decoders: a {@link DecoderSession} per run, with decode errors
 * reported on stderr.
 */
public final class DecoderWiring {

    private DecoderWiring() {
    }

    /** The factory of the decoder session. */
    public static Optional<DatagramSinkFactory> decoderFactory() {
        return Optional.of((layout, output) -> new DecoderSession(layout, output, System.err));
    }
}
