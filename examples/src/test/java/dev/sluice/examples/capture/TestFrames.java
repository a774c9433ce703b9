package dev.sluice.examples.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Builds link-layer frames, IP packets and UDP datagrams byte by byte, for capture files written by tests. */
final class TestFrames {

    static final byte[] EXPORTER_V4 = {10, 1, 2, 3};
    static final byte[] COLLECTOR_V4 = {(byte) 192, (byte) 168, 7, 9};
    static final byte[] EXPORTER_V6 = bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42);
    static final byte[] COLLECTOR_V6 = bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99);

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;

    private TestFrames() {
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A UDP header (checksum 0) and payload. */
    static byte[] udp(int sourcePort, int destinationPort, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length)
                .putShort((short) sourcePort).putShort((short) destinationPort)
                .putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload).array();
    }

    /** An IPv4 packet without options, not fragmented. */
    static byte[] ipv4(byte[] source, byte[] destination, int protocol, byte[] payload) {
        return ipv4(source, destination, protocol, payload, new byte[0], 0x4000);
    }

    /**
     * An IPv4 packet.
     *
     * @param options IP options, a multiple of 4 bytes
     * @param flagsAndOffset the flags / fragment offset word (0x4000 = don't fragment)
     */
    static byte[] ipv4(byte[] source, byte[] destination, int protocol, byte[] payload, byte[] options,
            int flagsAndOffset) {
        int headerLength = 20 + options.length;
        return ByteBuffer.allocate(headerLength + payload.length)
                .put((byte) (0x40 | headerLength / 4)).put((byte) 0)
                .putShort((short) (headerLength + payload.length))
                .putShort((short) 0x1234).putShort((short) flagsAndOffset)
                .put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(source).put(destination).put(options).put(payload).array();
    }

    /** An IPv6 packet; {@code rest} is the extension headers and the upper-layer packet. */
    static byte[] ipv6(byte[] source, byte[] destination, int nextHeader, byte[] rest) {
        return ByteBuffer.allocate(40 + rest.length)
                .putInt(0x6000_0000).putShort((short) rest.length).put((byte) nextHeader).put((byte) 64)
                .put(source).put(destination).put(rest).array();
    }

    /** A hop-by-hop, routing or destination options header of {@code 8 * (units + 1)} bytes (PadN filled). */
    static byte[] ipv6Options(int nextHeader, int units) {
        byte[] header = new byte[8 * (units + 1)];
        header[0] = (byte) nextHeader;
        header[1] = (byte) units;
        header[2] = 1; // PadN
        header[3] = (byte) (header.length - 4);
        return header;
    }

    /** An IPv6 fragment header; {@code offset} in 8-byte units. */
    static byte[] ipv6Fragment(int nextHeader, int offset, boolean more) {
        return ByteBuffer.allocate(8).put((byte) nextHeader).put((byte) 0)
                .putShort((short) (offset << 3 | (more ? 1 : 0))).putInt(0xCAFE).array();
    }

    /** An Ethernet II frame, with the given VLAN tag protocol identifiers (outermost first) before the type. */
    static byte[] ethernet(int etherType, byte[] payload, int... tagProtocols) {
        ByteBuffer frame = ByteBuffer.allocate(14 + 4 * tagProtocols.length + payload.length);
        frame.put(bytes(0x00, 0x11, 0x22, 0x33, 0x44, 0x55)).put(bytes(0x00, 0x66, 0x77, 0x88, 0x99, 0xaa));
        for (int i = 0; i < tagProtocols.length; i++) {
            frame.putShort((short) tagProtocols[i]).putShort((short) (100 + i));
        }
        return frame.putShort((short) etherType).put(payload).array();
    }

    /** A Linux cooked capture v1 frame. */
    static byte[] sll(int protocol, byte[] payload) {
        return ByteBuffer.allocate(16 + payload.length)
                .putShort((short) 0).putShort((short) 1).putShort((short) 6)
                .put(bytes(0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0))
                .putShort((short) protocol).put(payload).array();
    }

    /** A Linux cooked capture v2 frame. */
    static byte[] sll2(int protocol, byte[] payload) {
        return ByteBuffer.allocate(20 + payload.length)
                .putShort((short) protocol).putShort((short) 0).putInt(2)
                .putShort((short) 1).put((byte) 0).put((byte) 6)
                .put(bytes(0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0))
                .put(payload).array();
    }

    /** A BSD loopback frame: the 4-byte address family in the given byte order. */
    static byte[] loopback(int family, java.nio.ByteOrder order, byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).order(order).putInt(family).put(payload).array();
    }

    /** Ethernet + IPv4 + UDP from the test exporter to the test collector. */
    static byte[] ethernetIpv4Udp(int sourcePort, int destinationPort, byte[] payload) {
        return ethernet(ETHERTYPE_IPV4, ipv4(EXPORTER_V4, COLLECTOR_V4, PROTO_UDP,
                udp(sourcePort, destinationPort, payload)));
    }
}
