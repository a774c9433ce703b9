package dev.sluice.decoders;

import dev.sluice.core.FlowField;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.ie.DataType;
import dev.sluice.core.ie.InformationElement;
import dev.sluice.core.ie.InformationElementRegistry;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A template compiled into an accessor plan: for every field its element, length and (for templates
 * without variable-length fields) its offset in the record; for every {@link FlowField} the index of the
 * field that holds it. Immutable, so records copied out of a packet can share it.
 */
final class Template {

    /** Length value that marks a variable-length field (RFC 7011 section 7). */
    static final int VARIABLE = 0xFFFF;

    /** Names of the NetFlow v9 options scope types (RFC 3954 section 6.1), by type. */
    private static final String[] V9_SCOPE_NAMES = {
        null, "v9ScopeSystem", "v9ScopeInterface", "v9ScopeLineCard", "v9ScopeCache", "v9ScopeTemplate"
    };

    /** How START_MILLIS / END_MILLIS are derived. */
    enum TimeKind {
        NONE,
        /** dateTimeSeconds. */
        SECONDS,
        /** dateTimeMilliseconds. */
        MILLIS,
        /** dateTimeMicroseconds, NTP format. */
        MICROS_NTP,
        /** dateTimeNanoseconds, NTP format. */
        NANOS_NTP,
        /** Milliseconds of exporter uptime, relative to the packet's sysUptime and export time (v5, v9). */
        UPTIME_HEADER,
        /** Milliseconds of exporter uptime, relative to systemInitTimeMilliseconds (IPFIX IE 21/22). */
        UPTIME_INIT,
        /** Microseconds before the export time (IE 158/159). */
        DELTA_MICROS
    }

    final FlowProtocol protocol;
    final int id;
    final boolean options;
    final int scopeCount;
    final int[] elementIds;
    final long[] enterpriseIds;
    final int[] lengths;
    final InformationElement[] elements;
    /** Offsets of fields in the record, valid when {@link #variable} is false. */
    final int[] offsets;
    /** Whether any field is variable length: offsets are then computed per record. */
    final boolean variable;
    /** Record length for fixed templates; the minimum record length for variable ones. */
    final int recordLength;
    /** Index of the field holding each {@link FlowField} (by ordinal), or -1. */
    final int[] fieldIndex;
    /** For address fields: whether the field at fieldIndex is IPv6. */
    final boolean[] ipv6;
    /**
     * The fast read plan by {@link FlowField} ordinal: the width (1, 2, 4 or 8) of a number field read as it
     * is from a fixed-length template, else 0 (absent, derived, variable-length or odd-sized: the general
     * path); and its offset in the record.
     */
    final byte[] fastWidth;
    final int[] fastOffset;
    final TimeKind startKind;
    final TimeKind endKind;
    /** Index of IE 160 systemInitTimeMilliseconds, or -1. */
    final int systemInitIndex;
    /** Index of a sampler / selector id field (IE 48 or 302), or -1. */
    final int samplerIdIndex;

