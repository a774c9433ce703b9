package dev.sluice.examples.flowctl;

import dev.sluice.examples.capture.UdpDatagram;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;

/**
 * One decoder session: receives every datagram of a {@code flowctl decode} run, from all files, in order,
 * so that templates from earlier datagrams decode data in later ones. It writes its documents to the
 * {@link NdjsonOutput} it was opened with.
 */
public interface DatagramSink extends AutoCloseable {

    /**
     * Decodes one datagram. The payload is valid only during the call. A decode problem is the session's to
     * count and report; only an output failure is thrown.
     *
     * @param exporter the datagram's source address (127.0.0.1 for a raw payload file)
     * @param exporterPort the source port (0 when unknown)
     * @param timestampMillis capture time in epoch milliseconds, or {@link UdpDatagram#UNKNOWN_TIME}
     *        ({@code Long.MIN_VALUE}, raw payload files): a session that needs a receive time should then use
     *        its own clock
     * @param payload the UDP payload: one or several export messages
     * @throws IOException writing the output failed
     */
    void accept(InetAddress exporter, int exporterPort, long timestampMillis, ByteBuf payload) throws IOException;

    /**
     * The session's counters (records, decode errors by reason, template misses, ...) for {@code --stats},
     * in the order they should be printed. None by default.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /** The same counters per exporter address, for {@code --stats}. None by default. */
    default Map<String, Map<String, Long>> exporterCounters() {
        return Map.of();
    }

    /** Ends the session: decodes what is still pending and writes it out. Does not close the output. */
    @Override
    default void close() throws IOException {
    }
}
