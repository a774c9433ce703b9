package dev.sluice.core.layout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.enrich.GeoLocation;
import dev.sluice.core.enrich.InterfaceInfo;
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
 * <p><b>Enrichment</b> ({@link #write(FlowRecord, FlowEvent, JsonGenerator)}): the event's slots go to their ECS
 * places: {@code source.geo.{continent_code, continent_name, country_iso_code, country_name, region_iso_code,
 * region_name, city_name, location: {lat, lon}}}, {@code source.as.number}, {@code source.as.organization.name},
 * {@code source.locality} (and the same for {@code destination}; with a swapped biflow the event's ends swap
 * too); {@code observer.name}, {@code observer.geo.name} (the site), {@code observer.ingress.interface.{id, name,
 * alias}} and {@code observer.egress.interface.*} (alias = the interface description; interface tags join
 * {@code tags}); {@code network.direction} (the event's when set), {@code network.transport} (the event's protocol
 * name when set), {@code network.application}, {@code network.community_id}; corrected counters: with a sampling
 * correction {@code source.bytes}/{@code packets} are the corrected values, the reverse counters are multiplied by
 * the same interval and {@code network.bytes}/{@code packets} are their sum, while the raw values stay under
 * {@code netflow.*} (e.g. {@code netflow.octet_delta_count}) and the interval applied is
 * {@code flow.sampling_interval}. Fields ECS has no place for go under
 * {@code flow} (Filebeat also writes {@code flow.locality} there): {@code flow.locality} (internal when both ends
 * are internal, else external), {@code flow.bits}, {@code flow.duration_millis}, {@code flow.bits_per_second},
 * {@code flow.packets_per_second}, {@code flow.tcp_flags} (names), {@code flow.icmp_type},
 * {@code flow.sampling_interval}. {@code tags} and {@code labels} (plus {@code labels.datacenter}) as the event
 * has them; custom fields last, under their dotted names (Elasticsearch expands them into objects).
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
 * <p><b>sFlow flow samples</b> ({@link FlowProtocol#SFLOW_V5} records: one sampled packet each) get the same
 * document, so that they share the index template, the {@code source}/{@code destination}/{@code network} fields
 * and the dashboards of the NetFlow and IPFIX flows (the sFlow decoder maps every value onto its IPFIX element for
 * that reason), with these differences:
 * <ul>
 *   <li>{@code event.action} and {@code netflow.type} are {@code sflow_flow}: a sample is one packet (1 packet, the
 *       frame length as bytes) that stands for {@code sflow.sampling_rate} packets, not a flow with its own
 *       counters, so whoever sums bytes must tell the two apart (Filebeat itself has no sFlow input);</li>
 *   <li>sFlow has no flow times: no {@code event.start}/{@code end}/{@code duration}, and {@code @timestamp} is the
 *       time the datagram was received (the decoder's export time);</li>
 *   <li>instead of {@code netflow.exporter} (the NetFlow/IPFIX header, whose {@code version} 5 would read as
 *       NetFlow v5) the datagram header goes into an {@code sflow} group:
 *       {@code sflow.agent.address} (the agent address inside the datagram, also {@code observer.ip}),
 *       {@code sflow.agent.sub_agent_id}, {@code sflow.datagram.sequence_number},
 *       {@code sflow.datagram.uptime_millis}, and {@code sflow.sampling_rate} (1 in N; also
 *       {@code netflow.sampling_packet_interval}, the IPFIX element it maps to);</li>
 *   <li>the flow records the decoder kept raw (enterprise 4300 fields: extended gateway whole, extended user, URL,
 *       MPLS, NAT, tunnels, vendor records ...) are written as hex under {@code sflow.raw.<data format>}
 *       ({@code 1006}, or {@code <enterprise>:<format>} for vendor records), not as
 *       {@code netflow.unknown_4300_<id>}: they are sFlow structures, not IPFIX elements.</li>
 * </ul>
 *
 * <p><b>Counter samples</b> ({@link #writeCounters}) become metric documents:
 * <pre>{@code
 * {"@timestamp": <receive time>, "ecs": {...},
 *  "event": {"kind": "metric", "category": ["network"], "type": ["info"], "action": "sflow_counters",
 *            "dataset": "sflow.counters", "module": "sflow"},
 *  "observer": {"ip": <agent>, "ingress": {"interface": {"id": "<ifIndex>"}}},
 *  "sflow": {"agent": {...}, "datagram": {...},
 *            "counters": {"sequence_number", "source_id_type", "source_id_index",
 *                         "if_index", "if_type", "if_speed", "if_direction", "if_admin_status": "up",
 *                         "if_oper_status": "up", "if_in_octets", "if_in_ucast_pkts", ..., "if_promiscuous_mode",
 *                         "dot3_stats_alignment_errors", ..., "raw": {"<data format>": <hex>}}}}
 * }</pre>
 * Why these names: {@code event.kind: metric} is ECS's kind for "a numeric measurement taken at a given point in
 * time", which a periodic counter poll is. {@code event.module}/{@code event.dataset} follow Metricbeat's
 * {@code <module>.<metricset>} convention (e.g. {@code system.network}) with a module of their own, because the
 * documents hold no flow fields and belong in a metrics data stream, not in {@code netflow.log}. The polled
 * interface is the observer's: ECS puts interface fields under {@code observer.ingress}/{@code egress} only, and
 * says that for a single interface (as here: one interface, both directions) only {@code observer.ingress} is
 * populated; {@code interface.id} is a keyword ("typically SNMP interface ID"), so the ifIndex is written as a
 * string. It is written when the generic counters are present or the data source is an ifIndex (source type 0).
 * The counters keep the names of the sFlow structures, which are the IF-MIB and EtherLike-MIB object names
 * ({@code ifInUcastPkts}, {@code dot3StatsFCSErrors}), in snake case as the layout writes IPFIX names; Metricbeat's
 * {@code system.network.in.bytes}/{@code dropped}/{@code errors} style was not followed because it has no place
 * for unicast/multicast/broadcast packets, unknown protocols or the Ethernet errors, and ECS's
 * {@code host.network.*} fields are gauges since the last collection, whereas these are cumulative counters.
 * {@code ifStatus} is split into {@code if_admin_status} and {@code if_oper_status} ({@code up}/{@code down}, the
 * IF-MIB words); {@code if_direction} (0 unknown, 1 full-duplex, 2 half-duplex, 3 in, 4 out) and
 * {@code if_promiscuous_mode} (IF-MIB TruthValue: 1 true, 2 false) are the numbers sent. A counter the agent marks
 * unavailable (all ones: 0xFFFFFFFF, or 2^64-1 for the 64-bit octet counters and {@code if_speed}) is left out, so
 * that it does not show up as a huge rate. Generic and Ethernet counters are each written only when their record
 * was in the sample; the other counter records (VLAN, processor, host, vendor ...) are written as hex under
 * {@code sflow.counters.raw}, named as the raw flow records are.
 *
 * <p>Not thread-safe (it reuses buffers): one instance per thread. In steady state writing a record or counters
 * allocates nothing, apart from floats (Jackson's float text) and the rare over-long numbers.
 */
public final class EcsLayout implements DocumentLayout {

    /** The ECS version the documents follow. */
    public static final String ECS_VERSION = "8.11.0";

    static final String FLOW_TYPE = "netflow_flow";
    static final String OPTIONS_TYPE = "netflow_options";
    static final String SFLOW_FLOW_TYPE = "sflow_flow";
    static final String COUNTERS_TYPE = "sflow_counters";

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
    private static final SerializedString INGRESS = key("ingress");
    private static final SerializedString INTERFACE = key("interface");
    private static final SerializedString ID = key("id");
    private static final SerializedString SFLOW = key("sflow");
    private static final SerializedString AGENT = key("agent");
    private static final SerializedString SUB_AGENT_ID = key("sub_agent_id");
    private static final SerializedString DATAGRAM = key("datagram");
    private static final SerializedString SEQUENCE_NUMBER = key("sequence_number");
    private static final SerializedString SAMPLING_RATE = key("sampling_rate");
    private static final SerializedString RAW = key("raw");
    private static final SerializedString COUNTERS = key("counters");
    private static final SerializedString SOURCE_ID_TYPE = key("source_id_type");
    private static final SerializedString SOURCE_ID_INDEX = key("source_id_index");
    private static final SerializedString IF_INDEX = key("if_index");
    private static final SerializedString IF_TYPE = key("if_type");
    private static final SerializedString IF_SPEED = key("if_speed");
    private static final SerializedString IF_DIRECTION = key("if_direction");
    private static final SerializedString IF_ADMIN_STATUS = key("if_admin_status");
    private static final SerializedString IF_OPER_STATUS = key("if_oper_status");
    private static final SerializedString IF_IN_OCTETS = key("if_in_octets");
    private static final SerializedString IF_IN_UCAST_PKTS = key("if_in_ucast_pkts");
    private static final SerializedString IF_IN_MULTICAST_PKTS = key("if_in_multicast_pkts");
    private static final SerializedString IF_IN_BROADCAST_PKTS = key("if_in_broadcast_pkts");
    private static final SerializedString IF_IN_DISCARDS = key("if_in_discards");
    private static final SerializedString IF_IN_ERRORS = key("if_in_errors");
    private static final SerializedString IF_IN_UNKNOWN_PROTOS = key("if_in_unknown_protos");
    private static final SerializedString IF_OUT_OCTETS = key("if_out_octets");
    private static final SerializedString IF_OUT_UCAST_PKTS = key("if_out_ucast_pkts");
    private static final SerializedString IF_OUT_MULTICAST_PKTS = key("if_out_multicast_pkts");
    private static final SerializedString IF_OUT_BROADCAST_PKTS = key("if_out_broadcast_pkts");
    private static final SerializedString IF_OUT_DISCARDS = key("if_out_discards");
    private static final SerializedString IF_OUT_ERRORS = key("if_out_errors");
    private static final SerializedString IF_PROMISCUOUS_MODE = key("if_promiscuous_mode");
    private static final SerializedString DOT3_ALIGNMENT_ERRORS = key("dot3_stats_alignment_errors");
    private static final SerializedString DOT3_FCS_ERRORS = key("dot3_stats_fcs_errors");
    private static final SerializedString DOT3_SINGLE_COLLISION_FRAMES = key("dot3_stats_single_collision_frames");
    private static final SerializedString DOT3_MULTIPLE_COLLISION_FRAMES =
            key("dot3_stats_multiple_collision_frames");
    private static final SerializedString DOT3_SQE_TEST_ERRORS = key("dot3_stats_sqe_test_errors");
    private static final SerializedString DOT3_DEFERRED_TRANSMISSIONS = key("dot3_stats_deferred_transmissions");
    private static final SerializedString DOT3_LATE_COLLISIONS = key("dot3_stats_late_collisions");
    private static final SerializedString DOT3_EXCESSIVE_COLLISIONS = key("dot3_stats_excessive_collisions");
    private static final SerializedString DOT3_INTERNAL_MAC_TRANSMIT_ERRORS =
            key("dot3_stats_internal_mac_transmit_errors");
    private static final SerializedString DOT3_CARRIER_SENSE_ERRORS = key("dot3_stats_carrier_sense_errors");
    private static final SerializedString DOT3_FRAME_TOO_LONGS = key("dot3_stats_frame_too_longs");
    private static final SerializedString DOT3_INTERNAL_MAC_RECEIVE_ERRORS =
            key("dot3_stats_internal_mac_receive_errors");
    private static final SerializedString DOT3_SYMBOL_ERRORS = key("dot3_stats_symbol_errors");

    private static final SerializedString NAME = key("name");
    private static final SerializedString GEO = key("geo");
    private static final SerializedString EGRESS = key("egress");
    private static final SerializedString ALIAS = key("alias");
    private static final SerializedString APPLICATION = key("application");
    private static final SerializedString COMMUNITY_ID = key("community_id");
    private static final SerializedString CONTINENT_CODE = key("continent_code");
    private static final SerializedString CONTINENT_NAME = key("continent_name");
    private static final SerializedString COUNTRY_ISO_CODE = key("country_iso_code");
    private static final SerializedString COUNTRY_NAME = key("country_name");
    private static final SerializedString REGION_ISO_CODE = key("region_iso_code");
    private static final SerializedString REGION_NAME = key("region_name");
    private static final SerializedString CITY_NAME = key("city_name");
    private static final SerializedString LOCATION = key("location");
    private static final SerializedString LAT = key("lat");
    private static final SerializedString LON = key("lon");
    private static final SerializedString AS = key("as");
    private static final SerializedString NUMBER = key("number");
    private static final SerializedString ORGANIZATION = key("organization");
    private static final SerializedString LOCALITY = key("locality");
    private static final SerializedString FLOW = key("flow");
    private static final SerializedString FLOW_BITS = key("bits");
    private static final SerializedString FLOW_DURATION_MILLIS = key("duration_millis");
    private static final SerializedString FLOW_BPS = key("bits_per_second");
    private static final SerializedString FLOW_PPS = key("packets_per_second");
    private static final SerializedString FLOW_SAMPLING_INTERVAL = key("sampling_interval");
    private static final SerializedString FLOW_TCP_FLAGS = key("tcp_flags");
    private static final SerializedString FLOW_ICMP_TYPE = key("icmp_type");
    private static final SerializedString TAGS = key("tags");
    private static final SerializedString LABELS = key("labels");
    private static final SerializedString DATACENTER = key("datacenter");

    private static final long REVERSE_PEN = 29305; // RFC 5103 reverse information elements
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

    private final ElementFieldNames names = new ElementFieldNames("type", "exporter");
    private final SflowRawKeys rawKeys = new SflowRawKeys();
    private final SflowRawKeys.HexWriter hexWriter = this::writeHex;
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
        write(record, null, out);
    }

    @Override
    public void write(FlowRecord record, FlowEvent ev, JsonGenerator out) throws IOException {
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
        if (ev != null) {
            applyCorrection(ev);
        }
        long biflow = biflowDirection >= 0 ? record.unsignedValue(biflowDirection) : -1;
        boolean isBiflow = biflow >= 0 && !source.isEmpty() && !destination.isEmpty();
        boolean swapped = isBiflow && biflow == 2; // the reverse side initiated: it is the source (Filebeat)
        Endpoint src = swapped ? destination : source;
        Endpoint dst = swapped ? source : destination;
        FlowEvent.Endpoint evSrc = ev == null ? null : swapped ? ev.destination() : ev.source();
        FlowEvent.Endpoint evDst = ev == null ? null : swapped ? ev.source() : ev.destination();
        String exporter = exporterText(packet.exporter());
        boolean sflow = packet.protocol() == FlowProtocol.SFLOW_V5;
        String type = sflow ? SFLOW_FLOW_TYPE : FLOW_TYPE;

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
        out.writeString(type);
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

        if (ev == null) {
            writeObserver(out, exporter);
        } else {
            writeObserver(out, exporter, record, ev);
        }
        writeEndpoint(out, SOURCE, src, evSrc);
        writeEndpoint(out, DESTINATION, dst, evDst);
        if (isBiflow) {
            writeEndpoint(out, CLIENT, src, null);
            writeEndpoint(out, SERVER, dst, null);
        }
        writeNetwork(out, record, ev);
        writeRelated(out);
        if (ev != null) {
            writeFlowGroup(out, ev);
            writeTagsAndLabels(out, ev);
        }

        out.writeFieldName(NETFLOW);
        out.writeStartObject();
        out.writeFieldName(TYPE);
        out.writeString(type);
        if (!sflow) {
            writeExporter(out, packet, exporter);
        }
        names.beginObject(true);
        for (int i = 0, n = record.fieldCount(); i < n; i++) {
            if (!sflow || record.enterpriseId(i) != SflowRawKeys.RAW_ENTERPRISE) {
                writeElement(out, record, i);
            }
        }
        out.writeEndObject();
        if (sflow) {
            writeSflowFlow(out, record, exporter);
        }
        if (ev != null) {
            writeCustomFields(out, ev);
        }

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

    /**
     * Writes an sFlow counter sample as a metric document (see the class comment). Counters the agent marks as
     * unavailable (all ones) are left out.
     */
    @Override
    public void writeCounters(InterfaceCounters counters, JsonGenerator out) throws IOException {
        ExportPacket packet = counters.packet();
        String exporter = exporterText(packet.exporter());
        boolean hasInterface = counters.hasGeneric() || counters.sourceIdType() == 0;

        out.writeStartObject();
        writeTimestamp(out, TIMESTAMP, packet.exportTimeMillis());
        writeEcs(out);

        out.writeFieldName(EVENT);
        out.writeStartObject();
        out.writeFieldName(KIND);
        out.writeString("metric");
        out.writeFieldName(CATEGORY);
        out.writeStartArray();
        out.writeString("network");
        out.writeEndArray();
        out.writeFieldName(TYPE);
        out.writeStartArray();
        out.writeString("info");
        out.writeEndArray();
        out.writeFieldName(ACTION);
        out.writeString(COUNTERS_TYPE);
        out.writeFieldName(DATASET);
        out.writeString("sflow.counters");
        out.writeFieldName(MODULE);
        out.writeString("sflow");
        out.writeEndObject();

        if (exporter != null || hasInterface) {
            out.writeFieldName(OBSERVER);
            out.writeStartObject();
            if (exporter != null) {
                out.writeFieldName(IP);
                out.writeString(exporter);
            }
            if (hasInterface) {
                out.writeFieldName(INGRESS);
                out.writeStartObject();
                out.writeFieldName(INTERFACE);
                out.writeStartObject();
                out.writeFieldName(ID);
                int len = formatDecimal(counters.ifIndex(), chars);
                out.writeString(chars, 0, len);
                out.writeEndObject();
                out.writeEndObject();
            }
            out.writeEndObject();
        }

        out.writeFieldName(SFLOW);
        out.writeStartObject();
        writeSflowHeader(out, packet, exporter);
        out.writeFieldName(COUNTERS);
        out.writeStartObject();
        out.writeFieldName(SEQUENCE_NUMBER);
        out.writeNumber(counters.sequenceNumber());
        out.writeFieldName(SOURCE_ID_TYPE);
        out.writeNumber(counters.sourceIdType());
        out.writeFieldName(SOURCE_ID_INDEX);
        out.writeNumber(counters.sourceIdIndex());
        if (counters.hasGeneric()) {
            writeGenericCounters(out, counters);
        }
        if (counters.hasEthernet()) {
            writeEthernetCounters(out, counters);
        }
        int others = counters.otherRecordCount();
        if (others > 0) {
            out.writeFieldName(RAW);
            out.writeStartObject();
            rawKeys.beginObject();
            ByteBuf buf = counters.buffer();
            for (int k = 0; k < others; k++) {
                out.writeFieldName(rawKeys.next(counters.otherRecordFormat(k)));
                writeHex(out, buf, counters.otherRecordOffset(k), counters.otherRecordLength(k));
            }
            out.writeEndObject();
        }
        out.writeEndObject();
        out.writeEndObject();

        out.writeEndObject();
    }

    private void writeGenericCounters(JsonGenerator out, InterfaceCounters c) throws IOException {
        out.writeFieldName(IF_INDEX);
        out.writeNumber(c.ifIndex());
        out.writeFieldName(IF_TYPE);
        out.writeNumber(c.ifType());
        counter64(out, IF_SPEED, c.ifSpeed());
        out.writeFieldName(IF_DIRECTION);
        out.writeNumber(c.ifDirection());
        out.writeFieldName(IF_ADMIN_STATUS);
        out.writeString(c.adminUp() ? "up" : "down");
        out.writeFieldName(IF_OPER_STATUS);
        out.writeString(c.operUp() ? "up" : "down");
        counter64(out, IF_IN_OCTETS, c.inOctets());
        counter32(out, IF_IN_UCAST_PKTS, c.inUnicastPackets());
        counter32(out, IF_IN_MULTICAST_PKTS, c.inMulticastPackets());
        counter32(out, IF_IN_BROADCAST_PKTS, c.inBroadcastPackets());
        counter32(out, IF_IN_DISCARDS, c.inDiscards());
        counter32(out, IF_IN_ERRORS, c.inErrors());
        counter32(out, IF_IN_UNKNOWN_PROTOS, c.inUnknownProtos());
        counter64(out, IF_OUT_OCTETS, c.outOctets());
        counter32(out, IF_OUT_UCAST_PKTS, c.outUnicastPackets());
        counter32(out, IF_OUT_MULTICAST_PKTS, c.outMulticastPackets());
        counter32(out, IF_OUT_BROADCAST_PKTS, c.outBroadcastPackets());
        counter32(out, IF_OUT_DISCARDS, c.outDiscards());
        counter32(out, IF_OUT_ERRORS, c.outErrors());
        out.writeFieldName(IF_PROMISCUOUS_MODE);
        out.writeNumber(c.promiscuousMode());
    }

    private void writeEthernetCounters(JsonGenerator out, InterfaceCounters c) throws IOException {
        counter32(out, DOT3_ALIGNMENT_ERRORS, c.dot3AlignmentErrors());
        counter32(out, DOT3_FCS_ERRORS, c.dot3FcsErrors());
        counter32(out, DOT3_SINGLE_COLLISION_FRAMES, c.dot3SingleCollisionFrames());
        counter32(out, DOT3_MULTIPLE_COLLISION_FRAMES, c.dot3MultipleCollisionFrames());
        counter32(out, DOT3_SQE_TEST_ERRORS, c.dot3SqeTestErrors());
        counter32(out, DOT3_DEFERRED_TRANSMISSIONS, c.dot3DeferredTransmissions());
        counter32(out, DOT3_LATE_COLLISIONS, c.dot3LateCollisions());
        counter32(out, DOT3_EXCESSIVE_COLLISIONS, c.dot3ExcessiveCollisions());
        counter32(out, DOT3_INTERNAL_MAC_TRANSMIT_ERRORS, c.dot3InternalMacTransmitErrors());
        counter32(out, DOT3_CARRIER_SENSE_ERRORS, c.dot3CarrierSenseErrors());
        counter32(out, DOT3_FRAME_TOO_LONGS, c.dot3FrameTooLongs());
        counter32(out, DOT3_INTERNAL_MAC_RECEIVE_ERRORS, c.dot3InternalMacReceiveErrors());
        counter32(out, DOT3_SYMBOL_ERRORS, c.dot3SymbolErrors());
    }

    /** A 32-bit counter, left out when the agent says it is unavailable (0xFFFFFFFF). */
    private static void counter32(JsonGenerator out, SerializableString name, long value) throws IOException {
        if (value != 0xFFFF_FFFFL) {
            out.writeFieldName(name);
            out.writeNumber(value);
        }
    }

    /** A 64-bit counter (unsigned), left out when the agent says it is unavailable (all ones). */
    private void counter64(JsonGenerator out, SerializableString name, long value) throws IOException {
        if (value != -1L) {
            out.writeFieldName(name);
            writeUnsigned(out, value);
        }
    }

    // ------------------------------------------------------------------------------------------------ sFlow parts

    /** The {@code sflow} group of a flow record: the datagram header, the sampling rate, the records kept raw. */
    private void writeSflowFlow(JsonGenerator out, FlowRecord record, String exporter) throws IOException {
        out.writeFieldName(SFLOW);
        out.writeStartObject();
        writeSflowHeader(out, record.packet(), exporter);
        if (record.has(FlowField.SAMPLING_INTERVAL)) {
            out.writeFieldName(SAMPLING_RATE);
            writeUnsigned(out, record.samplingInterval());
        }
        rawKeys.writeRecords(out, RAW, record, hexWriter);
        out.writeEndObject();
    }

    /** {@code agent: {address, sub_agent_id}, datagram: {sequence_number, uptime_millis}}. */
    private static void writeSflowHeader(JsonGenerator out, ExportPacket packet, String exporter) throws IOException {
        out.writeFieldName(AGENT);
        out.writeStartObject();
        if (exporter != null) {
            out.writeFieldName(ADDRESS);
            out.writeString(exporter);
        }
        out.writeFieldName(SUB_AGENT_ID);
        out.writeNumber(packet.observationDomain());
        out.writeEndObject();
        out.writeFieldName(DATAGRAM);
        out.writeStartObject();
        out.writeFieldName(SEQUENCE_NUMBER);
        out.writeNumber(packet.sequenceNumber());
        if (packet.systemUptimeMillis() >= 0) {
            out.writeFieldName(UPTIME_MILLIS);
            out.writeNumber(packet.systemUptimeMillis());
        }
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

    private void writeNetwork(JsonGenerator out, FlowRecord record, FlowEvent ev) throws IOException {
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
            String name = ev != null && ev.transport() != null ? ev.transport()
                    : IanaProtocolNames.name((int) Math.min(protocol, Integer.MAX_VALUE));
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
        out.writeString(ev != null && ev.direction() != null ? ev.direction() : direction(record));
        if (ev != null) {
            if (ev.application() != null) {
                out.writeFieldName(APPLICATION);
                out.writeString(ev.application());
            }
            if (ev.communityIdLength() > 0) {
                out.writeFieldName(COMMUNITY_ID);
                out.writeString(ev.communityId(), 0, ev.communityIdLength());
            }
        }
        out.writeEndObject();
    }

    /** Sampling correction: the record's own counters become the event's, the reverse ones are multiplied. */
    private void applyCorrection(FlowEvent ev) {
        long interval = ev.samplingInterval();
        if (ev.bytes() != FlowEvent.UNSET) {
            source.hasBytes = true;
            source.bytes = ev.bytes();
        }
        if (ev.packets() != FlowEvent.UNSET) {
            source.hasPackets = true;
            source.packets = ev.packets();
        }
        if (interval != FlowEvent.UNSET && interval > 1) {
            destination.bytes *= interval;
            destination.packets *= interval;
        }
    }

    private void writeObserver(JsonGenerator out, String exporter, FlowRecord record, FlowEvent ev)
            throws IOException {
        InterfaceInfo in = ev.ingress().info();
        InterfaceInfo eg = ev.egress().info();
        if (exporter == null && ev.observerName() == null && ev.observerSite() == null && in == null && eg == null) {
            return;
        }
        out.writeFieldName(OBSERVER);
        out.writeStartObject();
        if (exporter != null) {
            out.writeFieldName(IP);
            out.writeString(exporter);
        }
        if (ev.observerName() != null) {
            out.writeFieldName(NAME);
            out.writeString(ev.observerName());
        }
        if (ev.observerSite() != null) {
            out.writeFieldName(GEO);
            out.writeStartObject();
            out.writeFieldName(NAME);
            out.writeString(ev.observerSite());
            out.writeEndObject();
        }
        if (in != null) {
            writeInterface(out, INGRESS, record.has(FlowField.INPUT_INTERFACE) ? record.inputInterface() : -1, in);
        }
        if (eg != null) {
            writeInterface(out, EGRESS, record.has(FlowField.OUTPUT_INTERFACE) ? record.outputInterface() : -1, eg);
        }
        out.writeEndObject();
    }

    private void writeInterface(JsonGenerator out, SerializableString side, long ifIndex, InterfaceInfo info)
            throws IOException {
        out.writeFieldName(side);
        out.writeStartObject();
        out.writeFieldName(INTERFACE);
        out.writeStartObject();
        if (ifIndex >= 0) {
            out.writeFieldName(ID);
            int len = formatDecimal(ifIndex, chars);
            out.writeString(chars, 0, len);
        }
        if (info.name() != null) {
            out.writeFieldName(NAME);
            out.writeString(info.name());
        }
        if (info.description() != null) {
            out.writeFieldName(ALIAS);
            out.writeString(info.description());
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    private void writeGeoAndAs(JsonGenerator out, FlowEvent.Endpoint ee) throws IOException {
        GeoLocation g = ee.geo();
        if (g != null && !g.isEmpty()) {
            out.writeFieldName(GEO);
            out.writeStartObject();
            stringField(out, CONTINENT_CODE, g.continentCode());
            stringField(out, CONTINENT_NAME, g.continentName());
            stringField(out, COUNTRY_ISO_CODE, g.countryIsoCode());
            stringField(out, COUNTRY_NAME, g.countryName());
            stringField(out, REGION_ISO_CODE, g.regionIsoCode());
            stringField(out, REGION_NAME, g.regionName());
            stringField(out, CITY_NAME, g.cityName());
            if (g.hasLocation()) {
                out.writeFieldName(LOCATION);
                out.writeStartObject();
                out.writeFieldName(LAT);
                out.writeNumber(g.latitude());
                out.writeFieldName(LON);
                out.writeNumber(g.longitude());
                out.writeEndObject();
            }
            out.writeEndObject();
        }
        if (ee.asNumber() != FlowEvent.UNSET || ee.asOrganization() != null) {
            out.writeFieldName(AS);
            out.writeStartObject();
            if (ee.asNumber() != FlowEvent.UNSET) {
                out.writeFieldName(NUMBER);
                out.writeNumber(ee.asNumber());
            }
            if (ee.asOrganization() != null) {
                out.writeFieldName(ORGANIZATION);
                out.writeStartObject();
                out.writeFieldName(NAME);
                out.writeString(ee.asOrganization());
                out.writeEndObject();
            }
            out.writeEndObject();
        }
        stringField(out, LOCALITY, ee.locality());
    }

    private static void stringField(JsonGenerator out, SerializableString name, String value) throws IOException {
        if (value != null) {
            out.writeFieldName(name);
            out.writeString(value);
        }
    }

    private static void numberField(JsonGenerator out, SerializableString name, long value) throws IOException {
        if (value != FlowEvent.UNSET) {
            out.writeFieldName(name);
            out.writeNumber(value);
        }
    }

    private static void writeFlowGroup(JsonGenerator out, FlowEvent ev) throws IOException {
        String sl = ev.source().locality();
        String dl = ev.destination().locality();
        String locality = sl == null || dl == null ? null
                : FlowEvent.INTERNAL.equals(sl) && FlowEvent.INTERNAL.equals(dl) ? FlowEvent.INTERNAL
                : FlowEvent.EXTERNAL;
        String[] flags = ev.tcpFlagNames();
        if (locality == null && flags == null && ev.icmpTypeName() == null && ev.bits() == FlowEvent.UNSET
                && ev.durationMillis() == FlowEvent.UNSET && ev.bitsPerSecond() == FlowEvent.UNSET
                && ev.packetsPerSecond() == FlowEvent.UNSET && ev.samplingInterval() == FlowEvent.UNSET) {
            return;
        }
        out.writeFieldName(FLOW);
        out.writeStartObject();
        stringField(out, LOCALITY, locality);
        numberField(out, FLOW_BITS, ev.bits());
        numberField(out, FLOW_DURATION_MILLIS, ev.durationMillis());
        numberField(out, FLOW_BPS, ev.bitsPerSecond());
        numberField(out, FLOW_PPS, ev.packetsPerSecond());
        numberField(out, FLOW_SAMPLING_INTERVAL, ev.samplingInterval());
        if (flags != null) {
            out.writeFieldName(FLOW_TCP_FLAGS);
            out.writeStartArray();
            for (String f : flags) {
                out.writeString(f);
            }
            out.writeEndArray();
        }
        stringField(out, FLOW_ICMP_TYPE, ev.icmpTypeName());
        out.writeEndObject();
    }

    private static void writeTagsAndLabels(JsonGenerator out, FlowEvent ev) throws IOException {
        InterfaceInfo in = ev.ingress().info();
        InterfaceInfo eg = ev.egress().info();
        int inTags = in == null ? 0 : in.tagCount();
        int egTags = eg == null ? 0 : eg.tagCount();
        if (ev.tagCount() + inTags + egTags > 0) {
            out.writeFieldName(TAGS);
            out.writeStartArray();
            for (int i = 0; i < ev.tagCount(); i++) {
                out.writeString(ev.tag(i));
            }
            for (int i = 0; i < inTags; i++) {
                if (!ev.hasTag(in.tag(i))) {
                    out.writeString(in.tag(i));
                }
            }
            for (int i = 0; i < egTags; i++) {
                String t = eg.tag(i);
                if (!ev.hasTag(t) && !hasTag(in, inTags, t)) {
                    out.writeString(t);
                }
            }
            out.writeEndArray();
        }
        String dc = ev.observerDatacenter();
        if (ev.labelCount() > 0 || dc != null) {
            out.writeFieldName(LABELS);
            out.writeStartObject();
            if (dc != null && ev.label("datacenter") == null) {
                out.writeFieldName(DATACENTER);
                out.writeString(dc);
            }
            for (int i = 0; i < ev.labelCount(); i++) {
                out.writeFieldName(ev.labelKey(i));
                out.writeString(ev.labelValue(i));
            }
            out.writeEndObject();
        }
    }

    private static boolean hasTag(InterfaceInfo info, int count, String tag) {
        for (int i = 0; i < count; i++) {
            if (info.tag(i).equals(tag)) {
                return true;
            }
        }
        return false;
    }

    private static void writeCustomFields(JsonGenerator out, FlowEvent ev) throws IOException {
        for (int i = 0; i < ev.fieldCount(); i++) {
            out.writeFieldName(ev.fieldName(i));
            String s = ev.fieldString(i);
            if (s != null) {
                out.writeString(s);
            } else {
                out.writeNumber(ev.fieldNumber(i));
            }
        }
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

    private void writeEndpoint(JsonGenerator out, SerializableString name, Endpoint e, FlowEvent.Endpoint ee)
            throws IOException {
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
        if (ee != null) {
            writeGeoAndAs(out, ee);
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

    /** Writes a non-negative number's decimal digits into {@code dst} from 0 and returns how many. */
    private static int formatDecimal(long value, char[] dst) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        long v = value;
        for (int p = digits - 1; p >= 0; p--) {
            dst[p] = (char) ('0' + v % 10);
            v /= 10;
        }
        return digits;
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