    Template(FlowProtocol protocol, int id, boolean options, int scopeCount, int[] elementIds, long[] enterpriseIds,
            int[] lengths) {
        this.protocol = protocol;
        this.id = id;
        this.options = options;
        this.scopeCount = scopeCount;
        this.elementIds = elementIds;
        this.enterpriseIds = enterpriseIds;
        this.lengths = lengths;
        int n = elementIds.length;
        this.elements = new InformationElement[n];
        this.offsets = new int[n];
        InformationElementRegistry registry = InformationElementRegistry.standard();
        boolean var = false;
        int len = 0;
        for (int i = 0; i < n; i++) {
            if (protocol == FlowProtocol.NETFLOW_V9 && options && i < scopeCount) {
                int type = elementIds[i];
                String name = type > 0 && type < V9_SCOPE_NAMES.length ? V9_SCOPE_NAMES[type] : "v9Scope" + type;
                elements[i] = new InformationElement(0, type, name, DataType.UNSIGNED32);
            } else if (protocol == FlowProtocol.IPFIX) {
                elements[i] = registry.ipfix(enterpriseIds[i], elementIds[i]);
            } else {
                elements[i] = registry.netflowV9(elementIds[i]);
            }
            offsets[i] = len;
            if (lengths[i] == VARIABLE) {
                var = true;
                len += 1;
            } else {
                len += lengths[i];
            }
        }
        this.variable = var;
        this.recordLength = len;

        FlowField[] fields = FlowField.values();
        this.fieldIndex = new int[fields.length];
        this.ipv6 = new boolean[fields.length];
        Arrays.fill(fieldIndex, -1);
        boolean scopedV9 = protocol == FlowProtocol.NETFLOW_V9 && options;
        int firstData = scopedV9 ? scopeCount : 0;
        // Preference order: the first id listed wins over later ones.
        map(FlowField.SOURCE_ADDRESS, firstData, 8, 4, 27, 16);
        map(FlowField.DESTINATION_ADDRESS, firstData, 12, 4, 28, 16);
        map(FlowField.NEXT_HOP, firstData, 15, 4, 62, 16, 18, 4, 63, 16);
        mapNumber(FlowField.SOURCE_PORT, firstData, 7, 180, 182);
        mapNumber(FlowField.DESTINATION_PORT, firstData, 11, 181, 183);
        mapNumber(FlowField.PROTOCOL, firstData, 4);
        mapNumber(FlowField.BYTES, firstData, 1, 85, 23);
        mapNumber(FlowField.PACKETS, firstData, 2, 86, 24);
        mapNumber(FlowField.TCP_FLAGS, firstData, 6);
        mapNumber(FlowField.TOS, firstData, 5);
        mapNumber(FlowField.INPUT_INTERFACE, firstData, 10);
        mapNumber(FlowField.OUTPUT_INTERFACE, firstData, 14);
        mapNumber(FlowField.SOURCE_AS, firstData, 16);
        mapNumber(FlowField.DESTINATION_AS, firstData, 17);
        mapNumber(FlowField.SOURCE_MASK, firstData, 9, 29);
        mapNumber(FlowField.DESTINATION_MASK, firstData, 13, 30);
        mapNumber(FlowField.VLAN, firstData, 58, 243);
        mapNumber(FlowField.POST_VLAN, firstData, 59, 254);
        mapNumber(FlowField.SOURCE_MAC, firstData, 56, 81);
        mapNumber(FlowField.DESTINATION_MAC, firstData, 80, 57);
        mapNumber(FlowField.DIRECTION, firstData, 61);
        mapNumber(FlowField.ICMP_TYPE_CODE, firstData, 32, 139);
        mapNumber(FlowField.SAMPLING_INTERVAL, firstData, 34, 305, 50);
        mapNumber(FlowField.IP_VERSION, firstData, 60);
        mapNumber(FlowField.FLOW_END_REASON, firstData, 136);

        TimeKind sk = TimeKind.NONE;
        TimeKind ek = TimeKind.NONE;
        // Absolute times win over relative ones; finer resolution wins among absolute ones.
        if (mapTime(FlowField.START_MILLIS, firstData, 152)) {
            sk = TimeKind.MILLIS;
        } else if (mapTime(FlowField.START_MILLIS, firstData, 154)) {
            sk = TimeKind.MICROS_NTP;
        } else if (mapTime(FlowField.START_MILLIS, firstData, 156)) {
            sk = TimeKind.NANOS_NTP;
        } else if (mapTime(FlowField.START_MILLIS, firstData, 150)) {
            sk = TimeKind.SECONDS;
        } else if (mapTime(FlowField.START_MILLIS, firstData, 22)) {
            sk = protocol == FlowProtocol.IPFIX ? TimeKind.UPTIME_INIT : TimeKind.UPTIME_HEADER;
        } else if (mapTime(FlowField.START_MILLIS, firstData, 158)) {
            sk = TimeKind.DELTA_MICROS;
        }
        if (mapTime(FlowField.END_MILLIS, firstData, 153)) {
            ek = TimeKind.MILLIS;
        } else if (mapTime(FlowField.END_MILLIS, firstData, 155)) {
            ek = TimeKind.MICROS_NTP;
        } else if (mapTime(FlowField.END_MILLIS, firstData, 157)) {
            ek = TimeKind.NANOS_NTP;
        } else if (mapTime(FlowField.END_MILLIS, firstData, 151)) {
            ek = TimeKind.SECONDS;
        } else if (mapTime(FlowField.END_MILLIS, firstData, 21)) {
            ek = protocol == FlowProtocol.IPFIX ? TimeKind.UPTIME_INIT : TimeKind.UPTIME_HEADER;
        } else if (mapTime(FlowField.END_MILLIS, firstData, 159)) {
            ek = TimeKind.DELTA_MICROS;
        }
        this.startKind = sk;
        this.endKind = ek;
        this.fastWidth = new byte[fields.length];
        this.fastOffset = new int[fields.length];
        if (!variable) {
            for (FlowField f : fields) {
                int i = fieldIndex[f.ordinal()];
                boolean derived = f == FlowField.START_MILLIS || f == FlowField.END_MILLIS
                        || f == FlowField.SAMPLING_INTERVAL || f == FlowField.IP_VERSION;
                if (i >= 0 && !derived && f.kind() == FlowField.Kind.NUMBER
                        && (lengths[i] == 1 || lengths[i] == 2 || lengths[i] == 4 || lengths[i] == 8)) {
                    fastWidth[f.ordinal()] = (byte) lengths[i];
                    fastOffset[f.ordinal()] = offsets[i];
                }
            }
        }
        this.systemInitIndex = find(firstData, 0, 160);
        int sampler = find(0, 0, 48);
        this.samplerIdIndex = sampler >= 0 ? sampler : find(0, 0, 302);
    }

