package dev.sluice.decoders;

import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayDeque;

/**
 * What a decoder keeps for one (exporter, observation domain / source id): templates, the sampling the
 * exporter announced in options data, its system init time, and data sets waiting for their template.
 */
final class DomainState {
    /** How many samplers' intervals are remembered per domain. */
    static final int MAX_SAMPLERS = 64;

    final long domain;
    final IntObjectHashMap<Template> templates = new IntObjectHashMap<>();
    final ArrayDeque<PendingSet> pending = new ArrayDeque<>();
    final SequenceTracker sequence = new SequenceTracker();

    /** Sampling interval from options data without a sampler id, 0 when unknown. */
    long defaultSampling;
    private final long[] samplerIds = new long[MAX_SAMPLERS];
    private final long[] samplerIntervals = new long[MAX_SAMPLERS];
    private int samplers;
    /** systemInitTimeMilliseconds from options data (IPFIX), -1 when unknown. */
    long systemInitMillis = -1;

    DomainState(long domain) {
        this.domain = domain;
    }

    void putSampler(long samplerId, long interval) {
        for (int i = 0; i < samplers; i++) {
            if (samplerIds[i] == samplerId) {
                samplerIntervals[i] = interval;
                return;
            }
        }
        if (samplers < MAX_SAMPLERS) {
            samplerIds[samplers] = samplerId;
            samplerIntervals[samplers++] = interval;
        }
    }

    /** The interval announced for a sampler id, else the domain's default, else 0. */
    long sampling(long samplerId) {
        for (int i = 0; i < samplers; i++) {
            if (samplerIds[i] == samplerId) {
                return samplerIntervals[i];
            }
        }
        return defaultSampling;
    }

    /** A data set that arrived before its template, copied out of its datagram. */
    record PendingSet(int templateId, byte[] body, PacketView packet, long receivedMillis, int datagramOffset) {
        /** Approximate heap bytes of a held set besides its body (this record, its packet copy, array header). */
        static final int OVERHEAD = 160;

        /** What holding a body of {@code size} bytes costs against the pending byte limits. */
        static long cost(int size) {
            return size + OVERHEAD;
        }
    }
}
