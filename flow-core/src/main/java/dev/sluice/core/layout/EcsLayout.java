package dev.sluice.core.layout;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.FlowRecord;
import java.io.IOException;

/** The ECS layout. BEING WRITTEN: see the ECS layout task. */
public final class EcsLayout implements DocumentLayout {
    @Override
    public void write(FlowRecord record, JsonGenerator out) throws IOException {
        throw new UnsupportedOperationException("ECS layout not written yet");
    }

    @Override
    public void writeOptions(FlowRecord record, JsonGenerator out) throws IOException {
        throw new UnsupportedOperationException("ECS layout not written yet");
    }
}
