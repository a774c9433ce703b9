package dev.sluice.decoders;

import static dev.sluice.decoders.ExportPacketBuilder.f;
import static dev.sluice.decoders.ExportPacketBuilder.ipfix;
import static dev.sluice.decoders.ExportPacketBuilder.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Templates listed by one decoder and restored into another decode the same data. */
class TemplateRestoreTest {

    private static final InetAddress A = InetAddress.getLoopbackAddress();

    private static List<String> decode(FlowDecoder d, byte[]... packets) {
        List<String> out = new ArrayList<>();
        FlowHandler h = new FlowHandler() {
            @Override
            public void onRecord(FlowRecord r) {
                out.add(r.toString());
            }

            @Override
            public void onOptions(FlowRecord r) {
                out.add("options " + r);
            }
        };
        for (byte[] p : packets) {
            d.decode(Unpooled.wrappedBuffer(p), A, 0, h);
        }
        return out;
    }

    @Test
    void corpusTemplatesSurviveARestart() {
        String[][] pairs = {
            {"netflow9_test_cisco_asa_1_tpl.dat", "netflow9_test_cisco_asa_1_data.dat"},
            {"ipfix_test_netscaler_tpl.dat", "ipfix_test_netscaler_data.dat"},
            {"netflow9_test_cisco_asr9k_opttpl256.dat", "netflow9_test_cisco_asr9k_data256.dat"},
            {"ipfix_test_mikrotik_tpl.dat", "ipfix_test_mikrotik_data258.dat"},
        };
        for (String[] pair : pairs) {
            FlowDecoder before = new FlowDecoder();
            decode(before, Corpus.dat(pair[0]));
            List<String> expected = decode(before, Corpus.dat(pair[1]));
            assertThat(expected).as(pair[1]).isNotEmpty();
            List<TemplateDefinition> saved = before.templates();
            assertThat(saved).hasSize(before.templateCount());

            FlowDecoder after = new FlowDecoder();
            assertThat(after.restoreTemplates(saved)).isEqualTo(saved.size());
            assertThat(decode(after, Corpus.dat(pair[1]))).as(pair[1]).containsExactlyElementsOf(expected);
            assertThat(after.statistics().templateMisses()).isEqualTo(before.statistics().templateMisses());
        }
    }

    @Test
    void aTemplateReceivedSinceWinsOverARestoredOne() {
        FlowDecoder old = new FlowDecoder();
        decode(old, ipfix(1).template(256, f(7, 2)).build());
        List<TemplateDefinition> saved = old.templates();

        FlowDecoder d = new FlowDecoder();
        decode(d, ipfix(1).template(256, f(11, 2)).build());
        assertThat(d.restoreTemplates(saved)).isZero();
        List<String> out = decode(d, ipfix(1).data(256, rec().u16(53)).build());
        assertThat(out).singleElement().asString().contains("destinationTransportPort=53");
    }

    @Test
    void invalidOrOverLimitDefinitionsAreSkipped() {
        List<TemplateDefinition> defs = List.of(
                new TemplateDefinition(A, FlowProtocol.IPFIX, 1, 12, false, 0,
                        List.of(new TemplateDefinition.Field(0, 7, 2))),          // id below 256
                new TemplateDefinition(A, FlowProtocol.NETFLOW_V5, 1, 300, false, 0,
                        List.of(new TemplateDefinition.Field(0, 7, 2))),          // v5 has no templates
                new TemplateDefinition(A, FlowProtocol.IPFIX, 1, 300, false, 0,
                        List.of(new TemplateDefinition.Field(0, 7, 0))),          // empty records
                new TemplateDefinition(A, FlowProtocol.IPFIX, 1, 301, false, 0,
                        List.of(new TemplateDefinition.Field(0, 7, 2))),
                new TemplateDefinition(A, FlowProtocol.IPFIX, 1, 302, false, 0,
                        List.of(new TemplateDefinition.Field(0, 7, 2))));         // over the limit of 1
        FlowDecoder d = new FlowDecoder(DecoderLimits.defaults().withMaxTemplates(1, 10));
        assertThat(d.restoreTemplates(defs)).isEqualTo(1);
        assertThat(d.templateCount()).isEqualTo(1);
        assertThat(d.templates()).singleElement().extracting(TemplateDefinition::templateId).isEqualTo(301);
    }
}
