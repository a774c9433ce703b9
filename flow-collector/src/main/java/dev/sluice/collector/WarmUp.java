package dev.sluice.collector;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.sink.FlowSink;
import dev.sluice.core.sink.SinkPolicy;
import dev.sluice.core.sink.SinkResult;
import dev.sluice.core.sink.SinkStatistics;
import dev.sluice.decoders.DecoderLimits;
import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm-up of {@link FlowCollector.Builder#warmUp(Duration)}: before the collector binds its listeners, every
 * receiving thread gets a throwaway UDP socket on 127.0.0.1, set up like the real ones, and a throwaway
 * {@link ReceiveWorker} (its own decoder, allow-all, no processor) whose sinks read and discard what they are given.
 * The starting thread sends {@link WarmUpTraffic} to those sockets for the given time, from several exporters that
 * come and go ({@link Exporters}), a bounded number of datagrams ahead of what the threads have decoded, so that the
 * JIT compiles the socket reads, the decoders and the delivery to sinks before real traffic arrives. The real
 * decoders, counters, processor and sinks never see any of it.
 *
 * <p>The compiled code must also expect what real traffic does: code compiled from a profile that never saw a branch
 * is thrown away (deoptimized) when real traffic takes it, and compiled again while the socket buffers fill. So the
 * traffic has new exporters, data before templates, options records, colliding template ids and every transport the
 * sFlow header parser tells apart, and the sink call sees three classes (compiled as a virtual call, which a real
 * sink's class does not invalidate).
 */
final class WarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    /** How far (in decoded items) the sender runs ahead of the receiving threads, per socket. */
    private static final long WINDOW_PER_SOCKET = 1_000;
    /** Sent datagrams not decoded after this long are taken as lost (a full socket buffer), and sending goes on. */
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Template datagrams are sent again after this many data datagrams to a socket, as exporters refresh them. */
    private static final int TEMPLATE_REFRESH = 64;
    /** Exporters sending at once (see {@link Exporters}), each this many datagrams in a row. */
    private static final int EXPORTERS = 4;
    private static final int BURST = 4;
    /** After this many datagrams, one of them is replaced by an exporter the receiving threads have not seen. */
    private static final int NEW_EXPORTER_EVERY = 256;
    /** Distinct warm-up exporter addresses (127.1.0.1 on); after this many, they are used again in turn. */
    private static final int EXPORTER_ADDRESSES = 1_000;

    /** What a warm-up did. */
    record Result(long datagrams, long items, long nanos) {
        @Override
        public String toString() {
            return String.format("%,d datagrams (%,d records and counter samples) in %.1f s", datagrams, items,
                    nanos / 1e9);
        }
    }

    private WarmUp() {
    }

    /**
     * Runs the warm-up on {@code loops}, binding each socket with {@code bind} (the collector's UDP set-up for a loop
     * and a handler). Returns null, after logging why, if the throwaway sockets cannot be opened: the collector then
     * starts without a warm-up.
     */
    static Result run(List<EventLoop> loops, BiFunction<EventLoop, ReceiveWorker, ChannelFuture> bind,
            DecoderLimits limits, int maxDatagramBytes, Duration time) {
        List<WarmUpTraffic.Datagram> traffic = WarmUpTraffic.datagrams();
        long[] items = itemsOf(traffic, limits);
        // Three sink classes: the sink call is compiled as a virtual call, which the real sinks' classes do not
        // deoptimize. Every item reaches all three; the first counts what was decoded.
        DiscardingSink sink = new DiscardingSink();
        SinkOutlet[] outlets = {new SinkOutlet(sink, SinkPolicy.DEFAULT),
            new SinkOutlet(new SecondDiscardingSink(), SinkPolicy.DEFAULT),
            new SinkOutlet(new ThirdDiscardingSink(), SinkPolicy.DEFAULT)};
        List<Channel> channels = new ArrayList<>();
        long start = System.nanoTime();
        long sent = 0;
        long sentItems = 0;
        Exporters exporters = new Exporters();
        try {
            List<InetSocketAddress> targets = new ArrayList<>();
            for (EventLoop loop : loops) {
                ReceiveWorker w = new ReceiveWorker(-1, new FlowDecoder(limits), Allowlist.of(List.of()), null,
                        outlets, maxDatagramBytes);
                ChannelFuture f = bind.apply(loop, w).awaitUninterruptibly();
                if (!f.isSuccess()) {
                    LOG.warn("no warm-up: cannot open a UDP socket on 127.0.0.1: {}", f.cause().toString());
                    return null;
                }
                channels.add(f.channel());
                targets.add((InetSocketAddress) f.channel().localAddress());
            }
            exporters.open();
            int slots = exporters.channels.length;
            long window = WINDOW_PER_SOCKET * targets.size();
            long deadline = start + time.toNanos();
            int[][] next = new int[targets.size()][slots];
            int[][] sinceTemplates = new int[targets.size()][slots];
            ByteBuffer[] payloads = new ByteBuffer[traffic.size()];
            for (int i = 0; i < payloads.length; i++) {
                payloads[i] = ByteBuffer.wrap(traffic.get(i).bytes());
            }
            long stalledSince = 0;
            long lastSeen = 0;
            while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                long seen = sink.items.sum();
                if (sentItems - seen > window) {
                    long now = System.nanoTime();
                    if (seen != lastSeen || stalledSince == 0) {
                        stalledSince = now;
                        lastSeen = seen;
                    } else if (now - stalledSince > STALL_NANOS) {
                        sentItems = seen; // lost in a full socket buffer: not waited for
                    }
                    Thread.onSpinWait();
                    continue;
                }
                stalledSince = 0;
                for (int t = 0; t < targets.size(); t++) {
                    for (int e = 0; e < slots; e++) {
                        for (int k = 0; k < BURST; k++) {
                            int d = next[t][e];
                            if (sinceTemplates[t][e] >= TEMPLATE_REFRESH) { // from the top: templates again
                                d = 0;
                                sinceTemplates[t][e] = 0;
                            }
                            ByteBuffer p = payloads[d].rewind();
                            exporters.channels[e].send(p, targets.get(t));
                            sent++;
                            sentItems += items[d];
                            if (!traffic.get(d).templates()) {
                                sinceTemplates[t][e]++;
                            }
                            next[t][e] = (d + 1) % payloads.length;
                        }
                    }
                }
                int replaced = exporters.rotate(sent);
                if (replaced >= 0) { // new exporters start at different places: some send data before templates
                    long rotation = sent / NEW_EXPORTER_EVERY;
                    for (int t = 0; t < targets.size(); t++) {
                        next[t][replaced] = (int) ((rotation + t) % payloads.length);
                        sinceTemplates[t][replaced] = 0;
                    }
                    for (int i = 0; i < payloads.length; i++) { // and sFlow from a new agent: 192.0.2.1-250
                        if (traffic.get(i).sflow()) {
                            payloads[i].putInt(WarmUpTraffic.SFLOW_AGENT_OFFSET, 0xC0000201 + (int) (rotation % 250));
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("warm-up ended early: {}", e.toString());
        } finally {
            exporters.close();
            for (Channel ch : channels) {
                ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        Result r = new Result(sent, sink.items.sum(), System.nanoTime() - start);
        LOG.info("warm-up: {} through {} receiving thread{}", r, loops.size(), loops.size() == 1 ? "" : "s");
        return r;
    }

    /**
     * What each datagram gives when a fresh decoder reads the list in order (records, options records and counter
     * samples); fails if any of it does not decode, since that would be a defect of {@link WarmUpTraffic}.
     */
    static long[] itemsOf(List<WarmUpTraffic.Datagram> traffic, DecoderLimits limits) {
        FlowDecoder decoder = new FlowDecoder(limits);
        long[] items = new long[traffic.size()];
        InetAddress exporter = InetAddress.getLoopbackAddress();
        for (int i = 0; i < items.length; i++) {
            int d = i;
            decoder.decode(Unpooled.wrappedBuffer(traffic.get(i).bytes()), exporter, 0, new FlowHandler() {
                @Override
                public void onRecord(FlowRecord record) {
                    items[d]++;
                }

                @Override
                public void onOptions(FlowRecord record) {
                    items[d]++;
                }

                @Override
                public void onCounters(InterfaceCounters counters) {
                    items[d]++;
                }

                @Override
                public void onError(DecodeError error) {
                    throw new IllegalStateException("warm-up datagram " + d + " does not decode: " + error);
                }
            });
        }
        return items;
    }

    /**
     * The warm-up's sending sockets. A collector's first datagrams come from exporters its threads have not seen,
     * some before their templates, and exporters take turns. Had the warm-up one exporter, the compiled code would
     * take none of that for granted, and the JIT would throw it away and compile it again just as real traffic
     * starts, while the socket buffers fill. So {@value #EXPORTERS} exporters take turns, {@value #BURST} datagrams
     * each, each from an address of its own in 127.1.0.0/16; every {@value #NEW_EXPORTER_EVERY} datagrams one of
     * them is replaced by a new address, which starts somewhere in the list of datagrams (with its templates, or
     * with data that waits for them). Where such an address cannot be bound (systems that give loopback only
     * 127.0.0.1), one unbound socket sends everything.
     */
    private static final class Exporters {
        DatagramChannel[] channels = new DatagramChannel[0];
        private int addresses;
        private long rotations;
        private long rotatedAt;
        private boolean fixed;

        void open() throws IOException {
            DatagramChannel first = next();
            if (first == null) {
                LOG.debug("warm-up from 127.0.0.1 only: cannot bind an address of 127.1.0.0/16");
                channels = new DatagramChannel[] {DatagramChannel.open()};
                fixed = true;
                return;
            }
            channels = new DatagramChannel[EXPORTERS];
            channels[0] = first;
            for (int i = 1; i < EXPORTERS; i++) {
                channels[i] = orUnbound(next());
            }
        }

        /** Replaces an exporter when it is time; answers its slot, or -1. */
        int rotate(long sent) throws IOException {
            if (fixed || sent - rotatedAt < NEW_EXPORTER_EVERY) {
                return -1;
            }
            rotatedAt = sent;
            int slot = (int) (rotations++ % channels.length);
            channels[slot].close();
            channels[slot] = orUnbound(next());
            return slot;
        }

        /** A socket bound to the next address, or null if it cannot be bound. */
        private DatagramChannel next() throws IOException {
            int k = addresses++ % EXPORTER_ADDRESSES;
            byte[] a = {127, 1, (byte) (k / 250), (byte) (1 + k % 250)};
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.bind(new InetSocketAddress(InetAddress.getByAddress(a), 0));
                return ch;
            } catch (IOException e) {
                ch.close();
                return null;
            }
        }

        private static DatagramChannel orUnbound(DatagramChannel ch) throws IOException {
            return ch != null ? ch : DatagramChannel.open();
        }

        void close() {
            for (DatagramChannel ch : channels) {
                try {
                    ch.close();
                } catch (IOException e) {
                    LOG.debug("closing a warm-up socket: {}", e.toString());
                }
            }
        }
    }

    /** Reads the fields a sink typically reads, counts and discards. */
    private static class DiscardingSink implements FlowSink {
        final LongAdder items = new LongAdder();
        private final byte[] address = new byte[16];
        /** Keeps what was read from being optimised away (written by several threads; its value does not matter). */
        long sum;

        @Override
        public SinkResult accept(FlowRecord record) {
            long s = record.copyAddress(FlowField.SOURCE_ADDRESS, address)
                    + record.copyAddress(FlowField.DESTINATION_ADDRESS, address) + record.sourcePort()
                    + record.destinationPort() + record.protocolNumber() + record.bytes() + record.packets()
                    + record.startMillis() + record.endMillis() + record.tcpFlags() + record.inputInterface()
                    + record.outputInterface();
            sum += s;
            items.increment();
            return SinkResult.ACCEPTED;
        }

        @Override
        public SinkResult accept(FlowRecord record, FlowEvent event) {
            return accept(record);
        }

        @Override
        public SinkResult acceptOptions(FlowRecord record) {
            items.increment();
            return SinkResult.ACCEPTED;
        }

        @Override
        public SinkResult acceptCounters(InterfaceCounters counters) {
            sum += counters.ifIndex();
            items.increment();
            return SinkResult.ACCEPTED;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public SinkStatistics statistics() {
            return new SinkStatistics(items.sum(), 0, 0);
        }
    }

    /** The same sink as another class (see {@link #run}). */
    private static final class SecondDiscardingSink extends DiscardingSink {
    }

    /** The same sink as a third class. */
    private static final class ThirdDiscardingSink extends DiscardingSink {
    }
}
