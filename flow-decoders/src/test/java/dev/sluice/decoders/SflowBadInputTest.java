package dev.sluice.decoders;

import static dev.sluice.decoders.SflowTestData.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input: every truncation and many random mutations of every sFlow datagram the tests know. Nothing
 * escapes the decoder, nothing loops, every problem is counted with a reason, and no problem is caught by
 * the decoder's last-resort safety net (every length is checked before it is used). Plus the steady-state
 * allocation check.
 */
class SflowBadInputTest {

    static List<byte[]> datagrams() {
        List<byte[]> all = new ArrayList<>();
        for (String v : new String[] {"sflow_test__TestSFlowDecode__data__L11.bin",
            "sflow_test__TestExpandedSFlowDecode__data__L30.bin",
            "sflow_test__getExpandedSFlowDecode__literal__L21.bin",
            "sflow_test__TestSFlowDecodeDropEgressQueue__data__L133.bin",
            "sflow_test__TestSFlowDecodeDropExtendedACL__data__L153.bin",
            "sflow_test__TestSFlowDecodeDropExtendedFunction__data__L174.bin"}) {
            all.add(vector(v));
        }
        byte[] v6frame = ethernet("00:11:22:33:44:55", "66:77:88:99:aa:bb").u16(0x88A8).u16(1).u16(0x8100).u16(2)
                .u16(0x86DD).bytes(ipv6(0, 0, 40, 0, 64, "2001:db8::1", "2001:db8::2"))
                .bytes(xdr().u8(44).u8(0).u16(0).u32(0).build()).bytes(xdr().u8(6).u8(0).u16(1).u32(9).build())
                .bytes(tcp(1, 2, 3)).build();
        byte[] mplsFrame = ethernet("00:11:22:33:44:55", "66:77:88:99:aa:bb").u16(0x8847).u32(0x10000).u32(0x11140)
                .bytes(ipv4(0, 40, 1, 0, 64, 17, "1.1.1.1", "2.2.2.2", new byte[] {1, 1, 1, 0})).bytes(udp(1, 2, 8))
                .build();
        byte[] generic = new byte[88];
        all.add(datagram("2001:db8::1", 1, 2, 3,
                flowSample(1, 2, 3, 4, 5, 6, 7, extendedSwitch(1, 2, 3, 4), rawHeader(1, 100, 4, v6frame),
                        extendedRouter("2001:db8::fe", 48, 64),
                        extendedGateway("10.0.0.1", 1, 2, 3, new long[] {4, 5, 6}, new long[] {7, 8}, 9),
                        tagged(1004, new byte[] {0, 0, 0, 1, 65, 0, 0, 0})),
                counterSample(false, 1, 0, 5, tagged(1, generic), tagged(2, new byte[52]), tagged(7, new byte[12])),
                expandedFlowSample(1, 0, 9, 10, 11, 0, 0, 12, 2, 3, rawHeader(1, 80, 4, mplsFrame),
                        tagged(2, new byte[24]), tagged(3, new byte[32]), tagged(4, new byte[56])),
                counterSample(true, 2, 0, 6, tagged(2, new byte[52])),
                tagged(5, xdr().u32(1).u32(0).u32(1).u32(0).u32(1).u32(2).u32(3).u32(2)
                        .bytes(tagged(1036, new byte[4])).bytes(tagged(1038, xdr().opaque("f".getBytes()).build()))
                        .build())));
        return all;
    }

    /** Counts what the decoder hands out, touching every value of it (through views and copies). */
    static final class Checking implements FlowHandler {
        int records;
        int counters;
        final List<DecodeError> errors = new ArrayList<>();

        @Override
        public void onRecord(FlowRecord r) {
            records++;
            touch(r);
            touch(r.copy());
        }

        @Override
        public void onCounters(InterfaceCounters c) {
            counters++;
            touch(c);
            touch(c.copy());
        }

        @Override
        public void onError(DecodeError e) {
            errors.add(e);
        }

