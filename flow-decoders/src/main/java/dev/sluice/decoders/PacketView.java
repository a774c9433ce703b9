package dev.sluice.decoders;

import dev.sluice.core.ExportPacket;
import dev.sluice.core.FlowProtocol;
import java.net.InetAddress;

/** The header of the packet being decoded; reused by the decoder, copied for owned records. */
final class PacketView implements ExportPacket {
    FlowProtocol protocol;
    InetAddress exporter;
    long observationDomain;
    long sequenceNumber;
    long exportTimeMillis;
    long exportNanos;
    long systemUptimeMillis = -1;
    int count = -1;
    int engineType;
    int engineId;
    int samplingAlgorithm;
    long headerSamplingInterval;

    void set(FlowProtocol protocol, InetAddress exporter, long observationDomain, long sequenceNumber,
            long exportTimeMillis, long exportNanos, long systemUptimeMillis, int count) {
        this.protocol = protocol;
        this.exporter = exporter;
        this.observationDomain = observationDomain;
        this.sequenceNumber = sequenceNumber;
        this.exportTimeMillis = exportTimeMillis;
        this.exportNanos = exportNanos;
        this.systemUptimeMillis = systemUptimeMillis;
        this.count = count;
        this.engineType = 0;
        this.engineId = 0;
        this.samplingAlgorithm = 0;
        this.headerSamplingInterval = 0;
    }

    PacketView copy() {
        PacketView c = new PacketView();
        c.set(protocol, exporter, observationDomain, sequenceNumber, exportTimeMillis, exportNanos,
                systemUptimeMillis, count);
        c.engineType = engineType;
        c.engineId = engineId;
        c.samplingAlgorithm = samplingAlgorithm;
        c.headerSamplingInterval = headerSamplingInterval;
        return c;
    }

    @Override
    public FlowProtocol protocol() {
        return protocol;
    }

    @Override
    public InetAddress exporter() {
        return exporter;
    }

    @Override
    public long observationDomain() {
        return observationDomain;
    }

    @Override
    public long sequenceNumber() {
        return sequenceNumber;
    }

    @Override
    public long exportTimeMillis() {
        return exportTimeMillis;
    }

    @Override
    public long exportNanos() {
        return exportNanos;
    }

    @Override
    public long systemUptimeMillis() {
        return systemUptimeMillis;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int engineType() {
        return engineType;
    }

    @Override
    public int engineId() {
        return engineId;
    }

    @Override
    public int samplingAlgorithm() {
        return samplingAlgorithm;
    }

    @Override
    public long headerSamplingInterval() {
        return headerSamplingInterval;
    }

    @Override
    public String toString() {
        return protocol + " packet from " + (exporter == null ? "?" : exporter.getHostAddress()) + " domain "
                + observationDomain + " seq " + sequenceNumber;
    }
}
