package dev.sluice.decoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.layout.LogstashLayout;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Logstash netflow codec's own test cases (the 52 of {@code ../shared/corpus/logstash/expected}), decoded with
 * {@link FlowDecoder} and rendered with {@link LogstashLayout}.
 *
 * <p>For every case the input files are fed, in order, to one decoder with one exporter address; every flow and
 * options record becomes an event in the order the decoder delivers them (the codec emits options data as events
 * too, in wire order). The test checks the event count, every field assertion, and every compared full event.
 *
 * <p>Full events are compared with the case's {@code event}: what Logstash 8 prints, with timestamps to the
 * microsecond (or nanosecond). Our timestamps have that precision: NetFlow v5 times carry the header's sub-second
 * nanoseconds as microseconds, IPFIX micro/nanosecond times keep their nanoseconds, exactly as the codec built them
 * before Logstash 7 truncated them to milliseconds in {@code event_logstash_lt8}.
 *
 * <p>Where Sluice deliberately does better than the codec, {@link #DEVIATIONS} (the one table of them) says where and
 * why, and the test asserts what Sluice produces instead.
 */
class LogstashConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final InetAddress EXPORTER = address("192.0.2.7");
    private static final long UPTIME_WRAP_MILLIS = 1L << 32;

    /** How Sluice's output differs from the codec's, on purpose, and why. */
    enum Deviation {
        ALL_MESSAGES_OF_A_DATAGRAM("The codec decodes only the first export message of a datagram; a datagram can"
                + " hold several (an IPFIX message carries its length, a NetFlow v5 packet its record count). Sluice"
                + " decodes them all: the codec's events are our first N, and the later messages' records follow,"
                + " as many as their headers announce."),
        SWITCHED_ONE_SECOND_LATE("The codec's NetFlow first_switched/last_switched are often one second late."
                + " v9: it adds 1000000 - (age % 1000) * 1000 microseconds to unix_secs - age / 1000 seconds, i.e."
                + " unix_secs + 1 s - age, always. v5: when the sub-second age exceeds the header's sub-second"
                + " nanoseconds it borrows a second with `seconds--`, which Ruby parses as a subtraction of the next"
                + " line, not a decrement, so the second is never taken. Sluice's times (the record's start/end"
                + " time) are export time - age: exactly 1000 ms earlier than the codec's there."),
        V5_SWITCHED_UPTIME_WRAP("The codec computes NetFlow v5 switched times with unbounded integers, so a"
                + " switched time taken before a wrap-around of the exporter's 32-bit uptime (or, as softflowd"
                + " sends it, an uptime of -1) lands 49.7 days in the future, after last_switched. Sluice takes"
                + " the age as a 32-bit difference ((int) (uptime - switched)): exactly 2^32 ms earlier, in order.");

        final String reason;

        Deviation(String reason) {
            this.reason = reason;
        }
    }

    /**
     * The one table of deliberate deviations and the cases where they show. The test fails when a listed case does
     * not show the deviation, or an unlisted one does: the table stays exact.
     */
    private static final Map<Deviation, Set<String>> DEVIATIONS = Map.of(
            Deviation.ALL_MESSAGES_OF_A_DATAGRAM, Set.of("netflow_5_valid_01", "ipfix"),
            Deviation.SWITCHED_ONE_SECOND_LATE, Set.of(
                    "netflow5_juniper_mx80",
                    "netflow_5_valid_01",
                    "netflow_9_cisco_aci",
                    "netflow_9_cisco_asr_9000_series_template_260",
                    "netflow_9_cisco_nbar_flowset_262",
                    "netflow_9_field_layer2segmentid",
                    "netflow_9_fortigate_fortios_54x_appid",
                    "netflow_9_fortigate_fortios_5_2_1",
                    "netflow_9_h3c",
                    "netflow_9_h3c_netstream_with_varstring",
                    "netflow_9_huawei_netstream",
                    "netflow_9_ipt_netflow_reduced_size_encoding",
                    "netflow_9_multiple_netflow_exporters",
                    "netflow_9_palo_alto_1_flowset_in_large_zero_filled_packet",
                    "netflow_9_palo_alto_pan_os_with_app_id",
                    "netflow_9_streamcore",
                    "netflow_9_template_with_0_length_fields",
                    "netflow_9_ubiquiti_edgerouter_with_mpls_labels",
                    "netflow_9_valid_01"),
            Deviation.V5_SWITCHED_UPTIME_WRAP, Set.of("netflow_5_valid_01"));

    /**
     * Cases for which the codec's test asserts only that decoding does not fail ({@code expected_event_count}
     * null): how many events we produce and whether errors are reported, with the reason that is right.
     */
    private static final Map<String, UnassertedCase> UNASSERTED_CASES = Map.of(
            // The header announces 55582 / 163 records, more than a v5 packet may hold (30): refused and reported, as
            // the codec refuses it (its flow_records assertion).
            "netflow_5_invalid_01", new UnassertedCase(0, true),
            "netflow_5_invalid_02", new UnassertedCase(0, true),
            // A well-formed packet except for its header count (2, for 3 templates and 3 data flowsets): one record
            // in each of the data flowsets 256 (options), 2048 (IPv6) and 1024 (IPv4), each padded to 4 bytes.
            "netflow_9_invalid_01", new UnassertedCase(3, false),
            // Wireshark decodes the same records (wireshark_ref/SUMMARY.json).
            "netflow_9_cisco_1941_k9_release_15_1", new UnassertedCase(29, false),
            "netflow_9_cisco_asr1001_x", new UnassertedCase(25, false),
            "netflow_9_cisco_wlc_8500_release_8_2", new UnassertedCase(0, false), // templates only
            "netflow_9_macaddress", new UnassertedCase(30, false),
            "netflow_9_options_template_with_scope_fields", new UnassertedCase(1, false));

    record UnassertedCase(int events, boolean errors) {
    }

    @TestFactory
    Stream<DynamicTest> codecCases() throws IOException {
        Path dir = Corpus.logstash("expected");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("cases in " + dir).hasSize(52);
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path file) throws IOException {
        JsonNode spec = JSON.readTree(file.toFile());
        String id = spec.get("id").asText();
        LogstashLayout layout = layoutFor(spec);
        Case c = decode(spec, layout);
        Set<Deviation> listed = EnumSet.noneOf(Deviation.class);
        DEVIATIONS.forEach((d, cases) -> {
            if (cases.contains(id)) {
                listed.add(d);
            }
        });
        Set<Deviation> shown = EnumSet.noneOf(Deviation.class);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.exceptions).as("exceptions escaping the decoder").isEmpty();
        soft.assertThat(c.notForCodec).as("records the codec would have dropped (unknown fields)").isZero();

        JsonNode countNode = spec.get("expected_event_count");
        if (countNode == null || countNode.isNull()) {
            UnassertedCase expected = UNASSERTED_CASES.get(id);
            soft.assertThat(expected).as("entry in UNASSERTED_CASES for " + id).isNotNull();
            if (expected != null) {
                soft.assertThat(c.events).as("events of " + id).hasSize(expected.events());
                soft.assertThat(!c.errors.isEmpty()).as("errors reported: " + c.errors).isEqualTo(expected.errors());
            }
        } else if (c.messages > spec.get("input_files").size() && c.events.size() > countNode.asInt()) {
            shown.add(Deviation.ALL_MESSAGES_OF_A_DATAGRAM);
            int codecCount = countNode.asInt();
            soft.assertThat(c.messageOfEvent.get(codecCount - 1)).as("the codec's events are all from message 0")
                    .isZero();
            soft.assertThat(c.messageOfEvent.get(codecCount)).as("then come the later messages' events").isEqualTo(1);
            checkLaterMessages(soft, c);
        } else {
            soft.assertThat(c.events).as("events of " + id).hasSize(countNode.asInt());
        }

        for (JsonNode a : spec.path("field_assertions")) {
            if (a.path("only_when").asText().equals("logstash<8")) {
                continue; // we match Logstash 8's timestamps, see the class comment
            }
            int index = a.get("event_index").asInt();
            String field = a.get("field").asText();
            if (index >= c.events.size()) {
                soft.fail("no event " + index + " for " + field);
                continue;
            }
            JsonNode event = c.events.get(index);
            JsonNode expected = adjustField(event, field, a.get("expected"), shown);
            soft.assertThat(at(event, field)).as("event " + index + " " + field).isEqualTo(expected);
        }

        Map<Integer, JsonNode> jsonEvents = new HashMap<>();
        for (JsonNode e : spec.path("json_events")) {
            jsonEvents.put(e.get("json_event_index").asInt(), e.get("event"));
        }
        for (JsonNode cmp : spec.path("json_comparisons")) {
            int index = cmp.get("event_index").asInt();
            ObjectNode expected = (ObjectNode) jsonEvents.get(cmp.get("json_event_index").asInt()).deepCopy();
            if (index >= c.events.size()) {
                soft.fail("no event " + index + " to compare");
                continue;
            }
            adjustEvent(expected, shown);
            soft.assertThat(c.events.get(index)).as("event " + index + " of " + id).isEqualTo(expected);
        }
        for (JsonNode e : c.events) {
            JsonNode first = e.path("netflow").path("first_switched");
            JsonNode last = e.path("netflow").path("last_switched");
            if (first.isTextual() && last.isTextual()) {
                soft.assertThat(Instant.parse(first.asText())).as("first_switched <= last_switched in " + e)
                        .isBeforeOrEqualTo(Instant.parse(last.asText()));
            }
        }
        soft.assertThat(shown).as("deviations shown by " + id + " (keep DEVIATIONS exact)").isEqualTo(listed);
        soft.assertAll();
    }

    // ------------------------------------------------------------------ deviations applied to expectations

    private static JsonNode adjustField(JsonNode ourEvent, String field, JsonNode expected, Set<Deviation> shown) {
        ObjectNode event = JSON.createObjectNode();
        event.set("@timestamp", ourEvent.path("@timestamp"));
        ObjectNode netflow = event.putObject("netflow");
        netflow.set("version", ourEvent.path("netflow").path("version"));
        String name = field.replace("[netflow][", "").replace("]", "");
        netflow.set(name, expected);
        adjustEvent(event, shown);
        return event.path("netflow").path(name);
    }

    /**
     * Rewrites the codec's event into what Sluice produces on purpose (see {@link Deviation}), adding to {@code
     * shown} the deviations that changed it.
     */
    private static void adjustEvent(ObjectNode event, Set<Deviation> shown) {
        if (!(event.path("netflow") instanceof ObjectNode n)) {
            return;
        }
        int version = n.path("version").asInt();
        if (version != 5 && version != 9) {
            return;
        }
        Instant timestamp = Instant.parse(event.path("@timestamp").asText());
        for (String f : List.of("first_switched", "last_switched")) {
            if (!n.path(f).isTextual()) {
                continue;
            }
            Instant codec = Instant.parse(n.get(f).asText());
            Instant ours = codec;
            // v9 always; v5 when the codec "borrowed" a second: then its sub-second part exceeds the export time's.
            if (version == 9 || microOfSecond(codec) > microOfSecond(timestamp)) {
                ours = ours.minusMillis(1000);
                shown.add(Deviation.SWITCHED_ONE_SECOND_LATE);
            }
            // More than half the uptime period in the future: the codec's unbounded age went negative.
            if (version == 5 && ours.isAfter(timestamp.plusMillis(UPTIME_WRAP_MILLIS / 2))) {
                ours = ours.minusMillis(UPTIME_WRAP_MILLIS);
                shown.add(Deviation.V5_SWITCHED_UPTIME_WRAP);
            }
            n.set(f, TextNode.valueOf(logstash8(ours)));
        }
    }

    private static int microOfSecond(Instant t) {
        return t.getNano() / 1000;
    }

    /** An instant as Logstash 8 prints it: 3, 6 or 9 fraction digits. */
    private static String logstash8(Instant t) {
        String s = t.toString(); // ISO_INSTANT: 0, 3, 6 or 9 digits
        if (t.getNano() == 0) {
            return s.substring(0, s.length() - 1) + ".000Z";
        }
        return s;
    }

    // ------------------------------------------------------------------ the later messages of a datagram

    /**
     * The later messages' records: a v5 packet's as many as its header count; an IPFIX message's as many as the
     * sequence numbers say. RFC 7011 numbers a message with the data records sent before it; the exporter of
     * ipfix.dat numbers it with those sent up to and including it. Either convention must hold for every message.
     */
    private static void checkLaterMessages(SoftAssertions soft, Case c) {
        List<LogstashMessages.Message> messages = c.messageList;
        int[] events = new int[messages.size()];
        int[] dataRecords = new int[messages.size()];
        for (int i = 0; i < c.events.size(); i++) {
            int m = c.messageOfEvent.get(i);
            events[m]++;
            if (!c.optionsEvent.get(i)) {
                dataRecords[m]++;
            }
        }
        boolean rfc = true;
        boolean inclusive = true;
        boolean ipfix = false;
        for (int m = 0; m < messages.size(); m++) {
            LogstashMessages.Message msg = messages.get(m);
            soft.assertThat(events[m]).as("events of message " + m).isPositive();
            if (msg.version() == 5) {
                soft.assertThat(events[m]).as("records of v5 packet " + m).isEqualTo(msg.v5Count());
            } else if (msg.version() == 10) {
                ipfix = true;
                if (m + 1 < messages.size()) {
                    rfc &= messages.get(m + 1).sequence() - msg.sequence() == dataRecords[m];
                }
                if (m > 0) {
                    inclusive &= msg.sequence() - messages.get(m - 1).sequence() == dataRecords[m];
                }
            }
        }
        if (ipfix) {
            soft.assertThat(rfc || inclusive).as("IPFIX data records per message " + java.util.Arrays.toString(
                    dataRecords) + " agree with the sequence numbers").isTrue();
        }
    }

    // ------------------------------------------------------------------ decoding a case

    /** What one case produced. */
    static final class Case {
        final List<JsonNode> events = new ArrayList<>();
        /** For each event, which export message (over all input files) it came from. */
        final List<Integer> messageOfEvent = new ArrayList<>();
        final List<Boolean> optionsEvent = new ArrayList<>();
        final List<DecodeError> errors = new ArrayList<>();
        final List<Throwable> exceptions = new ArrayList<>();
        int notForCodec;
        /** The export messages of all input files, split by their headers. */
        List<LogstashMessages.Message> messageList = new ArrayList<>();
        int messages;
    }

    private static LogstashLayout layoutFor(JsonNode spec) {
        LogstashLayout layout = new LogstashLayout();
        JsonNode config = spec.get("codec_config");
        if (config != null && config.isTextual() && config.asText().contains("include_flowset_id")
                && config.asText().contains("true")) {
            layout = layout.withIncludeFlowsetId(true);
        }
        return layout;
    }

    private static Case decode(JsonNode spec, LogstashLayout layout) {
        Case c = new Case();
        FlowDecoder decoder = new FlowDecoder();
        List<LogstashMessages.Message> messages = c.messageList;
        for (JsonNode f : spec.get("input_files")) {
            messages.addAll(LogstashMessages.split(Corpus.dat(f.asText())));
        }
        c.messages = messages.size();
        int[] cursor = {0};
        FlowHandler handler = new FlowHandler() {
            @Override
            public void onRecord(FlowRecord record) {
                add(record, false);
            }

            @Override
            public void onOptions(FlowRecord record) {
                add(record, true);
            }

            private void add(FlowRecord record, boolean options) {
                if (!layout.codecWouldDecode(record)) {
                    c.notForCodec++;
                    return;
                }
                c.events.add(render(layout, record, options));
                c.messageOfEvent.add(messageOf(record, messages, cursor));
                c.optionsEvent.add(options);
            }

            @Override
            public void onError(DecodeError error) {
                c.errors.add(error);
            }
        };
        long now = 1_700_000_000_000L;
        int fileStart = 0;
        for (JsonNode f : spec.get("input_files")) {
            byte[] bytes = Corpus.dat(f.asText());
            cursor[0] = fileStart;
            try {
                decoder.decode(Unpooled.wrappedBuffer(bytes), EXPORTER, now, handler);
            } catch (RuntimeException e) {
                c.exceptions.add(e);
            }
            fileStart += LogstashMessages.split(bytes).size();
        }
        return c;
    }

    /**
     * The index of the message a record came from: the first message, from the current one on, whose header has the
     * record's sequence number and export time (records arrive in message order).
     */
    private static int messageOf(FlowRecord record, List<LogstashMessages.Message> messages, int[] cursor) {
        for (int m = cursor[0]; m < messages.size(); m++) {
            LogstashMessages.Message msg = messages.get(m);
            if (msg.sequence() == record.packet().sequenceNumber()
                    && msg.exportSeconds() == Math.floorDiv(record.packet().exportTimeMillis(), 1000L)) {
                cursor[0] = m;
                return m;
            }
        }
        return cursor[0];
    }

    static JsonNode render(LogstashLayout layout, FlowRecord record, boolean options) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            if (options) {
                layout.writeOptions(record, g);
            } else {
                layout.write(record, g);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return JSON.readTree(w.toString());
        } catch (IOException e) {
            throw new AssertionError("layout wrote invalid JSON: " + w, e);
        }
    }

    private static JsonNode at(JsonNode event, String field) {
        JsonNode n = event;
        for (String part : field.substring(1, field.length() - 1).split("\\]\\[")) {
            n = n.path(part);
        }
        return n;
    }

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ more than the codec's cases

    /** Decoding a datagram of several messages at once gives the same events as decoding its messages one by one. */
    @Test
    void wholeDatagramEqualsItsMessages() {
        for (String file : List.of("netflow5.dat", "ipfix.dat")) {
            byte[] bytes = Corpus.dat(file);
            List<String> whole = events(List.of(bytes));
            List<LogstashMessages.Message> messages = LogstashMessages.split(bytes);
            List<String> split = events(messages.stream().map(LogstashMessages.Message::bytes).toList());
            assertThat(messages).as(file).hasSizeGreaterThan(1);
            assertThat(whole).as(file).isEqualTo(split).isNotEmpty();
        }
    }

    /**
     * Data that arrives before its template: the codec drops it; Sluice holds it and decodes it when the template
     * arrives, into the same records as in the normal order.
     */
    @Test
    void dataBeforeTemplateIsDecodedWhenTheTemplateArrives() {
        byte[] tpl = Corpus.dat("ipfix_test_netscaler_tpl.dat");
        byte[] data = Corpus.dat("ipfix_test_netscaler_data.dat");
        List<String> normal = events(List.of(tpl, data));
        FlowDecoder decoder = new FlowDecoder();
        List<String> reversed = new ArrayList<>();
        LogstashLayout layout = new LogstashLayout();
        FlowHandler collect = new FlowHandler() {
            @Override
            public void onRecord(FlowRecord record) {
                reversed.add(render(layout, record, false).toString());
            }

            @Override
            public void onOptions(FlowRecord record) {
                reversed.add(render(layout, record, true).toString());
            }
        };
        FlowDecoder normalOrder = new FlowDecoder();
        normalOrder.decode(Unpooled.wrappedBuffer(tpl), EXPORTER, 1_000L, collect);
        normalOrder.decode(Unpooled.wrappedBuffer(data), EXPORTER, 2_000L, collect);
        long heldInNormalOrder = normalOrder.statistics().pendingSets(); // a set whose template is in neither file
        reversed.clear();

        decoder.decode(Unpooled.wrappedBuffer(data), EXPORTER, 1_000L, collect);
        assertThat(reversed).as("nothing decodable before the template").isEmpty();
        assertThat(decoder.statistics().pendingSets()).as("data sets held").isGreaterThan(heldInNormalOrder);
        decoder.decode(Unpooled.wrappedBuffer(tpl), EXPORTER, 2_000L, collect);
        assertThat(normal).hasSize(3);
        assertThat(reversed).containsExactlyInAnyOrderElementsOf(normal);
        assertThat(decoder.statistics().pendingSets()).as("only the set without a template is left")
                .isEqualTo(heldInNormalOrder);
    }

    private static List<String> events(List<byte[]> datagrams) {
        FlowDecoder decoder = new FlowDecoder();
        LogstashLayout layout = new LogstashLayout();
        List<String> out = new ArrayList<>();
        FlowHandler h = new FlowHandler() {
            @Override
            public void onRecord(FlowRecord record) {
                out.add(render(layout, record, false).toString());
            }

            @Override
            public void onOptions(FlowRecord record) {
                out.add(render(layout, record, true).toString());
            }

            @Override
            public void onError(DecodeError error) {
                fail("unexpected error " + error);
            }
        };
        for (byte[] d : datagrams) {
            decoder.decode(Unpooled.wrappedBuffer(d), EXPORTER, 1_000L, h);
        }
        return out;
    }

}
