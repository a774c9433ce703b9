package dev.sluice.collector;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The receive buffers of a UDP socket that reads up to {@code batch} datagrams per call ({@code recvmmsg} with epoll;
 * 1 for NIO and for single-datagram reads): one buffer of {@code batch} slots per call, and no further call after a
 * call that filled only part of them. When it stops after full calls instead (the per-wakeup bound), datagrams may be
 * left, and it tells the thread's {@link CoalescingIoHandler}, which then does not pause.
 *
 * <p>Netty's datagram read loop calls {@code recvmmsg} again until a call finds nothing (or the per-wakeup bound is
 * reached), so every wakeup ends with a call that returns nothing, and Netty's native code makes a {@code getsockopt}
 * before each call. When datagrams arrive more slowly than the thread reads them, wakeups bring only a few
 * datagrams each, and those two wasted system calls per wakeup cost as much as the reading itself (measured on a
 * VM, where every system call is dear). A call that filled only part of its slots found the socket's queue empty
 * at that moment, so the loop stops there: Netty's epoll is level-triggered, and the next {@code epoll_wait}
 * returns at once for whatever arrived meanwhile. Under load the batches are full and reading goes on as before.
 */
final class BatchReadAllocator extends FixedRecvByteBufAllocator {
    private final int batch;

    /** Buffers of {@code batch} slots of {@code slot} bytes. */
    BatchReadAllocator(int slot, int batch) {
        super(slot * batch);
        this.batch = batch;
    }

    @Override
    public Handle newHandle() {
        return new StopAfterPartialBatch((ExtendedHandle) super.newHandle(), batch);
    }

    /** Forwards to Netty's handle; stops reading after a read of fewer than a full batch of datagrams. */
    private static final class StopAfterPartialBatch implements RecvByteBufAllocator.ExtendedHandle {
        private final ExtendedHandle delegate;
        private final int batch;
        private boolean partial;

        StopAfterPartialBatch(ExtendedHandle delegate, int batch) {
            this.delegate = delegate;
            this.batch = batch;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return delegate.allocate(alloc);
        }

        @Override
        public int guess() {
            return delegate.guess();
        }

        @Override
        public void reset(ChannelConfig config) {
            partial = false;
            delegate.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            // called once per recvmmsg call with the datagrams it returned
            partial = numMessages < batch;
            delegate.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            delegate.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return delegate.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            delegate.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return delegate.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return stillReading(!partial && delegate.continueReading());
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return stillReading(!partial && delegate.continueReading(maybeMoreDataSupplier));
        }

        /** Tells the thread's {@link CoalescingIoHandler} when reading stops at the bound, not on an empty queue. */
        private boolean stillReading(boolean more) {
            if (!more && !partial) {
                CoalescingIoHandler.backlogLeft();
            }
            return more;
        }

        @Override
        public void readComplete() {
            delegate.readComplete();
        }
    }
}
