package dev.sluice.collector;

import dev.sluice.decoders.TemplateDefinition;
import java.io.IOException;
import java.util.List;

/**
 * Keeps NetFlow v9 and IPFIX templates across restarts, so that a restarted collector decodes data at once
 * instead of waiting for the exporters' next template refresh. The collector loads the store at start into every
 * UDP receiving thread's decoder, and saves it periodically and at shutdown. IPFIX-over-TCP templates belong to
 * their connection and are not stored.
 */
public interface TemplateStore {

    /**
     * The templates saved last; empty when there are none yet.
     *
     * @throws IOException when the store cannot be read or its content is corrupt; the collector reports it,
     *     counts it and starts without stored templates
     */
    List<TemplateDefinition> load() throws IOException;

    /** Replaces what is stored with {@code templates}. Failures are reported and counted by the collector. */
    void save(List<TemplateDefinition> templates) throws IOException;
}
