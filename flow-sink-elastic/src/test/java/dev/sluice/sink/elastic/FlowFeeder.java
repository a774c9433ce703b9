package dev.sluice.sink.elastic;

import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.enrich.EnrichmentChain;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.sink.FlowSink;
import dev.sluice.core.sink.SinkResult;
import dev.sluice.decoders.FlowDecoder;
import dev.sluice.enrich.AsnDatabase;
import dev.sluice.enrich.AsnStage;
import dev.sluice.enrich.GeoIpDatabase;
import dev.sluice.enrich.GeoIpStage;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Makes distinct flows as NetFlow v5 datagrams, decodes them with the real decoder, enriches them with GeoIP and ASN
 * from the MaxMind test databases, and offers them to a sink as the collector does (waiting on FULL, bounded).
 * Flow {@code n} has source 10.(n>>16).(n>>8).n, source port 1024 + n % 60000, {@code n + 1} bytes, and a
 * destination that cycles through {@link #DESTINATIONS} (addresses the test databases know).
 */
final class FlowFeeder {

    /** Destinations: London (GB), Linköping (SE), Boxford (GB), Telstra's AS1221 range, and one without data. */
    static final String[] DESTINATIONS = {"81.2.69.142", "89.160.20.112", "2.125.160.216", "1.128.0.1", "192.0.2.1"};
    static final int PER_PACKET = 30;

    private final FlowDecoder decoder = new FlowDecoder();
    private final EnrichmentChain chain;
    private final FlowEvent event = new FlowEvent();
    private final InetAddress exporter = InetAddress.getLoopbackAddress();
    private int sequence;

    FlowFeeder() {
        Path data = Path.of(System.getProperty("sluice.corpus"), "maxmind", "test-data");
        try {
            GeoIpDatabase geo = GeoIpDatabase.load(data.resolve("GeoLite2-City-Test.mmdb"));
            AsnDatabase asn = AsnDatabase.load(data.resolve("GeoLite2-ASN-Test.mmdb"));
            chain = EnrichmentChain.builder().add("geo", new GeoIpStage(geo)).add("asn", new AsnStage(asn)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Offers flows {@code [from, to)} to the sink; returns how many the sink did not take (FAILED or timed out). */
    int feed(FlowSink sink, int from, int to, Duration maxWaitPerFlow) {
        int[] refused = {0};
        FlowHandler handler = record -> {
            if (!offer(sink, record, maxWaitPerFlow)) {
                refused[0]++;
            }
        };
        for (int n = from; n < to; n += PER_PACKET) {
            int count = Math.min(PER_PACKET, to - n);
            decoder.decode(Unpooled.wrappedBuffer(packet(n, count)), exporter, System.currentTimeMillis(), handler);
        }
        return refused[0];
    }

    private boolean offer(FlowSink sink, FlowRecord record, Duration maxWait) {
        if (!chain.process(record, event)) {
            return true;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            SinkResult r = sink.accept(record, event);
            if (r == SinkResult.ACCEPTED) {
                return true;
            }
            if (r != SinkResult.FULL || System.nanoTime() > deadline) {
                return false;
            }
            try {
                sink.awaitCapacity(Math.max(1, deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** A v5 datagram with flows {@code first .. first+count-1}. */
    private byte[] packet(int first, int count) {
        ByteBuffer b = ByteBuffer.allocate(24 + 48 * count);
        int uptime = 3_600_000;
        b.putShort((short) 5).putShort((short) count).putInt(uptime).putInt(1_767_225_600) // 2026-01-01T00:00:00Z
                .putInt(0).putInt(sequence).put((byte) 0).put((byte) 0).putShort((short) 0);
        sequence += count;
        for (int i = 0; i < count; i++) {
            int n = first + i;
            b.put((byte) 10).put((byte) (n >>> 16)).put((byte) (n >>> 8)).put((byte) n);
            b.put(v4(DESTINATIONS[n % DESTINATIONS.length]));
            b.putInt(0).putShort((short) 1).putShort((short) 2)
                    .putInt(1 + n % 50).putInt(n + 1)
                    .putInt(uptime - 60_000 - (n % 3_000_000) / 1000).putInt(uptime - (n % 600) * 1000)
                    .putShort((short) (1024 + n % 60000)).putShort((short) 443)
                    .put((byte) 0).put((byte) 0x12).put((byte) 6).put((byte) 0)
                    .putShort((short) 0).putShort((short) 0).put((byte) 24).put((byte) 24).putShort((short) 0);
        }
        return b.array();
    }

    private static byte[] v4(String ip) {
        String[] p = ip.split("\\.");
        return new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]), (byte) Integer.parseInt(p[2]),
            (byte) Integer.parseInt(p[3])};
    }
}
