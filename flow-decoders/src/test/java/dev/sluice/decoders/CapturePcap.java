package dev.sluice.decoders;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal reader of classic pcap files for the capture tests: the UDP payloads in order, with their frame
 * number (1-based, counted over every frame of the file, as TShark numbers them) and their source address and
 * port. Ethernet or Linux cooked (v1) link types, IPv4 (unfragmented) or IPv6 (UDP right after the fixed
 * header). Frames of other kinds are counted but not returned; a frame it cannot read fails loudly.
 * (flow-decoders cannot use the examples module's capture readers.)
 */
final class CapturePcap {

    /** One UDP datagram of a capture. {@code payload} is a buffer of its own. */
    record Datagram(int frame, InetAddress source, int sourcePort, ByteBuf payload) {
    }

    private CapturePcap() {
    }

    static List<Datagram> read(Path pcap) throws IOException {
        ByteBuf b = Unpooled.wrappedBuffer(Files.readAllBytes(pcap));
        if (b.readableBytes() < 24) {
            throw new IOException(pcap + ": not a pcap file (" + b.readableBytes() + " bytes)");
        }
        int magic = b.getInt(0);
        boolean swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
        if (!swapped && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            throw new IOException(pcap + ": not a classic pcap file (magic " + Integer.toHexString(magic) + ")");
        }
        int linkType = swapped ? b.getIntLE(20) : b.getInt(20);
        List<Datagram> out = new ArrayList<>();
        int frame = 0;
        int p = 24;
        while (b.writerIndex() - p >= 16) {
            frame++;
            int caplen = swapped ? b.getIntLE(p + 8) : b.getInt(p + 8);
            int at = p + 16;
            int end = at + caplen;
            if (caplen < 0 || end > b.writerIndex()) {
                throw new IOException(pcap + ": frame " + frame + " is cut (caplen " + caplen + ")");
            }
            p = end;
            int l3;
            int type;
            if (linkType == 1) { // Ethernet
                type = b.getUnsignedShort(at + 12);
                l3 = at + 14;
            } else if (linkType == 113) { // Linux cooked
                type = b.getUnsignedShort(at + 14);
                l3 = at + 16;
            } else {
                throw new IOException(pcap + ": link type " + linkType + " not supported");
            }
            byte[] src;
            int udp;
            if (type == 0x0800) {
                if (b.getUnsignedByte(l3 + 9) != 17) {
                    continue;
                }
                if ((b.getUnsignedShort(l3 + 6) & 0x3FFF) != 0) {
                    throw new IOException(pcap + ": frame " + frame + " is an IPv4 fragment");
                }
                src = new byte[4];
                b.getBytes(l3 + 12, src);
                udp = l3 + (b.getUnsignedByte(l3) & 0x0F) * 4;
            } else if (type == 0x86DD) {
                if (b.getUnsignedByte(l3 + 6) != 17) {
                    continue;
                }
                src = new byte[16];
                b.getBytes(l3 + 8, src);
                udp = l3 + 40;
            } else {
                continue;
            }
            int len = b.getUnsignedShort(udp + 4) - 8;
            if (len < 0 || udp + 8 + len > end) {
                throw new IOException(pcap + ": frame " + frame + ": UDP length " + (len + 8) + " exceeds the frame");
            }
            byte[] payload = new byte[len];
            b.getBytes(udp + 8, payload);
            out.add(new Datagram(frame, InetAddress.getByAddress(src), b.getUnsignedShort(udp),
                    Unpooled.wrappedBuffer(payload)));
        }
        return out;
    }
}
