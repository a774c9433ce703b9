package dev.sluice.collector;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a collector's counters.
 *
 * @param takenAtMillis when the snapshot was taken (epoch millis)
 * @param total counters over all exporters, including exporters forgotten since (idle) and exporters beyond the
 *     per-exporter bound
 * @param exporters counters per exporter address (exporters with state now, up to the exporter bound, and
 *     exporters refused by the allowlist, up to 1024 per receiving thread)
 * @param sinks one entry per sink, in the order they were added
 * @param listeners one entry per listening address
 * @param kernelDrops datagrams dropped by the kernel over all UDP sockets (-1 where the OS does not say)
 * @param unreadAtClose after {@link FlowCollector#close()}: bytes of receive-buffer memory (payload plus the kernel's
 *     bookkeeping) that datagrams still held in the UDP sockets when they were closed, after the drain
 *     ({@link FlowCollector.Builder#drainTimeout}); those datagrams are lost. 0 before the close, -1 where the OS
 *     does not say
 * @param exportersExpired exporters forgotten after their idle timeout
 * @param templatesRestored templates installed from the template store at start (over all receiving threads)
 * @param templateSaves successful saves of the template store
 * @param templateStoreErrors failed loads (a corrupt or unreadable store) and saves
 * @param stale true if a receiving thread did not answer in time and its counters are from its last snapshot
 */
public record CollectorMetrics(long takenAtMillis, ExporterMetrics total, Map<InetAddress, ExporterMetrics> exporters,
        List<SinkMetrics> sinks, List<ListenerMetrics> listeners, long kernelDrops, long unreadAtClose,
        long exportersExpired, long templatesRestored, long templateSaves, long templateStoreErrors, boolean stale) {

    public CollectorMetrics {
        exporters = Map.copyOf(exporters);
        sinks = List.copyOf(sinks);
        listeners = List.copyOf(listeners);
    }

    /** The counters of one exporter, or null if it has none. */
    public ExporterMetrics exporter(InetAddress address) {
        return exporters.get(address);
    }
}
