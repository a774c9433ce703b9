package dev.sluice.decoders;

import static dev.sluice.decoders.DecoderBehaviourTest.A;
import static dev.sluice.decoders.DecoderBehaviourTest.FLOW;
import static dev.sluice.decoders.DecoderBehaviourTest.decode;
import static dev.sluice.decoders.DecoderBehaviourTest.flow;
import static dev.sluice.decoders.DecoderBehaviourTest.stats;
import static dev.sluice.decoders.ExportPacketBuilder.VARIABLE;
import static dev.sluice.decoders.ExportPacketBuilder.ef;
import static dev.sluice.decoders.ExportPacketBuilder.f;
import static dev.sluice.decoders.ExportPacketBuilder.ipfix;
import static dev.sluice.decoders.ExportPacketBuilder.rec;
import static dev.sluice.decoders.ExportPacketBuilder.v9;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.DecodeError.Reason;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.decoders.DecoderBehaviourTest.Capture;
import dev.sluice.decoders.ExportPacketBuilder.Field;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Template refreshes: a template record that repeats the definition the decoder holds keeps the compiled
 * {@link Template} (no recompilation, no allocation); a changed definition replaces it; held data and the counters
 * behave the same either way.
 */
class TemplateRefreshTest {

    /** The compiled template behind a delivered record (copies share their view's template). */
    private static Template templateOf(FlowRecord r) {
        return ((RecordView) r).template();
    }

    @Test
    void ipfixRefreshWithTheSameDefinitionKeepsTheCompiledTemplate() {
        FlowDecoder d = new FlowDecoder();
        Capture first = decode(d, ipfix(1).template(256, FLOW).data(256, flow("10.0.0.1", "10.0.0.2", 5, 1)).build());
        Capture second = decode(d, ipfix(1).template(256, FLOW).data(256, flow("10.0.0.3", "10.0.0.4", 9, 3)).build());

        assertThat(templateOf(second.record())).isSameAs(templateOf(first.record()));
        assertThat(second.record().bytes()).isEqualTo(9);
        assertThat(second.record().packets()).isEqualTo(3);
        assertThat(second.errors).isEmpty();
        DecoderStatistics s = stats(d, A);
        assertThat(s.templates()).as("every refresh is counted as a template received").isEqualTo(2);
        assertThat(s.activeTemplates()).isEqualTo(1);
        assertThat(d.templateCount()).isEqualTo(1);
    }

    @Test
    void netflowV9RefreshWithTheSameDefinitionKeepsTheCompiledTemplate() {
        FlowDecoder d = new FlowDecoder();
        Field[] fields = {f(8, 4), f(12, 4), f(1, 4), f(2, 4), f(7, 2), f(11, 2)};
        Capture first = decode(d, v9(1).template(256, fields)
                .data(256, rec().ipv4("10.0.0.1").ipv4("10.0.0.2").u32(100).u32(2).u16(1234).u16(80)).build());
        Capture second = decode(d, v9(1).sequence(1).template(256, fields)
                .data(256, rec().ipv4("10.0.0.5").ipv4("10.0.0.6").u32(700).u32(7).u16(53).u16(5353)).build());

        assertThat(templateOf(second.record())).isSameAs(templateOf(first.record()));
        assertThat(second.record().bytes()).isEqualTo(700);
        assertThat(second.record().destinationPort()).isEqualTo(5353);
        assertThat(second.errors).isEmpty();
        assertThat(stats(d, A).templates()).isEqualTo(2);
        assertThat(stats(d, A).activeTemplates()).isEqualTo(1);
    }

