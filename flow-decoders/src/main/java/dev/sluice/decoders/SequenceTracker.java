package dev.sluice.decoders;

/**
 * Follows the header sequence number of one (exporter, observation domain) and counts what it says was
 * lost. The unit depends on the protocol: NetFlow v5 counts flow records, NetFlow v9 export packets, IPFIX
 * data records, sFlow datagrams.
 *
 * <p>A number ahead of the expected one by at most {@link #MAX_GAP} units is a gap (those units are
 * lost); one behind it by at most a window of recent traffic is a late (reordered) packet, whose units are
 * taken back off the lost count; anything else is a reset (the exporter restarted or its counter jumped),
 * after which counting starts again. None of it touches templates.
 */
final class SequenceTracker {
    static final long MASK = 0xFFFFFFFFL;
    /** A forward jump larger than this is a reset rather than a loss. */
    static final long MAX_GAP = 1L << 24;
    /** How many packets' worth of units may arrive late and still count as reordered. */
    static final int REORDER_PACKETS = 64;

    private boolean synced;
    private long expected;
    private long lastUnits = 1;

    /**
     * Observes a packet.
     *
     * @param sequence the header's sequence number
     * @param units how many units the packet carries, or -1 when unknown (the next packet then only
     *        re-synchronises)
     */
    void observe(long sequence, long units, ExporterState ex) {
        long seq = sequence & MASK;
        if (synced) {
            int d = (int) ((seq - expected) & MASK);
            long window = Math.max(16, REORDER_PACKETS * lastUnits);
            if (d > 0 && d <= MAX_GAP) {
                ex.sequenceGaps++;
                ex.sequenceLost += d;
            } else if (d < 0 && -(long) d <= window) {
                ex.sequenceReordered++;
                if (units > 0) {
                    ex.sequenceLost = Math.max(0, ex.sequenceLost - units);
                }
                return; // a late packet does not move the expectation
            } else if (d != 0) {
                ex.sequenceResets++;
            }
        }
        if (units < 0) {
            synced = false;
            return;
        }
        synced = true;
        lastUnits = Math.max(1, units);
        expected = (seq + units) & MASK;
    }
}
