package dev.sluice.collector;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** An IPFIX-over-TCP listening socket, its bounds and counters, and its open connections. */
final class TcpListener {
    final InetSocketAddress requested;
    final int maxConnections;
    final int maxMessageBytes;
    final long idleMillis;
    Channel server;
    InetSocketAddress bound;
    final ChannelGroup connections = new DefaultChannelGroup("ipfix-tcp", GlobalEventExecutor.INSTANCE);
    final AtomicInteger open = new AtomicInteger();
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder framingErrors = new LongAdder();
    final LongAdder idleClosed = new LongAdder();

    TcpListener(InetSocketAddress requested, int maxConnections, int maxMessageBytes, long idleMillis) {
        this.requested = requested;
        this.maxConnections = maxConnections;
        this.maxMessageBytes = maxMessageBytes;
        this.idleMillis = idleMillis;
    }

    ListenerMetrics metrics(String transport) {
        return new ListenerMetrics("tcp", transport, bound == null ? requested : bound, 1, 0, 0, -1, open.get(),
                accepted.sum(), rejected.sum(), framingErrors.sum(), idleClosed.sum());
    }
}
