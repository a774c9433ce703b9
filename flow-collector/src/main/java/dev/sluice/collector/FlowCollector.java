package dev.sluice.collector;

import dev.sluice.core.sink.FlowSink;
import dev.sluice.core.sink.SinkPolicy;
import dev.sluice.decoders.DecoderLimits;
import dev.sluice.decoders.FlowDecoder;
import dev.sluice.decoders.TemplateDefinition;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flow collector: listens for NetFlow v5/v9, IPFIX and sFlow v5 datagrams (and IPFIX over TCP), decodes them
 * on the receiving threads, passes every record through an optional {@link FlowProcessor} and hands it to the
 * sinks.
 *
 * <pre>{@code
 * FlowCollector collector = FlowCollector.builder()
 *         .listen("0.0.0.0", 2055)
 *         .allow("10.0.0.0/8", "2001:db8::/32")
 *         .sink(NdjsonSink.builder(Path.of("flows.ndjson")).build())
 *         .templateStore(new FileTemplateStore(Path.of("templates.txt")))
 *         .build()
 *         .start();
 * ...
 * collector.close();   // stops receiving, finishes, flushes and closes the sinks, saves the templates
 * }</pre>
 *
 * <p>Threads: with Linux's native epoll transport every receiving thread has its own socket on every UDP address,
 * bound with {@code SO_REUSEPORT}; the kernel picks the socket by a hash of the sender's address and port, so one
 * exporter (sending from one port) always reaches the same thread and its decoder state needs no locks. An
 * exporter that sends from several source ports may reach several threads, each then holding its own copy of the
 * exporter's state. Without epoll (NIO) each UDP address has one socket, served by one thread. Each
 * IPFIX-over-TCP connection has a decoder of its own. (With {@code SO_REUSEPORT} another socket of the same user
 * can bind the same port and would share its datagrams: give each collector its own ports.)
 *
 * <p>Every receiving thread expires held data and idle exporters once a second; {@link #metrics()} can be called
 * from any thread at any time.
 */
public final class FlowCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlowCollector.class);
    /** The default ports: NetFlow (2055), IPFIX (4739), sFlow (6343). */
    public static final List<Integer> DEFAULT_PORTS = List.of(2055, 4739, 6343);
    private static final long HOUSEKEEPING_MILLIS = 1_000;
    private static final long THREAD_ANSWER_MILLIS = 2_000;
    /**
     * The default {@link Builder#maxDatagramBytes}: the UDP payload of a 9216-byte jumbo frame and more, so any
     * exporter on a 1500- or 9000-byte MTU path fits (NetFlow v9, IPFIX and sFlow agents send datagrams of at most
     * their path MTU; RFC 7011 section 10.3.3 tells IPFIX exporters not to exceed it).
     */
    public static final int DEFAULT_MAX_DATAGRAM_BYTES = 9216;
    /** With epoll and {@link Builder#maxDatagramBytes} below 65535: datagrams read per recvmmsg call. */
    static final int DATAGRAMS_PER_READ = 16;
    /**
     * Datagrams a socket reads per readiness event (several recvmmsg or recvmsg calls) before its thread turns to
     * its other sockets and tasks; it stops earlier when the socket is empty.
     */
    static final int DATAGRAMS_PER_WAKEUP = 256;

    /** How the sockets are served. */
    public enum Transport {
        /** Native epoll with SO_REUSEPORT where available, else NIO. */
        AUTO,
        /** Native epoll; {@link #start()} fails where it is not available. */
        EPOLL,
        /** Java NIO: one socket and thread per UDP address. */
        NIO
    }

    private final Builder config;
    private final Allowlist allowlist;
    private final SinkOutlet[] outlets;
    private final boolean epoll;
    private final List<UdpListener> udp = new ArrayList<>();
    private final List<TcpListener> tcp = new ArrayList<>();
    private MultiThreadIoEventLoopGroup group;
    private final List<ReceiveWorker> workers = new ArrayList<>();
    private final Map<Object, ReceiveWorker> workerByLoop = new IdentityHashMap<>();
    private ScheduledExecutorService housekeeping;
    private final List<ScheduledFuture<?>> loopTasks = new ArrayList<>();
    private Set<TemplateDefinition> restored = Set.of();
    /** What {@link Builder#warmUp} did (null without one, or if it could not run). */
    volatile WarmUp.Result warmUpResult;
    private final Object saveLock = new Object();
    private final AtomicLong templateSaves = new AtomicLong();
    private final AtomicLong templateStoreErrors = new AtomicLong();
    private volatile boolean started;
    /** Set once every address is bound: only then does {@link #close()} write the template store. */
    private volatile boolean running;
    private volatile boolean closed;
    private volatile CollectorMetrics finalMetrics;
    /** What the UDP sockets still held when they were closed (bytes, -1 unknown), for the final metrics. */
    private long unreadAtClose;

    /** One UDP listening address and its sockets. */
    private static final class UdpListener {
        final InetSocketAddress requested;
        InetSocketAddress bound;
        final List<Channel> channels = new ArrayList<>();
        int granted;

        UdpListener(InetSocketAddress requested) {
            this.requested = requested;
        }
    }

    private FlowCollector(Builder b) {
        this.config = b;
        this.allowlist = Allowlist.of(b.allow);
        this.outlets = new SinkOutlet[b.sinks.size()];
        for (int i = 0; i < outlets.length; i++) {
            FlowSink s = b.sinks.get(i);
            SinkPolicy p = b.policies.get(i);
            outlets[i] = new SinkOutlet(s, p != null ? p : Objects.requireNonNullElse(s.policy(), SinkPolicy.DEFAULT));
        }
        switch (b.transport) {
            case EPOLL:
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("native epoll is not available", Epoll.unavailabilityCause());
                }
                epoll = true;
                break;
            case NIO:
                epoll = false;
                break;
            default:
                epoll = Epoll.isAvailable();
        }
        List<InetSocketAddress> addresses = b.udp;
        if (addresses.isEmpty() && b.tcp.isEmpty()) {
            addresses = new ArrayList<>();
            for (int port : DEFAULT_PORTS) {
                addresses.add(new InetSocketAddress("0.0.0.0", port));
            }
        }
        for (InetSocketAddress a : addresses) {
            udp.add(new UdpListener(a));
        }
        for (InetSocketAddress a : b.tcp) {
            tcp.add(new TcpListener(a, b.maxTcpConnections, b.maxTcpMessageBytes, b.tcpIdleTimeout.toMillis()));
        }
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads the template store, binds every address and starts receiving.
     *
     * @throws IOException if an address cannot be bound (everything opened so far is closed again)
     */
    public FlowCollector start() throws IOException {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        started = true;
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        if (!config.readPause.isZero()) {
            io = CoalescingIoHandler.factory(io, config.readPause.toNanos());
        }
        group = new MultiThreadIoEventLoopGroup(config.threads, new DefaultThreadFactory("sluice-receive"), io);
        List<TemplateDefinition> stored = loadTemplates();
        int i = 0;
        for (EventExecutor e : group) {
            ReceiveWorker w = new ReceiveWorker(i++, new FlowDecoder(config.limits), allowlist, config.processor,
                    outlets, config.maxDatagramBytes);
            workers.add(w);
            workerByLoop.put(e, w);
            if (!stored.isEmpty()) {
                runOn(e, () -> w.templatesRestored = w.decoder.restoreTemplates(stored));
            }
        }
        try {
            if (!config.warmUp.isZero()) {
                warmUp();
            }
            for (UdpListener l : udp) {
                bindUdp(l);
            }
            for (TcpListener l : tcp) {
                bindTcp(l);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException ? (IOException) e : new IOException("cannot start the collector: " + e, e);
        }
        running = true;
        long idle = config.exporterIdleTimeout.toMillis();
        for (ReceiveWorker w : workers) {
            EventExecutor loop = loopOf(w);
            loopTasks.add(loop.scheduleAtFixedRate(() -> w.housekeeping(System.currentTimeMillis(), idle),
                    HOUSEKEEPING_MILLIS, HOUSEKEEPING_MILLIS, TimeUnit.MILLISECONDS));
        }
        if (config.templateStore != null && !config.templateSaveInterval.isZero()) {
            housekeeping = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("sluice-templates", true));
            long every = config.templateSaveInterval.toMillis();
            housekeeping.scheduleWithFixedDelay(this::saveTemplatesQuietly, every, every, TimeUnit.MILLISECONDS);
        }
        LOG.info("collector receiving on UDP {} and TCP {} with {} threads ({})", udpAddresses(), tcpAddresses(),
                workers.size(), transport());
        return this;
    }

    private List<TemplateDefinition> loadTemplates() {
        if (config.templateStore == null) {
            return List.of();
        }
        try {
            List<TemplateDefinition> stored = config.templateStore.load();
            restored = new HashSet<>(stored);
            return stored;
        } catch (IOException | RuntimeException e) {
            templateStoreErrors.incrementAndGet();
            LOG.warn("template store could not be loaded; starting without stored templates: {}", e.toString());
            return List.of();
        }
    }

    /**
     * Runs {@link Builder#warmUp(Duration)} on the receiving threads, with sockets set up as {@link #bindUdp} sets up
     * the real ones.
     */
    private void warmUp() {
        List<EventLoop> loops = new ArrayList<>();
        for (ReceiveWorker w : workers) {
            loops.add((EventLoop) loopOf(w));
        }
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        warmUpResult = WarmUp.run(loops, (loop, w) -> udpBootstrap(loop, w).bind(loopback), config.limits,
                config.maxDatagramBytes, config.warmUp);
    }

    private void bindUdp(UdpListener l) throws IOException {
        int sockets = epoll ? workers.size() : 1;
        int port = l.requested.getPort();
        for (int s = 0; s < sockets; s++) {
            ReceiveWorker w = epoll ? workers.get(s) : workers.get(udp.indexOf(l) % workers.size());
            Bootstrap b = udpBootstrap((EventLoop) loopOf(w), w);
            InetSocketAddress at = new InetSocketAddress(l.requested.getAddress(), port);
            Channel ch = sync(b.bind(at), "bind UDP " + at);
            l.channels.add(ch);
            if (l.bound == null) {
                l.bound = (InetSocketAddress) ch.localAddress();
                port = l.bound.getPort();
                l.granted = ((DatagramChannel) ch).config().getReceiveBufferSize();
            }
        }
    }

    /** A UDP socket on {@code loop} whose datagrams go to {@code w}. */
    private Bootstrap udpBootstrap(EventLoop loop, ReceiveWorker w) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, config.receiveBufferBytes)
                .handler(w.udpHandler);
        if (epoll) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        // Every datagram is read into a slot one byte longer than the longest accepted: the kernel cuts a longer
        // datagram to the slot (neither recvmmsg nor Netty says so), so a datagram that fills its slot was cut, and
        // ReceiveWorker counts it instead of decoding it.
        int slot = config.maxDatagramBytes + 1;
        BatchReadAllocator buffers;
        if (epoll && config.maxDatagramBytes < 65_535) {
            // recvmmsg: up to DATAGRAMS_PER_READ datagrams per system call, each in a slot
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
            buffers = new BatchReadAllocator(slot, DATAGRAMS_PER_READ);
        } else {
            buffers = new BatchReadAllocator(slot, 1);
        }
        // (Netty's allocators read one message per readiness event unless told otherwise)
        buffers.maxMessagesPerRead(DATAGRAMS_PER_WAKEUP);
        b.option(ChannelOption.RECVBUF_ALLOCATOR, buffers);
        return b;
    }

    private void bindTcp(TcpListener l) throws IOException {
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        long idleMillis = l.idleMillis;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(type)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                                new LengthFieldBasedFrameDecoder(l.maxMessageBytes, 2, 2, -4, 0, true),
                                new TcpSession(l, workerByLoop, config.limits));
                    }
                });
        l.server = sync(b.bind(l.requested), "bind TCP " + l.requested);
        l.bound = (InetSocketAddress) l.server.localAddress();
    }

    private static Channel sync(io.netty.channel.ChannelFuture f, String what) throws IOException {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot " + what + ": " + f.cause(), f.cause());
        }
        return f.channel();
    }

    private EventExecutor loopOf(ReceiveWorker w) {
        for (Map.Entry<Object, ReceiveWorker> e : workerByLoop.entrySet()) {
            if (e.getValue() == w) {
                return (EventExecutor) e.getKey();
            }
        }
        throw new IllegalStateException("no loop for worker " + w.index);
    }

    private static void runOn(EventExecutor loop, Runnable task) {
        loop.submit(task).syncUninterruptibly();
    }

    /**
     * What the {@linkplain Builder#warmUp warm-up} did, such as "7,434 datagrams (102,178 records and counter
     * samples) in 0.7 s"; null without a warm-up, or when it could not run (logged).
     */
    public String warmUpSummary() {
        WarmUp.Result r = warmUpResult;
        return r == null ? null : r.toString();
    }

    /** The UDP addresses bound, with the ports the OS chose for port 0. */
    public List<InetSocketAddress> udpAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (UdpListener l : udp) {
            out.add(l.bound != null ? l.bound : l.requested);
        }
        return out;
    }

    /** The IPFIX-over-TCP addresses bound, with the ports the OS chose for port 0. */
    public List<InetSocketAddress> tcpAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (TcpListener l : tcp) {
            out.add(l.bound != null ? l.bound : l.requested);
        }
        return out;
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    /** The number of receiving threads. */
    public int receiveThreads() {
        return config.threads;
    }

    /**
     * A snapshot of the counters. Each receiving thread reports its own; a thread that does not answer within two
     * seconds (a sink keeps it waiting) is represented by its previous report and the snapshot is marked stale.
     * After {@link #close()} the snapshot taken at the end.
     */
    public CollectorMetrics metrics() {
        CollectorMetrics m = finalMetrics;
        if (m != null) {
            return m;
        }
        return collect(askWorkers(ReceiveWorker::snapshot), kernelDrops());
    }

    /** Kernel drops per UDP listener, read now. */
    private long[] kernelDrops() {
        return KernelDrops.read(udpAddresses().toArray(new InetSocketAddress[0]));
    }

    private List<Object> askWorkers(java.util.function.Function<ReceiveWorker, Object> question) {
        List<Object> answers = new ArrayList<>();
        List<Future<Object>> pending = new ArrayList<>();
        for (ReceiveWorker w : workers) {
            EventExecutor loop = loopOf(w);
            pending.add(loop.isShutdown() ? null : loop.submit(() -> question.apply(w)));
        }
        for (int i = 0; i < workers.size(); i++) {
            Future<Object> f = pending.get(i);
            Object answer = null;
            if (f != null) {
                try {
                    answer = f.get(THREAD_ANSWER_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    // reported as stale
                }
            }
            answers.add(answer);
        }
        return answers;
    }

    private CollectorMetrics collect(List<Object> answers, long[] drops) {
        boolean stale = false;
        ExporterTally total = new ExporterTally();
        Map<InetAddress, ExporterTally> per = new LinkedHashMap<>();
        long expired = 0;
        long restoredCount = 0;
        for (int i = 0; i < workers.size(); i++) {
            ReceiveWorker.Snapshot s = (ReceiveWorker.Snapshot) answers.get(i);
            if (s == null) {
                stale = true;
                s = workers.get(i).lastSnapshot;
            }
            total.add(s.total());
            s.exporters().forEach((a, t) -> per.computeIfAbsent(a, x -> new ExporterTally()).add(t));
            expired += s.exportersExpired();
            restoredCount += s.templatesRestored();
        }
        Map<InetAddress, ExporterMetrics> exporters = new LinkedHashMap<>();
        per.forEach((a, t) -> exporters.put(a, t.toMetrics()));
        List<SinkMetrics> sinks = new ArrayList<>();
        for (SinkOutlet o : outlets) {
            sinks.add(o.metrics());
        }
        List<ListenerMetrics> listeners = new ArrayList<>();
        long kernelDrops = 0;
        for (int i = 0; i < udp.size(); i++) {
            UdpListener l = udp.get(i);
            listeners.add(new ListenerMetrics("udp", transport(), udpAddresses().get(i), l.channels.size(),
                    config.receiveBufferBytes, l.granted, drops[i], 0, 0, 0, 0, 0));
            kernelDrops = drops[i] < 0 || kernelDrops < 0 ? -1 : kernelDrops + drops[i];
        }
        for (TcpListener l : tcp) {
            listeners.add(l.metrics(transport()));
        }
        return new CollectorMetrics(System.currentTimeMillis(), total.toMetrics(), exporters, sinks, listeners,
                kernelDrops, unreadAtClose, expired, restoredCount, templateSaves.get(), templateStoreErrors.get(),
                stale);
    }

    /**
     * Saves the templates of every UDP receiving thread to the template store now (also done periodically and at
     * {@link #close()}). Where threads hold different definitions for one template, one received since the
     * start wins over the one restored from the store.
     *
     * @return whether the store was written
     */
    public boolean saveTemplates() {
        if (config.templateStore == null || closed) {
            return false;
        }
        synchronized (saveLock) {
            return store(askWorkers(ReceiveWorker::templates));
        }
    }

    private void saveTemplatesQuietly() {
        try {
            saveTemplates();
        } catch (RuntimeException e) {
            LOG.warn("saving templates failed: {}", e.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private boolean store(List<Object> answers) {
        Map<List<Object>, TemplateDefinition> merged = new LinkedHashMap<>();
        for (Object a : answers) {
            if (a == null) {
                templateStoreErrors.incrementAndGet();
                LOG.warn("a receiving thread did not list its templates in time; template store not written");
                return false;
            }
            for (TemplateDefinition t : (List<TemplateDefinition>) a) {
                List<Object> key = List.of(t.exporter(), t.protocol(), t.observationDomain(), t.templateId());
                TemplateDefinition old = merged.get(key);
                if (old == null || restored.contains(old) && !restored.contains(t)) {
                    merged.put(key, t);
                }
            }
        }
        try {
            config.templateStore.save(new ArrayList<>(merged.values()));
            templateSaves.incrementAndGet();
            return true;
        } catch (IOException | RuntimeException e) {
            templateStoreErrors.incrementAndGet();
            LOG.warn("template store could not be written: {}", e.toString());
            return false;
        }
    }

    /**
     * Stops gracefully: lets the receiving threads read what the UDP sockets already hold (at most
     * {@link Builder#drainTimeout}), closes the sockets (no more datagrams are read), lets every receiving thread
     * finish what it has read, closes the TCP connections, saves the templates, flushes and closes the sinks.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (housekeeping != null) {
            housekeeping.shutdown(); // a save under way completes
            try {
                housekeeping.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (running) {
            drainUdp();
        }
        long[] drops = group != null ? kernelDrops() : new long[udp.size()]; // while the sockets are open
        List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
        for (UdpListener l : udp) {
            for (Channel ch : l.channels) {
                closing.add(ch.close());
            }
        }
        for (TcpListener l : tcp) {
            if (l.server != null) {
                closing.add(l.server.close());
            }
        }
        for (io.netty.channel.ChannelFuture f : closing) {
            f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (TcpListener l : tcp) {
            l.connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (ScheduledFuture<?> f : loopTasks) {
            f.cancel(false);
        }
        if (group != null) {
            try {
                // Tasks queued behind everything read so far: when they run, the in-flight datagrams are done.
                List<Object> templates = running && config.templateStore != null
                        ? askWorkers(ReceiveWorker::templates) : null;
                finalMetrics = collect(askWorkers(ReceiveWorker::snapshot), drops);
                if (templates != null) {
                    synchronized (saveLock) {
                        store(templates);
                    }
                }
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        }
        for (SinkOutlet o : outlets) {
            try {
                o.sink.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("sink {} could not be flushed and closed: {}", o.sink.name(), e.toString());
            }
        }
        CollectorMetrics m = finalMetrics;
        if (m != null) {
            // the sinks' own counters after their last flush
            List<SinkMetrics> sinks = new ArrayList<>();
            for (SinkOutlet o : outlets) {
                sinks.add(o.metrics());
            }
            finalMetrics = new CollectorMetrics(m.takenAtMillis(), m.total(), m.exporters(), sinks, m.listeners(),
                    m.kernelDrops(), m.unreadAtClose(), m.exportersExpired(), m.templatesRestored(),
                    templateSaves.get(), templateStoreErrors.get(), m.stale());
        }
        LOG.info("collector stopped");
    }

    /**
     * Lets the receiving threads read what the UDP sockets hold before they are closed: waits until every socket's
     * receive queue has been empty at least once since the call (so every datagram queued at the call was read, and
     * decoded, as the thread decodes what it reads before it reads on), at most {@link Builder#drainTimeout}. Then
     * notes what the sockets still hold, which their closing discards ({@link CollectorMetrics#unreadAtClose()}).
     * Where the OS does not show receive queues (not Linux) it does not wait.
     */
    private void drainUdp() {
        InetSocketAddress[] addresses = udpAddresses().toArray(new InetSocketAddress[0]);
        long deadline = System.nanoTime() + config.drainTimeout.toNanos();
        Set<String> waiting = null;
        Map<String, Long> queues = KernelDrops.receiveQueues(addresses);
        while (queues != null && !config.drainTimeout.isZero()) {
            if (waiting == null) {
                waiting = new HashSet<>(queues.keySet());
            }
            waiting.retainAll(queues.keySet());
            for (Map.Entry<String, Long> q : queues.entrySet()) {
                if (q.getValue() == 0) {
                    waiting.remove(q.getKey());
                }
            }
            if (waiting.isEmpty()) {
                break;
            }
            if (System.nanoTime() - deadline >= 0) {
                LOG.warn("the UDP sockets were not drained within {} ms; what they hold now is discarded at close",
                        config.drainTimeout.toMillis());
                break;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queues = KernelDrops.receiveQueues(addresses);
        }
        queues = KernelDrops.receiveQueues(addresses); // the last look before the sockets close
        long unread = 0;
        if (queues == null) {
            unread = -1;
        } else {
            for (long bytes : queues.values()) {
                unread += bytes;
            }
        }
        unreadAtClose = unread;
        if (unread > 0) {
            LOG.warn("{} bytes of datagrams were still queued in the UDP sockets when they closed (discarded)", unread);
        }
    }

    /** Settings of a {@link FlowCollector}. */
    public static final class Builder {
        /** The longest {@link #warmUp}. */
        public static final Duration MAX_WARM_UP = Duration.ofMinutes(10);
        /** The default of {@link #readPause}. */
        public static final Duration DEFAULT_READ_PAUSE = Duration.ofNanos(250_000);
        /** The longest {@link #readPause}. */
        public static final Duration MAX_READ_PAUSE = Duration.ofMillis(10);

        private final List<InetSocketAddress> udp = new ArrayList<>();
        private final List<InetSocketAddress> tcp = new ArrayList<>();
        private int threads = Runtime.getRuntime().availableProcessors();
        private int receiveBufferBytes = 8 << 20;
        private Transport transport = Transport.AUTO;
        private DecoderLimits limits = DecoderLimits.defaults();
        private final List<String> allow = new ArrayList<>();
        private FlowProcessor processor;
        private final List<FlowSink> sinks = new ArrayList<>();
        private final List<SinkPolicy> policies = new ArrayList<>();
        private TemplateStore templateStore;
        private Duration templateSaveInterval = Duration.ofMinutes(1);
        private Duration exporterIdleTimeout = Duration.ofMinutes(30);
        private Duration tcpIdleTimeout = Duration.ofMinutes(10);
        private int maxTcpConnections = 256;
        private int maxTcpMessageBytes = 65_535;
        private int maxDatagramBytes = DEFAULT_MAX_DATAGRAM_BYTES;
        private Duration drainTimeout = Duration.ofSeconds(2);
        private Duration warmUp = Duration.ZERO;
        private Duration readPause = DEFAULT_READ_PAUSE;

        private Builder() {
        }

        /**
         * Listens for UDP datagrams (any protocol, detected per datagram) on an address; port 0 lets the OS
         * choose ({@link FlowCollector#udpAddresses()}). Without any {@code listen} or {@code listenTcp} call the
         * collector listens on 0.0.0.0 ports 2055, 4739 and 6343.
         */
        public Builder listen(InetSocketAddress address) {
            udp.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** {@link #listen(InetSocketAddress)} for an IP literal (IPv4 or IPv6) and a port. */
        public Builder listen(String ip, int port) {
            return listen(new InetSocketAddress(literal(ip), port));
        }

        /** Listens for IPFIX over TCP (RFC 7011 section 10.4) on an address; port 0 lets the OS choose. */
        public Builder listenTcp(InetSocketAddress address) {
            tcp.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** {@link #listenTcp(InetSocketAddress)} for an IP literal and a port. */
        public Builder listenTcp(String ip, int port) {
            return listenTcp(new InetSocketAddress(literal(ip), port));
        }

        private static InetAddress literal(String ip) {
            if (!ip.matches("[0-9a-fA-F:.%]+") || !(ip.indexOf(':') >= 0 || ip.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
                throw new IllegalArgumentException("not an IP address: '" + ip + "'");
            }
            try {
                return InetAddress.getByName(ip);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: '" + ip + "'", e);
            }
        }

        /** Receiving threads (default: the number of cores). */
        public Builder receiveThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("receiveThreads must be positive: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** The receive buffer asked for every UDP socket (default 8 MiB; the OS may grant less). */
        public Builder receiveBufferBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("receiveBufferBytes must be positive: " + bytes);
            }
            this.receiveBufferBytes = bytes;
            return this;
        }

        /** The socket transport (default {@link Transport#AUTO}). */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The bounds of every decoder (default {@link DecoderLimits#defaults()}). */
        public Builder decoderLimits(DecoderLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Accepts datagrams and TCP connections only from these exporter ranges (CIDRs such as {@code 10.0.0.0/8}
         * or {@code 2001:db8::/32}, or single addresses); others are dropped and counted. Without it every
         * exporter is accepted.
         */
        public Builder allow(String... cidrs) {
            allow.addAll(List.of(cidrs));
            Allowlist.of(allow); // fail early on a bad range
            return this;
        }

        /** A step run on every record before the sinks (enrichment, filtering). */
        public Builder processor(FlowProcessor processor) {
            this.processor = Objects.requireNonNull(processor, "processor");
            return this;
        }

        /** Adds a sink, with the policy it asks for ({@link FlowSink#policy()}). The collector closes it. */
        public Builder sink(FlowSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            policies.add(null);
            return this;
        }

        /** Adds a sink with a policy of the caller's choice. The collector closes it. */
        public Builder sink(FlowSink sink, SinkPolicy policy) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            policies.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** Where templates are kept across restarts (default: nowhere). */
        public Builder templateStore(TemplateStore store) {
            this.templateStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How often the template store is written besides at close (default 1 minute; zero: only at close). */
        public Builder templateSaveInterval(Duration interval) {
            this.templateSaveInterval = nonNegative(interval, "templateSaveInterval");
            return this;
        }

        /**
         * Exporters that send nothing for this long are forgotten with their templates and state (default 30
         * minutes; zero: never). Checked every second.
         */
        public Builder exporterIdleTimeout(Duration timeout) {
            this.exporterIdleTimeout = nonNegative(timeout, "exporterIdleTimeout");
            return this;
        }

        /** IPFIX-over-TCP connections silent for this long are closed (default 10 minutes). */
        public Builder tcpIdleTimeout(Duration timeout) {
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("tcpIdleTimeout must be positive: " + timeout);
            }
            this.tcpIdleTimeout = timeout;
            return this;
        }

        /** Open IPFIX-over-TCP connections allowed at once, over each TCP listener (default 256). */
        public Builder maxTcpConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("maxTcpConnections must be positive: " + connections);
            }
            this.maxTcpConnections = connections;
            return this;
        }

        /** The largest IPFIX message accepted over TCP (16..65535, default 65535); a longer one closes the connection. */
        public Builder maxTcpMessageBytes(int bytes) {
            if (bytes < TcpSession.IPFIX_HEADER || bytes > 65_535) {
                throw new IllegalArgumentException("maxTcpMessageBytes must be in 16..65535: " + bytes);
            }
            this.maxTcpMessageBytes = bytes;
            return this;
        }

        /**
         * The largest UDP payload accepted (64..65535, default {@value FlowCollector#DEFAULT_MAX_DATAGRAM_BYTES}).
         * Below 65535, with epoll, every receiving thread reads up to 16 datagrams per system call (recvmmsg), each
         * into a slot of this size (plus one byte); 65535 means any size, read one datagram per system call.
         * Exporters send datagrams of at most their path MTU, typically 1500 bytes (9000 with jumbo frames). A
         * longer datagram is not decoded: it is counted in {@link ExporterMetrics#datagramsTruncated()} for its
         * exporter (and logged, throttled), so raise the bound when that counter moves.
         */
        public Builder maxDatagramBytes(int bytes) {
            if (bytes < 64 || bytes > 65_535) {
                throw new IllegalArgumentException("maxDatagramBytes must be in 64..65535: " + bytes);
            }
            this.maxDatagramBytes = bytes;
            return this;
        }

        /**
         * How long {@link FlowCollector#close()} lets the receiving threads read what the UDP sockets already hold
         * before it closes them (default 2 seconds; zero: close at once). It stops waiting as soon as every socket
         * has been empty once (Linux; elsewhere it does not wait). What is left is discarded and reported as
         * {@link CollectorMetrics#unreadAtClose()}.
         */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = nonNegative(timeout, "drainTimeout");
            return this;
        }

        /**
         * How long {@link FlowCollector#start()} warms the receive path up before it binds the listeners (default
         * zero: no warm-up). A fresh JVM interprets and then compiles the socket reads and the decoders during its
         * first second or so of traffic, and at a high rate the kernel drops datagrams meanwhile (counted in
         * {@link CollectorMetrics#kernelDrops()}). A warm-up sends synthetic NetFlow v5, v9, IPFIX and sFlow
         * datagrams over loopback to a throwaway socket on 127.0.0.1 per receiving thread, set up like the real ones,
         * from exporters that come and go (addresses of 127.1.0.0/16 where the system allows binding them), and
         * decodes them with throwaway decoders, so that this happens before the first real datagram, and so that
         * the first real datagrams do not make the JIT throw the compiled code away (deoptimize) for branches the
         * synthetic traffic never took. Neither the processor nor the sinks see any of it, and the collector's
         * counters do not include it; the processor (enrichment) is therefore compiled by real traffic. A second
         * or two serves on a typical machine; start() returns that much later (or sooner if its thread is
         * interrupted), and exporters' datagrams sent meanwhile are refused (the port is not bound yet). At most
         * {@link #MAX_WARM_UP}.
         */
        public Builder warmUp(Duration time) {
            if (nonNegative(time, "warmUp").compareTo(MAX_WARM_UP) > 0) {
                throw new IllegalArgumentException("warmUp must be at most " + MAX_WARM_UP + ": " + time);
            }
            this.warmUp = time;
            return this;
        }

        /**
         * How long a receiving thread pauses after a pass that read something, before it waits for its sockets again
         * (default 250 µs; zero: no pause; at most {@link #MAX_READ_PAUSE}). Every wakeup costs system calls
         * whatever it brings, and exporters send steadily, so without a pause a busy thread wakes for every two or
         * three datagrams; with it, datagrams gather in the socket's buffer and are read in batches of up to 16 per
         * call. On a test VM at 82,000 datagrams/s this cut the receiving thread's CPU time by nearly two thirds
         * (3.6 to 1.2 s over 6 s). The price is up to this much extra latency per datagram, and the socket buffer must
         * hold what arrives during the pause (at 100,000 datagrams/s of 1,400 bytes, 250 µs is 35 KB). A thread
         * with nothing to read is not delayed.
         */
        public Builder readPause(Duration pause) {
            if (nonNegative(pause, "readPause").compareTo(MAX_READ_PAUSE) > 0) {
                throw new IllegalArgumentException("readPause must be at most " + MAX_READ_PAUSE + ": " + pause);
            }
            this.readPause = pause;
            return this;
        }

        private static Duration nonNegative(Duration d, String what) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d;
        }

        /** The collector, not started yet ({@link FlowCollector#start()}); later changes to this builder do not reach it. */
        public FlowCollector build() {
            Builder b = new Builder();
            b.udp.addAll(udp);
            b.tcp.addAll(tcp);
            b.threads = threads;
            b.receiveBufferBytes = receiveBufferBytes;
            b.transport = transport;
            b.limits = limits;
            b.allow.addAll(allow);
            b.processor = processor;
            b.sinks.addAll(sinks);
            b.policies.addAll(policies);
            b.templateStore = templateStore;
            b.templateSaveInterval = templateSaveInterval;
            b.exporterIdleTimeout = exporterIdleTimeout;
            b.tcpIdleTimeout = tcpIdleTimeout;
            b.maxTcpConnections = maxTcpConnections;
            b.maxTcpMessageBytes = maxTcpMessageBytes;
            b.maxDatagramBytes = maxDatagramBytes;
            b.drainTimeout = drainTimeout;
            b.warmUp = warmUp;
            b.readPause = readPause;
            return new FlowCollector(b);
        }
    }
}
