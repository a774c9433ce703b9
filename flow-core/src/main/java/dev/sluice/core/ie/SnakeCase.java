package dev.sluice.core.ie;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Converts information element names to the snake case Filebeat's netflow input uses for its {@code netflow.*}
 * fields, and keeps the converted names of the standard registry's elements.
 *
 * <p>The rule: an upper-case letter after a lower-case letter or digit starts a word; in a run of three or more
 * capitals followed by a lower-case letter, the last capital starts the next word ({@code postNATSource} gives
 * {@code post_nat_source}, {@code IPSecSPI} {@code ip_sec_spi}); everything is lower-cased. Names holding an
 * underscore are only lower-cased, and {@code VRFname} is {@code vrf_name}.
 */
final class SnakeCase {

    private SnakeCase() {
    }

    /** The snake-case form of {@code name}; precomputed (no allocation) for registry names. */
    static String of(String name) {
        String known = Precomputed.NAMES.get(name);
        return known != null ? known : convert(name);
    }

    /** Converts without looking at the precomputed names. */
    static String convert(String name) {
        if ("VRFname".equals(name)) {
            return "vrf_name"; // IANA spells it VRFname; Filebeat maps it by hand
        }
        if (name.indexOf('_') >= 0) {
            return name.toLowerCase(Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(name.length() + 4);
        int upperRun = 1; // the first character never gets an underscore before it
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            char lower = Character.toLowerCase(c);
            if (lower != c) {
                if (upperRun == 0) {
                    out.append('_');
                }
                upperRun++;
            } else {
                if (upperRun > 2) {
                    // the last capital of a long run begins the next word: insert '_' before it
                    out.insert(out.length() - 1, '_');
                }
                upperRun = 0;
            }
            out.append(lower);
        }
        return out.toString();
    }

    /** Snake-case names of every element of the standard registry, built on first use. */
    private static final class Precomputed {
        static final Map<String, String> NAMES = build();

        private static Map<String, String> build() {
            Map<String, String> names = new HashMap<>();
            for (InformationElement element : InformationElementRegistry.standard().all()) {
                names.computeIfAbsent(element.name(), SnakeCase::convert);
            }
            return Map.copyOf(names);
        }
    }
}
