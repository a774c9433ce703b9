package dev.sluice.core.layout;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.FlowRecord;
import java.io.IOException;

/** The Logstash layout. BEING WRITTEN: see the Logstash layout task. */
public final class LogstashLayout implements DocumentLayout {
    @Override
    public void write(FlowRecord record, JsonGenerator out) throws IOException {
        throw new UnsupportedOperationException("Logstash layout not written yet");
    }

    @Override
    public void writeOptions(FlowRecord record, JsonGenerator out) throws IOException {
        throw new UnsupportedOperationException("Logstash layout not written yet");
    }
}
