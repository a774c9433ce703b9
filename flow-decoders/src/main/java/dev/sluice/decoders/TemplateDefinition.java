package dev.sluice.decoders;

import dev.sluice.core.FlowProtocol;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A template as an exporter defined it, keyed the way the decoder keys it. {@link FlowDecoder#templates()}
 * lists them and {@link FlowDecoder#restoreTemplates} takes them back, so a template store can persist them
 * and a restarted collector decodes data at once instead of waiting for the next template refresh.
 *
 * @param exporter the exporter's address
 * @param protocol {@link FlowProtocol#NETFLOW_V9} or {@link FlowProtocol#IPFIX}
 * @param observationDomain the v9 source id or IPFIX observation domain id
 * @param templateId the template id (256 and up)
 * @param options whether it is an options template
 * @param scopeFieldCount for options templates, how many leading fields are scope fields
 * @param fields the field specifiers in order
 */
public record TemplateDefinition(InetAddress exporter, FlowProtocol protocol, long observationDomain, int templateId,
        boolean options, int scopeFieldCount, List<Field> fields) {

    public TemplateDefinition {
        Objects.requireNonNull(exporter, "exporter");
        Objects.requireNonNull(protocol, "protocol");
        fields = List.copyOf(fields);
    }

    /**
     * One field specifier.
     *
     * @param enterpriseId enterprise number, 0 for IANA (always 0 for NetFlow v9)
     * @param elementId element id / v9 field type (v9 scope fields: the scope type)
     * @param length field length, 65535 for variable length
     */
    public record Field(long enterpriseId, int elementId, int length) {
    }

    static TemplateDefinition of(InetAddress exporter, long domain, Template t) {
        Field[] f = new Field[t.fieldCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = new Field(t.enterpriseIds[i], t.elementIds[i], t.lengths[i]);
        }
        return new TemplateDefinition(exporter, t.protocol, domain, t.id, t.options, t.scopeCount, List.of(f));
    }

    /** Compiles the definition, or explains why it cannot be a template. */
    Template compile(int maxFields) {
        if (protocol != FlowProtocol.NETFLOW_V9 && protocol != FlowProtocol.IPFIX) {
            throw new IllegalArgumentException("only NetFlow v9 and IPFIX have templates, not " + protocol);
        }
        if (templateId < 256 || templateId > 0xFFFF) {
            throw new IllegalArgumentException("template id " + templateId + " is not in 256..65535");
        }
        if (observationDomain < 0 || observationDomain > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("observation domain " + observationDomain + " is not a 32-bit id");
        }
        int n = fields.size();
        if (n == 0 || n > maxFields) {
            throw new IllegalArgumentException("template " + templateId + " has " + n + " fields (1.." + maxFields + ")");
        }
        if (scopeFieldCount < 0 || scopeFieldCount > n || (!options && scopeFieldCount != 0)) {
            throw new IllegalArgumentException("template " + templateId + " has " + scopeFieldCount + " scope fields");
        }
        int[] ids = new int[n];
        long[] ents = new long[n];
        int[] lens = new int[n];
        for (int i = 0; i < n; i++) {
            Field f = fields.get(i);
            if (f.elementId() < 0 || f.elementId() > 0x7FFF && protocol == FlowProtocol.IPFIX
                    || f.elementId() > 0xFFFF || f.length() < 0 || f.length() > 0xFFFF
                    || f.enterpriseId() < 0 || f.enterpriseId() > 0xFFFFFFFFL
                    || protocol == FlowProtocol.NETFLOW_V9 && f.enterpriseId() != 0) {
                throw new IllegalArgumentException("template " + templateId + " field " + i + " is invalid: " + f);
            }
            ids[i] = f.elementId();
            ents[i] = f.enterpriseId();
            lens[i] = f.length();
        }
        Template t = new Template(protocol, templateId, options, scopeFieldCount, ids, ents, lens);
        if (t.recordLength == 0) {
            throw new IllegalArgumentException("template " + templateId + " describes empty records");
        }
        return t;
    }
}
