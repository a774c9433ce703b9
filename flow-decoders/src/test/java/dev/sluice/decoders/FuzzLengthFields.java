package dev.sluice.decoders;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the 16-bit length and count fields of a NetFlow v5 / v9 / IPFIX datagram, by a lenient walk of its
 * structure: v5 record counts, IPFIX message lengths, set / flowset lengths, template field counts, options
 * scope counts and lengths, and template field lengths. Rewriting those is how a fuzzer reaches the decoder's
 * bounds checks without being stopped at the first header.
 */
final class FuzzLengthFields {

    /** Where a 16-bit length field sits and what it is. */
    record Position(int offset, String what) {
    }

    private FuzzLengthFields() {
    }

    static List<Position> find(byte[] b) {
        List<Position> out = new ArrayList<>();
        int off = 0;
        while (b.length - off >= 4) {
            int version = u16(b, off);
            if (version == 5) {
                out.add(new Position(off + 2, "v5 count"));
                int count = u16(b, off + 2);
                if (count > 30) {
                    break;
                }
                off += 24 + 48 * count;
            } else if (version == 9) {
                out.add(new Position(off + 2, "v9 count"));
                v9Sets(b, off + 20, b.length, out);
                break;
            } else if (version == 10) {
                out.add(new Position(off + 2, "ipfix message length"));
                int len = u16(b, off + 2);
                if (len < 16) {
                    break;
                }
                ipfixSets(b, off + 16, Math.min(b.length, off + len), out);
                off += len;
            } else {
                break;
            }
        }
        return out;
    }

    private static void v9Sets(byte[] b, int p, int end, List<Position> out) {
        while (end - p >= 4) {
            int id = u16(b, p);
            int len = u16(b, p + 2);
            out.add(new Position(p + 2, "v9 flowset " + id + " length"));
            if (len < 4) {
                return;
            }
            int setEnd = Math.min(end, p + len);
            int q = p + 4;
            if (id == 0) {
                while (setEnd - q >= 4) {
                    int fc = u16(b, q + 2);
                    out.add(new Position(q + 2, "v9 template field count"));
                    for (int i = 0; i < fc && q + 8 + 4 * i <= setEnd; i++) {
                        out.add(new Position(q + 6 + 4 * i, "v9 field length"));
                    }
                    if (fc == 0) {
                        break;
                    }
                    q += 4 + 4 * fc;
                }
            } else if (id == 1) {
                while (setEnd - q >= 6) {
                    int scope = u16(b, q + 2);
                    int option = u16(b, q + 4);
                    out.add(new Position(q + 2, "v9 options scope length"));
                    out.add(new Position(q + 4, "v9 options option length"));
                    int fields = (scope + option) / 4;
                    for (int i = 0; i < fields && q + 10 + 4 * i <= setEnd; i++) {
                        out.add(new Position(q + 8 + 4 * i, "v9 options field length"));
                    }
                    if (u16(b, q) == 0 || scope + option == 0) {
                        break;
                    }
                    q += 6 + scope + option;
                }
            }
            p += len;
        }
    }

    private static void ipfixSets(byte[] b, int p, int end, List<Position> out) {
        while (end - p >= 4) {
            int id = u16(b, p);
            int len = u16(b, p + 2);
            out.add(new Position(p + 2, "ipfix set " + id + " length"));
            if (len < 4) {
                return;
            }
            int setEnd = Math.min(end, p + len);
            if (id == 2 || id == 3) {
                int q = p + 4;
                while (setEnd - q >= 4) {
                    int fc = u16(b, q + 2);
                    out.add(new Position(q + 2, "ipfix template field count"));
                    q += 4;
                    if (fc == 0) {
                        continue;
                    }
                    if (id == 3) {
                        if (setEnd - q < 2) {
                            break;
                        }
                        out.add(new Position(q, "ipfix scope field count"));
                        q += 2;
                    }
                    for (int i = 0; i < fc && setEnd - q >= 4; i++) {
                        out.add(new Position(q + 2, "ipfix field length"));
                        boolean enterprise = (b[q] & 0x80) != 0;
                        q += enterprise ? 8 : 4;
                    }
                }
            }
            p += len;
        }
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
