package dev.sluice.examples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.layout.DocumentLayout;
import dev.sluice.core.layout.EcsLayout;
import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;

/**
 * The embedding example of the README: receive NetFlow/IPFIX/sFlow on a UDP port, decode, print ECS NDJSON.
 * Run: {@code java -cp examples/target/flowctl.jar dev.sluice.examples.EmbeddingExample 2055}.
 */
public final class EmbeddingExample {

    private EmbeddingExample() {
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 2055;
        FlowDecoder decoder = new FlowDecoder();                 // one per receiving thread
        DocumentLayout layout = new EcsLayout();
        JsonGenerator json = new JsonFactory().createGenerator(System.out);
        json.setRootValueSeparator(null);
        FlowHandler handler = new FlowHandler() {
            @Override public void onRecord(FlowRecord r) {       // a zero-copy view, valid during the call
                if (r.bytes() > 1_000_000) System.err.println("big flow from " + r.address(FlowField.SOURCE_ADDRESS));
                try { layout.write(r, json); json.writeRaw('\n'); json.flush(); }
                catch (IOException e) { throw new UncheckedIOException(e); }
            }
            @Override public void onError(DecodeError e) { System.err.println(e); } // counted, never thrown
        };
        try (DatagramSocket socket = new DatagramSocket(port)) {
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (true) {
                socket.receive(p);
                decoder.decode(Unpooled.wrappedBuffer(buf, 0, p.getLength()), p.getAddress(),
                        System.currentTimeMillis(), handler);
            }
        }
    }
}
