package dev.sluice.collector;

import java.nio.ByteBuffer;

/** Hand-built export packets for the collector tests. */
final class Packets {

    private Packets() {
    }

    /** A NetFlow v5 packet with {@code count} records; record i has source port {@code firstPort + i}. */
    static byte[] v5(long sequence, int count, int firstPort) {
        ByteBuffer b = ByteBuffer.allocate(24 + 48 * count);
        b.putShort((short) 5).putShort((short) count).putInt(1_000).putInt(1_700_000_000).putInt(0)
                .putInt((int) sequence).put((byte) 0).put((byte) 0).putShort((short) 0);
        for (int i = 0; i < count; i++) {
            b.putInt(0x0A000001).putInt(0x0A000002).putInt(0).putShort((short) 1).putShort((short) 2)
                    .putInt(10).putInt(1_000).putInt(500).putInt(900)
                    .putShort((short) (firstPort + i)).putShort((short) 80)
                    .put((byte) 0).put((byte) 0x18).put((byte) 6).put((byte) 0)
                    .putShort((short) 0).putShort((short) 0).put((byte) 24).put((byte) 24).putShort((short) 0);
        }
        return b.array();
    }

    /** An IPFIX message: header, then the given sets (each from {@link #templateSet} or {@link #dataSet}). */
    static byte[] ipfix(long domain, long sequence, byte[]... sets) {
        int length = 16;
        for (byte[] s : sets) {
            length += s.length;
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putShort((short) 10).putShort((short) length).putInt(1_700_000_000).putInt((int) sequence)
                .putInt((int) domain);
        for (byte[] s : sets) {
            b.put(s);
        }
        return b.array();
    }

    /** A template set with one template; {@code fields} are (element id, length) pairs. */
    static byte[] templateSet(int templateId, int... fields) {
        ByteBuffer b = ByteBuffer.allocate(8 + fields.length * 2);
        b.putShort((short) 2).putShort((short) b.capacity()).putShort((short) templateId)
                .putShort((short) (fields.length / 2));
        for (int f : fields) {
            b.putShort((short) f);
        }
        return b.array();
    }

    /** A data set of {@code records}, each already encoded. */
    static byte[] dataSet(int templateId, byte[]... records) {
        int length = 4;
        for (byte[] r : records) {
            length += r.length;
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putShort((short) templateId).putShort((short) length);
        for (byte[] r : records) {
            b.put(r);
        }
        return b.array();
    }

    /** Big-endian unsigned shorts. */
    static byte[] u16(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }
}
