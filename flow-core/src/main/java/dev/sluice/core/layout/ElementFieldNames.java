package dev.sluice.core.layout;

import com.fasterxml.jackson.core.io.SerializedString;
import dev.sluice.core.ie.DataType;
import dev.sluice.core.ie.InformationElement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The JSON keys under which a layout writes information elements ({@code netflow.<snake_case name>}), computed
 * once per element and kept, so that writing a record in steady state looks names up without building strings.
 *
 * <p>It also keeps keys unique within one JSON object: when a template holds the same element twice (or two
 * elements whose names coincide), the first occurrence is written under the name, the later ones under
 * {@code <name>_2}, {@code <name>_3}, ... Call {@link #beginObject} when a new object starts, then
 * {@link #nextName} for each element written into it.
 *
 * <p>Not thread-safe, like the layouts that own it. The cache is bounded: past {@link #MAX_ELEMENTS} distinct
 * element objects (an exporter sending ever new unknown ids), it is emptied and refilled.
 */
final class ElementFieldNames {

    /** How many distinct elements are kept before the cache starts over. */
    static final int MAX_ELEMENTS = 8192;

    /** What a layout needs to know of one element. */
    static final class Entry {
        /** Null for padding, which is never written. */
        final Slot slot;
        final DataType dataType;

        Entry(Slot slot, DataType dataType) {
            this.slot = slot;
            this.dataType = dataType;
        }

        boolean isPadding() {
            return slot == null;
        }
    }

    /** One key and its numbered variants, with how often it was used in the current object. */
    static final class Slot {
        final String name;
        private SerializedString[] keys;
        private long stamp;
        private int used;

        Slot(String name) {
            this.name = name;
            this.keys = new SerializedString[] {new SerializedString(name)};
        }

        SerializedString key(int occurrence) {
            if (occurrence >= keys.length) {
                keys = Arrays.copyOf(keys, Math.max(occurrence + 1, keys.length * 2));
            }
            SerializedString key = keys[occurrence];
            if (key == null) {
                key = new SerializedString(name + "_" + (occurrence + 1));
                keys[occurrence] = key;
            }
            return key;
        }
    }

    private final Map<InformationElement, Entry> byElement = new IdentityHashMap<>();
    private final Map<String, Slot> byName = new HashMap<>();
    private final String[] reservedNames;
    private Slot[] reserved;
    private long stamp;

    /**
     * @param reservedNames keys the layout itself writes into the object that holds the elements (such as
     *     {@code type}); {@link #beginObject(boolean) beginObject(true)} counts them as used once, so an element of
     *     that name is written as {@code <name>_2}
     */
    ElementFieldNames(String... reservedNames) {
        this.reservedNames = reservedNames.clone();
        this.reserved = slotsOf(this.reservedNames);
    }

    /** The entry of an element: its key slot (null for padding) and data type. */
    Entry entry(InformationElement element) {
        Entry entry = byElement.get(element);
        if (entry == null) {
            entry = add(element);
        }
        return entry;
    }

    /** Starts a new JSON object: no key is used yet, except the reserved ones if {@code withReserved}. */
    void beginObject(boolean withReserved) {
        stamp++;
        if (withReserved) {
            for (Slot slot : reserved) {
                slot.stamp = stamp;
                slot.used = 1;
            }
        }
    }

    /** The key for the next occurrence of the slot's name in the current object. */
    SerializedString nextName(Slot slot) {
        if (slot.stamp != stamp) {
            slot.stamp = stamp;
            slot.used = 0;
        }
        return slot.key(slot.used++);
    }

    int size() {
        return byElement.size();
    }

    private Entry add(InformationElement element) {
        if (byElement.size() >= MAX_ELEMENTS) {
            byElement.clear();
            byName.clear();
            reserved = slotsOf(reservedNames);
        }
        Slot slot = isPadding(element) ? null : slotOf(element.snakeCaseName());
        Entry entry = new Entry(slot, element.dataType());
        byElement.put(element, entry);
        return entry;
    }

    private Slot[] slotsOf(String[] names) {
        Slot[] slots = new Slot[names.length];
        for (int i = 0; i < names.length; i++) {
            slots[i] = slotOf(names[i]);
        }
        return slots;
    }

    private Slot slotOf(String name) {
        return byName.computeIfAbsent(name, Slot::new);
    }

    /** IANA paddingOctets (210): fills a template to alignment and carries nothing. */
    static boolean isPadding(InformationElement element) {
        return element.enterpriseId() == 0 && element.elementId() == 210 && "paddingOctets".equals(element.name());
    }
}
