package dev.sluice.core.layout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.ie.DataType;
import dev.sluice.core.ie.InformationElement;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The default document layout: Elastic Common Schema, shaped like the documents Filebeat's {@code netflow} module
 * writes, so that Filebeat's Kibana dashboards and ECS-aware tools work on them.
 *
 * <p>A flow record becomes:
 * <pre>{@code
 * {"@timestamp": <flow end, else export time>,
 *  "ecs": {"version": "8.11.0"},
 *  "event": {"kind": "event", "category": ["network"], "type": ["connection"], "action": "netflow_flow",
 *            "dataset": "netflow.log", "module": "netflow", "start": ..., "end": ..., "duration": <ns>},
 *  "observer": {"ip": <exporter>},
 *  "source": {"ip", "port", "mac", "bytes", "packets"}, "destination": {...},
 *  "network": {"type": "ipv4", "transport": "tcp", "iana_number": "6", "bytes", "packets", "direction"},
 *  "related": {"ip": [...]},
 *  "netflow": {"type": "netflow_flow",
 *              "exporter": {"address", "source_id", "timestamp", "uptime_millis", "version"},
 *              "<snake_case element name>": <value>, ...}}
 * }</pre>
 * As in Filebeat: {@code source.bytes}/{@code packets} are the record's (initiator) counters and
 * {@code destination.bytes}/{@code packets} the reverse ones (RFC 5103 reverse elements, responderOctets/Packets);
 * {@code network.bytes}/{@code packets} are their sum. {@code network.direction} is {@code inbound} for
 * flowDirection 0 (ingress), {@code outbound} for 1 (egress), else {@code unknown}. A biflow record
 * (biflowDirection present) also gets {@code client}/{@code server} and category {@code session}, with source and
 * destination swapped when the exporter says the reverse side initiated (biflowDirection 2).
 *
 * <p>Where this layout departs from Filebeat, on purpose: {@code @timestamp} is the flow's end (Filebeat: the export
 * time, kept here as {@code netflow.exporter.timestamp}), so that a flow that was exported late still lands at the
 * time it happened; {@code network.iana_number} is a string, as ECS defines it (Filebeat writes a number; both index
 * into a keyword); {@code network.transport} names every protocol of a small IANA table ({@code gre}, {@code esp},
 * {@code sctp}, ...; Filebeat knows four and writes {@code "unknown (47)"}) and is absent for the others;
 * {@code network.type} ({@code ipv4}/{@code ipv6}) and {@code ecs.version} are added;
 * {@code netflow.exporter.address} is the exporter's IP without the UDP port, which a record does not carry; not
 * written (yet): {@code event.created}, {@code flow.id}, the {@code *.locality} fields (they need configured
 * internal networks), {@code network.community_id}, and the WLAN station/AP mapping.
 *
 * <p>Every information element of the record is written under {@code netflow.} with its snake-case name
 * ({@link InformationElement#snakeCaseName()}), its value typed by the element's abstract data type: numbers as
 * JSON numbers (an unsigned64 above {@code Long.MAX_VALUE} as its unsigned decimal), floats, booleans, IP
 * addresses in canonical text (RFC 5952 for IPv6), MAC addresses as {@code 00-1A-2B-3C-4D-5E}, dateTime* elements
 * as ISO-8601 UTC strings (milliseconds; micro- and nanosecond elements with 6 and 9 fraction digits), strings
 * decoded as UTF-8 with trailing NULs removed, and octet arrays, lists and unknown elements
 * ({@code netflow.unknown_<enterprise>_<id>}) as lower-case hex. Padding (IE 210) is left out. An element that
 * occurs again in the same record is written as {@code <name>_2}, {@code <name>_3}, ... so that no key repeats. A
 * value that its type cannot hold (an address that is neither 4 nor 16 bytes, a boolean other than 1 or 2, a
 * non-finite float, a time outside years 0000-9999, a zero-length number or octet array) is left out rather than
 * written under a type the index mapping would reject; a zero-length string is the empty string.
 *
 * <p>Options records ({@link #writeOptions}): Filebeat drops them; this layout keeps them, so that exporter
 * metadata (sampling configuration, interface and application tables, exporter statistics) can be searched next to
 * the flows. They get {@code event.kind: state} (ECS: a periodic report of an entity's state, which is what
 * options data is: the exporter re-sends its configuration and counters on a timer; they are not "something
 * happened" events, and not purely numeric like {@code metric}), {@code event.type: [info]},
 * {@code event.action}/{@code netflow.type: netflow_options}, and the record's fields split as Filebeat's decoder
 * splits them: scope fields under {@code netflow.scope.*}, the others under {@code netflow.options.*}. Their
 * {@code @timestamp} is the export time.
 *
 * <p>Not thread-safe (it reuses buffers): one instance per thread. In steady state writing a record allocates
 * nothing, apart from floats (Jackson's float text) and the rare over-long numbers.
 */
public final class EcsLayout implements DocumentLayout {

    /** The ECS version the documents follow. */
    public static final String ECS_VERSION = "8.11.0";

    static final String FLOW_TYPE = "netflow_flow";
    static final String OPTIONS_TYPE = "netflow_options";

    private static final SerializedString TIMESTAMP = key("@timestamp");
    private static final SerializedString ECS = key("ecs");
    private static final SerializedString VERSION = key("version");
    private static final SerializedString EVENT = key("event");
    private static final SerializedString KIND = key("kind");
    private static final SerializedString CATEGORY = key("category");
    private static final SerializedString TYPE = key("type");
    private static final SerializedString ACTION = key("action");
    private static final SerializedString DATASET = key("dataset");
    private static final SerializedString MODULE = key("module");
    private static final SerializedString START = key("start");
    private static final SerializedString END = key("end");
    private static final SerializedString DURATION = key("duration");
    private static final SerializedString OBSERVER = key("observer");
    private static final SerializedString IP = key("ip");
    private static final SerializedString PORT = key("port");
    private static final SerializedString MAC = key("mac");
    private static final SerializedString BYTES = key("bytes");
    private static final SerializedString PACKETS = key("packets");
    private static final SerializedString SOURCE = key("source");
    private static final SerializedString DESTINATION = key("destination");
    private static final SerializedString CLIENT = key("client");
    private static final SerializedString SERVER = key("server");
    private static final SerializedString NETWORK = key("network");
    private static final SerializedString TRANSPORT = key("transport");
    private static final SerializedString IANA_NUMBER = key("iana_number");
    private static final SerializedString DIRECTION = key("direction");
    private static final SerializedString RELATED = key("related");
    private static final SerializedString NETFLOW = key("netflow");
    private static final SerializedString EXPORTER = key("exporter");
    private static final SerializedString ADDRESS = key("address");
    private static final SerializedString SOURCE_ID = key("source_id");
    private static final SerializedString ENGINE_TYPE = key("engine_type");
    private static final SerializedString ENGINE_ID = key("engine_id");
    private static final SerializedString SAMPLING_INTERVAL = key("sampling_interval");
    private static final SerializedString EXPORT_TIMESTAMP = key("timestamp");
    private static final SerializedString UPTIME_MILLIS = key("uptime_millis");
    private static final SerializedString SCOPE = key("scope");
    private static final SerializedString OPTIONS = key("options");

    private static final long REVERSE_PEN = 29305; // RFC 5103 reverse information elements
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

    private final ElementFieldNames names = new ElementFieldNames("type", "exporter");
    private final Endpoint source = new Endpoint();
    private final Endpoint destination = new Endpoint();
    private char[] chars = new char[128];

    private InetAddress lastExporter;
    private String lastExporterText;

    // Indexes of the record's fields that feed the ECS counters, found in one pass per record.
    private int initiatorOctets;
    private int initiatorPackets;
    private int reverseOctets;
    private int reversePackets;
    private int biflowDirection;

    @Override
    public void write(FlowRecord record, JsonGenerator out) throws IOException {
        ExportPacket packet = record.packet();
        long exportMillis = packet.exportTimeMillis();
        boolean hasStart = record.has(FlowField.START_MILLIS)
                && IsoTimestampFormatter.isSupportedMillis(record.startMillis());
        boolean hasEnd = record.has(FlowField.END_MILLIS)
                && IsoTimestampFormatter.isSupportedMillis(record.endMillis());
        long start = hasStart ? record.startMillis() : 0;
        long end = hasEnd ? record.endMillis() : 0;
        scanCounters(record);
        collectEndpoints(record);
        long biflow = biflowDirection >= 0 ? record.unsignedValue(biflowDirection) : -1;
        boolean isBiflow = biflow >= 0 && !source.isEmpty() && !destination.isEmpty();
        boolean swapped = isBiflow && biflow == 2; // the reverse side initiated: it is the source (Filebeat)
        Endpoint src = swapped ? destination : source;
        Endpoint dst = swapped ? source : destination;
        String exporter = exporterText(packet.exporter());

        out.writeStartObject();
        writeTimestamp(out, TIMESTAMP, hasEnd ? end : exportMillis);
        writeEcs(out);

        out.writeFieldName(EVENT);
        out.writeStartObject();
        out.writeFieldName(KIND);
        out.writeString("event");
        out.writeFieldName(CATEGORY);
        out.writeStartArray();
        out.writeString("network");
        if (isBiflow) {
            out.writeString("session");
        }
        out.writeEndArray();
        out.writeFieldName(TYPE);
        out.writeStartArray();
        out.writeString("connection");
        out.writeEndArray();
        out.writeFieldName(ACTION);
        out.writeString(FLOW_TYPE);
        writeDataset(out);
        if (hasStart) {
            writeTimestamp(out, START, start);
        }
        if (hasEnd) {
            writeTimestamp(out, END, end);
        }
        if (hasStart && hasEnd && end >= start && end - start <= Long.MAX_VALUE / 1_000_000L) {
            out.writeFieldName(DURATION);
            out.writeNumber((end - start) * 1_000_000L);
        }
        out.writeEndObject();

        writeObserver(out, exporter);
        writeEndpoint(out, SOURCE, src);
        writeEndpoint(out, DESTINATION, dst);
        if (isBiflow) {
            writeEndpoint(out, CLIENT, src);
            writeEndpoint(out, SERVER, dst);
        }
        writeNetwork(out, record);
        writeRelated(out);

        out.writeFieldName(NETFLOW);
        out.writeStartObject();
        out.writeFieldName(TYPE);
        out.writeString(FLOW_TYPE);
        writeExporter(out, packet, exporter);
        names.beginObject(true);
        for (int i = 0, n = record.fieldCount(); i < n; i++) {
            writeElement(out, record, i);
        }
        out.writeEndObject();

        out.writeEndObject();
    }

    @Override
    public void writeOptions(FlowRecord record, JsonGenerator out) throws IOException {
        ExportPacket packet = record.packet();
        String exporter = exporterText(packet.exporter());

        out.writeStartObject();
        writeTimestamp(out, TIMESTAMP, packet.exportTimeMillis());
        writeEcs(out);

        out.writeFieldName(EVENT);
        out.writeStartObject();
        out.writeFieldName(KIND);
        out.writeString("state");
        out.writeFieldName(CATEGORY);
        out.writeStartArray();
        out.writeString("network");
        out.writeEndArray();
        out.writeFieldName(TYPE);
        out.writeStartArray();
        out.writeString("info");
        out.writeEndArray();
        out.writeFieldName(ACTION);
        out.writeString(OPTIONS_TYPE);
        writeDataset(out);
        out.writeEndObject();

        writeObserver(out, exporter);

        out.writeFieldName(NETFLOW);
        out.writeStartObject();
        out.writeFieldName(TYPE);
        out.writeString(OPTIONS_TYPE);
        writeExporter(out, packet, exporter);
        int n = record.fieldCount();
        int scopes = Math.min(record.scopeFieldCount(), n);
        if (scopes > 0) {
            out.writeFieldName(SCOPE);
            out.writeStartObject();
            names.beginObject(false);
            for (int i = 0; i < scopes; i++) {
                writeElement(out, record, i);
            }
            out.writeEndObject();
        }
        out.writeFieldName(OPTIONS);
        out.writeStartObject();
        names.beginObject(false);
        for (int i = scopes; i < n; i++) {
            writeElement(out, record, i);
        }
        out.writeEndObject();
        out.writeEndObject();

        out.writeEndObject();
    }

    // ------------------------------------------------------------------------------------------------ ECS parts

    private static void writeEcs(JsonGenerator out) throws IOException {
        out.writeFieldName(ECS);
        out.writeStartObject();
        out.writeFieldName(VERSION);
        out.writeString(ECS_VERSION);
        out.writeEndObject();
    }

    private static void writeDataset(JsonGenerator out) throws IOException {
        out.writeFieldName(DATASET);
        out.writeString("netflow.log");
        out.writeFieldName(MODULE);
        out.writeString("netflow");
    }

    private static void writeObserver(JsonGenerator out, String exporter) throws IOException {
        if (exporter != null) {
            out.writeFieldName(OBSERVER);
            out.writeStartObject();
            out.writeFieldName(IP);
            out.writeString(exporter);
            out.writeEndObject();
        }
    }

    private void writeExporter(JsonGenerator out, ExportPacket packet, String exporter) throws IOException {
        out.writeFieldName(EXPORTER);
        out.writeStartObject();
        if (exporter != null) {
            out.writeFieldName(ADDRESS);
            out.writeString(exporter);
        }
        FlowProtocol protocol = packet.protocol();
        if (protocol == FlowProtocol.NETFLOW_V5) {
            out.writeFieldName(ENGINE_TYPE);
            out.writeNumber(packet.engineType());
            out.writeFieldName(ENGINE_ID);
            out.writeNumber(packet.engineId());
            out.writeFieldName(SAMPLING_INTERVAL);
            out.writeNumber(packet.headerSamplingInterval());
        } else {
            out.writeFieldName(SOURCE_ID);
            out.writeNumber(packet.observationDomain());
        }
        writeTimestamp(out, EXPORT_TIMESTAMP, packet.exportTimeMillis());
        if (packet.systemUptimeMillis() >= 0) {
            out.writeFieldName(UPTIME_MILLIS);
            out.writeNumber(packet.systemUptimeMillis());
        }
        out.writeFieldName(VERSION);
        out.writeNumber(protocol.version());
        out.writeEndObject();
    }

    private void writeNetwork(JsonGenerator out, FlowRecord record) throws IOException {
        out.writeFieldName(NETWORK);
        out.writeStartObject();
        if (record.has(FlowField.IP_VERSION)) {
            long version = record.getLong(FlowField.IP_VERSION);
            if (version == 4 || version == 6) {
                out.writeFieldName(TYPE);
                out.writeString(version == 4 ? "ipv4" : "ipv6");
            }
        }
        if (record.has(FlowField.PROTOCOL)) {
            long protocol = record.getLong(FlowField.PROTOCOL);
            String name = IanaProtocolNames.name((int) Math.min(protocol, Integer.MAX_VALUE));
            if (name != null) {
                out.writeFieldName(TRANSPORT);
                out.writeString(name);
            }
            out.writeFieldName(IANA_NUMBER);
            out.writeString(IanaProtocolNames.number(protocol));
        }
        // Filebeat: the record's counters plus the reverse ones; only when the record's own are there.
        if (source.hasBytes) {
            out.writeFieldName(BYTES);
            writeUnsigned(out, source.bytes + (destination.hasBytes ? destination.bytes : 0));
        }
        if (source.hasPackets) {
            out.writeFieldName(PACKETS);
            writeUnsigned(out, source.packets + (destination.hasPackets ? destination.packets : 0));
        }
        out.writeFieldName(DIRECTION);
        out.writeString(direction(record));
        out.writeEndObject();
    }

    private static String direction(FlowRecord record) {
        if (record.has(FlowField.DIRECTION)) {
            long direction = record.getLong(FlowField.DIRECTION);
            if (direction == 0) {
                return "inbound";
            }
            if (direction == 1) {
                return "outbound";
            }
        }
        return "unknown";
    }

    private void writeRelated(JsonGenerator out) throws IOException {
        Endpoint a = source;
        Endpoint b = destination;
        if (a.addressLength == 0 && b.addressLength == 0) {
            return;
        }
        out.writeFieldName(RELATED);
        out.writeStartObject();
        out.writeFieldName(IP);
        out.writeStartArray();
        if (a.addressLength == 0 || b.addressLength == 0) {
            writeAddress(out, a.addressLength != 0 ? a : b);
        } else {
            // Sorted and unique, as Filebeat writes related.ip.
            int order = Arrays.compareUnsigned(a.address, 0, a.addressLength, b.address, 0, b.addressLength);
            writeAddress(out, order <= 0 ? a : b);
            if (order != 0) {
                writeAddress(out, order <= 0 ? b : a);
            }
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private void writeEndpoint(JsonGenerator out, SerializableString name, Endpoint e) throws IOException {
        if (e.isEmpty()) {
            return;
        }
        out.writeFieldName(name);
        out.writeStartObject();
        if (e.addressLength != 0) {
            out.writeFieldName(IP);
            writeAddress(out, e);
        }
        if (e.hasPort) {
            out.writeFieldName(PORT);
            out.writeNumber(e.port);
        }
        if (e.hasMac) {
            out.writeFieldName(MAC);
            int len = MacAddressFormatter.format(e.mac, chars, 0);
            out.writeString(chars, 0, len);
        }
        if (e.hasBytes) {
            out.writeFieldName(BYTES);
            writeUnsigned(out, e.bytes);
        }
        if (e.hasPackets) {
            out.writeFieldName(PACKETS);
            writeUnsigned(out, e.packets);
        }
        out.writeEndObject();
    }

    private void writeAddress(JsonGenerator out, Endpoint e) throws IOException {
        int len = IpAddressFormatter.format(e.address, 0, e.addressLength, chars, 0);
        out.writeString(chars, 0, len);
    }

    /** Finds the fields behind the ECS counters that {@link FlowField} does not cover. */
    private void scanCounters(FlowRecord record) {
        initiatorOctets = -1;
        initiatorPackets = -1;
        reverseOctets = -1;
        reversePackets = -1;
        biflowDirection = -1;
        int reverseOctetsRank = Integer.MAX_VALUE;
        int reversePacketsRank = Integer.MAX_VALUE;
        for (int i = 0, n = record.fieldCount(); i < n; i++) {
            int length = record.fieldLength(i);
            if (length < 1 || length > 8) {
                continue;
            }
            long enterprise = record.enterpriseId(i);
            int id = record.elementId(i);
            int rank = Integer.MAX_VALUE; // Filebeat's preference: delta, then total, then responder counts
            if (enterprise == 0) {
                switch (id) {
                    case 231: // initiatorOctets
                        initiatorOctets = initiatorOctets < 0 ? i : initiatorOctets;
                        break;
                    case 298: // initiatorPackets
                        initiatorPackets = initiatorPackets < 0 ? i : initiatorPackets;
                        break;
                    case 239: // biflowDirection
                        biflowDirection = biflowDirection < 0 ? i : biflowDirection;
                        break;
                    case 232: // responderOctets
                        rank = 2;
                        if (rank < reverseOctetsRank) {
                            reverseOctets = i;
                            reverseOctetsRank = rank;
                        }
                        break;
                    case 299: // responderPackets
                        rank = 2;
                        if (rank < reversePacketsRank) {
                            reversePackets = i;
                            reversePacketsRank = rank;
                        }
                        break;
                    default:
                        break;
                }
            } else if (enterprise == REVERSE_PEN) {
                if (id == 1 || id == 85) { // reverseOctetDeltaCount, reverseOctetTotalCount
                    rank = id == 1 ? 0 : 1;
                    if (rank < reverseOctetsRank) {
                        reverseOctets = i;
                        reverseOctetsRank = rank;
                    }
                } else if (id == 2 || id == 86) { // reversePacketDeltaCount, reversePacketTotalCount
                    rank = id == 2 ? 0 : 1;
                    if (rank < reversePacketsRank) {
                        reversePackets = i;
                        reversePacketsRank = rank;
                    }
                }
            }
        }
    }

    /** Gathers both ends as the record states them: source = the record's source, with its own counters. */
    private void collectEndpoints(FlowRecord record) {
        Endpoint src = source;
        Endpoint dst = destination;
        src.clear();
        dst.clear();
        src.addressLength = record.copyAddress(FlowField.SOURCE_ADDRESS, src.address);
        dst.addressLength = record.copyAddress(FlowField.DESTINATION_ADDRESS, dst.address);
        if (record.has(FlowField.SOURCE_PORT)) {
            src.hasPort = true;
            src.port = record.sourcePort();
        }
        if (record.has(FlowField.DESTINATION_PORT)) {
            dst.hasPort = true;
            dst.port = record.destinationPort();
        }
        if (record.has(FlowField.SOURCE_MAC)) {
            src.hasMac = true;
            src.mac = record.mac(FlowField.SOURCE_MAC);
        }
        if (record.has(FlowField.DESTINATION_MAC)) {
            dst.hasMac = true;
            dst.mac = record.mac(FlowField.DESTINATION_MAC);
        }
        if (record.has(FlowField.BYTES)) {
            src.hasBytes = true;
            src.bytes = record.bytes();
        } else if (initiatorOctets >= 0) {
            src.hasBytes = true;
            src.bytes = record.unsignedValue(initiatorOctets);
        }
        if (record.has(FlowField.PACKETS)) {
            src.hasPackets = true;
            src.packets = record.packets();
        } else if (initiatorPackets >= 0) {
            src.hasPackets = true;
            src.packets = record.unsignedValue(initiatorPackets);
        }
        if (reverseOctets >= 0) {
            dst.hasBytes = true;
            dst.bytes = record.unsignedValue(reverseOctets);
        }
        if (reversePackets >= 0) {
            dst.hasPackets = true;
            dst.packets = record.unsignedValue(reversePackets);
        }
    }

    /** The exporter's address as text, recomputed only when the exporter changes. */
    private String exporterText(InetAddress exporter) {
        if (exporter == null) {
            return null;
        }
        if (!exporter.equals(lastExporter)) {
            lastExporterText = IpAddressFormatter.toString(exporter.getAddress());
            lastExporter = exporter;
        }
        return lastExporterText;
    }

    // ------------------------------------------------------------------------------------------------ elements

    private void writeElement(JsonGenerator out, FlowRecord record, int i) throws IOException {
        ElementFieldNames.Entry entry = names.entry(record.element(i));
        if (entry.isPadding()) {
            return;
        }
        int length = record.fieldLength(i);
        switch (entry.dataType) {
            case UNSIGNED8:
            case UNSIGNED16:
            case UNSIGNED32:
            case UNSIGNED64:
                if (length == 0) {
                    return;
                }
                out.writeFieldName(names.nextName(entry.slot));
                if (length <= 8) {
                    writeUnsigned(out, record.unsignedValue(i));
                } else {
                    out.writeNumber(new BigInteger(1, record.bytesValue(i))); // rare: over-long field
                }
                return;
            case SIGNED8:
            case SIGNED16:
            case SIGNED32:
            case SIGNED64:
                if (length == 0) {
                    return;
                }
                out.writeFieldName(names.nextName(entry.slot));
                if (length <= 8) {
                    int shift = 64 - 8 * length; // sign-extend a reduced-size value
                    out.writeNumber(record.unsignedValue(i) << shift >> shift);
                } else {
                    out.writeNumber(new BigInteger(record.bytesValue(i)));
                }
                return;
            case FLOAT32:
            case FLOAT64:
                if (length == 4) {
                    float f = Float.intBitsToFloat((int) record.unsignedValue(i));
                    if (Float.isFinite(f)) {
                        out.writeFieldName(names.nextName(entry.slot));
                        out.writeNumber(f);
                    }
                } else if (length == 8) {
                    double d = Double.longBitsToDouble(record.unsignedValue(i));
                    if (Double.isFinite(d)) {
                        out.writeFieldName(names.nextName(entry.slot));
                        out.writeNumber(d);
                    }
                }
                return;
            case BOOLEAN: {
                long v = length == 1 ? record.unsignedValue(i) : 0;
                if (v == 1 || v == 2) { // RFC 7011 6.1.5: 1 is true, 2 is false
                    out.writeFieldName(names.nextName(entry.slot));
                    out.writeBoolean(v == 1);
                }
                return;
            }
            case MAC_ADDRESS:
                if (length == 6) {
                    out.writeFieldName(names.nextName(entry.slot));
                    int len = MacAddressFormatter.format(record.unsignedValue(i), chars, 0);
                    out.writeString(chars, 0, len);
                }
                return;
            case IPV4_ADDRESS:
            case IPV6_ADDRESS:
                writeIpElement(out, record, i, entry.slot, length);
                return;
            case STRING: {
                ByteBuf buf = record.buffer();
                int offset = record.fieldOffset(i);
                int len = length;
                while (len > 0 && buf.getByte(offset + len - 1) == 0) {
                    len--;
                }
                ensureChars(len);
                int end = Utf8Decoder.decode(buf, offset, len, chars, 0);
                out.writeFieldName(names.nextName(entry.slot));
                out.writeString(chars, 0, end);
                return;
            }
            case DATE_TIME_SECONDS:
                if (length >= 1 && length <= 8) {
                    long seconds = record.unsignedValue(i);
                    if (IsoTimestampFormatter.isSupportedSeconds(seconds)) {
                        out.writeFieldName(names.nextName(entry.slot));
                        writeTimestampValue(out, seconds, 0, 3);
                    }
                }
                return;
            case DATE_TIME_MILLISECONDS:
                if (length >= 1 && length <= 8) {
                    long millis = record.unsignedValue(i);
                    if (IsoTimestampFormatter.isSupportedMillis(millis)) {
                        out.writeFieldName(names.nextName(entry.slot));
                        writeTimestampValue(out, Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000), 3);
                    }
                }
                return;
            case DATE_TIME_MICROSECONDS:
            case DATE_TIME_NANOSECONDS:
                if (length == 8) {
                    long ntp = record.unsignedValue(i);
                    if (ntp != 0) { // all zero: not set
                        out.writeFieldName(names.nextName(entry.slot));
                        writeNtpTimestamp(out, ntp, entry.dataType == DataType.DATE_TIME_NANOSECONDS);
                    }
                }
                return;
            case OCTET_ARRAY:
            case BASIC_LIST:
            case SUB_TEMPLATE_LIST:
            case SUB_TEMPLATE_MULTI_LIST:
            default:
                if (length > 0) { // an empty octet array carries nothing (unlike an empty string)
                    out.writeFieldName(names.nextName(entry.slot));
                    writeHex(out, record.buffer(), record.fieldOffset(i), length);
                }
        }
    }

    private void writeIpElement(JsonGenerator out, FlowRecord record, int i, ElementFieldNames.Slot slot, int length)
            throws IOException {
        int len;
        if (length == 4) {
            len = IpAddressFormatter.formatIpv4((int) record.unsignedValue(i), chars, 0);
        } else if (length == 16) {
            ByteBuf buf = record.buffer();
            int offset = record.fieldOffset(i);
            len = IpAddressFormatter.formatIpv6(buf.getLong(offset), buf.getLong(offset + 8), chars, 0);
        } else {
            return;
        }
        out.writeFieldName(names.nextName(slot));
        out.writeString(chars, 0, len);
    }

    /**
     * An NTP-format timestamp (RFC 7011 6.1.9-10): seconds since 1900 and a binary fraction. Seconds with the top bit
     * clear are taken to be in NTP era 1 (from 2036-02-07T06:28:16Z), as RFC 4330 section 3 suggests.
     */
    private void writeNtpTimestamp(JsonGenerator out, long ntp, boolean nanos) throws IOException {
        long seconds = ntp >>> 32;
        long fraction = ntp & 0xFFFF_FFFFL;
        long epochSecond = (seconds & 0x8000_0000L) != 0
                ? seconds - NTP_TO_UNIX_SECONDS
                : seconds + (1L << 32) - NTP_TO_UNIX_SECONDS;
        if (nanos) {
            writeTimestampValue(out, epochSecond, (int) ((fraction * 1_000_000_000L) >>> 32), 9);
        } else {
            // dateTimeMicroseconds: the 11 low bits of the fraction carry nothing (RFC 7011 6.1.9)
            writeTimestampValue(out, epochSecond, (int) (((fraction & ~0x7FFL) * 1_000_000L) >>> 32), 6);
        }
    }

    // ------------------------------------------------------------------------------------------------ values

    private void writeTimestamp(JsonGenerator out, SerializableString name, long epochMillis) throws IOException {
        if (IsoTimestampFormatter.isSupportedMillis(epochMillis)) {
            out.writeFieldName(name);
            int len = IsoTimestampFormatter.formatMillis(epochMillis, chars, 0);
            out.writeString(chars, 0, len);
        }
    }

    private void writeTimestampValue(JsonGenerator out, long epochSecond, int fraction, int digits)
            throws IOException {
        int len = IsoTimestampFormatter.format(epochSecond, fraction, digits, chars, 0);
        out.writeString(chars, 0, len);
    }

    /** Writes a 64-bit value as an unsigned number. */
    private void writeUnsigned(JsonGenerator out, long value) throws IOException {
        if (value >= 0) {
            out.writeNumber(value);
            return;
        }
        // Above Long.MAX_VALUE: 20 decimal digits, the last from an unsigned division.
        long quotient = Long.divideUnsigned(value, 10);
        int last = (int) (value - quotient * 10);
        int p = 20;
        chars[--p] = (char) ('0' + last);
        while (quotient > 0) {
            chars[--p] = (char) ('0' + quotient % 10);
            quotient /= 10;
        }
        out.writeNumber(chars, p, 20 - p);
    }

    private void writeHex(JsonGenerator out, ByteBuf buf, int offset, int length) throws IOException {
        ensureChars(2 * length);
        char[] c = chars;
        for (int k = 0; k < length; k++) {
            int b = buf.getByte(offset + k);
            c[2 * k] = HEX[(b >>> 4) & 0xF];
            c[2 * k + 1] = HEX[b & 0xF];
        }
        out.writeString(c, 0, 2 * length);
    }

    private void ensureChars(int length) {
        if (chars.length < length) {
            chars = new char[Math.max(length, 2 * chars.length)];
        }
    }

    private static SerializedString key(String name) {
        return new SerializedString(name);
    }

    /** The ECS view of one end of a flow, gathered before writing (source and destination may swap). */
    private static final class Endpoint {
        final byte[] address = new byte[16];
        int addressLength;
        boolean hasPort;
        int port;
        boolean hasMac;
        long mac;
        boolean hasBytes;
        long bytes;
        boolean hasPackets;
        long packets;

        void clear() {
            addressLength = 0;
            hasPort = false;
            hasMac = false;
            hasBytes = false;
            hasPackets = false;
        }

        boolean isEmpty() {
            return addressLength == 0 && !hasPort && !hasMac && !hasBytes && !hasPackets;
        }
    }
}
