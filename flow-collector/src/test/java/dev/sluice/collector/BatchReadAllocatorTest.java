package dev.sluice.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchReadAllocator}: reading goes on after a full batch of datagrams and stops after a partial one, within
 * the bound on datagrams per wakeup. (Over real sockets, DatagramSizeTest's burst arrives in full with it.)
 */
class BatchReadAllocatorTest {

    @Test
    void readingStopsAfterAPartialBatch() {
        ChannelConfig config = new EmbeddedChannel().config();
        BatchReadAllocator allocator = new BatchReadAllocator(1_000, 16);
        allocator.maxMessagesPerRead(64);
        RecvByteBufAllocator.Handle h = allocator.newHandle();
        h.reset(config);
        assertThat(h.guess()).as("one buffer holds a batch").isEqualTo(16_000);

        h.attemptedBytesRead(16_000);
        h.lastBytesRead(16_000);
        h.incMessagesRead(16);
        assertThat(h.continueReading()).as("after a full batch").isTrue();

        h.lastBytesRead(3_000);
        h.incMessagesRead(3);
        assertThat(h.continueReading()).as("after a partial batch").isFalse();

        h.reset(config);
        for (int i = 0; i < 3; i++) {
            h.lastBytesRead(16_000);
            h.incMessagesRead(16);
            assertThat(h.continueReading()).as("full batch %d", i + 1).isTrue();
        }
        h.lastBytesRead(16_000);
        h.incMessagesRead(16);
        assertThat(h.continueReading()).as("64 datagrams: the bound per wakeup").isFalse();
    }
}