    @Test
    void optionsTemplateRefreshesKeepTheirTemplateAndOptionsDataStillSetsTheSampling() {
        FlowDecoder d = new FlowDecoder();
        Field[] sampling = {f(1, 4), f(34, 4)}; // scope: system; samplingInterval
        Capture o1 = decode(d, v9(1).optionsTemplate(300, 1, sampling).data(300, rec().u32(0).u32(64))
                .template(256, FLOW).build());
        Capture o2 = decode(d, v9(1).sequence(1).optionsTemplate(300, 1, sampling).data(300, rec().u32(0).u32(128))
                .template(256, FLOW).data(256, flow("10.0.0.1", "10.0.0.2", 1, 1)).build());

        assertThat(templateOf(o2.options.get(0))).isSameAs(templateOf(o1.options.get(0)));
        assertThat(o2.record().samplingInterval()).as("the refreshed options template's data applies")
                .isEqualTo(128);
        assertThat(stats(d, A).templates()).isEqualTo(4);
        assertThat(stats(d, A).activeTemplates()).isEqualTo(2);

        Field[] ipfixSampling = {f(149, 4), f(305, 4)};
        Capture i1 = decode(d, ipfix(7).optionsTemplate(400, 1, ipfixSampling).data(400, rec().u32(7).u32(10))
                .build());
        Capture i2 = decode(d, ipfix(7).optionsTemplate(400, 1, ipfixSampling).data(400, rec().u32(7).u32(20))
                .template(256, FLOW).data(256, flow("10.0.0.1", "10.0.0.2", 1, 1)).build());
        assertThat(templateOf(i2.options.get(0))).isSameAs(templateOf(i1.options.get(0)));
        assertThat(i2.record().samplingInterval()).isEqualTo(20);
    }

    @Test
    void ipfixRefreshWithEnterpriseAndVariableLengthFieldsKeepsTheTemplate() {
        FlowDecoder d = new FlowDecoder();
        Field[] fields = {f(8, 4), ef(9, 42, 4), f(82, VARIABLE), ef(29305, 7, VARIABLE), f(1, 8)};
        byte[] name = "ge-0/0/1".getBytes(StandardCharsets.US_ASCII);
        Capture first = decode(d, ipfix(1).template(256, fields)
                .data(256, rec().ipv4("10.0.0.1").u32(42).varLen(name).varLen(new byte[3]).u64(11)).build());
        Capture second = decode(d, ipfix(1).template(256, fields)
                .data(256, rec().ipv4("10.0.0.2").u32(43).varLen(name).varLen(new byte[1]).u64(12)).build());

        assertThat(templateOf(second.record())).isSameAs(templateOf(first.record()));
        assertThat(second.record().bytes()).isEqualTo(12);
        assertThat(second.record().enterpriseId(1)).isEqualTo(9);
        assertThat(second.record().fieldLength(3)).isEqualTo(1);
        assertThat(second.errors).isEmpty();
    }

    @Test
    void aChangedDefinitionReplacesTheTemplate() {
        FlowDecoder d = new FlowDecoder();
        Field[] base = {f(8, 4), ef(9, 42, 4), f(1, 4)};
        Template current = templateOf(decode(d, ipfix(1).template(256, base)
                .data(256, rec().ipv4("10.0.0.1").u32(1).u32(10)).build()).record());

        // each differs from the one before in one respect only: a length, an enterprise number, an element id
        List<Field[]> changes = List.of(
                new Field[] {f(8, 4), ef(9, 42, 4), f(1, 8)},
                new Field[] {f(8, 4), ef(10, 42, 4), f(1, 8)},
                new Field[] {f(8, 4), ef(10, 43, 4), f(1, 8)},
                new Field[] {f(8, 4), f(43, 4), f(1, 8)},
                new Field[] {f(8, 4), f(43, 4), f(1, 8), f(2, 4)});
        int received = 1;
        for (Field[] fields : changes) {
            ExportPacketBuilder.Rec r = rec().ipv4("10.0.0.9").u32(5).u64(777);
            if (fields.length == 4) {
                r.u32(3);
            }
            Capture c = decode(d, ipfix(1).template(256, fields).data(256, r).build());
            received++;
            Template now = templateOf(c.record());
            assertThat(now).as(Arrays.toString(fields)).isNotSameAs(current);
            assertThat(now.fieldCount()).isEqualTo(fields.length);
            assertThat(c.record().bytes()).as("decoded with the new layout").isEqualTo(777);
            assertThat(c.errors).isEmpty();
            assertThat(stats(d, A).templates()).isEqualTo(received);
            assertThat(stats(d, A).activeTemplates()).isEqualTo(1);
            current = now;
        }
    }

