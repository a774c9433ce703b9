package dev.sluice.decoders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a datagram into its export messages by their headers alone (NetFlow v5: 24 + 48 bytes per announced
 * record; IPFIX: the message length; NetFlow v9 has no length and fills the datagram), independently of
 * {@link FlowDecoder}, for tests that check what the decoder made of each message.
 */
final class LogstashMessages {

    private LogstashMessages() {
    }

    /** The messages of a datagram, each with its header values. */
    static List<Message> split(byte[] datagram) {
        List<Message> out = new ArrayList<>();
        int off = 0;
        while (datagram.length - off >= 4) {
            int version = u16(datagram, off);
            int length;
            if (version == 5) {
                length = 24 + 48 * u16(datagram, off + 2);
            } else if (version == 10) {
                length = u16(datagram, off + 2);
            } else {
                length = datagram.length - off;
            }
            if (length < 4 || length > datagram.length - off) {
                length = datagram.length - off;
            }
            out.add(new Message(Arrays.copyOfRange(datagram, off, off + length)));
            off += length;
        }
        return out;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }

    /** One export message. */
    record Message(byte[] bytes) {
        int version() {
            return u16(bytes, 0);
        }

        /** NetFlow v5 record count, else -1. */
        int v5Count() {
            return version() == 5 ? u16(bytes, 2) : -1;
        }

        /** The header's sequence number (v5 at 16, v9 at 12, IPFIX at 8). */
        long sequence() {
            return switch (version()) {
                case 5 -> u32(bytes, 16);
                case 9 -> u32(bytes, 12);
                default -> u32(bytes, 8);
            };
        }

        /** The header's export time in seconds (v5 at 8, v9 at 8, IPFIX at 4). */
        long exportSeconds() {
            return version() == 10 ? u32(bytes, 4) : u32(bytes, 8);
        }
    }
}
