package dev.sluice.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.layout.DocumentLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NdjsonSinkTest {

    /** A record whose template id is its number; -1 makes the test layout fail half-way through the document. */
    static FlowRecord record(int n) {
        return (FlowRecord) Proxy.newProxyInstance(FlowRecord.class.getClassLoader(), new Class<?>[] {FlowRecord.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("templateId")) {
                        return n;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static InterfaceCounters counters(long ifIndex) {
        return (InterfaceCounters) Proxy.newProxyInstance(InterfaceCounters.class.getClassLoader(),
                new Class<?>[] {InterfaceCounters.class}, (proxy, method, args) -> {
                    if (method.getName().equals("ifIndex")) {
                        return ifIndex;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Writes {"kind":..,"n":..,"thread":..}; fails after the first field for record -1. */
    static final class TestLayout implements DocumentLayout {
        @Override
        public void write(FlowRecord record, JsonGenerator out) throws IOException {
            out.writeStartObject();
            out.writeStringField("kind", "flow");
            if (record.templateId() == -1) {
                throw new IOException("cannot write this one");
            }
            out.writeNumberField("n", record.templateId());
            out.writeStringField("thread", Thread.currentThread().getName());
            out.writeEndObject();
        }

        @Override
        public void writeOptions(FlowRecord record, JsonGenerator out) throws IOException {
            out.writeStartObject();
            out.writeStringField("kind", "options");
            out.writeNumberField("n", record.templateId());
            out.writeEndObject();
        }

        @Override
        public void writeCounters(InterfaceCounters counters, JsonGenerator out) throws IOException {
            out.writeStartObject();
            out.writeStringField("kind", "counters");
            out.writeNumberField("n", counters.ifIndex());
            out.writeEndObject();
        }
    }

    private static List<String> lines(ByteArrayOutputStream out) {
        String s = out.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n", -1)).subList(0, s.split("\n", -1).length - 1);
    }

    @Test
    void severalThreadsWriteCompleteLinesInTheirOwnOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NdjsonSink sink = NdjsonSink.builder(out).layout(TestLayout::new).flushBytes(512)
                .flushInterval(Duration.ZERO).build();
        int threads = 4;
        int each = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    assertThat(sink.accept(record(i))).isEqualTo(SinkResult.ACCEPTED);
                }
            }, "writer-" + t);
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        sink.close();

        List<String> lines = lines(out);
        assertThat(lines).hasSize(threads * each);
        int[] next = new int[threads];
        for (String line : lines) {
            assertThat(line).matches("\\{\"kind\":\"flow\",\"n\":\\d+,\"thread\":\"writer-\\d\"}");
            int t = line.charAt(line.length() - 3) - '0';
            int n = Integer.parseInt(line.substring(line.indexOf("\"n\":") + 4, line.indexOf(",\"thread\"")));
            assertThat(n).as("order of writer-" + t).isEqualTo(next[t]++);
        }
        assertThat(sink.statistics()).isEqualTo(new SinkStatistics(threads * each, 0, 0));
    }

    @Test
    void buffersAreWrittenBySizeAndByTime() throws Exception {
        ByteArrayOutputStream bySize = new ByteArrayOutputStream();
        try (NdjsonSink sink = NdjsonSink.builder(bySize).layout(TestLayout::new).flushBytes(100)
                .flushInterval(Duration.ZERO).build()) {
            sink.accept(record(1));
            assertThat(bySize.size()).as("below flushBytes: still buffered").isZero();
            sink.accept(record(2));
            sink.accept(record(3));
            assertThat(lines(bySize)).hasSize(3);
        }

        ByteArrayOutputStream byTime = new ByteArrayOutputStream();
        try (NdjsonSink sink = NdjsonSink.builder(byTime).layout(TestLayout::new)
                .flushInterval(Duration.ofMillis(20)).build()) {
            sink.accept(record(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (byTime.size() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(lines(byTime)).containsExactly("{\"kind\":\"flow\",\"n\":1,\"thread\":\"main\"}");
        }
    }

    @Test
    void aDocumentTheLayoutCannotWriteIsLeftOutAndCounted() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NdjsonSink sink = NdjsonSink.builder(out).layout(TestLayout::new).build();
        assertThat(sink.accept(record(1))).isEqualTo(SinkResult.ACCEPTED);
        assertThat(sink.accept(record(-1))).isEqualTo(SinkResult.FAILED);
        assertThat(sink.accept(record(2))).isEqualTo(SinkResult.ACCEPTED);
        sink.close();
        assertThat(lines(out)).containsExactly("{\"kind\":\"flow\",\"n\":1,\"thread\":\"main\"}",
                "{\"kind\":\"flow\",\"n\":2,\"thread\":\"main\"}");
        assertThat(sink.statistics()).isEqualTo(new SinkStatistics(2, 1, 0));
        assertThat(sink.accept(record(3))).as("after close").isEqualTo(SinkResult.FAILED);
    }

    @Test
    void optionsAndCountersAreWrittenUnlessSwitchedOff() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (NdjsonSink sink = NdjsonSink.builder(out).layout(TestLayout::new).build()) {
            assertThat(sink.acceptOptions(record(7))).isEqualTo(SinkResult.ACCEPTED);
            assertThat(sink.acceptCounters(counters(3))).isEqualTo(SinkResult.ACCEPTED);
        }
        assertThat(lines(out)).containsExactly("{\"kind\":\"options\",\"n\":7}", "{\"kind\":\"counters\",\"n\":3}");

        ByteArrayOutputStream none = new ByteArrayOutputStream();
        try (NdjsonSink sink = NdjsonSink.builder(none).layout(TestLayout::new).options(false).counters(false)
                .build()) {
            assertThat(sink.acceptOptions(record(7))).isEqualTo(SinkResult.IGNORED);
            assertThat(sink.acceptCounters(counters(3))).isEqualTo(SinkResult.IGNORED);
            assertThat(sink.statistics().accepted()).isZero();
        }
        assertThat(none.size()).isZero();
    }

    @Test
    void anOutputThatFailsCountsItsDocumentsAsFailed() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                writes.incrementAndGet();
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                write(0);
            }
        };
        NdjsonSink sink = NdjsonSink.builder(broken).layout(TestLayout::new).flushInterval(Duration.ZERO).build();
        sink.accept(record(1));
        sink.accept(record(2));
        sink.flush();
        sink.accept(record(3));
        sink.close();
        assertThat(writes.get()).isEqualTo(2);
        assertThat(sink.statistics()).isEqualTo(new SinkStatistics(3, 3, 0));
    }

    @Test
    void aFileIsAppendedToAndClosed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flows.ndjson");
        for (int run = 0; run < 2; run++) {
            try (NdjsonSink sink = NdjsonSink.builder(file).layout(TestLayout::new).build()) {
                sink.accept(record(run));
            }
        }
        assertThat(Files.readAllLines(file)).containsExactly("{\"kind\":\"flow\",\"n\":0,\"thread\":\"main\"}",
                "{\"kind\":\"flow\",\"n\":1,\"thread\":\"main\"}");
    }
}
