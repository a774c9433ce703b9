package dev.sluice.decoders;

import dev.sluice.core.DecodeError;
import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.ie.InformationElement;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The invariants every decode must keep, whatever the input: nothing escapes {@link FlowDecoder#decode}, every
 * reported error is counted once and points inside the datagram, every accessor of every record it hands out
 * can be read, {@link FlowRecord#copy()} reads the same as the view, and a call returns within a time bound.
 */
final class FuzzChecks {

    /** The longest one decode may take before it counts as a hang. */
    static final long CALL_TIMEOUT_MILLIS = 1_000;

    private static ExecutorService worker = newWorker();

    private FuzzChecks() {
    }

    private static boolean warm;

    /**
     * Loads and JIT-warms the decoder (registry resources, parsers) once, outside any time bound, so that the
     * per-call bound measures decoding and not class initialisation.
     */
    static synchronized void warmUp() {
        if (warm) {
            return;
        }
        FlowDecoder d = new FlowDecoder();
        FlowHandler sink = record -> snapshot(record.copy());
        for (int round = 0; round < 3; round++) {
            for (FuzzCorpus.Seed seed : FuzzCorpus.seeds()) {
                for (byte[] pre : seed.preamble()) {
                    d.decode(Unpooled.wrappedBuffer(pre), DecoderFuzzPropertiesTest.EXPORTER, 0, sink);
                }
                d.decode(Unpooled.wrappedBuffer(seed.packet()), DecoderFuzzPropertiesTest.EXPORTER, 0, sink);
            }
        }
        warm = true;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-decode");
            t.setDaemon(true);
            return t;
        });
    }

    /** How thoroughly a delivered record is read. */
    enum Exercise {
        /** Every field's bounds and value, every typed field's value: cheap, no allocation. */
        BOUNDS,
        /** Every accessor, compared with copy() and copy().copy(). */
        FULL
    }

    /** Per-decoder bookkeeping: the longest datagram it was fed (offsets of held data refer to earlier ones). */
    static final class Session {
        final FlowDecoder decoder;
        int longestDatagram;
        /** How thoroughly delivered records are read. */
        Exercise exercise = Exercise.FULL;
        /** Whether each call runs on the watchdog thread (preemptive timeout) or inline with a measured bound. */
        boolean preemptive = true;
        /** The bound checked on inline calls; Jazzer, which has its own timeout, turns it off. */
        long inlineBoundMillis = CALL_TIMEOUT_MILLIS;
        long records;
        long errors;

        Session(FlowDecoder decoder) {
            this.decoder = decoder;
        }
    }

    /**
     * Decodes {@code datagram} placed in a buffer between garbage bytes (outside the reader and writer index),
     * and checks every invariant. Throws AssertionError with the datagram in hex when one fails.
     */
    static int decodeChecked(Session s, byte[] datagram, InetAddress exporter, long now) {
        warmUp();
        s.longestDatagram = Math.max(s.longestDatagram, datagram.length);
        int lead = 7;
        ByteBuf buf = Unpooled.buffer(lead + datagram.length + 9);
        buf.writeBytes(new byte[] {5, 0, 9, 0, 10, 0, (byte) 0xFF});
        buf.writeBytes(datagram);
        buf.readerIndex(lead);
        int writer = buf.writerIndex();
        buf.setBytes(writer, new byte[] {(byte) 0xFF, 1, 2, 3, 4, 5, 6, 7, 8}, 0, Math.min(9, buf.capacity() - writer));

        DecoderStatistics before = s.decoder.statistics();
        CheckingHandler h = new CheckingHandler(exporter, s.longestDatagram, s.exercise);
        int delivered;
        if (s.preemptive) {
            delivered = runBounded(() -> s.decoder.decode(buf, exporter, now, h), datagram);
        } else {
            long t0 = System.nanoTime();
            try {
                delivered = s.decoder.decode(buf, exporter, now, h);
            } catch (RuntimeException e) {
                throw failure("decode threw " + e, datagram, e);
            }
            long took = (System.nanoTime() - t0) / 1_000_000;
            if (took > s.inlineBoundMillis) {
                throw failure("decode took " + took + " ms", datagram, null);
            }
        }
        DecoderStatistics after = s.decoder.statistics();
        if (!h.failures.isEmpty()) {
            AssertionError e = failure(h.failures.size() + " check(s) failed, first: " + h.failures.get(0), datagram,
                    h.failures.get(0));
            throw e;
        }
        check(after.errorCount() - before.errorCount() == h.errors.size(), datagram, "handler received "
                + h.errors.size() + " errors, errorCount() grew by " + (after.errorCount() - before.errorCount())
                + ": " + h.errors);
        check(after.records() - before.records() == h.records, datagram,
                "records() grew by " + (after.records() - before.records()) + ", handler got " + h.records);
        check(after.optionsRecords() - before.optionsRecords() == h.options, datagram, "optionsRecords() grew by "
                + (after.optionsRecords() - before.optionsRecords()) + ", handler got " + h.options);
        check(delivered == h.records + h.options, datagram,
                "decode returned " + delivered + ", handler got " + (h.records + h.options));
        check(buf.readerIndex() == lead && buf.writerIndex() == writer, datagram, "decode moved the buffer indexes");
        s.records += h.records + h.options;
        s.errors += h.errors.size();
        return delivered;
    }

    private static void check(boolean ok, byte[] datagram, String what) {
        if (!ok) {
            throw failure(what, datagram, null);
        }
    }

    static AssertionError failure(String what, byte[] datagram, Throwable cause) {
        AssertionError e = new AssertionError(what + "\n datagram (" + datagram.length + " bytes): "
                + ByteBufUtil.hexDump(datagram));
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    interface Call {
        int run();
    }

    /** Runs a decode on the watchdog thread and fails if it does not return within the bound. */
    static synchronized int runBounded(Call call, byte[] datagram) {
        Future<Integer> f = worker.submit(call::run);
        try {
            return f.get(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker(); // the stuck thread is a daemon; do not let it block later calls
            throw failure("decode did not return within " + CALL_TIMEOUT_MILLIS + " ms", datagram, null);
        } catch (ExecutionException e) {
            throw failure("decode threw " + e.getCause(), datagram, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Checks errors as they come and reads every record completely. */
    static final class CheckingHandler implements FlowHandler {
        final InetAddress exporter;
        final int offsetBound;
        final Exercise exercise;
        final List<DecodeError> errors = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        int records;
        int options;

        CheckingHandler(InetAddress exporter, int offsetBound, Exercise exercise) {
            this.exporter = exporter;
            this.offsetBound = offsetBound;
            this.exercise = exercise;
        }

        @Override
        public void onRecord(FlowRecord record) {
            records++;
            read(record, false);
        }

        @Override
        public void onOptions(FlowRecord record) {
            options++;
            read(record, true);
        }

        private void read(FlowRecord record, boolean options) {
            try {
                if (record.isOptions() != options) {
                    throw new AssertionError("isOptions() " + record.isOptions() + " for a record delivered to "
                            + (options ? "onOptions" : "onRecord"));
                }
                if (exercise == Exercise.BOUNDS) {
                    bounds(record);
                    return;
                }
                String view = snapshot(record);
                FlowRecord copy = record.copy();
                String owned = snapshot(copy);
                if (!view.equals(owned)) {
                    throw new AssertionError("copy() reads differently from the view:\n view " + view + "\n copy "
                            + owned);
                }
                String again = snapshot(copy.copy());
                if (!again.equals(owned)) {
                    throw new AssertionError("copy().copy() reads differently:\n " + owned + "\n " + again);
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }

        @Override
        public void onError(DecodeError error) {
            errors.add(error);
            try {
                if (error.reason() == null) {
                    throw new AssertionError("error without reason: " + error);
                }
                if (!exporter.equals(error.exporter())) {
                    throw new AssertionError("error names exporter " + error.exporter() + ", expected " + exporter);
                }
                int bound = Math.max(1, offsetBound);
                if (error.offset() < 0 || error.offset() >= bound) {
                    throw new AssertionError("error offset " + error.offset() + " outside [0, " + bound + "): "
                            + error);
                }
                if (error.detail() == null || error.detail().isEmpty()) {
                    throw new AssertionError("error without detail: " + error);
                }
                if (error.detail().startsWith("internal decode failure")) {
                    throw new AssertionError("the decoder's safety net caught an exception: " + error);
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }
    }

    /** Reads every field and every typed value of a record, checking that fields lie inside its buffer. */
    static void bounds(FlowRecord r) {
        ByteBuf b = r.buffer();
        long sink = 0;
        for (int i = 0, n = r.fieldCount(); i < n; i++) {
            int off = r.fieldOffset(i);
            int len = r.fieldLength(i);
            if (len < 0 || off < b.readerIndex() || off + len > b.writerIndex()) {
                throw new AssertionError("field " + i + " at [" + off + ", " + (off + len) + ") lies outside the "
                        + "record's buffer [" + b.readerIndex() + ", " + b.writerIndex() + ")");
            }
            sink += r.unsignedValue(i) + r.elementId(i) + r.enterpriseId(i);
        }
        for (FlowField f : FlowField.values()) {
            sink += r.getLong(f) + (r.has(f) ? 1 : 0) + r.ipv4(f) + r.mac(f);
        }
        if (sink == 42) {
            Thread.onSpinWait(); // keep the reads
        }
    }

    /**
     * Reads a record through every accessor into a string: typed fields, generic fields, the packet. Two
     * records that read the same give the same string.
     */
    static String snapshot(FlowRecord r) {
        StringBuilder sb = new StringBuilder(256);
        ExportPacket p = r.packet();
        sb.append(p.protocol()).append('|').append(p.exporter()).append('|').append(p.observationDomain())
                .append('|').append(p.sequenceNumber()).append('|').append(p.exportTimeMillis()).append('|')
                .append(p.exportNanos()).append('|').append(p.systemUptimeMillis()).append('|').append(p.count())
                .append('|').append(p.engineType()).append('|').append(p.engineId()).append('|')
                .append(p.samplingAlgorithm()).append('|').append(p.headerSamplingInterval());
        sb.append("|rec ").append(r.protocol()).append(r.exporter()).append(r.observationDomain())
                .append(' ').append(r.templateId()).append(' ').append(r.isOptions()).append(' ')
                .append(r.scopeFieldCount());
        int n = r.fieldCount();
        if (r.scopeFieldCount() < 0 || r.scopeFieldCount() > n) {
            throw new AssertionError("scopeFieldCount " + r.scopeFieldCount() + " of " + n + " fields");
        }
        byte[] addr = new byte[16];
        for (FlowField f : FlowField.values()) {
            sb.append('|').append(f.ordinal()).append(':').append(r.has(f) ? 'y' : 'n').append(r.getLong(f));
            sb.append(',').append(r.isIpv6(f)).append(',').append(r.ipv4(f));
            Arrays.fill(addr, (byte) 0);
            int a = r.copyAddress(f, addr);
            if (a != 0 && a != 4 && a != 16) {
                throw new AssertionError("copyAddress(" + f + ") wrote " + a + " bytes");
            }
            sb.append(',').append(a).append(',').append(ByteBufUtil.hexDump(addr, 0, a));
            InetAddress ia = r.address(f);
            if ((ia == null) != (a == 0)) {
                throw new AssertionError("address(" + f + ") " + ia + " but copyAddress wrote " + a);
            }
            sb.append(',').append(r.mac(f));
        }
        sb.append("|d ").append(r.sourcePort()).append(r.destinationPort()).append(r.protocolNumber())
                .append(r.bytes()).append(r.packets()).append(r.startMillis()).append(r.endMillis())
                .append(r.tcpFlags()).append(r.tos()).append(r.inputInterface()).append(r.outputInterface())
                .append(r.sourceAs()).append(r.destinationAs()).append(r.vlan()).append(r.direction())
                .append(r.samplingInterval());
        ByteBuf b = r.buffer();
        for (int i = 0; i < n; i++) {
            int id = r.elementId(i);
            long ent = r.enterpriseId(i);
            int len = r.fieldLength(i);
            InformationElement e = r.element(i);
            if (e == null) {
                throw new AssertionError("element(" + i + ") is null");
            }
            // sFlow lists records it keeps raw under their 32-bit data format as element id (SflowRecordView)
            boolean idOk = r.protocol() == FlowProtocol.SFLOW_V5 || (id >= 0 && id <= 0xFFFF);
            if (!idOk || ent < 0 || ent > 0xFFFF_FFFFL || len < 0 || len > 0xFFFF) {
                throw new AssertionError("field " + i + ": id " + id + " enterprise " + ent + " length " + len);
            }
            int off = r.fieldOffset(i);
            if (off < b.readerIndex() || off + len > b.writerIndex()) {
                throw new AssertionError("field " + i + " at [" + off + ", " + (off + len) + ") lies outside the "
                        + "record's buffer [" + b.readerIndex() + ", " + b.writerIndex() + ")");
            }
            byte[] v = r.bytesValue(i);
            if (v.length != len) {
                throw new AssertionError("bytesValue(" + i + ") has " + v.length + " bytes, fieldLength " + len);
            }
            int first = r.indexOf(ent, id);
            if (first < 0 || first > i) {
                throw new AssertionError("indexOf(" + ent + ", " + id + ") = " + first + " but field " + i + " has it");
            }
            sb.append("|f").append(i).append(' ').append(ent).append('/').append(id).append('/').append(len)
                    .append('=').append(r.unsignedValue(i)).append(',').append(ByteBufUtil.hexDump(v))
                    .append(',').append(e.name());
        }
        // toString must not throw either (it reads every field)
        if (r.toString() == null) {
            throw new AssertionError("toString() is null");
        }
        return sb.toString();
    }
}
