package dev.sluice.collector;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.locks.LockSupport;

/**
 * A receiving thread's I/O handler that lets datagrams gather between wakeups: after a pass that handled I/O, the
 * thread sleeps for a short, fixed time (less if a scheduled task is due sooner) before it waits for readiness again.
 *
 * <p>Each wakeup costs system calls whatever it brings: the readiness wait, and per {@code recvmmsg} call Netty's
 * {@code getsockopt} and the call itself. Exporters send steadily, so without a pause a busy thread wakes for every
 * two or three datagrams, and on a virtual machine, where every system call is dear, those calls cost more than
 * reading the data. Measured at 82 k NetFlow v5 datagrams/s over 6 s: without a pause 221 k wakeups and 221 k
 * {@code recvmmsg} calls, 3.6 s of the thread's CPU; with 250 µs, 9 k wakeups and 33 k calls (15 datagrams per call),
 * 1.2 s. The socket's buffer holds what gathers easily (82 k datagrams/s for 250 µs is about 20 datagrams, 30 KB),
 * at the price of that much latency, which flow records do not notice. A thread with nothing to read is not
 * delayed: the pause follows only passes that handled I/O, and never delays a scheduled task that is due. Nor is a
 * thread that is behind: when a socket stopped reading at its per-wakeup bound with datagrams still queued
 * ({@link #backlogLeft()}, from {@link BatchReadAllocator}), the next pass follows at once, since a pause would only
 * cut the rate at which the thread can read.
 */
final class CoalescingIoHandler implements IoHandler {
    /** Per receiving thread: a socket of the current pass stopped with datagrams left. */
    private static final FastThreadLocal<boolean[]> BACKLOG = new FastThreadLocal<>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };

    private final IoHandler delegate;
    private final long pauseNanos;

    private CoalescingIoHandler(IoHandler delegate, long pauseNanos) {
        this.delegate = delegate;
        this.pauseNanos = pauseNanos;
    }

    /** Handlers of {@code factory}'s kind that pause {@code pauseNanos} after every pass that handled I/O. */
    static IoHandlerFactory factory(IoHandlerFactory factory, long pauseNanos) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(io.netty.util.concurrent.ThreadAwareExecutor executor) {
                return new CoalescingIoHandler(factory.newHandler(executor), pauseNanos);
            }

            @Override
            public boolean isChangingThreadSupported() {
                return factory.isChangingThreadSupported();
            }
        };
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    /** Called on a receiving thread when a socket stopped reading with datagrams possibly left. */
    static void backlogLeft() {
        BACKLOG.get()[0] = true;
    }

    @Override
    public int run(IoHandlerContext context) {
        boolean[] backlog = BACKLOG.get();
        backlog[0] = false;
        int handled = delegate.run(context);
        if (handled > 0 && !backlog[0] && context.canBlock()) {
            long pause = Math.min(pauseNanos, context.delayNanos(System.nanoTime()));
            if (pause > 0) {
                LockSupport.parkNanos(pause);
            }
        }
        return handled;
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }
}