        static long touch(FlowRecord r) {
            long sum = 0;
            for (FlowField f : FlowField.values()) {
                sum += r.getLong(f) + (r.has(f) ? 1 : 0) + r.mac(f) + r.ipv4(f);
                if (f.kind() == FlowField.Kind.ADDRESS) {
                    sum += r.copyAddress(f, new byte[16]);
                }
            }
            for (int i = 0; i < r.fieldCount(); i++) {
                sum += r.unsignedValue(i) + r.bytesValue(i).length + r.elementId(i) + r.element(i).elementId();
            }
            sum += r.toString().length();
            return sum;
        }

        static long touch(InterfaceCounters c) {
            long sum = c.ifIndex() + c.inOctets() + c.outOctets() + c.dot3SymbolErrors() + c.promiscuousMode()
                    + c.sequenceNumber() + c.sourceIdIndex();
            for (int i = 0; i < c.otherRecordCount(); i++) {
                sum += c.otherRecordBytes(i).length + c.otherRecordFormat(i);
            }
            return sum + c.toString().length();
        }
    }

    private static Checking decodeChecked(FlowDecoder d, byte[] dg) {
        Checking h = new Checking();
        long before = d.statistics().errorCount();
        d.decode(Unpooled.wrappedBuffer(dg), UDP_SOURCE, 0, h);
        assertThat(d.statistics().errorCount() - before).as("every error reported is counted").isEqualTo(h.errors.size());
        for (DecodeError e : h.errors) {
            assertThat(e.detail()).as("no read outside a checked length").doesNotContain("internal decode failure");
        }
        return h;
    }

