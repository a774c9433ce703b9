package dev.sluice.core.enrich;

import java.util.List;

/**
 * What a dictionary knows about one interface of an exporter: name (ifName), description (ifAlias) and tags such
 * as its direction, traffic type or provider. Immutable and shared.
 */
public final class InterfaceInfo {

    private final String name;
    private final String description;
    private final String[] tags;

    public InterfaceInfo(String name, String description, List<String> tags) {
        this.name = name;
        this.description = description;
        this.tags = tags == null ? new String[0] : tags.stream().map(String::intern).toArray(String[]::new);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** Number of tags. */
    public int tagCount() {
        return tags.length;
    }

    public String tag(int i) {
        return tags[i];
    }

    public List<String> tags() {
        return List.of(tags);
    }

    @Override
    public String toString() {
        return "InterfaceInfo[" + name + ", " + description + ", " + List.of(tags) + "]";
    }
}
