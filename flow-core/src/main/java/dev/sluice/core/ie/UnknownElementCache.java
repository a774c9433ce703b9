package dev.sluice.core.ie;

/**
 * The {@link InformationElement#unknown unknown} elements handed out so far, so that looking the same unknown id up
 * again returns the same instance without allocating. Copy-on-write: readers never lock, a miss copies the table.
 * Bounded: past {@link #LIMIT} distinct ids (a misbehaving exporter), further unknown elements are made per call.
 */
final class UnknownElementCache {

    /** At most this many distinct unknown elements are kept. */
    static final int LIMIT = 4096;

    private volatile ElementTable table = ElementTable.EMPTY;

    InformationElement get(long enterpriseId, int elementId) {
        if (!ElementTable.isKeyable(enterpriseId)) {
            return InformationElement.unknown(enterpriseId, elementId);
        }
        long key = ElementTable.key(enterpriseId, elementId);
        InformationElement element = table.get(key);
        return element != null ? element : add(key, enterpriseId, elementId);
    }

    int size() {
        return table.size();
    }

    private synchronized InformationElement add(long key, long enterpriseId, int elementId) {
        ElementTable current = table;
        InformationElement element = current.get(key);
        if (element == null) {
            element = InformationElement.unknown(enterpriseId, elementId);
            if (current.size() < LIMIT) {
                table = current.with(element);
            }
        }
        return element;
    }
}
