package dev.sluice.core.enrich;

import dev.sluice.core.FlowField;
import dev.sluice.core.FlowRecord;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The enrichment of one flow record: typed slots that {@link EnrichmentStage}s write and the document layouts read.
 *
 * <p>One event per receiving thread, {@linkplain #reset(FlowRecord) reset} for every record and reused, so that
 * steady state allocates nothing: strings come from dictionaries and databases as shared references (a stage
 * never builds a string per record), geo data is a shared {@link GeoLocation}, the community id is written into a
 * reused {@code char[]}. Not thread-safe.
 *
 * <p>Well-known slots, with the place the ECS layout gives them:
 * <ul>
 *   <li>{@link #source()}/{@link #destination()}: geo ({@code source.geo.*}), AS number and organisation
 *       ({@code source.as.*}), locality ({@code source.locality}: internal/external), service name of the
 *       port;</li>
 *   <li>observer: name ({@code observer.name}), site ({@code observer.geo.name}), datacenter
 *       ({@code labels.datacenter});</li>
 *   <li>{@link #ingress()}/{@link #egress()} interfaces ({@code observer.ingress.interface.*});</li>
 *   <li>network: direction, corrected bytes/packets, community id, protocol name;</li>
 *   <li>derived: bits, duration, bits/s and packets/s ({@code flow.*}), TCP flag names, ICMP type name;</li>
 *   <li>{@link #addTag tags}, {@link #putLabel labels}, and free {@linkplain #setNumber custom fields} (dotted
 *       names written as they are).</li>
 * </ul>
 * The record's own addresses are copied in once by {@link #reset(FlowRecord)} ({@link #sourceAddress()}), so that
 * stages read them without going back to the record.
 */
public final class FlowEvent {

    public static final String INBOUND = "inbound";
    public static final String OUTBOUND = "outbound";
    public static final String INTERNAL = "internal";
    public static final String EXTERNAL = "external";
    public static final String UNKNOWN = "unknown";

    /** A number slot that is not set. */
    public static final long UNSET = Long.MIN_VALUE;

    private final Endpoint source = new Endpoint();
    private final Endpoint destination = new Endpoint();
    private final Interface ingress = new Interface();
    private final Interface egress = new Interface();

    private InetAddress exporter;
    private final byte[] exporterBytes = new byte[16];
    private int exporterLength;

    private String observerName;
    private String observerSite;
    private String observerDatacenter;

    private String direction;
    private String transport;
    private String application;
    private long bytes;
    private long packets;
    private long samplingInterval;
    private long bits;
    private long durationMillis;
    private long bitsPerSecond;
    private long packetsPerSecond;
    private String[] tcpFlagNames;
    private String icmpTypeName;
    private final char[] communityId = new char[64];
    private int communityIdLength;

    private String[] tags = new String[16];
    private int tagCount;
    private String[] labelKeys = new String[8];
    private String[] labelValues = new String[8];
    private int labelCount;

    private String[] fieldNames = new String[8];
    private long[] fieldNumbers = new long[8];
    private String[] fieldStrings = new String[8];
    private int fieldCount;

    private boolean dropped;

    /** Clears every slot and takes the record's addresses and exporter. */
    public void reset(FlowRecord record) {
        source.clear();
        destination.clear();
        ingress.clear();
        egress.clear();
        observerName = null;
        observerSite = null;
        observerDatacenter = null;
        direction = null;
        transport = null;
        application = null;
        bytes = UNSET;
        packets = UNSET;
        samplingInterval = UNSET;
        bits = UNSET;
        durationMillis = UNSET;
        bitsPerSecond = UNSET;
        packetsPerSecond = UNSET;
        tcpFlagNames = null;
        icmpTypeName = null;
        communityIdLength = 0;
        for (int i = 0; i < tagCount; i++) {
            tags[i] = null;
        }
        tagCount = 0;
        for (int i = 0; i < labelCount; i++) {
            labelKeys[i] = null;
            labelValues[i] = null;
        }
        labelCount = 0;
        for (int i = 0; i < fieldCount; i++) {
            fieldNames[i] = null;
            fieldStrings[i] = null;
        }
        fieldCount = 0;
        dropped = false;
        if (record != null) {
            source.addressLength = record.copyAddress(FlowField.SOURCE_ADDRESS, source.address);
            destination.addressLength = record.copyAddress(FlowField.DESTINATION_ADDRESS, destination.address);
            InetAddress e = record.exporter();
            if (e == null) {
                exporter = null;
                exporterLength = 0;
            } else if (!e.equals(exporter)) {
                byte[] b = e.getAddress(); // once per exporter change
                System.arraycopy(b, 0, exporterBytes, 0, b.length);
                exporterLength = b.length;
                exporter = e;
            }
        } else {
            source.addressLength = 0;
            destination.addressLength = 0;
        }
    }

    // ------------------------------------------------------------------ record-derived, read-only

    /** The exporter's address bytes (4 or 16; see {@link #exporterAddressLength()}). Do not modify. */
    public byte[] exporterAddress() {
        return exporterBytes;
    }

    public int exporterAddressLength() {
        return exporterLength;
    }

    /** The record's source address, copied by {@link #reset(FlowRecord)} (see {@link #sourceAddressLength()}). */
    public byte[] sourceAddress() {
        return source.address;
    }

    /** 4, 16, or 0 when the record has no source address. */
    public int sourceAddressLength() {
        return source.addressLength;
    }

    public byte[] destinationAddress() {
        return destination.address;
    }

    public int destinationAddressLength() {
        return destination.addressLength;
    }

    // ------------------------------------------------------------------ groups

    public Endpoint source() {
        return source;
    }

    public Endpoint destination() {
        return destination;
    }

    /** The input interface (the record's ingress ifIndex). */
    public Interface ingress() {
        return ingress;
    }

    /** The output interface. */
    public Interface egress() {
        return egress;
    }

    // ------------------------------------------------------------------ observer

    public String observerName() {
        return observerName;
    }

    public void setObserverName(String name) {
        this.observerName = name;
    }

    public String observerSite() {
        return observerSite;
    }

    public void setObserverSite(String site) {
        this.observerSite = site;
    }

    public String observerDatacenter() {
        return observerDatacenter;
    }

    public void setObserverDatacenter(String datacenter) {
        this.observerDatacenter = datacenter;
    }

    // ------------------------------------------------------------------ network

    /** {@code network.direction} as a stage decided it ({@link #INBOUND}, {@link #OUTBOUND}, ...), or null. */
    public String direction() {
        return direction;
    }

    public void setDirection(String direction) {
        this.direction = direction;
    }

    /** The protocol name (overrides the layout's own {@code network.transport}), or null. */
    public String transport() {
        return transport;
    }

    public void setTransport(String transport) {
        this.transport = transport;
    }

    /** The service the flow is for ({@code network.application}), or null. */
    public String application() {
        return application;
    }

    public void setApplication(String application) {
        this.application = application;
    }

    /** Bytes after sampling correction, or {@link #UNSET}. */
    public long bytes() {
        return bytes;
    }

    public void setBytes(long bytes) {
        this.bytes = bytes;
    }

    /** Packets after sampling correction, or {@link #UNSET}. */
    public long packets() {
        return packets;
    }

    public void setPackets(long packets) {
        this.packets = packets;
    }

    /** The sampling interval that the correction applied, or {@link #UNSET}. */
    public long samplingInterval() {
        return samplingInterval;
    }

    public void setSamplingInterval(long samplingInterval) {
        this.samplingInterval = samplingInterval;
    }

    /** The community id's characters (see {@link #communityIdLength()}); length 0 when not set. */
    public char[] communityId() {
        return communityId;
    }

    public int communityIdLength() {
        return communityIdLength;
    }

    /** The buffer a stage writes the community id into; then {@link #setCommunityIdLength(int)}. */
    public char[] communityIdBuffer() {
        return communityId;
    }

    public void setCommunityIdLength(int length) {
        this.communityIdLength = length;
    }

    /** The community id as a String (allocates; for tests and tools). */
    public String communityIdString() {
        return communityIdLength == 0 ? null : new String(communityId, 0, communityIdLength);
    }

    // ------------------------------------------------------------------ derived

    public long bits() {
        return bits;
    }

    public void setBits(long bits) {
        this.bits = bits;
    }

    public long durationMillis() {
        return durationMillis;
    }

    public void setDurationMillis(long durationMillis) {
        this.durationMillis = durationMillis;
    }

    public long bitsPerSecond() {
        return bitsPerSecond;
    }

    public void setBitsPerSecond(long bitsPerSecond) {
        this.bitsPerSecond = bitsPerSecond;
    }

    public long packetsPerSecond() {
        return packetsPerSecond;
    }

    public void setPacketsPerSecond(long packetsPerSecond) {
        this.packetsPerSecond = packetsPerSecond;
    }

    /** The names of the TCP flags set (a shared array, do not modify), or null. */
    public String[] tcpFlagNames() {
        return tcpFlagNames;
    }

    public void setTcpFlagNames(String[] names) {
        this.tcpFlagNames = names;
    }

    public String icmpTypeName() {
        return icmpTypeName;
    }

    public void setIcmpTypeName(String name) {
        this.icmpTypeName = name;
    }

    // ------------------------------------------------------------------ tags and labels

    /** Adds a tag (ignored when already there). */
    public void addTag(String tag) {
        for (int i = 0; i < tagCount; i++) {
            if (tags[i].equals(tag)) {
                return;
            }
        }
        if (tagCount == tags.length) {
            tags = Arrays.copyOf(tags, tagCount * 2);
        }
        tags[tagCount++] = tag;
    }

    public int tagCount() {
        return tagCount;
    }

    public String tag(int i) {
        return tags[i];
    }

    public boolean hasTag(String tag) {
        for (int i = 0; i < tagCount; i++) {
            if (tags[i].equals(tag)) {
                return true;
            }
        }
        return false;
    }

    /** Sets a label ({@code labels.<key>}), replacing the key's earlier value. */
    public void putLabel(String key, String value) {
        for (int i = 0; i < labelCount; i++) {
            if (labelKeys[i].equals(key)) {
                labelValues[i] = value;
                return;
            }
        }
        if (labelCount == labelKeys.length) {
            labelKeys = Arrays.copyOf(labelKeys, labelCount * 2);
            labelValues = Arrays.copyOf(labelValues, labelCount * 2);
        }
        labelKeys[labelCount] = key;
        labelValues[labelCount++] = value;
    }

    public int labelCount() {
        return labelCount;
    }

    public String labelKey(int i) {
        return labelKeys[i];
    }

    public String labelValue(int i) {
        return labelValues[i];
    }

    /** The label's value, or null. */
    public String label(String key) {
        for (int i = 0; i < labelCount; i++) {
            if (labelKeys[i].equals(key)) {
                return labelValues[i];
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ custom fields

    /** Sets a numeric field written under its (dotted) name, e.g. {@code "flow.score"}. */
    public void setNumber(String field, long value) {
        int i = fieldSlot(field);
        fieldNumbers[i] = value;
        fieldStrings[i] = null;
    }

    /** Sets a string field written under its (dotted) name. */
    public void setString(String field, String value) {
        int i = fieldSlot(field);
        fieldStrings[i] = value;
    }

    public int fieldCount() {
        return fieldCount;
    }

    public String fieldName(int i) {
        return fieldNames[i];
    }

    /** The custom field's string value, or null for a numeric one. */
    public String fieldString(int i) {
        return fieldStrings[i];
    }

    public long fieldNumber(int i) {
        return fieldNumbers[i];
    }

    private int fieldSlot(String field) {
        for (int i = 0; i < fieldCount; i++) {
            if (fieldNames[i].equals(field)) {
                return i;
            }
        }
        if (fieldCount == fieldNames.length) {
            fieldNames = Arrays.copyOf(fieldNames, fieldCount * 2);
            fieldNumbers = Arrays.copyOf(fieldNumbers, fieldCount * 2);
            fieldStrings = Arrays.copyOf(fieldStrings, fieldCount * 2);
        }
        fieldNames[fieldCount] = field;
        return fieldCount++;
    }

    // ------------------------------------------------------------------ filtering

    /** Keeps the record from the sinks; the chain stops after the current stage. */
    public void drop() {
        dropped = true;
    }

    public boolean isDropped() {
        return dropped;
    }

    /** One end of the flow: geo, AS, locality, service. */
    public static final class Endpoint {
        final byte[] address = new byte[16];
        int addressLength;
        private GeoLocation geo;
        private long asNumber;
        private String asOrganization;
        private String locality;
        private String service;

        void clear() {
            geo = null;
            asNumber = UNSET;
            asOrganization = null;
            locality = null;
            service = null;
        }

        public GeoLocation geo() {
            return geo;
        }

        public void setGeo(GeoLocation geo) {
            this.geo = geo;
        }

        /** The AS number, or {@link #UNSET}. */
        public long asNumber() {
            return asNumber;
        }

        public void setAsNumber(long asNumber) {
            this.asNumber = asNumber;
        }

        public String asOrganization() {
            return asOrganization;
        }

        public void setAsOrganization(String organization) {
            this.asOrganization = organization;
        }

        /** {@link #INTERNAL}, {@link #EXTERNAL} or null. */
        public String locality() {
            return locality;
        }

        public void setLocality(String locality) {
            this.locality = locality;
        }

        /** The well-known service name of this end's port, or null. */
        public String service() {
            return service;
        }

        public void setService(String service) {
            this.service = service;
        }
    }

    /** One interface of the exporter, as a dictionary named it. */
    public static final class Interface {
        private InterfaceInfo info;

        void clear() {
            info = null;
        }

        public InterfaceInfo info() {
            return info;
        }

        public void setInfo(InterfaceInfo info) {
            this.info = info;
        }

        public String name() {
            return info == null ? null : info.name();
        }

        public String description() {
            return info == null ? null : info.description();
        }
    }
}
