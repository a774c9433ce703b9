package dev.sluice.decoders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CorpusSmokeTest {
    @Test
    void printCounts() throws Exception {
        ObjectMapper om = new ObjectMapper();
        try (Stream<Path> s = Files.list(Corpus.logstash("expected"))) {
            for (Path p : s.sorted().toList()) {
                JsonNode c = om.readTree(p.toFile());
                FlowDecoder d = new FlowDecoder();
                int[] n = new int[3];
                StringBuilder errs = new StringBuilder();
                for (JsonNode f : c.get("input_files")) {
                    d.decode(Unpooled.wrappedBuffer(Corpus.dat(f.asText())), InetAddress.getLoopbackAddress(), 0,
                            new FlowHandler() {
                                public void onRecord(FlowRecord r) { n[0]++; }
                                public void onOptions(FlowRecord r) { n[1]++; }
                                public void onError(DecodeError e) { n[2]++; errs.append(e).append("; "); }
                            });
                }
                System.out.printf("%-100s expected %s got %d+%d errors %d %s%n", c.get("id").asText(),
                        c.get("expected_event_count"), n[0], n[1], n[2], errs);
            }
        }
    }
}