    /**
     * The fixed NetFlow v5 record layout as a template, shared by every decoder (templates are immutable).
     * {@link RecordView}'s typed accessors recognise it by identity and read its fields at the constant offsets
     * of {@link NetflowV5Parser}.
     */
    static final Template NETFLOW_V5 = netflowV5();

    /** The fixed NetFlow v5 record layout as a template. */
    static Template netflowV5() {
        int[] ids = {8, 12, 15, 10, 14, 2, 1, 22, 21, 7, 11, 210, 6, 4, 5, 16, 17, 9, 13, 210};
        int[] lens = {4, 4, 4, 2, 2, 4, 4, 4, 4, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 2};
        return new Template(FlowProtocol.NETFLOW_V5, 0, false, 0, ids, new long[ids.length], lens);
    }

    int fieldCount() {
        return elementIds.length;
    }

    /**
     * Whether a NetFlow v9 template record on the wire defines exactly this template: the same kind (options or
     * not), scope count and {@code fieldCount} (type, length) pairs, read from {@code at} (4 bytes each, inside the
     * buffer: the caller has checked the record's length). Reads the buffer only, allocates nothing, so an
     * unchanged refresh costs no compilation.
     */
    boolean sameV9Definition(ByteBuf buf, int at, boolean options, int scopes, int fieldCount) {
        if (options != this.options || scopes != scopeCount || fieldCount != elementIds.length) {
            return false;
        }
        for (int i = 0; i < fieldCount; i++, at += 4) {
            if (buf.getUnsignedShort(at) != elementIds[i] || buf.getUnsignedShort(at + 2) != lengths[i]
                    || enterpriseIds[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * If the {@code fieldCount} IPFIX field specifiers at {@code at} (enterprise numbers included, all of them
     * before {@code end}) define exactly this template with the same kind and scope count, the offset just after
     * them, else -1 (a different definition, or one cut off by {@code end}: the caller then parses it in full and
     * reports what is wrong). Allocates nothing.
     */
    int sameIpfixDefinition(ByteBuf buf, int at, int end, boolean options, int scopes, int fieldCount) {
        if (options != this.options || scopes != scopeCount || fieldCount != elementIds.length) {
            return -1;
        }
        for (int i = 0; i < fieldCount; i++) {
            if (end - at < 4) {
                return -1;
            }
            int id = buf.getUnsignedShort(at);
            if (buf.getUnsignedShort(at + 2) != lengths[i]) {
                return -1;
            }
            at += 4;
            long pen = 0;
            if ((id & IpfixParser.ENTERPRISE_BIT) != 0) {
                if (end - at < 4) {
                    return -1;
                }
                pen = buf.getUnsignedInt(at);
                at += 4;
                id &= ~IpfixParser.ENTERPRISE_BIT;
            }
            if (id != elementIds[i] || pen != enterpriseIds[i]) {
                return -1;
            }
        }
        return at;
    }

    private int find(int from, long enterprise, int elementId) {
        for (int i = from; i < elementIds.length; i++) {
            if (elementIds[i] == elementId && enterpriseIds[i] == enterprise && lengths[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /** Maps an address field from (id, expected length) pairs; the length tells IPv4 from IPv6. */
    private void map(FlowField field, int from, int... idAndLength) {
        for (int k = 0; k < idAndLength.length; k += 2) {
            int i = find(from, 0, idAndLength[k]);
            if (i >= 0 && lengths[i] == idAndLength[k + 1]) {
                fieldIndex[field.ordinal()] = i;
                ipv6[field.ordinal()] = idAndLength[k + 1] == 16;
                return;
            }
        }
    }

    private void mapNumber(FlowField field, int from, int... ids) {
        for (int id : ids) {
            int i = find(from, 0, id);
            if (i >= 0) {
                fieldIndex[field.ordinal()] = i;
                return;
            }
        }
    }

    private boolean mapTime(FlowField field, int from, int id) {
        int i = find(from, 0, id);
        if (i >= 0) {
            fieldIndex[field.ordinal()] = i;
            return true;
        }
        return false;
    }
}
