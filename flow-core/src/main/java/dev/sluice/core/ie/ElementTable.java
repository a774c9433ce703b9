package dev.sluice.core.ie;

import java.util.Arrays;
import java.util.Collection;

/**
 * An immutable open-addressing table of information elements keyed by (enterprise, element id) packed into a long;
 * lookups do not allocate.
 */
final class ElementTable {

    static final ElementTable EMPTY = new ElementTable(new InformationElement[0]);

    private final InformationElement[] elements;
    private final long[] keys;
    private final InformationElement[] slots;
    private final int mask;

    private ElementTable(InformationElement[] elements) {
        this.elements = elements;
        int capacity = Integer.highestOneBit(Math.max(8, elements.length * 2) - 1) << 1;
        this.keys = new long[capacity];
        this.slots = new InformationElement[capacity];
        this.mask = capacity - 1;
        for (InformationElement element : elements) {
            long key = key(element.enterpriseId(), element.elementId());
            int i = index(key);
            while (slots[i] != null) {
                if (keys[i] == key) {
                    throw new IllegalArgumentException("duplicate element " + element + " and " + slots[i]);
                }
                i = (i + 1) & mask;
            }
            keys[i] = key;
            slots[i] = element;
        }
    }

    static ElementTable of(Collection<InformationElement> elements) {
        return new ElementTable(elements.toArray(new InformationElement[0]));
    }

    /** Whether (enterpriseId, elementId) can be a key: a 32-bit private enterprise number. */
    static boolean isKeyable(long enterpriseId) {
        return enterpriseId >= 0 && enterpriseId <= 0xFFFF_FFFFL;
    }

    /** The key of (enterpriseId, elementId); enterpriseId must be {@link #isKeyable keyable}. */
    static long key(long enterpriseId, int elementId) {
        return (enterpriseId << 32) | (elementId & 0xFFFF_FFFFL);
    }

    /** The element under key, or null. */
    InformationElement get(long key) {
        int i = index(key);
        InformationElement element;
        while ((element = slots[i]) != null) {
            if (keys[i] == key) {
                return element;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    int size() {
        return elements.length;
    }

    /** A new table with this one's elements and {@code element}. */
    ElementTable with(InformationElement element) {
        InformationElement[] grown = Arrays.copyOf(elements, elements.length + 1);
        grown[elements.length] = element;
        return new ElementTable(grown);
    }

    private int index(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
