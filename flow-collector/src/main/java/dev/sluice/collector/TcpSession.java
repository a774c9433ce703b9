package dev.sluice.collector;

import dev.sluice.decoders.DecoderLimits;
import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IPFIX-over-TCP connection (RFC 7011 section 10.4): after the frame decoder has cut the stream into messages by
 * the header's length, each message is checked (version 10, at least a header) and decoded by the connection's own
 * {@link FlowDecoder}, since templates are scoped to the transport session. A framing error closes this
 * connection only, and is counted.
 */
final class TcpSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TcpSession.class);
    private static final ThrottledLog ERRORS = new ThrottledLog(LOG);
    static final int IPFIX_HEADER = 16;

    private final TcpListener listener;
    private final Map<Object, ReceiveWorker> workers;
    final FlowDecoder decoder;
    InetAddress exporter;
    private ReceiveWorker worker;
    private boolean counted;
    private boolean closing;

    TcpSession(TcpListener listener, Map<Object, ReceiveWorker> workers, DecoderLimits limits) {
        this.listener = listener;
        this.workers = workers;
        this.decoder = new FlowDecoder(limits);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        exporter = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        worker = workers.get(ctx.channel().eventLoop());
        if (worker == null || !worker.allows(exporter)) {
            listener.rejected.increment();
            if (worker != null) {
                worker.deny(exporter);
            }
            closing = true;
            ctx.close();
            return;
        }
        if (listener.open.incrementAndGet() > listener.maxConnections) {
            listener.open.decrementAndGet();
            listener.rejected.increment();
            ERRORS.warn("IPFIX/TCP connection refused: " + listener.maxConnections + " connections open",
                    exporter.getHostAddress());
            closing = true;
            ctx.close();
            return;
        }
        counted = true;
        listener.accepted.increment();
        listener.connections.add(ctx.channel());
        worker.sessions.add(this);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (closing) {
                return;
            }
            int at = frame.readerIndex();
            int version = frame.getUnsignedShort(at);
            int length = frame.getUnsignedShort(at + 2);
            if (version != 10 || length < IPFIX_HEADER) {
                framingError(ctx, version != 10 ? "version " + version + " where an IPFIX message (10) must start"
                        : "message length " + length + " is shorter than the IPFIX header");
                return;
            }
            worker.message(this, frame, System.currentTimeMillis());
        } finally {
            frame.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!closing) {
                listener.idleClosed.increment();
                closing = true;
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            // LengthFieldBasedFrameDecoder: a length over the bound (TooLongFrameException) or under 4 bytes
            framingError(ctx, cause.getMessage());
        } else if (!closing) {
            ERRORS.warn("IPFIX/TCP connection from " + exporter + " failed", cause.toString());
            closing = true;
            ctx.close();
        }
    }

    private void framingError(ChannelHandlerContext ctx, String why) {
        if (closing) {
            return;
        }
        closing = true;
        listener.framingErrors.increment();
        if (worker != null && exporter != null) {
            worker.tally(exporter, System.currentTimeMillis()).transportErrors++;
        }
        ERRORS.warn("IPFIX/TCP connection closed for a framing error", exporter + ": " + why);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (counted) {
            counted = false;
            listener.open.decrementAndGet();
            worker.sessionEnded(this, System.currentTimeMillis());
        }
        super.channelInactive(ctx);
    }
}
