package dev.sluice.core.layout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import dev.sluice.core.enrich.FlowEvent;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The document layout of the Logstash netflow codec ({@code logstash-codec-netflow}), for users migrating from it:
 * <pre>{@code
 * {"@timestamp": "2016-09-10T16:24:08.000Z",
 *  "netflow": {"version": 9, "flow_seq_num": 31664, "flowset_id": 1025, "ipv4_src_addr": "192.168.1.102", ...},
 *  "@version": "1"}
 * }</pre>
 *
 * <p>Field names and types come from the codec's {@code netflow.yaml} (NetFlow v5 and v9) and {@code ipfix.yaml}
 * (IPFIX) through {@link LogstashFieldNames}; values are formatted as the codec formats them:
 * <ul>
 *   <li>{@code @timestamp}: the export time of the packet (NetFlow v5 to the microsecond), printed as Logstash 8
 *       prints timestamps (3, 6 or 9 fraction digits);</li>
 *   <li>header fields: {@code version}, {@code flow_seq_num} (v5, v9), {@code engine_type}, {@code engine_id},
 *       {@code sampling_algorithm}, {@code sampling_interval}, {@code flow_records} (v5), {@code flowset_id} (v9
 *       always, IPFIX when {@link #withIncludeFlowsetId(boolean) configured} as the codec's
 *       {@code include_flowset_id});</li>
 *   <li>NetFlow v5/v9 {@code first_switched}/{@code last_switched} as ISO timestamps. Unlike the codec, they are the
 *       record's {@link FlowRecord#startMillis()}/{@link FlowRecord#endMillis()}: the codec's v9 arithmetic puts them
 *       one second late, and its v5 arithmetic goes wrong when a time precedes an uptime wrap-around;</li>
 *   <li>IPFIX {@code flowStart/End(Seconds|Milliseconds|Microseconds|Nanoseconds)} as ISO timestamps (the micro- and
 *       nanosecond ones as NTP times, like the codec); every other time element as its number;</li>
 *   <li>addresses as the codec prints them (IPv6 as Ruby's {@code IPAddr#to_s}), MAC addresses
 *       {@code aa:bb:cc:dd:ee:ff}; ASA ACL ids {@code 8-8-8} hex digits; RFC 6759 application ids
 *       {@code class..selector} ({@code 20..pen..selector}); forwarding status as {@code {status, reason}}; MPLS
 *       label stack octets as {@code {label, experimental, bottom_of_stack, ttl}}; octet arrays as lower-case hex;
 *       strings without their trailing NULs, one char per byte;</li>
 *   <li>NetFlow v9 options records: the scope fields as {@code scope_system}, {@code scope_interface}, ...; fields of
 *       length 0 and fields the codec skips ({@code :skip}) are left out.</li>
 * </ul>
 *
 * <p><b>Unknown fields.</b> The codec refuses a whole template when one of its fields is missing from its
 * definitions, so it produces no event at all for such records. A layout always writes the document it is asked
 * for: {@link #write} leaves such fields out, and {@link #codecWouldDecode(FlowRecord)} tells whether the codec
 * would have produced the event, for pipelines that want to drop what the codec dropped.
 *
 * <p><b>sFlow.</b> The netflow codec never decoded sFlow (Logstash users ran the separate, community
 * {@code logstash-codec-sflow}, or converted sFlow to NetFlow), so there is no codec output to match; this layout
 * renders sFlow so that it sits next to the codec's documents without being mistaken for them:
 * <ul>
 *   <li>a flow sample ({@link #write}) is written like an IPFIX event: its values (which the sFlow decoder maps
 *       onto IPFIX elements) under the target with the names and value formats of the codec's {@code ipfix.yaml}
 *       ({@code sourceIPv4Address}, {@code octetDeltaCount}, {@code samplingPacketInterval}, ...), with
 *       {@code "version": 5} (the sFlow datagram version) and no {@code flowset_id}. {@code @timestamp} is the
 *       receive time to the millisecond (sFlow datagrams carry no export time). Beside the target, a top-level
 *       {@code sflow} object marks the event as sFlow and holds the datagram header, which the codec's names do not
 *       cover: {@code agent_address}, {@code sub_agent_id}, {@code sequence_number} (the datagram's),
 *       {@code uptime_in_ms}, and under {@code raw} the flow records kept raw (hex, keyed by data format:
 *       {@code 1006}, or {@code <enterprise>:<format>} for vendor records). A consumer tells sFlow from NetFlow v5
 *       by the presence of {@code [sflow]}, not by {@code [netflow][version]};</li>
 *   <li>a counter sample ({@link #writeCounters}) is {@code {"@timestamp", "sflow": {...}, "@version"}} with one
 *       flat {@code sflow} object: the datagram header as above, {@code sample_seq_number}, {@code source_id_type},
 *       {@code source_id_index}, then the generic interface counters and the Ethernet counters when present and the
 *       other counter records under {@code raw}. The counter names are those of {@code logstash-codec-sflow}
 *       ({@code interface_index}, {@code input_octets}, {@code input_packets}, {@code output_discarded_packets},
 *       {@code promiscous_mode} (sic), {@code dot3StatsFCSErrors}, ...), so that pipelines written for it find
 *       them under {@code [sflow]}; values are written as sent, including the all-ones "unavailable" value, as
 *       that codec did.</li>
 * </ul>
 * {@link #codecWouldDecode} stays false for sFlow records.
 *
 * <p><b>Enrichment</b> ({@link #write(FlowRecord, FlowEvent, JsonGenerator)}) is written where the classic
 * Logstash netflow pipelines' filters put it, so that their dashboards and queries keep working:
 * <ul>
 *   <li>the {@code geoip} filter's (legacy, non-ECS) output, with its classic targets: top-level
 *       {@code geoip_src} and {@code geoip_dst} holding {@code ip}, {@code continent_code}, {@code country_code2},
 *       {@code country_name}, {@code region_code}, {@code region_name}, {@code city_name}, {@code latitude},
 *       {@code longitude}, {@code location: {lat, lon}}, and from the ASN database {@code asn} and
 *       {@code as_org} (the AS after any rewrite stage);</li>
 *   <li>inside the target ({@code netflow}): the sampling multiplication as {@code bytes}/{@code packets} (the raw
 *       {@code in_bytes}/{@code in_pkts} stay) with {@code sampling_applied}; {@code bits}, {@code duration_ms},
 *       {@code bps}, {@code pps}; the {@code translate} filters' names {@code protocol_name},
 *       {@code src_port_name}, {@code dst_port_name}, {@code tcp_flag_names} (array), {@code icmp_type_name};
 *       the dictionaries' {@code exporter_name}, {@code exporter_site}, {@code exporter_datacenter},
 *       {@code input_interface_name}, {@code input_interface_description}, {@code output_interface_name},
 *       {@code output_interface_description}; the {@code cidr} filters' {@code src_locality},
 *       {@code dst_locality} and {@code direction}; {@code community_id};</li>
 *   <li>top level: {@code tags} (the event's and the interfaces' tags, as {@code add_tag} did), {@code labels}
 *       (an object), and custom fields under their dotted names.</li>
 * </ul>
 *
 * <p>Instances keep reusable buffers: use one per thread. Nothing is allocated per record except for the rare
 * unsigned values beyond {@code Long.MAX_VALUE}.
 */
public final class LogstashLayout implements DocumentLayout {

    private static final String TIMESTAMP = "@timestamp";
    private static final String VERSION = "@version";
    private static final String FLOWSET_ID = "flowset_id";
    private static final String SFLOW = "sflow";
    private static final String RAW = "raw";
    private static final SerializedString RAW_KEY = new SerializedString(RAW);

    private final String target;
    private final boolean includeFlowsetId;
    private final LogstashFieldNames names;
    private final LogstashText text = new LogstashText();
    private final LogstashNameSet written = new LogstashNameSet();
    private final SflowRawKeys rawKeys = new SflowRawKeys();
    private final SflowRawKeys.HexWriter hexWriter =
            (out, buf, offset, length) -> writeText(out, text.hex(buf, offset, length, 0));
    private InetAddress lastAgent;
    private String lastAgentText;

    /** The codec's defaults: target {@code netflow}, no {@code flowset_id} in IPFIX events. */
    public LogstashLayout() {
        this("netflow", false, LogstashFieldNames.standard());
    }

    private LogstashLayout(String target, boolean includeFlowsetId, LogstashFieldNames names) {
        this.target = Objects.requireNonNull(target, "target");
        this.includeFlowsetId = includeFlowsetId;
        this.names = Objects.requireNonNull(names, "names");
    }

    /** A layout that also writes {@code flowset_id} into IPFIX events (the codec's {@code include_flowset_id}). */
    public LogstashLayout withIncludeFlowsetId(boolean include) {
        return new LogstashLayout(target, include, names);
    }

    /** A layout that writes the fields under another object than {@code netflow} (the codec's {@code target}). */
    public LogstashLayout withTarget(String targetField) {
        return new LogstashLayout(targetField, includeFlowsetId, names);
    }

    public boolean includeFlowsetId() {
        return includeFlowsetId;
    }

    public String target() {
        return target;
    }

    @Override
    public void write(FlowRecord record, JsonGenerator out) throws IOException {
        write(record, null, out);
    }

    @Override
    public void write(FlowRecord record, FlowEvent ev, JsonGenerator out) throws IOException {
        FlowProtocol protocol = record.protocol();
        boolean sflow = protocol == FlowProtocol.SFLOW_V5;
        // sFlow values are IPFIX elements: named and formatted as the codec does IPFIX.
        FlowProtocol naming = sflow ? FlowProtocol.IPFIX : protocol;
        ExportPacket packet = record.packet();
        out.writeStartObject();
        out.writeFieldName(TIMESTAMP);
        if (protocol == FlowProtocol.NETFLOW_V5) {
            long nanos = packet.exportNanos();
            long micros = (packet.exportTimeMillis() - nanos / 1_000_000) * 1000 + nanos / 1000;
            writeText(out, text.timestampMicros(micros));
        } else if (sflow) {
            writeText(out, text.timestampMillis(packet.exportTimeMillis())); // the receive time
        } else {
            writeText(out, text.timestampMillis(Math.floorDiv(packet.exportTimeMillis(), 1000L) * 1000));
        }
        out.writeFieldName(target);
        out.writeStartObject();
        out.writeNumberField("version", protocol.version());
        written.clear();
        switch (protocol) {
            case NETFLOW_V5:
                out.writeNumberField("flow_seq_num", packet.sequenceNumber());
                out.writeNumberField("engine_type", packet.engineType());
                out.writeNumberField("engine_id", packet.engineId());
                out.writeNumberField("sampling_algorithm", packet.samplingAlgorithm());
                out.writeNumberField("sampling_interval", packet.headerSamplingInterval());
                out.writeNumberField("flow_records", packet.count());
                written.add("flow_seq_num");
                written.add("engine_type");
                written.add("engine_id");
                written.add("sampling_algorithm");
                written.add("sampling_interval");
                written.add("flow_records");
                break;
            case NETFLOW_V9:
                out.writeNumberField("flow_seq_num", packet.sequenceNumber());
                out.writeNumberField(FLOWSET_ID, record.templateId());
                written.add("flow_seq_num");
                written.add(FLOWSET_ID);
                break;
            case IPFIX:
                if (includeFlowsetId) {
                    out.writeNumberField(FLOWSET_ID, record.templateId());
                    written.add(FLOWSET_ID);
                }
                break;
            default:
                break; // sFlow: no template, no flowset id
        }
        written.add("version");
        int scopes = protocol == FlowProtocol.NETFLOW_V9 && record.isOptions() ? record.scopeFieldCount() : 0;
        for (int i = 0, n = record.fieldCount(); i < n; i++) {
            if (sflow && record.enterpriseId(i) == SflowRawKeys.RAW_ENTERPRISE) {
                continue; // written raw under [sflow][raw]
            }
            LogstashField field = codecField(record, naming, i, scopes);
            if (field == null || field.isSkip() || !written.add(field.name())) {
                continue;
            }
            out.writeFieldName(field.name());
            writeValue(record, naming, i, field, out);
        }
        if (ev != null) {
            LogstashEnrichment.writeTargetFields(ev, out);
        }
        out.writeEndObject();
        if (ev != null) {
            LogstashEnrichment.writeGeoip(out, "geoip_src", ev.source(), ev.sourceAddress(), ev.sourceAddressLength());
            LogstashEnrichment.writeGeoip(out, "geoip_dst", ev.destination(), ev.destinationAddress(),
                    ev.destinationAddressLength());
            LogstashEnrichment.writeTopLevel(ev, out);
        }
        if (sflow) {
            out.writeFieldName(SFLOW);
            out.writeStartObject();
            writeSflowHeader(packet, out);
            rawKeys.writeRecords(out, RAW_KEY, record, hexWriter);
            out.writeEndObject();
        }
        out.writeStringField(VERSION, "1");
        out.writeEndObject();
    }

    /**
     * Writes an sFlow counter sample as {@code {"@timestamp", "sflow": {...}, "@version"}} with the names of
     * {@code logstash-codec-sflow} (see the class comment).
     */
    @Override
    public void writeCounters(InterfaceCounters counters, JsonGenerator out) throws IOException {
        ExportPacket packet = counters.packet();
        out.writeStartObject();
        out.writeFieldName(TIMESTAMP);
        writeText(out, text.timestampMillis(packet.exportTimeMillis()));
        out.writeFieldName(SFLOW);
        out.writeStartObject();
        writeSflowHeader(packet, out);
        out.writeNumberField("sample_seq_number", counters.sequenceNumber());
        out.writeNumberField("source_id_type", counters.sourceIdType());
        out.writeNumberField("source_id_index", counters.sourceIdIndex());
        if (counters.hasGeneric()) {
            out.writeNumberField("interface_index", counters.ifIndex());
            out.writeNumberField("interface_type", counters.ifType());
            writeUnsignedField(out, "interface_speed", counters.ifSpeed());
            out.writeNumberField("interface_direction", counters.ifDirection());
            out.writeNumberField("interface_status", counters.ifStatus());
            writeUnsignedField(out, "input_octets", counters.inOctets());
            out.writeNumberField("input_packets", counters.inUnicastPackets());
            out.writeNumberField("input_multicast_packets", counters.inMulticastPackets());
            out.writeNumberField("input_broadcast_packets", counters.inBroadcastPackets());
            out.writeNumberField("input_discarded_packets", counters.inDiscards());
            out.writeNumberField("input_errors", counters.inErrors());
            out.writeNumberField("input_unknown_protocol_packets", counters.inUnknownProtos());
            writeUnsignedField(out, "output_octets", counters.outOctets());
            out.writeNumberField("output_packets", counters.outUnicastPackets());
            out.writeNumberField("output_multicast_packets", counters.outMulticastPackets());
            out.writeNumberField("output_broadcast_packets", counters.outBroadcastPackets());
            out.writeNumberField("output_discarded_packets", counters.outDiscards());
            out.writeNumberField("output_errors", counters.outErrors());
            out.writeNumberField("promiscous_mode", counters.promiscuousMode());
        }
        if (counters.hasEthernet()) {
            out.writeNumberField("dot3StatsAlignmentErrors", counters.dot3AlignmentErrors());
            out.writeNumberField("dot3StatsFCSErrors", counters.dot3FcsErrors());
            out.writeNumberField("dot3StatsSingleCollisionFrames", counters.dot3SingleCollisionFrames());
            out.writeNumberField("dot3StatsMultipleCollisionFrames", counters.dot3MultipleCollisionFrames());
            out.writeNumberField("dot3StatsSQETestErrors", counters.dot3SqeTestErrors());
            out.writeNumberField("dot3StatsDeferredTransmissions", counters.dot3DeferredTransmissions());
            out.writeNumberField("dot3StatsLateCollisions", counters.dot3LateCollisions());
            out.writeNumberField("dot3StatsExcessiveCollisions", counters.dot3ExcessiveCollisions());
            out.writeNumberField("dot3StatsInternalMacTransmitErrors", counters.dot3InternalMacTransmitErrors());
            out.writeNumberField("dot3StatsCarrierSenseErrors", counters.dot3CarrierSenseErrors());
            out.writeNumberField("dot3StatsFrameTooLongs", counters.dot3FrameTooLongs());
            out.writeNumberField("dot3StatsInternalMacReceiveErrors", counters.dot3InternalMacReceiveErrors());
            out.writeNumberField("dot3StatsSymbolErrors", counters.dot3SymbolErrors());
        }
        int others = counters.otherRecordCount();
        if (others > 0) {
            out.writeFieldName(RAW);
            out.writeStartObject();
            rawKeys.beginObject();
            ByteBuf buf = counters.buffer();
            for (int k = 0; k < others; k++) {
                out.writeFieldName(rawKeys.next(counters.otherRecordFormat(k)));
                writeText(out, text.hex(buf, counters.otherRecordOffset(k), counters.otherRecordLength(k), 0));
            }
            out.writeEndObject();
        }
        out.writeEndObject();
        out.writeStringField(VERSION, "1");
        out.writeEndObject();
    }

    /** The sFlow datagram header, with the names of {@code logstash-codec-sflow}. */
    private void writeSflowHeader(ExportPacket packet, JsonGenerator out) throws IOException {
        String agent = agentText(packet.exporter());
        if (agent != null) {
            out.writeStringField("agent_address", agent);
        }
        out.writeNumberField("sub_agent_id", packet.observationDomain());
        out.writeNumberField("sequence_number", packet.sequenceNumber());
        if (packet.systemUptimeMillis() >= 0) {
            out.writeNumberField("uptime_in_ms", packet.systemUptimeMillis());
        }
    }

    /** The agent's address as text, recomputed only when the agent changes. */
    private String agentText(InetAddress agent) {
        if (agent == null) {
            return null;
        }
        if (!agent.equals(lastAgent)) {
            lastAgentText = IpAddressFormatter.toString(agent.getAddress());
            lastAgent = agent;
        }
        return lastAgentText;
    }

    private static void writeUnsignedField(JsonGenerator out, String name, long value) throws IOException {
        out.writeFieldName(name);
        if (value >= 0) {
            out.writeNumber(value);
        } else {
            out.writeNumber(Long.toUnsignedString(value)); // rare: above Long.MAX_VALUE
        }
    }

    /** Options records are events like any other in the codec: the same layout. */
    @Override
    public void writeOptions(FlowRecord record, JsonGenerator out) throws IOException {
        write(record, out);
    }

    /**
     * Whether the Logstash netflow codec would have produced an event for this record at all. It does not for sFlow,
     * and it refuses a whole (options) template when a field is unknown to its definitions, has a length its type
     * cannot take (RFC 6759 application ids of 1, 6 or more than 9 bytes), is a zero-length NetFlow v9 option field,
     * or when two fields get the same name.
     */
    public boolean codecWouldDecode(FlowRecord record) {
        FlowProtocol protocol = record.protocol();
        if (protocol == FlowProtocol.SFLOW_V5) {
            return false;
        }
        if (protocol == FlowProtocol.NETFLOW_V5) {
            return true;
        }
        int scopes = protocol == FlowProtocol.NETFLOW_V9 && record.isOptions() ? record.scopeFieldCount() : 0;
        written.clear();
        written.add("version");
        if (protocol == FlowProtocol.NETFLOW_V9) {
            written.add("flow_seq_num");
            written.add(FLOWSET_ID);
        } else if (includeFlowsetId) {
            written.add(FLOWSET_ID);
        }
        for (int i = 0, n = record.fieldCount(); i < n; i++) {
            int len = record.fieldLength(i);
            if (i < scopes) {
                LogstashField scope = len == 0 ? null : names.netflowV9Scope(record.elementId(i));
                if (scope != null && !written.add(scope.name())) {
                    return false;
                }
                continue;
            }
            if (protocol == FlowProtocol.NETFLOW_V9 && len == 0) {
                if (record.isOptions()) {
                    return false;
                }
                continue;
            }
            LogstashField field = protocol == FlowProtocol.IPFIX
                    ? names.ipfix(record.enterpriseId(i), record.elementId(i))
                    : names.netflowV9(record.elementId(i));
            if (field == null) {
                return false;
            }
            if (field.isSkip()) {
                continue;
            }
            if ("application_id".equals(field.codecType()) && (len < 2 || len == 6 || len > 9)) {
                return false;
            }
            if (!written.add(field.name())) {
                return false;
            }
        }
        return true;
    }

    /** The codec's entry for field {@code i}, or null when the field is left out. */
    private LogstashField codecField(FlowRecord record, FlowProtocol protocol, int i, int scopes) {
        switch (protocol) {
            case IPFIX:
                return names.ipfix(record.enterpriseId(i), record.elementId(i));
            case NETFLOW_V9:
                if (record.fieldLength(i) == 0) {
                    return null; // the codec leaves zero-length fields out of its templates
                }
                return i < scopes ? names.netflowV9Scope(record.elementId(i)) : names.netflowV9(record.elementId(i));
            default:
                return names.netflowV9(record.elementId(i));
        }
    }

    private void writeValue(FlowRecord record, FlowProtocol protocol, int i, LogstashField field, JsonGenerator out)
            throws IOException {
        String name = field.name();
        if (protocol != FlowProtocol.IPFIX) {
            if (name.endsWith("_switched")) {
                writeSwitched(record, protocol, i, out);
                return;
            }
        } else if (name.startsWith("flowStart") || name.startsWith("flowEnd")) {
            if (writeIpfixTime(record, i, name, out)) {
                return;
            }
        }
        ByteBuf buf = record.buffer();
        int off = record.fieldOffset(i);
        int len = record.fieldLength(i);
        switch (field.codecType()) {
            case "ip4_addr":
                if (len >= 4) {
                    writeText(out, text.ipv4(buf, off));
                    return;
                }
                break;
            case "ip6_addr":
                if (len >= 16) {
                    writeText(out, text.ipv6(buf, off));
                    return;
                }
                break;
            case "mac_addr":
                if (len >= 6) {
                    writeText(out, text.mac(buf, off));
                    return;
                }
                break;
            case "string":
                writeText(out, text.binaryString(buf, off, len));
                return;
            case "octetarray":
                writeText(out, text.hex(buf, off, len, 0));
                return;
            case "acl_id_asa":
                writeText(out, text.hex(buf, off, len, 4));
                return;
            case "application_id":
                if (len >= 2 && len <= 9) {
                    writeText(out, text.applicationId(buf, off, len));
                } else {
                    writeText(out, text.hex(buf, off, len, 0));
                }
                return;
            case "forwarding_status":
                if (len >= 1) {
                    int b = buf.getUnsignedByte(off);
                    out.writeStartObject();
                    out.writeNumberField("status", b >>> 6);
                    out.writeNumberField("reason", b & 0x3F);
                    out.writeEndObject();
                    return;
                }
                break;
            case "mpls_label_stack_octets":
                if (len >= 1) {
                    int n = Math.min(len, 4);
                    long v = LogstashText.unsigned(buf, off, n) << (8 * (4 - n));
                    out.writeStartObject();
                    out.writeNumberField("label", v >>> 12);
                    out.writeNumberField("experimental", (v >>> 9) & 0x7);
                    out.writeNumberField("bottom_of_stack", (v >>> 8) & 0x1);
                    out.writeNumberField("ttl", v & 0xFF);
                    out.writeEndObject();
                    return;
                }
                break;
            case "float":
            case "double":
                if (len == 4) {
                    out.writeNumber((double) Float.intBitsToFloat(buf.getInt(off)));
                    return;
                }
                if (len == 8) {
                    out.writeNumber(Double.longBitsToDouble(buf.getLong(off)));
                    return;
                }
                break;
            case "int8":
            case "int16":
            case "int24":
            case "int32":
            case "int64":
                if (len >= 1 && len <= 8) {
                    int shift = 64 - 8 * len;
                    out.writeNumber((record.unsignedValue(i) << shift) >> shift);
                    return;
                }
                break;
            default:
                break; // unsigned integers (uint8 .. uint64, a byte count, scope fields' uint) and anything newer
        }
        writeUnsigned(record, i, len, out);
    }

    private void writeUnsigned(FlowRecord record, int i, int len, JsonGenerator out) throws IOException {
        if (len > 8) {
            out.writeNumber(new BigInteger(1, record.bytesValue(i)));
            return;
        }
        long v = record.unsignedValue(i);
        if (v >= 0) {
            out.writeNumber(v);
        } else {
            out.writeNumber(Long.toUnsignedString(v));
        }
    }

    /**
     * NetFlow v5/v9 {@code first_switched}/{@code last_switched}: the record's start/end time (uptime-relative times
     * made absolute with the header's uptime and export time, wrap-around safe), to the microsecond for v5 whose
     * header carries the export time's nanoseconds.
     */
    private void writeSwitched(FlowRecord record, FlowProtocol protocol, int i, JsonGenerator out) throws IOException {
        ExportPacket packet = record.packet();
        int id = record.elementId(i);
        long millis;
        if (id == 22 && record.has(FlowField.START_MILLIS)) {
            millis = record.startMillis();
        } else if (id == 21 && record.has(FlowField.END_MILLIS)) {
            millis = record.endMillis();
        } else {
            // Not the field the record's start/end time comes from: the same arithmetic on this field's value.
            millis = packet.uptimeToEpochMillis(record.unsignedValue(i));
        }
        if (protocol == FlowProtocol.NETFLOW_V5) {
            long subMilliMicros = packet.exportNanos() / 1000 % 1000;
            writeText(out, text.timestampMicros(millis * 1000 + subMilliMicros));
        } else {
            writeText(out, text.timestampMillis(millis));
        }
    }

    /** The codec's IPFIX flow time conversions, chosen by name; false when the name is not one of them. */
    private boolean writeIpfixTime(FlowRecord record, int i, String name, JsonGenerator out) throws IOException {
        int unit = timeUnit(name);
        if (unit == 0 || record.fieldLength(i) == 0 || record.fieldLength(i) > 8) {
            return false;
        }
        long v = record.unsignedValue(i);
        switch (unit) {
            case 1:
                writeText(out, text.timestamp(v, 0));
                return true;
            case 2:
                writeText(out, text.timestamp(Long.divideUnsigned(v, 1000), (int) Long.remainderUnsigned(v, 1000)
                        * 1_000_000));
                return true;
            default:
                writeText(out, text.ntpTimestamp(v));
                return true;
        }
    }

    /**
     * 1 for {@code flow(Start|End)Seconds}, 2 for {@code ...Milliseconds}, 3 for {@code ...Microseconds} and
     * {@code ...Nanoseconds} (both NTP), else 0.
     */
    private static int timeUnit(String name) {
        int rest = name.startsWith("flowStart") ? 9 : name.startsWith("flowEnd") ? 7 : -1;
        if (rest < 0) {
            return 0;
        }
        switch (name.length() - rest) {
            case 7:
                return name.endsWith("Seconds") ? 1 : 0;
            case 12:
                return name.endsWith("Milliseconds") ? 2 : name.endsWith("Microseconds") ? 3 : 0;
            case 11:
                return name.endsWith("Nanoseconds") ? 3 : 0;
            default:
                return 0;
        }
    }

    private void writeText(JsonGenerator out, int length) throws IOException {
        out.writeString(text.chars(), 0, length);
    }
}
