package dev.sluice.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@link CoalescingIoHandler}: it pauses after a pass that handled I/O, and not after an idle pass, a pass that left
 * a backlog, or when tasks are waiting; a scheduled task shortens the pause.
 */
class CoalescingIoHandlerTest {
    private static final long PAUSE = TimeUnit.MILLISECONDS.toNanos(300);

    /** The delegate: each pass answers what {@code pass} says. */
    private static IoHandler handler(IntSupplier pass) {
        IoHandlerFactory inner = executor -> new IoHandler() {
            @Override
            public int run(IoHandlerContext context) {
                return pass.getAsInt();
            }

            @Override
            public IoRegistration register(IoHandle handle) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void wakeup() {
            }

            @Override
            public boolean isCompatible(Class<? extends IoHandle> handleType) {
                return true;
            }
        };
        return CoalescingIoHandler.factory(inner, PAUSE).newHandler(null);
    }

    private static IoHandlerContext context(boolean canBlock, long delayNanos) {
        return new IoHandlerContext() {
            @Override
            public boolean canBlock() {
                return canBlock;
            }

            @Override
            public long delayNanos(long currentTimeNanos) {
                return delayNanos;
            }

            @Override
            public long deadlineNanos() {
                return System.nanoTime() + delayNanos;
            }
        };
    }

    private static long millisOfOnePass(IoHandler h, IoHandlerContext c) {
        long start = System.nanoTime();
        h.run(c);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void pausesOnlyAfterAPassThatReadAndLeftNothingBehind() {
        IoHandlerContext idle = context(true, TimeUnit.SECONDS.toNanos(1));
        assertThat(millisOfOnePass(handler(() -> 1), idle)).as("after reading").isGreaterThanOrEqualTo(290);
        assertThat(millisOfOnePass(handler(() -> 0), idle)).as("nothing handled").isLessThan(150);
        assertThat(millisOfOnePass(handler(() -> {
            CoalescingIoHandler.backlogLeft();
            return 1;
        }), idle)).as("a socket stopped at its bound").isLessThan(150);
        IoHandler h = handler(() -> 1);
        CoalescingIoHandler.backlogLeft(); // from an earlier pass: forgotten when the next one starts
        assertThat(millisOfOnePass(h, idle)).as("an earlier backlog").isGreaterThanOrEqualTo(290);
        assertThat(millisOfOnePass(handler(() -> 1), context(false, TimeUnit.SECONDS.toNanos(1))))
                .as("tasks waiting").isLessThan(150);
        long shortened = millisOfOnePass(handler(() -> 1), context(true, TimeUnit.MILLISECONDS.toNanos(20)));
        assertThat(shortened).as("a task due in 20 ms").isLessThan(150);
    }
}
