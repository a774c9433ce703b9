package dev.sluice.core.layout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.sluice.core.FlowRecord;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import io.netty.util.collection.IntObjectHashMap;
import java.util.Arrays;

/**
 * The JSON keys under which the layouts write the sFlow records a decoder kept raw (flow records it does not decode
 * into elements, counter records other than the generic and Ethernet ones), one key per record, its value the
 * record's XDR body in hex.
 *
 * <p>The key is the record's data format as the sFlow specification writes it: the format number for standard
 * records (enterprise 0), e.g. {@code 1006} for extended_mpls, and {@code <enterprise>:<format>} for vendor
 * records, e.g. {@code 4413:5}. A format that occurs again in the same sample is written as {@code <key>_2},
 * {@code <key>_3}, ... (the underscore cannot be mistaken for the colon of a vendor format). Numbers rather than
 * structure names, because the numbers are what the specification, sflowtool and Wireshark identify records by,
 * and they need no table that would fall behind new structures.
 *
 * <p>Keys are computed once per format and kept (up to {@link #MAX_FORMATS}, then the cache starts over), so
 * writing a document in steady state allocates nothing. Not thread-safe, like the layouts that own it.
 */
final class SflowRawKeys {

    /**
     * The enterprise number under which a {@link dev.sluice.core.FlowRecord} of protocol sFlow lists its raw records
     * (InMon's, used by the sFlow decoder as the structure namespace); the element id is the data format.
     */
    static final long RAW_ENTERPRISE = 4300;

    /** How many distinct data formats are kept before the cache starts over. */
    static final int MAX_FORMATS = 4096;

    private final IntObjectHashMap<SerializedString[]> keys = new IntObjectHashMap<>();
    private int[] used = new int[16];
    private int usedCount;

    /** How a layout writes one raw record's bytes as hex. */
    interface HexWriter {
        void write(JsonGenerator out, ByteBuf buf, int offset, int length) throws IOException;
    }

    /**
     * Writes the raw sFlow records a flow record carries (its fields of enterprise {@link #RAW_ENTERPRISE}) as an
     * object named {@code name}, one key per record; writes nothing when it has none.
     */
    void writeRecords(JsonGenerator out, SerializableString name, FlowRecord record, HexWriter hex)
            throws IOException {
        boolean open = false;
        for (int i = 0, n = record.fieldCount(); i < n; i++) {
            if (record.enterpriseId(i) != RAW_ENTERPRISE) {
                continue;
            }
            if (!open) {
                out.writeFieldName(name);
                out.writeStartObject();
                beginObject();
                open = true;
            }
            out.writeFieldName(next(record.elementId(i)));
            hex.write(out, record.buffer(), record.fieldOffset(i), record.fieldLength(i));
        }
        if (open) {
            out.writeEndObject();
        }
    }

    /** Starts a new JSON object: no key is used yet. */
    void beginObject() {
        usedCount = 0;
    }

    /** The key for the next record of data format {@code dataFormat} ({@code enterprise << 12 | format}). */
    SerializedString next(int dataFormat) {
        int occurrence = 0;
        for (int k = 0; k < usedCount; k++) {
            if (used[k] == dataFormat) {
                occurrence++;
            }
        }
        if (usedCount == used.length) {
            used = Arrays.copyOf(used, usedCount * 2);
        }
        used[usedCount++] = dataFormat;
        SerializedString[] forFormat = keys.get(dataFormat);
        if (forFormat == null || occurrence >= forFormat.length) {
            if (forFormat == null && keys.size() >= MAX_FORMATS) {
                keys.clear();
            }
            SerializedString[] grown = new SerializedString[Math.max(occurrence + 1, 2)];
            if (forFormat != null) {
                System.arraycopy(forFormat, 0, grown, 0, forFormat.length);
            }
            forFormat = grown;
            keys.put(dataFormat, forFormat);
        }
        SerializedString key = forFormat[occurrence];
        if (key == null) {
            String name = name(dataFormat);
            key = new SerializedString(occurrence == 0 ? name : name + "_" + (occurrence + 1));
            forFormat[occurrence] = key;
        }
        return key;
    }

    /** {@code format} for enterprise 0, else {@code enterprise:format}. */
    static String name(int dataFormat) {
        int enterprise = dataFormat >>> 12;
        int format = dataFormat & 0xFFF;
        return enterprise == 0 ? Integer.toString(format) : enterprise + ":" + format;
    }
}
