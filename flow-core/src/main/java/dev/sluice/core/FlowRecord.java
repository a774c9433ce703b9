package dev.sluice.core;

import dev.sluice.core.ie.InformationElement;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One flow record, protocol independent.
 *
 * <p>A record handed to a callback is a <em>view</em> over the received datagram: reading a field is a
 * bounds-checked read at an offset that the template's accessor plan computed once. The view is valid only
 * until the callback returns; call {@link #copy()} to keep a record.
 *
 * <p>Two ways in:
 * <ul>
 *   <li>typed accessors for the common fields ({@link FlowField}), with {@link #has(FlowField)};</li>
 *   <li>generic access to every information element the record carries, by position
 *       ({@link #fieldCount()}, {@link #elementId(int)}, ...) or by {@code (enterpriseId, elementId)}
 *       ({@link #indexOf(long, int)}), including variable-length and enterprise elements.</li>
 * </ul>
 */
public interface FlowRecord {

    /** The packet (header) this record came from. */
    ExportPacket packet();

    /** Shortcut for {@code packet().protocol()}. */
    default FlowProtocol protocol() {
        return packet().protocol();
    }

    /** Shortcut for {@code packet().exporter()}. */
    default InetAddress exporter() {
        return packet().exporter();
    }

    /** Shortcut for {@code packet().observationDomain()}. */
    default long observationDomain() {
        return packet().observationDomain();
    }

    /** The template id / flowset id the record was decoded with (NetFlow v5: 0). */
    int templateId();

    /** True for an options data record (exporter metadata rather than a flow). */
    boolean isOptions();

    /** For options records, how many of the leading fields are scope fields; else 0. */
    int scopeFieldCount();

    // ---------------------------------------------------------------- typed access

    /** Whether the record carries the field. */
    boolean has(FlowField field);

    /**
     * The value of a {@link FlowField.Kind#NUMBER} field as an unsigned number (values wider than 8 bytes
     * are truncated to their low 8 bytes), or 0 when absent.
     */
    long getLong(FlowField field);

    /** Whether an {@link FlowField.Kind#ADDRESS} field holds an IPv6 address. */
    boolean isIpv6(FlowField field);

    /** An IPv4 {@link FlowField.Kind#ADDRESS} field as a big-endian int, or 0 when absent or IPv6. */
    int ipv4(FlowField field);

    /**
     * Copies an {@link FlowField.Kind#ADDRESS} field's bytes into {@code dst} (at least 16 bytes long) and
     * returns how many were written: 4, 16, or 0 when absent.
     */
    int copyAddress(FlowField field, byte[] dst);

    /** A {@link FlowField.Kind#MAC} field as a 48-bit number, or 0 when absent. */
    long mac(FlowField field);

    /** An {@link FlowField.Kind#ADDRESS} field as an {@link InetAddress} (allocates), or null when absent. */
    default InetAddress address(FlowField field) {
        byte[] b = new byte[16];
        int n = copyAddress(field, b);
        if (n == 0) {
            return null;
        }
        try {
            return InetAddress.getByAddress(n == 16 ? b : java.util.Arrays.copyOf(b, 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }

    default int sourcePort() {
        return (int) getLong(FlowField.SOURCE_PORT);
    }

    default int destinationPort() {
        return (int) getLong(FlowField.DESTINATION_PORT);
    }

    default int protocolNumber() {
        return (int) getLong(FlowField.PROTOCOL);
    }

    default long bytes() {
        return getLong(FlowField.BYTES);
    }

    default long packets() {
        return getLong(FlowField.PACKETS);
    }

    default long startMillis() {
        return getLong(FlowField.START_MILLIS);
    }

    default long endMillis() {
        return getLong(FlowField.END_MILLIS);
    }

    default int tcpFlags() {
        return (int) getLong(FlowField.TCP_FLAGS);
    }

    default int tos() {
        return (int) getLong(FlowField.TOS);
    }

    default long inputInterface() {
        return getLong(FlowField.INPUT_INTERFACE);
    }

    default long outputInterface() {
        return getLong(FlowField.OUTPUT_INTERFACE);
    }

    default long sourceAs() {
        return getLong(FlowField.SOURCE_AS);
    }

    default long destinationAs() {
        return getLong(FlowField.DESTINATION_AS);
    }

    default int vlan() {
        return (int) getLong(FlowField.VLAN);
    }

    default int direction() {
        return (int) getLong(FlowField.DIRECTION);
    }

    /** The effective sampling interval (1 in N), or 0 when unknown. */
    default long samplingInterval() {
        return getLong(FlowField.SAMPLING_INTERVAL);
    }

    // ---------------------------------------------------------------- generic access

    /** Number of information elements in the record (template fields, including padding elements). */
    int fieldCount();

    /** Element id of the field at {@code index} (without the enterprise bit). */
    int elementId(int index);

    /** Enterprise number of the field at {@code index}, 0 for IANA elements. */
    long enterpriseId(int index);

    /** Length in bytes of the field's value in this record (variable-length fields: the actual length). */
    int fieldLength(int index);

    /**
     * The registry's description of the field at {@code index}; an element of unknown name is described as
     * {@code unknown} with type octetArray, never null.
     */
    InformationElement element(int index);

    /** The buffer the record lives in (for zero-copy reads with {@link #fieldOffset(int)}). Do not modify. */
    ByteBuf buffer();

    /** Absolute reader offset of the field's value in {@link #buffer()}. */
    int fieldOffset(int index);

    /** The field's value read as an unsigned big-endian number (at most its last 8 bytes), 0 if empty. */
    long unsignedValue(int index);

    /** A copy of the field's raw bytes. Allocates. */
    byte[] bytesValue(int index);

    /** Index of the first field with this element id, or -1. */
    default int indexOf(long enterpriseId, int elementId) {
        return indexOf(enterpriseId, elementId, 0);
    }

    /** Index of the first field with this element id at or after {@code from}, or -1. */
    default int indexOf(long enterpriseId, int elementId, int from) {
        for (int i = from, n = fieldCount(); i < n; i++) {
            if (elementId(i) == elementId && enterpriseId(i) == enterpriseId) {
                return i;
            }
        }
        return -1;
    }

    /** An owned copy that stays valid after the callback returns (copies the record's bytes). */
    FlowRecord copy();
}
