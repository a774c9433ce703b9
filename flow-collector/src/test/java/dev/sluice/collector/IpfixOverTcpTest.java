package dev.sluice.collector;

import static dev.sluice.collector.Packets.dataSet;
import static dev.sluice.collector.Packets.ipfix;
import static dev.sluice.collector.Packets.templateSet;
import static dev.sluice.collector.Packets.u16;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.FlowHandler;
import dev.sluice.decoders.DecoderStatistics;
import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** IPFIX over TCP (RFC 7011 section 10.4): stream framing, per-connection templates, bounds. */
class IpfixOverTcpTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static FlowCollector.Builder collector() {
        return FlowCollector.builder().listenTcp("127.0.0.1", 0).receiveThreads(2);
    }

    private static Socket connect(String source, InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(to, 5_000);
        s.setTcpNoDelay(true);
        return s;
    }

    /** Writes {@code data} in pieces of random awkward sizes (1 byte up to a little more than a message). */
    private static void writeInPieces(OutputStream out, byte[] data, Random r) throws IOException, InterruptedException {
        int off = 0;
        while (off < data.length) {
            int[] sizes = {1, 2, 3, 4, 5, 15, 16, 17, 33, 700};
            int n = Math.min(sizes[r.nextInt(sizes.length)], data.length - off);
            out.write(data, off, n);
            out.flush();
            off += n;
            if (r.nextInt(8) == 0) {
                Thread.sleep(1);
            }
        }
    }

    /** Whether the server closed the connection (read gives end of stream or a reset) within the wait. */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout((int) WAIT.toMillis());
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Test
    void aStreamSplitAtAwkwardBoundariesDecodesInFull() throws Exception {
        // the corpus IPFIX captures, message after message on one connection
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (String f : new String[] {"ipfix.dat", "ipfix_test_netscaler_tpl.dat", "ipfix_test_netscaler_data.dat",
                "ipfix_test_mikrotik_tpl.dat", "ipfix_test_mikrotik_data258.dat", "ipfix_test_mikrotik_data259.dat",
                "ipfix_test_vmware_vds_tpl.dat", "ipfix_test_vmware_vds_data264.dat",
                "ipfix_test_vmware_vds_data266.dat"}) {
            stream.write(TestCorpus.dat(f));
        }
        byte[] bytes = stream.toByteArray();
        FlowDecoder direct = new FlowDecoder();
        FlowHandler ignore = r -> { };
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int messages = 0;
        while (b.remaining() > 0) {
            int len = b.getShort(b.position() + 2) & 0xFFFF;
            direct.decode(Unpooled.wrappedBuffer(bytes, b.position(), len), InetAddress.getLoopbackAddress(), 0,
                    ignore);
            b.position(b.position() + len);
            messages++;
        }
        DecoderStatistics expected = direct.statistics();
        assertThat(expected.records()).isPositive();

        CapturingSink sink = new CapturingSink();
        try (FlowCollector c = collector().sink(sink).build().start();
                Socket s = connect("127.0.0.1", c.tcpAddresses().get(0))) {
            writeInPieces(s.getOutputStream(), bytes, new Random(3));
            int sent = messages;
            Udp.await(WAIT, "every message", () -> c.metrics().total().datagrams() == sent);
            CollectorMetrics m = c.metrics();
            assertThat(m.exporter(InetAddress.getByName("127.0.0.1")).decoder()).isEqualTo(expected);
            assertThat(sink.records.get()).isEqualTo(expected.records());
            assertThat(sink.options.get()).isEqualTo(expected.optionsRecords());
            ListenerMetrics l = m.listeners().get(0);
            assertThat(l.protocol()).isEqualTo("tcp");
            assertThat(l.connectionsOpen()).isEqualTo(1);
            assertThat(l.framingErrors()).isZero();
        }
    }

    @Test
    void aBadLengthClosesOnlyThatConnectionAndIsCounted() throws Exception {
        CapturingSink sink = new CapturingSink();
        try (FlowCollector c = collector().maxTcpMessageBytes(1_024).sink(sink).build().start();
                Socket good = connect("127.0.0.1", c.tcpAddresses().get(0));
                Socket undersized = connect("127.0.0.2", c.tcpAddresses().get(0));
                Socket tiny = connect("127.0.0.3", c.tcpAddresses().get(0));
                Socket oversized = connect("127.0.0.4", c.tcpAddresses().get(0));
                Socket notIpfix = connect("127.0.0.5", c.tcpAddresses().get(0))) {
            OutputStream g = good.getOutputStream();
            g.write(ipfix(1, 0, templateSet(256, 7, 2, 11, 2), dataSet(256, u16(1, 2))));
            g.flush();
            Udp.await(WAIT, "the first record", () -> sink.records.get() == 1);

            byte[] shortMessage = ipfix(1, 0);
            shortMessage[3] = 8; // length 8: less than the 16-byte header
            undersized.getOutputStream().write(shortMessage);
            byte[] tinyMessage = ipfix(1, 0);
            tinyMessage[3] = 2; // length 2: less than the length field's own end
            tiny.getOutputStream().write(tinyMessage);
            byte[] big = ipfix(1, 0, dataSet(256, new byte[2_000]));
            oversized.getOutputStream().write(big, 0, 100); // the header says 2020 bytes: over the bound of 1024
            byte[] v9 = ipfix(1, 0);
            v9[1] = 9;
            notIpfix.getOutputStream().write(v9);
            assertThat(closedByServer(undersized)).isTrue();
            assertThat(closedByServer(tiny)).isTrue();
            assertThat(closedByServer(oversized)).isTrue();
            assertThat(closedByServer(notIpfix)).isTrue();

            g.write(ipfix(1, 1, dataSet(256, u16(3, 4), u16(5, 6))));
            g.flush();
            Udp.await(WAIT, "the good connection goes on", () -> sink.records.get() == 3);
            CollectorMetrics m = c.metrics();
            ListenerMetrics l = m.listeners().get(0);
            assertThat(l.framingErrors()).isEqualTo(4);
            assertThat(l.connectionsOpen()).isEqualTo(1);
            assertThat(l.connectionsAccepted()).isEqualTo(5);
            assertThat(m.exporter(InetAddress.getByName("127.0.0.2")).transportErrors()).isEqualTo(1);
            assertThat(m.exporter(InetAddress.getByName("127.0.0.4")).transportErrors()).isEqualTo(1);
            assertThat(m.total().transportErrors()).isEqualTo(4);
        }
    }

    @Test
    void templatesBelongToTheirConnection() throws Exception {
        CapturingSink sink = new CapturingSink();
        try (FlowCollector c = collector().sink(sink).build().start()) {
            try (Socket first = connect("127.0.0.1", c.tcpAddresses().get(0))) {
                first.getOutputStream().write(ipfix(1, 0, templateSet(256, 7, 2), dataSet(256, u16(1))));
                Udp.await(WAIT, "the record", () -> sink.records.get() == 1);
            }
            Udp.await(WAIT, "the connection to end", () -> c.metrics().listeners().get(0).connectionsOpen() == 0);
            try (Socket second = connect("127.0.0.1", c.tcpAddresses().get(0))) {
                second.getOutputStream().write(ipfix(1, 1, dataSet(256, u16(1))));
                Udp.await(WAIT, "the data", () -> c.metrics().total().datagrams() == 2);
            }
            CollectorMetrics m = c.metrics();
            assertThat(sink.records.get()).as("a new session knows no template").isEqualTo(1);
            assertThat(m.total().decoder().templateMisses()).isEqualTo(1);
            assertThat(m.exporter(InetAddress.getByName("127.0.0.1")).records()).as("ended sessions still count")
                    .isEqualTo(1);
        }
    }

    @Test
    void connectionsAreBoundedInNumberAndIdleTime() throws Exception {
        try (FlowCollector c = collector().maxTcpConnections(2).tcpIdleTimeout(Duration.ofMillis(500))
                .allow("127.0.0.0/29").build().start();
                Socket one = connect("127.0.0.1", c.tcpAddresses().get(0));
                Socket two = connect("127.0.0.2", c.tcpAddresses().get(0))) {
            Udp.await(WAIT, "two connections", () -> c.metrics().listeners().get(0).connectionsOpen() == 2);
            try (Socket three = connect("127.0.0.3", c.tcpAddresses().get(0))) {
                assertThat(closedByServer(three)).as("over the bound").isTrue();
            }
            try (Socket outside = connect("127.0.0.9", c.tcpAddresses().get(0))) {
                assertThat(closedByServer(outside)).as("not on the allowlist").isTrue();
            }
            assertThat(closedByServer(one)).as("idle").isTrue();
            assertThat(closedByServer(two)).as("idle").isTrue();
            Udp.await(WAIT, "the counts", () -> c.metrics().listeners().get(0).connectionsOpen() == 0);
            CollectorMetrics m = c.metrics();
            ListenerMetrics l = m.listeners().get(0);
            assertThat(l.connectionsAccepted()).isEqualTo(2);
            assertThat(l.connectionsRejected()).isEqualTo(2);
            assertThat(l.idleClosed()).isEqualTo(2);
            assertThat(m.exporter(InetAddress.getByName("127.0.0.9")).allowlistDropped()).isEqualTo(1);
        }
    }
}
