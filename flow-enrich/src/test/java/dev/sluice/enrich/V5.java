package dev.sluice.enrich;

import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowRecord;
import dev.sluice.decoders.FlowDecoder;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** NetFlow v5 test packets decoded by the real decoder. */
final class V5 {

    /** One flow of a v5 packet. */
    static final class Flow {
        String src = "10.0.0.1";
        String dst = "10.0.0.2";
        int sport = 40000;
        int dport = 443;
        int proto = 6;
        int flags = 0x12;
        long bytes = 1500;
        long packets = 10;
        int in = 1;
        int out = 2;
        int srcAs;
        int dstAs;
        long firstUptime = 1_000;
        long lastUptime = 3_000;

        Flow src(String s) {
            src = s;
            return this;
        }

        Flow dst(String d) {
            dst = d;
            return this;
        }

        Flow ports(int s, int d) {
            sport = s;
            dport = d;
            return this;
        }

        Flow proto(int p) {
            proto = p;
            return this;
        }

        Flow as(int s, int d) {
            srcAs = s;
            dstAs = d;
            return this;
        }
    }

    static byte[] packet(int samplingInterval, Flow... flows) {
        ByteBuffer b = ByteBuffer.allocate(24 + 48 * flows.length);
        b.putShort((short) 5).putShort((short) flows.length).putInt(10_000).putInt(1_700_000_000).putInt(0)
                .putInt(1).put((byte) 0).put((byte) 0).putShort((short) (samplingInterval & 0x3FFF));
        for (Flow f : flows) {
            b.put(v4(f.src)).put(v4(f.dst)).putInt(0).putShort((short) f.in).putShort((short) f.out)
                    .putInt((int) f.packets).putInt((int) f.bytes).putInt((int) f.firstUptime).putInt((int) f.lastUptime)
                    .putShort((short) f.sport).putShort((short) f.dport)
                    .put((byte) 0).put((byte) f.flags).put((byte) f.proto).put((byte) 0)
                    .putShort((short) f.srcAs).putShort((short) f.dstAs).put((byte) 24).put((byte) 24)
                    .putShort((short) 0);
        }
        return b.array();
    }

    static byte[] v4(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress ip(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Decodes the packet from {@code exporter} and hands every flow record to {@code each}. */
    static void decode(byte[] packet, String exporter, Consumer<FlowRecord> each) {
        new FlowDecoder().decode(Unpooled.wrappedBuffer(packet), ip(exporter), 1_700_000_000_000L,
                (FlowHandler) each::accept);
    }
}