    @Test
    void aTemplateIdThatTurnsIntoAnOptionsTemplateOrChangesItsScopeIsReplaced() {
        FlowDecoder d = new FlowDecoder();
        Field[] fields = {f(149, 4), f(305, 4)};
        decode(d, ipfix(1).template(256, fields).build());
        Capture asOptions = decode(d, ipfix(1).optionsTemplate(256, 1, fields).data(256, rec().u32(1).u32(50))
                .build());
        assertThat(asOptions.records).as("options data now, not flows").isEmpty();
        assertThat(asOptions.options).hasSize(1);
        Template oneScope = templateOf(asOptions.options.get(0));
        assertThat(oneScope.options).isTrue();

        Capture twoScopes = decode(d, ipfix(1).optionsTemplate(256, 2, fields).data(256, rec().u32(1).u32(50))
                .build());
        assertThat(templateOf(twoScopes.options.get(0))).isNotSameAs(oneScope);
        assertThat(templateOf(twoScopes.options.get(0)).scopeCount).isEqualTo(2);

        Capture back = decode(d, ipfix(1).template(256, fields).data(256, rec().u32(1).u32(50)).build());
        assertThat(back.records).hasSize(1);
        assertThat(back.options).isEmpty();
        assertThat(stats(d, A).activeTemplates()).isEqualTo(1);
        assertThat(stats(d, A).templates()).isEqualTo(4);

        // NetFlow v9: the same id as data template, then options template with one scope field, then two
        decode(d, v9(1).template(256, f(1, 4), f(34, 4)).build());
        Template v9Options = templateOf(decode(d, v9(1).optionsTemplate(256, 1, f(1, 4), f(34, 4))
                .data(256, rec().u32(0).u32(10)).build()).options.get(0));
        assertThat(v9Options.options).isTrue();
        Template v9TwoScopes = templateOf(decode(d, v9(1).optionsTemplate(256, 2, f(1, 4), f(2, 4))
                .data(256, rec().u32(0).u32(10)).build()).options.get(0));
        assertThat(v9TwoScopes).isNotSameAs(v9Options);
        assertThat(v9TwoScopes.scopeCount).isEqualTo(2);
    }

    @Test
    void heldDataIsDecodedOnceWhenItsTemplateComesAndNotAgainOnARefresh() {
        FlowDecoder d = new FlowDecoder();
        Capture early = decode(d, ipfix(1).sequence(1).data(256, flow("10.0.0.1", "10.0.0.2", 100, 1)).build());
        assertThat(early.records).isEmpty();
        assertThat(stats(d, A).pendingSets()).isEqualTo(1);

        Capture template = decode(d, ipfix(1).sequence(2).template(256, FLOW).build());
        assertThat(template.record().bytes()).as("held data decoded when the template comes").isEqualTo(100);

        Capture refresh = decode(d, ipfix(1).sequence(3).template(256, FLOW)
                .data(256, flow("10.0.0.3", "10.0.0.4", 200, 2)).build());
        assertThat(refresh.record().bytes()).as("only the new data, the held set is not decoded again")
                .isEqualTo(200);
        assertThat(templateOf(refresh.record())).isSameAs(templateOf(template.record()));
        DecoderStatistics s = stats(d, A);
        assertThat(s.templateMisses()).isEqualTo(1);
        assertThat(s.pendingSets()).isZero();
        assertThat(s.pendingBytes()).isZero();
        assertThat(s.pendingRecords()).isEqualTo(1);
        assertThat(s.records()).isEqualTo(2);
        assertThat(s.templates()).isEqualTo(2);
    }

    @Test
    void aRefreshOfARestoredTemplateDecodesTheDataHeldForIt() {
        FlowDecoder d = new FlowDecoder();
        decode(d, ipfix(1).data(256, flow("10.0.0.1", "10.0.0.2", 100, 1)).build());
        decode(d, v9(5).data(256, rec().u32(66)).build());
        assertThat(stats(d, A).pendingSets()).isEqualTo(2);
        // installed from a template store while data waits: restoring does not decode the held sets
        List<TemplateDefinition> saved = List.of(
                new TemplateDefinition(A, FlowProtocol.IPFIX, 1, 256, false, 0, List.of(
                        new TemplateDefinition.Field(0, 8, 4), new TemplateDefinition.Field(0, 12, 4),
                        new TemplateDefinition.Field(0, 1, 8), new TemplateDefinition.Field(0, 2, 4))),
                new TemplateDefinition(A, FlowProtocol.NETFLOW_V9, 5, 256, false, 0, List.of(
                        new TemplateDefinition.Field(0, 1, 4))));
        assertThat(d.restoreTemplates(saved)).isEqualTo(2);
        assertThat(stats(d, A).pendingSets()).isEqualTo(2);

        Capture ipfixRefresh = decode(d, ipfix(1).template(256, FLOW).build());
        assertThat(ipfixRefresh.record().bytes()).isEqualTo(100);
        Capture v9Refresh = decode(d, v9(5).template(256, f(1, 4)).build());
        assertThat(v9Refresh.record().bytes()).isEqualTo(66);

        DecoderStatistics s = stats(d, A);
        assertThat(s.pendingSets()).isZero();
        assertThat(s.pendingBytes()).isZero();
        assertThat(s.pendingRecords()).isEqualTo(2);
        assertThat(s.activeTemplates()).isEqualTo(2);
        assertThat(ipfixRefresh.errors).isEmpty();
        assertThat(v9Refresh.errors).isEmpty();
    }

