package dev.sluice.decoders;

import dev.sluice.core.DecodeError;
import dev.sluice.core.FlowField;
import dev.sluice.core.FlowHandler;
import dev.sluice.core.FlowProtocol;
import dev.sluice.core.FlowRecord;
import dev.sluice.core.InterfaceCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.collection.LongObjectHashMap;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A decoder session for NetFlow v5, NetFlow v9, IPFIX and sFlow v5: it detects the protocol of each datagram, keeps
 * the templates and options state of every exporter it has seen, and hands records to a
 * {@link FlowHandler} as zero-copy views.
 *
 * <p>One instance belongs to one thread: datagrams of an exporter must always reach the same instance.
 * Nothing is allocated per record in steady state.
 *
 * <p>Bad input never throws: every problem is counted by reason (see {@link #statistics()}) and reported
 * through {@link FlowHandler#onError}, and decoding goes on with the next set or datagram. Exceptions
 * thrown by the handler itself propagate to the caller.
 */
public final class FlowDecoder {

    private static final int SAMPLING = FlowField.SAMPLING_INTERVAL.ordinal();

    private final DecoderLimits limits;
    /** Exporters in the order they were first seen. */
    private final Map<InetAddress, ExporterState> exporters = new LinkedHashMap<>();
    /**
     * The exporter of the previous datagram; before the first (and after it expired) {@link #noExporter}, so that
     * the first datagram takes the same branches as a change of exporter: compiled code that never saw a first
     * datagram (a collector's decoder after its warm-up) does not deoptimize on it.
     */
    private ExporterState lastExporter;
    /** Stands for "no previous exporter": its address (255.255.255.255) never sends; never in {@link #exporters}. */
    private final ExporterState noExporter = new ExporterState(broadcastAddress());
    /** Counters of exporters forgotten by {@link #expireIdleExporters}, kept in the decoder-wide statistics. */
    private final ExporterState retired = new ExporterState(null);
    private int totalTemplates;
    private long totalPendingBytes;
    private long rejectedDatagrams;

    final RecordView view;
    final PacketView packet = new PacketView();
    final Template netflowV5Template = Template.NETFLOW_V5;
    private final NetflowV5Parser v5 = new NetflowV5Parser(this);
    private final NetflowV9Parser v9 = new NetflowV9Parser(this);
    private final IpfixParser ipfix = new IpfixParser(this);
    private final SflowParser sflow = new SflowParser(this);

    private FlowHandler handler;
    private long now;
    private int delivered;

    /** A decoder with {@link DecoderLimits#defaults()}. */
    public FlowDecoder() {
        this(DecoderLimits.defaults());
    }

    public FlowDecoder(DecoderLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.view = new RecordView(limits.maxFieldsPerTemplate());
        this.lastExporter = noExporter;
    }

    /** 255.255.255.255: a broadcast source, which the network stack never delivers a datagram from. */
    private static InetAddress broadcastAddress() {
        try {
            return InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public DecoderLimits limits() {
        return limits;
    }

    /**
     * Decodes one datagram (which may hold several concatenated export messages) from {@code exporter}.
     * The buffer's reader and writer indexes delimit the datagram; they are not changed, and the buffer is
     * not released.
     *
     * @param datagram the UDP payload
     * @param exporter the address it came from
     * @param receivedMillis receive time (epoch millis), for the age of data held waiting for a template
     * @param handler receives records, options records and errors
     * @return the number of flow and options records delivered
     */
    public int decode(ByteBuf datagram, InetAddress exporter, long receivedMillis, FlowHandler handler) {
        Objects.requireNonNull(datagram, "datagram");
        Objects.requireNonNull(exporter, "exporter");
        Objects.requireNonNull(handler, "handler");
        this.handler = handler;
        this.now = receivedMillis;
        this.delivered = 0;
        view.invalidate();
        int start = datagram.readerIndex();
        int end = datagram.writerIndex();
        ExporterState ex = exporter(exporter);
        if (ex == null) {
            rejectedDatagrams++;
            handler.onError(new DecodeError(DecodeError.Reason.LIMIT_EXCEEDED, exporter, 0,
                    "exporter limit of " + limits.maxExporters() + " reached; datagram dropped"));
            return 0;
        }
        ex.bytes += end - start;
        ex.lastSeenMillis = receivedMillis;
        if (ex.pendingSets > 0) {
            expire(ex, receivedMillis);
        }
        int off = start;
        try {
            if (end - off < 2) {
                ex.packets++;
                error(ex, DecodeError.Reason.TRUNCATED, 0, "datagram of " + (end - off) + " bytes has no header");
                return delivered;
            }
            while (end - off >= 2) {
                int version = datagram.getUnsignedShort(off);
                ex.packets++;
                int consumed;
                switch (version) {
                    case 5:
                        consumed = v5.parse(ex, datagram, off, end, start);
                        break;
                    case 9:
                        consumed = v9.parse(ex, datagram, off, end, start);
                        break;
                    case 10:
                        consumed = ipfix.parse(ex, datagram, off, end, start);
                        break;
                    case 0: // sFlow: its version is a 32-bit word, so the first two bytes are 0
                        if (end - off >= 4 && datagram.getInt(off) == SflowParser.VERSION) {
                            consumed = sflow.parse(ex, datagram, off, end, start, receivedMillis);
                        } else {
                            error(ex, DecodeError.Reason.UNKNOWN_VERSION, off - start, "unknown export version "
                                    + (end - off >= 4 ? Integer.toUnsignedString(datagram.getInt(off)) : "0")
                                    + " (only sFlow 5 starts with two zero bytes)");
                            consumed = -1;
                        }
                        break;
                    default:
                        error(ex, DecodeError.Reason.UNKNOWN_VERSION, off - start,
                                "unknown export version " + version + (off > start ? " after a complete message" : ""));
                        consumed = -1;
                }
                if (consumed <= 0) {
                    break;
                }
                off += consumed;
                if (isZero(datagram, off, end)) {
                    break;
                }
            }
        } catch (HandlerException e) {
            throw e.unwrap();
        } catch (RuntimeException e) {
            // Every read is bounds-checked against the datagram before it is made; this is a safety net that
            // keeps a decoder bug from taking the collector down with it.
            error(ex, DecodeError.Reason.BAD_LENGTH, off - start, "internal decode failure: " + e);
        } finally {
            this.handler = null;
        }
        return delivered;
    }

    /**
     * Drops data sets that have waited longer than {@link DecoderLimits#maxPendingAgeMillis()} for their
     * template, counting and reporting each as {@link DecodeError.Reason#PENDING_EXPIRED}. The decoder
     * does this for an exporter whenever that exporter sends a datagram; call it periodically to also
     * expire data of exporters that went quiet.
     */
    public void expirePending(long nowMillis, FlowHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        try {
            for (ExporterState ex : exporters.values()) {
                if (ex.pendingSets > 0) {
                    expire(ex, nowMillis);
                }
            }
        } finally {
            this.handler = null;
        }
    }

    /**
     * Forgets the exporters that sent nothing for more than {@code idleMillis} before {@code nowMillis}: their
     * templates, options state (sampling, system init time), sequence tracking and the data sets they had
     * waiting for a template (dropped and counted as {@link DecodeError.Reason#PENDING_EXPIRED}, without a
     * handler call). Their counters leave {@link #exporterStatistics()} but stay in {@link #statistics()}. An
     * exporter known only from {@link #restoreTemplates} starts its idle time at the first call after the
     * restore. A forgotten exporter that sends again starts afresh, like a new one.
     *
     * @return the addresses of the exporters forgotten, in first-seen order
     */
    public List<InetAddress> expireIdleExporters(long nowMillis, long idleMillis) {
        List<InetAddress> gone = new ArrayList<>();
        Iterator<ExporterState> it = exporters.values().iterator();
        while (it.hasNext()) {
            ExporterState ex = it.next();
            if (ex.lastSeenMillis == ExporterState.NEVER) {
                ex.lastSeenMillis = nowMillis;
                continue;
            }
            if (nowMillis - ex.lastSeenMillis <= idleMillis) {
                continue;
            }
            it.remove();
            if (ex == lastExporter) {
                lastExporter = noExporter;
            }
            totalTemplates -= ex.templateCount;
            totalPendingBytes -= ex.pendingBytes;
            ex.errors[DecodeError.Reason.PENDING_EXPIRED.ordinal()] += ex.pendingSets;
            ex.templateCount = 0; // gauges: what the exporter holds now is nothing
            ex.pendingSets = 0;
            ex.pendingBytes = 0;
            ex.addTo(retired);
            gone.add(ex.address);
        }
        return gone;
    }

    /** Exporters with state now. */
    public int exporterCount() {
        return exporters.size();
    }

    /**
     * Counters summed over all exporters (datagrams refused by the exporter limit and exporters forgotten by
     * {@link #expireIdleExporters} included).
     */
    public DecoderStatistics statistics() {
        ExporterState total = new ExporterState(null);
        retired.addTo(total);
        for (ExporterState ex : exporters.values()) {
            ex.addTo(total);
        }
        total.errors[DecodeError.Reason.LIMIT_EXCEEDED.ordinal()] += rejectedDatagrams;
        return total.snapshot();
    }

    /** Counters per exporter address, in the order the exporters were first seen. */
    public Map<InetAddress, DecoderStatistics> exporterStatistics() {
        Map<InetAddress, DecoderStatistics> m = new LinkedHashMap<>();
        for (ExporterState ex : exporters.values()) {
            m.put(ex.address, ex.snapshot());
        }
        return m;
    }

    /** Every template held now (NetFlow v9 and IPFIX, data and options), for a template store. */
    public List<TemplateDefinition> templates() {
        List<TemplateDefinition> all = new ArrayList<>(totalTemplates);
        for (ExporterState ex : exporters.values()) {
            for (DomainState dom : ex.domains.values()) {
                for (Template t : dom.templates.values()) {
                    all.add(TemplateDefinition.of(ex.address, dom.domain, t));
                }
            }
        }
        return all;
    }

    /**
     * Installs templates that a template store kept from an earlier run, within this decoder's limits. A
     * template already known (received since) is left as it is; an invalid definition or one over a limit is
     * skipped.
     *
     * @return how many templates were installed
     */
    public int restoreTemplates(Iterable<TemplateDefinition> definitions) {
        int restored = 0;
        for (TemplateDefinition def : definitions) {
            Template t;
            try {
                t = def.compile(limits.maxFieldsPerTemplate());
            } catch (IllegalArgumentException e) {
                continue;
            }
            ExporterState ex = exporter(def.exporter());
            if (ex == null) {
                continue;
            }
            DomainState dom = domainWithinLimit(ex, def.protocol(), def.observationDomain());
            if (dom == null || dom.templates.containsKey(t.id) || ex.templateCount >= limits.maxTemplatesPerExporter()
                    || totalTemplates >= limits.maxTemplates()) {
                continue;
            }
            ex.templateCount++;
            totalTemplates++;
            dom.templates.put(t.id, t);
            restored++;
        }
        return restored;
    }

    /** Templates held now, over all exporters. */
    public int templateCount() {
        return totalTemplates;
    }

    // ------------------------------------------------------------------ shared by the parsers

    private ExporterState exporter(InetAddress address) {
        ExporterState ex = lastExporter;
        if (ex.address.equals(address) && ex != noExporter) {
            return ex;
        }
        ex = exporters.get(address);
        if (ex == null) {
            if (exporters.size() >= limits.maxExporters()) {
                return null;
            }
            ex = new ExporterState(address);
            exporters.put(address, ex);
        }
        lastExporter = ex;
        return ex;
    }

    /**
     * The state of an observation domain (kept apart per protocol: a NetFlow v9 source id and an IPFIX
     * observation domain with the same number are different things), or null (reported) when the exporter
     * has too many.
     */
    DomainState domain(ExporterState ex, FlowProtocol protocol, long domainId, int offset) {
        DomainState d = domainWithinLimit(ex, protocol, domainId);
        if (d == null) {
            error(ex, DecodeError.Reason.LIMIT_EXCEEDED, offset, "observation domain limit of "
                    + limits.maxDomainsPerExporter() + " reached; domain " + domainId + " ignored");
        }
        return d;
    }

    /** The state of an observation domain, created if the exporter has room for it, else null. */
    private DomainState domainWithinLimit(ExporterState ex, FlowProtocol protocol, long domainId) {
        long key = ((long) protocol.ordinal() << 32) | (domainId & 0xFFFFFFFFL);
        DomainState d = ex.domains.get(key);
        if (d == null && ex.domains.size() < limits.maxDomainsPerExporter()) {
            d = new DomainState(domainId);
            ex.domains.put(key, d);
        }
        return d;
    }

    void error(ExporterState ex, DecodeError.Reason reason, int offset, String detail) {
        ex.errors[reason.ordinal()]++;
        handler.onError(new DecodeError(reason, ex.address, offset, detail));
    }

    /**
     * Counts a template record that repeats, field for field, the template {@code held} of the domain (the parsers
     * compare the wire bytes with it before compiling anything), keeps {@code held} as it is, and decodes any data
     * waiting for it. Allocates nothing unless data was waiting.
     */
    void refreshTemplate(ExporterState ex, DomainState dom, Template held) {
        ex.templates++;
        if (!dom.pending.isEmpty()) {
            drainPending(ex, dom, held.id);
        }
    }

    /**
     * Adds a new template or replaces one with a changed definition (an unchanged one goes through
     * {@link #refreshTemplate}), then decodes any data that was waiting for it.
     */
    void addTemplate(ExporterState ex, DomainState dom, Template t, int offset) {
        ex.templates++;
        Template old = dom.templates.get(t.id);
        if (old == null) {
            if (ex.templateCount >= limits.maxTemplatesPerExporter() || totalTemplates >= limits.maxTemplates()) {
                error(ex, DecodeError.Reason.LIMIT_EXCEEDED, offset, "template " + t.id + " refused: limit of "
                        + (ex.templateCount >= limits.maxTemplatesPerExporter()
                                ? limits.maxTemplatesPerExporter() + " per exporter"
                                : limits.maxTemplates() + " in total") + " reached");
                return;
            }
            ex.templateCount++;
            totalTemplates++;
            dom.templates.put(t.id, t);
        } else {
            dom.templates.put(t.id, t);
        }
        if (!dom.pending.isEmpty()) {
            drainPending(ex, dom, t.id);
        }
    }

    /** Removes a template (IPFIX withdrawal). */
    void withdrawTemplate(ExporterState ex, DomainState dom, int templateId) {
        if (dom.templates.remove(templateId) != null) {
            ex.templateCount--;
            totalTemplates--;
            ex.templatesWithdrawn++;
        }
    }

    /** Removes all templates, or all options templates, of a domain (IPFIX all-withdrawal). */
    void withdrawAll(ExporterState ex, DomainState dom, boolean options) {
        Iterator<Template> it = dom.templates.values().iterator();
        while (it.hasNext()) {
            if (it.next().options == options) {
                it.remove();
                ex.templateCount--;
                totalTemplates--;
                ex.templatesWithdrawn++;
            }
        }
    }

    /**
     * Decodes the records of a data set body {@code [from, to)} with its template, or holds the body until
     * the template arrives.
     */
    void dataSet(ExporterState ex, DomainState dom, int templateId, ByteBuf buf, int from, int to, int datagramStart) {
        Template t = dom.templates.get(templateId);
        if (t == null) {
            ex.templateMisses++;
            hold(ex, dom, templateId, buf, from, to, from - datagramStart);
            return;
        }
        records(ex, dom, t, buf, from, to, packet, from - datagramStart);
    }

    /** Delivers one fixed-layout NetFlow v5 record at {@code off}. */
    void dataSet5(ExporterState ex, Template t, ByteBuf buf, int off) {
        view.bindFixed(t, buf, off, packet, null);
        deliver(ex, null, view);
    }

    /** Delivers an sFlow flow sample's record (SflowParser). */
    void deliverFlow(ExporterState ex, FlowRecord r) {
        ex.records++;
        delivered++;
        try {
            handler.onRecord(r);
        } catch (RuntimeException e) {
            throw new HandlerException(e);
        }
    }

    /** Delivers an sFlow counter sample (SflowParser). */
    void deliverCounters(ExporterState ex, InterfaceCounters c) {
        try {
            handler.onCounters(c);
        } catch (RuntimeException e) {
            throw new HandlerException(e);
        }
    }

    private void records(ExporterState ex, DomainState dom, Template t, ByteBuf buf, int from, int to,
            PacketView pkt, int errorOffset) {
        RecordView v = view;
        int off = from;
        if (!t.variable) {
            int len = t.recordLength;
            while (to - off >= len) {
                v.bindFixed(t, buf, off, pkt, dom);
                off += len;
                deliver(ex, dom, v);
            }
        } else {
            while (to - off >= t.recordLength) {
                int next = v.bindVariable(t, buf, off, to, pkt, dom);
                if (next < 0) {
                    if (!isZero(buf, off, to)) {
                        error(ex, DecodeError.Reason.TRUNCATED, errorOffset + (off - from), "record of template "
                                + t.id + " runs past the end of its set (" + (to - off) + " bytes left)");
                    }
                    return;
                }
                off = next;
                deliver(ex, dom, v);
            }
        }
    }

    private void deliver(ExporterState ex, DomainState dom, RecordView v) {
        Template t = v.template();
        try {
            if (t.options) {
                if (dom != null) {
                    learnOptions(dom, v, t);
                }
                ex.optionsRecords++;
                delivered++;
                handler.onOptions(v);
            } else {
                ex.records++;
                delivered++;
                handler.onRecord(v);
            }
        } catch (RuntimeException e) {
            throw new HandlerException(e);
        }
    }

    private static void learnOptions(DomainState dom, RecordView v, Template t) {
        int si = t.fieldIndex[SAMPLING];
        if (si >= 0) {
            long interval = v.unsignedValue(si);
            if (t.samplerIdIndex >= 0) {
                dom.putSampler(v.unsignedValue(t.samplerIdIndex), interval);
            }
            dom.defaultSampling = interval;
        }
        if (t.systemInitIndex >= 0) {
            dom.systemInitMillis = v.unsignedValue(t.systemInitIndex);
        }
    }

    private void hold(ExporterState ex, DomainState dom, int templateId, ByteBuf buf, int from, int to, int offset) {
        int size = to - from;
        if (size == 0) {
            return; // an empty set: nothing to decode later
        }
        long cost = DomainState.PendingSet.cost(size);
        if (ex.pendingBytes + cost > limits.maxPendingBytesPerExporter()
                || totalPendingBytes + cost > limits.maxPendingBytes()) {
            error(ex, DecodeError.Reason.MISSING_TEMPLATE, offset, "no template " + templateId + " for domain "
                    + dom.domain + " and no room to hold the set (" + size + " bytes) until it comes; dropped");
            return;
        }
        byte[] body = new byte[size];
        buf.getBytes(from, body);
        dom.pending.addLast(new DomainState.PendingSet(templateId, body, packet.copy(), now, offset));
        ex.pendingSets++;
        ex.pendingBytes += cost;
        totalPendingBytes += cost;
    }

    private void drainPending(ExporterState ex, DomainState dom, int templateId) {
        List<DomainState.PendingSet> ready = null;
        Iterator<DomainState.PendingSet> it = dom.pending.iterator();
        while (it.hasNext()) {
            DomainState.PendingSet p = it.next();
            if (p.templateId() == templateId) {
                it.remove();
                release(ex, p);
                if (ready == null) {
                    ready = new ArrayList<>();
                }
                ready.add(p);
            }
        }
        if (ready == null) {
            return;
        }
        Template t = dom.templates.get(templateId);
        for (DomainState.PendingSet p : ready) {
            long before = ex.records + ex.optionsRecords;
            ByteBuf body = Unpooled.wrappedBuffer(p.body());
            records(ex, dom, t, body, 0, p.body().length, p.packet(), p.datagramOffset());
            ex.pendingRecords += ex.records + ex.optionsRecords - before;
        }
    }

    private void release(ExporterState ex, DomainState.PendingSet p) {
        long cost = DomainState.PendingSet.cost(p.body().length);
        ex.pendingSets--;
        ex.pendingBytes -= cost;
        totalPendingBytes -= cost;
    }

    private void expire(ExporterState ex, long nowMillis) {
        LongObjectHashMap<DomainState> domains = ex.domains;
        for (DomainState dom : domains.values()) {
            while (!dom.pending.isEmpty() && nowMillis - dom.pending.peekFirst().receivedMillis()
                    > limits.maxPendingAgeMillis()) {
                DomainState.PendingSet p = dom.pending.pollFirst();
                release(ex, p);
                error(ex, DecodeError.Reason.PENDING_EXPIRED, p.datagramOffset(), "data set for template "
                        + p.templateId() + " of domain " + dom.domain + " (" + p.body().length
                        + " bytes) expired after " + limits.maxPendingAgeMillis() + " ms without its template");
            }
        }
    }

    static boolean isZero(ByteBuf buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf.getByte(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Carries an exception thrown by the user's handler past the decoder's safety net. */
    private static final class HandlerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerException(RuntimeException cause) {
            super(cause);
        }

        RuntimeException unwrap() {
            return (RuntimeException) getCause();
        }
    }
}
