package dev.sluice.core.layout;

/**
 * The field names already written into the current document, so that a template listing one element twice (or two
 * elements the codec names alike) yields one JSON member, the first. Open addressing over reused arrays; {@link
 * #clear()} is O(1).
 */
final class LogstashNameSet {

    private String[] keys = new String[128];
    private int[] marks = new int[128];
    private int generation = 1;
    private int size;

    void clear() {
        size = 0;
        if (++generation == 0) {
            java.util.Arrays.fill(marks, 0);
            generation = 1;
        }
    }

    /** Adds a name; false if it was there already. */
    boolean add(String name) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(name.hashCode()) & mask;
        while (marks[i] == generation) {
            String k = keys[i];
            if (k == name || k.equals(name)) {
                return false;
            }
            i = (i + 1) & mask;
        }
        marks[i] = generation;
        keys[i] = name;
        size++;
        return true;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldMarks = marks;
        int g = generation;
        keys = new String[oldKeys.length * 2];
        marks = new int[oldKeys.length * 2];
        generation = 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldMarks[i] == g) {
                add(oldKeys[i]);
            }
        }
    }

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }
}
