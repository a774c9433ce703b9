package dev.sluice.decoders;

/**
 * The bounds a {@link FlowDecoder} keeps on what exporters can make it hold. Exceeding one is counted as
 * {@link dev.sluice.core.DecodeError.Reason#LIMIT_EXCEEDED} and reported; it is never fatal.
 *
 * @param maxExporters distinct exporter addresses with state
 * @param maxDomainsPerExporter observation domains / source ids per exporter
 * @param maxTemplatesPerExporter templates (all domains) per exporter
 * @param maxTemplates templates in total
 * @param maxFieldsPerTemplate fields in one template
 * @param maxPendingBytesPerExporter bytes of data sets held while their template is missing, per exporter; each
 *        held set counts its body plus a fixed bookkeeping cost, so many tiny sets cannot pile up
 * @param maxPendingBytes bytes of such data sets in total
 * @param maxPendingAgeMillis how long such a data set is held before it is dropped and counted
 */
public record DecoderLimits(
        int maxExporters,
        int maxDomainsPerExporter,
        int maxTemplatesPerExporter,
        int maxTemplates,
        int maxFieldsPerTemplate,
        int maxPendingBytesPerExporter,
        long maxPendingBytes,
        long maxPendingAgeMillis) {

    /**
     * The defaults: 10,000 exporters, 256 domains and 4,096 templates per exporter, 65,536 templates,
     * 512 fields per template, 1 MiB pending per exporter, 64 MiB pending in total, held for 10 minutes
     * (long enough for exporters that refresh templates only every few minutes).
     */
    public static DecoderLimits defaults() {
        return new DecoderLimits(10_000, 256, 4_096, 65_536, 512, 1 << 20, 64L << 20, 600_000);
    }

    public DecoderLimits {
        if (maxExporters < 1 || maxDomainsPerExporter < 1 || maxTemplatesPerExporter < 1 || maxTemplates < 1
                || maxFieldsPerTemplate < 1 || maxPendingBytesPerExporter < 0 || maxPendingBytes < 0
                || maxPendingAgeMillis < 0) {
            throw new IllegalArgumentException("decoder limits must be positive: " + this);
        }
        if (maxFieldsPerTemplate > 16_383) {
            // A template's fields all fit in one 65,535-byte set at 4 bytes each.
            throw new IllegalArgumentException("maxFieldsPerTemplate cannot exceed 16383");
        }
    }

    /** A copy with another pending age. */
    public DecoderLimits withMaxPendingAgeMillis(long millis) {
        return new DecoderLimits(maxExporters, maxDomainsPerExporter, maxTemplatesPerExporter, maxTemplates,
                maxFieldsPerTemplate, maxPendingBytesPerExporter, maxPendingBytes, millis);
    }

    /** A copy with other pending byte bounds. */
    public DecoderLimits withMaxPendingBytes(int perExporter, long total) {
        return new DecoderLimits(maxExporters, maxDomainsPerExporter, maxTemplatesPerExporter, maxTemplates,
                maxFieldsPerTemplate, perExporter, total, maxPendingAgeMillis);
    }

    /** A copy with other template bounds. */
    public DecoderLimits withMaxTemplates(int perExporter, int total) {
        return new DecoderLimits(maxExporters, maxDomainsPerExporter, perExporter, total, maxFieldsPerTemplate,
                maxPendingBytesPerExporter, maxPendingBytes, maxPendingAgeMillis);
    }

    /** A copy with another exporter bound. */
    public DecoderLimits withMaxExporters(int exporters) {
        return new DecoderLimits(exporters, maxDomainsPerExporter, maxTemplatesPerExporter, maxTemplates,
                maxFieldsPerTemplate, maxPendingBytesPerExporter, maxPendingBytes, maxPendingAgeMillis);
    }
}
