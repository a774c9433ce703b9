package dev.sluice.collector;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.sink.SinkResult;
import dev.sluice.decoders.DecoderStatistics;
import dev.sluice.decoders.FlowDecoder;
import dev.sluice.decoders.TemplateDefinition;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one receiving thread (one event loop) owns: its {@link FlowDecoder} for the UDP datagrams the kernel
 * hands its sockets, the TCP sessions on its loop, and its counters. Only its own thread touches it, except
 * {@link #lastSnapshot}, which is published for other threads.
 */
final class ReceiveWorker implements FlowHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiveWorker.class);
    /** Addresses refused by the allowlist that are counted one by one, per thread; the rest only in total. */
    static final int MAX_DENIED_LISTED = 1024;
    /** 255.255.255.255: a broadcast source, which the network stack never delivers a datagram from. */
    private static final InetAddress NO_ADDRESS = broadcastAddress();

    final int index;
    final FlowDecoder decoder;
    private final Allowlist allowlist;
    private final FlowProcessor processor;
    /** This thread's enrichment event, reset for every record (only with a processor). */
    private final FlowEvent event = new FlowEvent();
    private final SinkOutlet[] outlets;
    private final int maxTallies;
    /** Longer datagrams were cut by their receive slot and are counted, not decoded. */
    private final int maxDatagramBytes;
    private final Map<InetAddress, ExporterTally> tallies = new HashMap<>();
    /** Tallies of exporters forgotten after their idle time, and of exporters beyond the bound. */
    private final ExporterTally retired = new ExporterTally();
    private final ExporterTally unlisted = new ExporterTally();
    private final Map<InetAddress, long[]> denied = new HashMap<>();
    private long deniedUnlisted;
    final List<TcpSession> sessions = new ArrayList<>();
    private long exportersExpired;
    int templatesRestored;

    /**
     * The exporter of the previous datagram and its tally. Before the first (and after it expired) they are
     * {@link #NO_ADDRESS} and {@link #noTally}, so that the first datagram takes the same branches as a change of
     * exporter: compiled code that never saw a first datagram (after the warm-up) does not deoptimize on it.
     */
    private InetAddress lastAddress = NO_ADDRESS;
    private ExporterTally lastTally;
    private final ExporterTally noTally = new ExporterTally();
    /** The exporter whose datagram is being decoded. */
    private ExporterTally current;

    private final ThrottledLog decodeLog = new ThrottledLog(LOG);
    private final ThrottledLog processorLog = new ThrottledLog(LOG);
    private final ThrottledLog truncatedLog = new ThrottledLog(LOG);
    volatile Snapshot lastSnapshot = new Snapshot(new ExporterTally(), Map.of(), 0, 0);

    final ChannelHandler udpHandler = new UdpReceiver();

    ReceiveWorker(int index, FlowDecoder decoder, Allowlist allowlist, FlowProcessor processor, SinkOutlet[] outlets,
            int maxDatagramBytes) {
        this.index = index;
        this.maxDatagramBytes = maxDatagramBytes;
        this.decoder = decoder;
        this.allowlist = allowlist;
        this.processor = processor;
        this.outlets = outlets;
        this.maxTallies = decoder.limits().maxExporters();
        this.lastTally = noTally;
    }

    private static InetAddress broadcastAddress() {
        try {
            return InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** What the thread reports to {@link FlowCollector#metrics()}. */
    record Snapshot(ExporterTally total, Map<InetAddress, ExporterTally> exporters, long exportersExpired,
            int templatesRestored) {
    }

    /** Receives the datagrams of the UDP sockets on this worker's loop. */
    @ChannelHandler.Sharable
    private final class UdpReceiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            datagram(packet.content(), packet.sender().getAddress(), System.currentTimeMillis());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            decodeLog.warn("UDP receive error on " + ctx.channel().localAddress(), cause.toString());
        }
    }

    /** Checks the sender against the allowlist and decodes the datagram. */
    void datagram(ByteBuf content, InetAddress sender, long now) {
        if (!allowlist.allows(sender)) {
            deny(sender);
            return;
        }
        ExporterTally t = tally(sender, now);
        t.datagrams++;
        if (content.readableBytes() > maxDatagramBytes) {
            t.datagramsTruncated++;
            truncatedLog.warn("datagrams longer than maxDatagramBytes, cut by the receive buffer and not decoded"
                    + " (counted per exporter as datagramsTruncated)", "a datagram from " + sender.getHostAddress()
                    + " is longer than " + maxDatagramBytes + " bytes; raise maxDatagramBytes (flowctl collect"
                    + " --max-datagram)");
            return;
        }
        current = t;
        try {
            decoder.decode(content, sender, now, this);
        } catch (RuntimeException e) {
            // The decoder never throws for bad input; this is our own handler failing. Keep the loop alive.
            t.processorErrors++;
            processorLog.warn("delivering records failed", e.toString());
        }
    }

    /** Decodes one IPFIX message of a TCP session (its own decoder: templates belong to the connection). */
    void message(TcpSession session, ByteBuf message, long now) {
        ExporterTally t = tally(session.exporter, now);
        t.datagrams++;
        current = t;
        try {
            session.decoder.decode(message, session.exporter, now, this);
        } catch (RuntimeException e) {
            t.processorErrors++;
            processorLog.warn("delivering records failed", e.toString());
        }
    }

    void deny(InetAddress sender) {
        long[] n = denied.get(sender);
        if (n == null) {
            if (denied.size() >= MAX_DENIED_LISTED) {
                deniedUnlisted++;
                return;
            }
            n = new long[1];
            denied.put(sender, n);
        }
        n[0]++;
    }

    boolean allows(InetAddress address) {
        return allowlist.allows(address);
    }

    ExporterTally tally(InetAddress address, long now) {
        ExporterTally t;
        if (lastAddress.equals(address) && lastTally != noTally) {
            t = lastTally;
        } else {
            t = tallies.get(address);
            if (t == null) {
                if (tallies.size() >= maxTallies) {
                    t = unlisted;
                } else {
                    t = new ExporterTally();
                    tallies.put(address, t);
                }
            }
            lastAddress = address;
            lastTally = t;
        }
        t.lastSeenMillis = now;
        return t;
    }

    /** A TCP session ended: its decoder's counters (not what it held) join its exporter's tally. */
    void sessionEnded(TcpSession s, long now) {
        sessions.remove(s);
        ExporterTally ended = tally(s.exporter, now);
        ended.decoder = ended.decoder.plus(s.decoder.statistics().withoutGauges());
    }

    // ------------------------------------------------------------------ FlowHandler, on this thread

    @Override
    public void onRecord(FlowRecord record) {
        deliver(SinkOutlet.RECORD, record, null);
    }

    @Override
    public void onOptions(FlowRecord record) {
        deliver(SinkOutlet.OPTIONS, record, null);
    }

    @Override
    public void onCounters(InterfaceCounters counters) {
        deliver(SinkOutlet.COUNTERS, null, counters);
    }

    @Override
    public void onError(DecodeError error) {
        decodeLog.warn("decode errors (counted per exporter and reason)", error);
    }

    private void deliver(int kind, FlowRecord record, InterfaceCounters counters) {
        ExporterTally t = current;
        FlowEvent ev = null;
        if (processor != null) {
            boolean pass;
            try {
                if (kind == SinkOutlet.RECORD) {
                    ev = event;
                    ev.reset(record);
                }
                pass = kind == SinkOutlet.RECORD ? processor.onRecord(record, ev)
                        : kind == SinkOutlet.OPTIONS ? processor.onOptions(record) : processor.onCounters(counters);
            } catch (RuntimeException e) {
                t.processorErrors++;
                processorLog.warn("the flow processor threw; record not passed to sinks", e.toString());
                return;
            }
            if (!pass) {
                t.filtered++;
                return;
            }
        }
        for (SinkOutlet o : outlets) {
            SinkResult r = o.offer(kind, record, ev, counters);
            if (r == SinkResult.ACCEPTED) {
                t.sinkAccepted++;
            } else if (r == SinkResult.FAILED) {
                t.sinkFailed++;
            } else if (r == SinkResult.DROPPED) {
                t.sinkDropped++;
            }
        }
    }

    // ------------------------------------------------------------------ housekeeping and reporting, on this thread

    /** Expires held data and, with {@code idleMillis > 0}, forgets exporters idle for longer. */
    void housekeeping(long now, long idleMillis) {
        current = unlisted;
        decoder.expirePending(now, this);
        for (TcpSession s : sessions) {
            s.decoder.expirePending(now, this);
        }
        if (idleMillis <= 0) {
            return;
        }
        exportersExpired += decoder.expireIdleExporters(now, idleMillis).size();
        Iterator<Map.Entry<InetAddress, ExporterTally>> it = tallies.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<InetAddress, ExporterTally> e = it.next();
            if (now - e.getValue().lastSeenMillis > idleMillis && !hasSession(e.getKey())) {
                retired.add(e.getValue());
                it.remove();
                if (lastTally == e.getValue()) {
                    lastTally = noTally;
                    lastAddress = NO_ADDRESS;
                }
            }
        }
    }

    private boolean hasSession(InetAddress address) {
        for (TcpSession s : sessions) {
            if (s.exporter.equals(address)) {
                return true;
            }
        }
        return false;
    }

    List<TemplateDefinition> templates() {
        return decoder.templates();
    }

    Snapshot snapshot() {
        ExporterTally total = new ExporterTally();
        Map<InetAddress, ExporterTally> per = new LinkedHashMap<>();
        for (Map.Entry<InetAddress, ExporterTally> e : tallies.entrySet()) {
            per.put(e.getKey(), e.getValue().copy());
            total.add(e.getValue());
        }
        total.add(retired);
        total.add(unlisted);
        total.decoder = total.decoder.plus(decoder.statistics());
        for (Map.Entry<InetAddress, DecoderStatistics> e : decoder.exporterStatistics().entrySet()) {
            ExporterTally t = per.computeIfAbsent(e.getKey(), a -> new ExporterTally());
            t.decoder = t.decoder.plus(e.getValue());
        }
        for (TcpSession s : sessions) {
            DecoderStatistics st = s.decoder.statistics();
            total.decoder = total.decoder.plus(st);
            ExporterTally t = per.computeIfAbsent(s.exporter, a -> new ExporterTally());
            t.decoder = t.decoder.plus(st);
        }
        for (Map.Entry<InetAddress, long[]> e : denied.entrySet()) {
            per.computeIfAbsent(e.getKey(), a -> new ExporterTally()).allowlistDropped += e.getValue()[0];
            total.allowlistDropped += e.getValue()[0];
        }
        total.allowlistDropped += deniedUnlisted;
        Snapshot s = new Snapshot(total, per, exportersExpired, templatesRestored);
        lastSnapshot = s;
        return s;
    }
}
