package dev.sluice.core.layout;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.enrich.FlowEvent;
import dev.sluice.core.enrich.GeoLocation;
import dev.sluice.core.enrich.InterfaceInfo;
import java.io.IOException;

/** Where {@link LogstashLayout} writes a {@link FlowEvent}'s slots (see its class comment). */
final class LogstashEnrichment {

    private LogstashEnrichment() {
    }

    static void writeTargetFields(FlowEvent ev, JsonGenerator out) throws IOException {
        number(out, "bytes", ev.bytes());
        number(out, "packets", ev.packets());
        number(out, "sampling_applied", ev.samplingInterval());
        number(out, "bits", ev.bits());
        number(out, "duration_ms", ev.durationMillis());
        number(out, "bps", ev.bitsPerSecond());
        number(out, "pps", ev.packetsPerSecond());
        string(out, "protocol_name", ev.transport());
        string(out, "src_port_name", ev.source().service());
        string(out, "dst_port_name", ev.destination().service());
        String[] flags = ev.tcpFlagNames();
        if (flags != null) {
            out.writeFieldName("tcp_flag_names");
            out.writeStartArray();
            for (String f : flags) {
                out.writeString(f);
            }
            out.writeEndArray();
        }
        string(out, "icmp_type_name", ev.icmpTypeName());
        string(out, "exporter_name", ev.observerName());
        string(out, "exporter_site", ev.observerSite());
        string(out, "exporter_datacenter", ev.observerDatacenter());
        string(out, "input_interface_name", ev.ingress().name());
        string(out, "input_interface_description", ev.ingress().description());
        string(out, "output_interface_name", ev.egress().name());
        string(out, "output_interface_description", ev.egress().description());
        string(out, "src_locality", ev.source().locality());
        string(out, "dst_locality", ev.destination().locality());
        string(out, "direction", ev.direction());
        if (ev.communityIdLength() > 0) {
            out.writeFieldName("community_id");
            out.writeString(ev.communityId(), 0, ev.communityIdLength());
        }
    }

    static void writeGeoip(JsonGenerator out, String name, FlowEvent.Endpoint e, byte[] address, int length)
            throws IOException {
        GeoLocation g = e.geo();
        boolean geo = g != null && !g.isEmpty();
        boolean as = e.asNumber() != FlowEvent.UNSET || e.asOrganization() != null;
        if (!geo && !as) {
            return;
        }
        out.writeFieldName(name);
        out.writeStartObject();
        if (length != 0) {
            out.writeStringField("ip", IpAddressFormatter.toString(java.util.Arrays.copyOf(address, length)));
        }
        if (geo) {
            string(out, "continent_code", g.continentCode());
            string(out, "country_code2", g.countryIsoCode());
            string(out, "country_name", g.countryName());
            string(out, "region_code", g.regionIsoCode());
            string(out, "region_name", g.regionName());
            string(out, "city_name", g.cityName());
            if (g.hasLocation()) {
                out.writeNumberField("latitude", g.latitude());
                out.writeNumberField("longitude", g.longitude());
                out.writeFieldName("location");
                out.writeStartObject();
                out.writeNumberField("lat", g.latitude());
                out.writeNumberField("lon", g.longitude());
                out.writeEndObject();
            }
        }
        number(out, "asn", e.asNumber());
        string(out, "as_org", e.asOrganization());
        out.writeEndObject();
    }

    static void writeTopLevel(FlowEvent ev, JsonGenerator out) throws IOException {
        InterfaceInfo in = ev.ingress().info();
        InterfaceInfo eg = ev.egress().info();
        int inTags = in == null ? 0 : in.tagCount();
        int egTags = eg == null ? 0 : eg.tagCount();
        if (ev.tagCount() + inTags + egTags > 0) {
            out.writeFieldName("tags");
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
                if (!ev.hasTag(eg.tag(i)) && !in(in, inTags, eg.tag(i))) {
                    out.writeString(eg.tag(i));
                }
            }
            out.writeEndArray();
        }
        if (ev.labelCount() > 0) {
            out.writeFieldName("labels");
            out.writeStartObject();
            for (int i = 0; i < ev.labelCount(); i++) {
                out.writeStringField(ev.labelKey(i), ev.labelValue(i));
            }
            out.writeEndObject();
        }
        for (int i = 0; i < ev.fieldCount(); i++) {
            out.writeFieldName(ev.fieldName(i));
            if (ev.fieldString(i) != null) {
                out.writeString(ev.fieldString(i));
            } else {
                out.writeNumber(ev.fieldNumber(i));
            }
        }
    }

    private static boolean in(InterfaceInfo info, int n, String tag) {
        for (int i = 0; i < n; i++) {
            if (info.tag(i).equals(tag)) {
                return true;
            }
        }
        return false;
    }

    private static void number(JsonGenerator out, String name, long value) throws IOException {
        if (value != FlowEvent.UNSET) {
            out.writeNumberField(name, value);
        }
    }

    private static void string(JsonGenerator out, String name, String value) throws IOException {
        if (value != null) {
            out.writeStringField(name, value);
        }
    }
}
