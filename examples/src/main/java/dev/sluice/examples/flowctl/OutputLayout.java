package dev.sluice.examples.flowctl;

import java.util.Locale;

/** The document layouts {@code flowctl} can print (they live in flow-core; this names the user's choice). */
public enum OutputLayout {

    /** Elastic Common Schema, compatible with Filebeat's netflow documents. The default. */
    ECS,
    /** The logstash-codec-netflow layout ({@code netflow.ipv4_src_addr}, {@code netflow.in_bytes}, ...). */
    LOGSTASH;

    /** The name used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The layout with the given command-line name, or null when there is none. */
    public static OutputLayout fromCliName(String name) {
        for (OutputLayout layout : values()) {
            if (layout.cliName().equals(name)) {
                return layout;
            }
        }
        return null;
    }
}