    @Test
    void everyTruncationIsReportedNeverThrown() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            List<byte[]> all = datagrams();
            for (int k = 0; k < all.size(); k++) {
                byte[] full = all.get(k);
                FlowDecoder d = new FlowDecoder();
                Checking whole = decodeChecked(d, full);
                int fullRecords = whole.records;
                boolean complete = false;
                for (int n = 0; n < full.length; n++) {
                    Checking h = decodeChecked(d, Arrays.copyOf(full, n));
                    if (complete || h.errors.isEmpty() && h.records == fullRecords) {
                        // the announced samples are all there: what follows is trailing bytes (the goflow2
                        // expanded vector holds 332 bytes of an unannounced sample after its 5 samples)
                        complete = true;
                        continue;
                    }
                    if (FlowDecoder.isZero(Unpooled.wrappedBuffer(full), n, full.length)) {
                        // only zeros were cut: padding, or the zero tail of a structure (then reported)
                        assertThat(h.records).isLessThanOrEqualTo(fullRecords);
                        continue;
                    }
                    assertThat(h.errors).as("datagram %d cut at %d of %d", k, n, full.length).isNotEmpty();
                    assertThat(h.records).as("datagram %d cut at %d", k, n).isLessThanOrEqualTo(fullRecords);
                    if (n >= 4) { // fewer bytes than the version word: an unknown version, not an sFlow datagram
                        assertThat(h.errors).extracting(DecodeError::reason).as("datagram %d cut at %d", k, n)
                                .containsAnyOf(DecodeError.Reason.TRUNCATED, DecodeError.Reason.BAD_LENGTH);
                    }
                }
            }
        });
    }

    @Test
    void randomMutationsNeverThrowNorLoop() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random rnd = new Random(20240605L);
            List<byte[]> all = datagrams();
            FlowDecoder d = new FlowDecoder();
            long decoded = 0;
            for (int round = 0; round < 20_000; round++) {
                byte[] dg = all.get(rnd.nextInt(all.size())).clone();
                int edits = 1 + rnd.nextInt(6);
                for (int e = 0; e < edits; e++) {
                    int at = rnd.nextInt(dg.length);
                    switch (rnd.nextInt(4)) {
                        case 0: // a random byte
                            dg[at] = (byte) rnd.nextInt(256);
                            break;
                        case 1: { // a word (often a length or count) set to something extreme
                            int w = at & ~3;
                            int v = switch (rnd.nextInt(5)) {
                                case 0 -> 0;
                                case 1 -> -1;
                                case 2 -> 0x7FFFFFFF;
                                case 3 -> rnd.nextInt(4096);
                                default -> rnd.nextInt();
                            };
                            if (w + 4 <= dg.length) {
                                dg[w] = (byte) (v >>> 24);
                                dg[w + 1] = (byte) (v >>> 16);
                                dg[w + 2] = (byte) (v >>> 8);
                                dg[w + 3] = (byte) v;
                            }
                            break;
                        }
                        case 2: // a bit flip
                            dg[at] ^= (byte) (1 << rnd.nextInt(8));
                            break;
                        default: // cut
                            dg = Arrays.copyOf(dg, at);
                            if (dg.length == 0) {
                                dg = new byte[] {0};
                            }
                    }
                }
                decodeChecked(d, dg);
                decoded++;
            }
            assertThat(decoded).isEqualTo(20_000);
            assertThat(d.statistics().packets()).isGreaterThanOrEqualTo(20_000);
        });
    }

    @Test
    void zeroCountsAndHugeCountsEndQuickly() {
        // 2^32-1 samples announced, none present; a flow sample announcing 2^32-1 records, none present
        byte[] huge = xdr().u32(5).u32(1).u32(0x0a000001).u32(0).u32(0).u32(0).u32(0xFFFFFFFFL).build();
        byte[] hugeRecords = datagram("10.0.0.1", 0, 0, 0, tagged(1, xdr().u32(1).u32(1).u32(1).u32(1).u32(0)
                .u32(1).u32(2).u32(0xFFFFFFFFL).build()));
        byte[] zeroLengthSamples = xdr().u32(5).u32(1).u32(0x0a000001).u32(0).u32(0).u32(0).u32(100_000)
                .bytes(new byte[8 * 1000]).build();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            FlowDecoder d = new FlowDecoder();
            assertThat(decodeChecked(d, huge).errors).extracting(DecodeError::reason)
                    .containsExactly(DecodeError.Reason.TRUNCATED);
            Checking h = decodeChecked(d, hugeRecords);
            assertThat(h.errors).extracting(DecodeError::reason).containsExactly(DecodeError.Reason.TRUNCATED);
            assertThat(h.records).isEqualTo(1);
            // 1000 empty samples of format 0:0 (unknown), then the datagram ends before sample 1001
            Checking z = decodeChecked(d, zeroLengthSamples);
            assertThat(z.errors).hasSize(1);
            assertThat(d.statistics().skippedFormats()).isEqualTo(1000);
        });
    }

    /** Steady state: decoding flow and counter samples allocates nothing (views, scratch and agents reused). */
    @Test
    void steadyStateDecodingDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported()) {
            return;
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        byte[] expanded = vector("sflow_test__TestExpandedSFlowDecode__data__L30.bin");
        byte[] mixed = datagrams().get(6);
        io.netty.buffer.ByteBuf a = Unpooled.wrappedBuffer(expanded);
        io.netty.buffer.ByteBuf b = Unpooled.wrappedBuffer(mixed);
        long[] sink = new long[1];
        FlowHandler handler = new FlowHandler() {
            @Override
            public void onRecord(FlowRecord r) {
                long s = r.bytes() + r.sourcePort() + r.ipv4(FlowField.SOURCE_ADDRESS) + r.samplingInterval()
                        + r.mac(FlowField.SOURCE_MAC) + r.vlan();
                for (int i = 0, n = r.fieldCount(); i < n; i++) {
                    s += r.unsignedValue(i) + r.fieldOffset(i) + r.elementId(i);
                }
                sink[0] += s;
            }

            @Override
            public void onCounters(InterfaceCounters c) {
                sink[0] += c.inOctets() + c.outOctets() + c.dot3FcsErrors();
            }
        };
        FlowDecoder d = new FlowDecoder();
        int warmup = 50_000;
        int measured = 50_000;
        for (int i = 0; i < warmup; i++) {
            d.decode(a, UDP_SOURCE, 0, handler);
            d.decode(b, UDP_SOURCE, 0, handler);
        }
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < measured; i++) {
            d.decode(a, UDP_SOURCE, 0, handler);
            d.decode(b, UDP_SOURCE, 0, handler);
        }
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        long samples = (long) measured * (5 + 2 + 2);
        assertThat(d.statistics().errorCount()).isZero();
        assertThat(sink[0]).isNotZero();
        // a few kB of slack for the JIT and the JMX calls themselves, far below one byte per sample
        assertThat(allocated).as("bytes allocated over %d samples", samples).isLessThan(samples / 10);
    }
}