    @Test
    void aCutOffRefreshIsReportedAndTheHeldTemplateStays() {
        FlowDecoder d = new FlowDecoder();
        Template held = templateOf(decode(d, ipfix(1).template(256, FLOW)
                .data(256, flow("10.0.0.1", "10.0.0.2", 1, 1)).build()).record());
        ExportPacketBuilder.Ipfix m = ipfix(1);
        byte[] record = m.templateRecord(256, FLOW);
        Capture cut = decode(d, m.set(2, Arrays.copyOf(record, record.length - 4)).build());
        assertThat(cut.reasons()).containsExactly(Reason.TRUNCATED);

        Capture after = decode(d, ipfix(1).data(256, flow("10.0.0.1", "10.0.0.2", 3, 1)).build());
        assertThat(templateOf(after.record())).isSameAs(held);
        assertThat(after.record().bytes()).isEqualTo(3);
        assertThat(stats(d, A).templates()).as("a cut-off template is not counted as received").isEqualTo(1);
    }

    /** Steady state with a refresh in every datagram (nfreplay's habit): nothing is compiled or allocated. */
    @Test
    void refreshesInEveryDatagramAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported()) {
            return;
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        ExportPacketBuilder.V9 v9 = v9(1).template(256, f(8, 4), f(12, 4), f(1, 4), f(2, 4))
                .optionsTemplate(300, 1, f(1, 4), f(34, 4)).data(300, rec().u32(0).u32(100));
        ExportPacketBuilder.Ipfix ipfix = ipfix(1).template(256, FLOW).template(257, f(82, VARIABLE), ef(9, 1, 4))
                .optionsTemplate(400, 1, f(149, 4), f(305, 4)).data(400, rec().u32(1).u32(10));
        for (int i = 0; i < 10; i++) {
            v9.data(256, rec().ipv4("10.0.0." + i).ipv4("10.0.1." + i).u32(1000 + i).u32(i + 1));
            ipfix.data(256, flow("10.0.0." + i, "10.0.1." + i, 1000 + i, i + 1));
            ipfix.data(257, rec().varLen(new byte[i]).u32(i));
        }
        ByteBuf v9Datagram = Unpooled.wrappedBuffer(v9.build());
        ByteBuf ipfixDatagram = Unpooled.wrappedBuffer(ipfix.build());
        long[] sink = new long[2];
        FlowHandler handler = new FlowHandler() {
            @Override
            public void onRecord(FlowRecord r) {
                sink[0] += r.bytes() + r.packets() + r.ipv4(FlowField.SOURCE_ADDRESS) + r.samplingInterval();
            }

            @Override
            public void onOptions(FlowRecord r) {
                sink[1]++;
            }
        };
        FlowDecoder d = new FlowDecoder();
        int warmup = 30_000;
        int measured = 30_000;
        for (int i = 0; i < warmup; i++) {
            d.decode(v9Datagram, A, 0, handler);
            d.decode(ipfixDatagram, A, 0, handler);
        }
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < measured; i++) {
            d.decode(v9Datagram, A, 0, handler);
            d.decode(ipfixDatagram, A, 0, handler);
        }
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;

        DecoderStatistics s = d.statistics();
        assertThat(s.errorCount()).isZero();
        assertThat(s.templates()).as("five templates per pair of datagrams").isEqualTo(5L * (warmup + measured));
        assertThat(s.activeTemplates()).isEqualTo(5);
        assertThat(s.records()).isEqualTo(30L * (warmup + measured));
        assertThat(s.optionsRecords()).isEqualTo(2L * (warmup + measured));
        assertThat(sink[0]).isNotZero();
        // five template records per pair: compiling them would cost hundreds of bytes each; a few kB of slack for
        // the JIT and the JMX calls themselves
        assertThat(allocated).as("bytes allocated over %d datagram pairs", measured).isLessThan(measured / 10);
    }
}
