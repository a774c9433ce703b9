package dev.sluice.core.layout;

import java.util.Objects;

/**
 * How the Logstash netflow codec names and types one field.
 *
 * @param name the codec's field name (the key under {@code netflow.} in its events), null for a {@link #isSkip skip}
 *     entry
 * @param codecType the codec's type as written in its definitions: {@code uint8}..{@code uint64}, {@code int8}..,
 *     {@code ip4_addr}, {@code ip6_addr}, {@code mac_addr}, {@code string}, {@code float}, {@code double}, {@code
 *     octetarray}, special ones such as {@code acl_id_asa} or {@code application_id}; a number N (e.g. {@code "4"})
 *     means an unsigned integer of the field's length, N bytes by default; {@code uint} (scope fields) an unsigned
 *     integer of the field's length; {@code skip} a field the codec leaves out of its events
 */
public record LogstashField(String name, String codecType) {

    /** The codec type of entries the codec reads over and leaves out of its events. */
    public static final String SKIP_TYPE = "skip";

    /** The entry for fields the codec skips. */
    public static final LogstashField SKIP = new LogstashField(null, SKIP_TYPE);

    /**
     * Checks the entry.
     *
     * @throws NullPointerException if codecType is null
     * @throws IllegalArgumentException if name is null for an entry that is not a skip entry
     */
    public LogstashField {
        Objects.requireNonNull(codecType, "codecType");
        if (name == null && !SKIP_TYPE.equals(codecType)) {
            throw new IllegalArgumentException("only skip entries have no name");
        }
    }

    /** Whether the codec leaves this field out of its events. */
    public boolean isSkip() {
        return SKIP_TYPE.equals(codecType);
    }
}
