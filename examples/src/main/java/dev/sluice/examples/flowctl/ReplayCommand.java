package dev.sluice.examples.flowctl;

import dev.sluice.examples.capture.CaptureFormat;
import dev.sluice.examples.capture.CaptureFormatException;
import dev.sluice.examples.capture.CaptureReader;
import dev.sluice.examples.capture.UdpDatagram;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code flowctl replay FILE... --to HOST:PORT --rate N [--count N] [--duration S] [--loop] [--from ADDR]}:
 * sends the UDP payloads of captures (pcap, pcapng, raw payload files, read with {@link CaptureReader}) to a
 * collector on a loopback address, paced at a bounded number of datagrams per second.
 *
 * <ul>
 *   <li>Only loopback targets (127.0.0.0/8, ::1) are accepted; anything else is refused with exit code
 *       {@value Flowctl#EXIT_USAGE} before a single datagram is sent. {@code --from} (the source address to
 *       bind, e.g. 127.0.0.2 to look like a second exporter) must be loopback as well.</li>
 *   <li>All payloads are loaded into memory first (at most {@value #MAX_TOTAL_BYTES} bytes), so reading the
 *       files never slows the sender down. Payloads larger than a UDP datagram can carry are skipped and
 *       counted.</li>
 *   <li>Pacing: datagram {@code i} is due at {@code start + i / rate}. The sender parks the thread
 *       ({@link LockSupport#parkNanos}) until the next datagram is due, so it never spins a core; with the
 *       timer's granularity (about 50-100 us) datagrams leave in small bursts at high rates, but the average
 *       never exceeds the rate. When the sender falls behind (a slow machine, a pause) it does not catch up
 *       by more than {@value #MAX_LAG_MILLIS} ms worth of datagrams in a burst.</li>
 *   <li>Bounds: without {@code --loop} the files are sent once (cut short by {@code --count} or
 *       {@code --duration}); with {@code --loop} they are sent again and again, and {@code --count} or
 *       {@code --duration} (whichever comes first) is required, so a replay always ends.</li>
 *   <li>At the end one summary line on stdout says what was sent.</li>
 * </ul>
 */
final class ReplayCommand {

    /** The largest total payload the command loads. */
    static final long MAX_TOTAL_BYTES = 512L * 1024 * 1024;
    /** The highest rate accepted (datagrams per second). */
    static final long MAX_RATE = 10_000_000L;
    /** The largest backlog (in time) the sender catches up with in one burst. */
    static final long MAX_LAG_MILLIS = 10;
    /** The largest UDP payload over IPv4 (65535 - 20 - 8); over IPv6 it is 65527. */
    static final int MAX_UDP_PAYLOAD_V4 = 65_507;
    static final int MAX_UDP_PAYLOAD_V6 = 65_527;

    final List<String> files;
    final String to;
    final long rate;
    final long count;          // 0 = no bound
    final double durationSeconds; // 0 = no bound
    final boolean loop;
    final String from;          // null = any loopback source chosen by the kernel
    final boolean help;

    private ReplayCommand(List<String> files, String to, long rate, long count, double durationSeconds,
            boolean loop, String from, boolean help) {
        this.files = files;
        this.to = to;
        this.rate = rate;
        this.count = count;
        this.durationSeconds = durationSeconds;
        this.loop = loop;
        this.from = from;
        this.help = help;
    }

    /** Parses the arguments after {@code replay}. */
    static ReplayCommand parse(List<String> args) throws UsageException {
        List<String> files = new ArrayList<>();
        String to = null;
        long rate = -1;
        long count = 0;
        double duration = 0;
        boolean loop = false;
        String from = null;
        boolean optionsEnded = false;
        CollectArgs cli = new CollectArgs("replay", args);
        while (cli.hasNext()) {
            String arg = cli.next();
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                files.add(arg);
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else if (arg.equals("-h") || arg.equals("--help")) {
                return new ReplayCommand(List.of(), null, 0, 0, 0, false, null, true);
            } else if (cli.isOption(arg, "--to")) {
                to = cli.value(arg, "HOST:PORT");
            } else if (cli.isOption(arg, "--rate")) {
                rate = cli.longValue(arg, "datagrams per second", 1, MAX_RATE);
            } else if (cli.isOption(arg, "--count")) {
                count = cli.longValue(arg, "datagrams", 1, Long.MAX_VALUE);
            } else if (cli.isOption(arg, "--duration")) {
                duration = cli.secondsValue(arg);
            } else if (cli.isOption(arg, "--from")) {
                from = cli.value(arg, "a loopback address");
            } else if (arg.equals("--loop")) {
                loop = true;
            } else {
                throw new UsageException("unknown option '" + arg + "' for replay");
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("replay needs at least one FILE");
        }
        if (to == null) {
            throw new UsageException("replay needs --to HOST:PORT (a loopback address)");
        }
        if (rate < 0) {
            throw new UsageException("replay needs --rate N (datagrams per second, 1 to " + MAX_RATE + ")");
        }
        if (loop && count == 0 && duration == 0) {
            throw new UsageException("replay --loop needs --count N or --duration S (a replay must end)");
        }
        return new ReplayCommand(List.copyOf(files), to, rate, count, duration, loop, from, false);
    }

    /** The datagrams to send, packed in one direct buffer. */
    private static final class Payloads {
        ByteBuffer data;
        int[] offsets = new int[1024];
        int[] lengths = new int[1024];
        int size;
        long bytes;
        long skippedTooLarge;
        long partial;

        void add(ByteBuf payload, int max) throws UsageException {
            int length = payload.readableBytes();
            if (length > max) {
                skippedTooLarge++;
                return;
            }
            if (bytes + length > MAX_TOTAL_BYTES) {
                throw new UsageException("the files hold more than " + MAX_TOTAL_BYTES / (1024 * 1024)
                        + " MiB of payloads: replay fewer files");
            }
            if (size == offsets.length) {
                offsets = Arrays.copyOf(offsets, size * 2);
                lengths = Arrays.copyOf(lengths, size * 2);
            }
            if (data == null || data.remaining() < length) {
                long want = Math.max(1 << 20, (data == null ? 0 : data.capacity()) * 2L);
                while (want - bytes < length) {
                    want *= 2;
                }
                ByteBuffer bigger = ByteBuffer.allocateDirect((int) Math.min(want, MAX_TOTAL_BYTES));
                if (data != null) {
                    data.flip();
                    bigger.put(data);
                }
                data = bigger;
            }
            offsets[size] = data.position();
            lengths[size] = length;
            payload.getBytes(payload.readerIndex(), data.duplicate().position(data.position()).limit(
                    data.position() + length));
            data.position(data.position() + length);
            size++;
            bytes += length;
        }
    }

    /** What one replay did; printed on stdout. */
    record Result(long datagrams, long bytes, long sendErrors, long passes, double elapsedSeconds,
            String target, int files, long skippedTooLarge, String stoppedBy) {

        double rate() {
            return elapsedSeconds > 0 ? datagrams / elapsedSeconds : 0;
        }

        String line() {
            return String.format(Locale.ROOT,
                    "flowctl: replay: sent %d datagrams (%d bytes) to %s in %.3f s (%.0f datagrams/s), %d pass%s over"
                            + " %d file%s, %d send errors%s; stopped by %s",
                    datagrams, bytes, target, elapsedSeconds, rate(), passes, passes == 1 ? "" : "es", files,
                    files == 1 ? "" : "s", sendErrors,
                    skippedTooLarge > 0 ? ", " + skippedTooLarge + " payloads too large for UDP skipped" : "",
                    stoppedBy);
        }
    }

    /** Runs the command; the exit code. */
    int run(OutputStream out, PrintStream err) {
        InetSocketAddress target;
        InetAddress source = null;
        try {
            target = loopbackTarget(to);
            if (from != null) {
                source = loopbackAddress(from, "--from");
            }
        } catch (UsageException e) {
            err.println("flowctl: replay: " + e.getMessage());
            return Flowctl.EXIT_USAGE;
        }
        int max = target.getAddress() instanceof java.net.Inet6Address ? MAX_UDP_PAYLOAD_V6 : MAX_UDP_PAYLOAD_V4;

        Payloads payloads = new Payloads();
        for (String file : files) {
            Integer problem = load(file, payloads, max, err);
            if (problem != null) {
                return problem;
            }
        }
        if (payloads.size == 0) {
            err.println("flowctl: replay: no UDP datagram in " + String.join(", ", files));
            return Flowctl.EXIT_BAD_INPUT;
        }
        if (payloads.partial > 0) {
            err.println("flowctl: replay: warning: " + payloads.partial + " datagrams were captured only in part"
                    + " (fragmented or cut by the snapshot length); their captured bytes are sent");
        }
        if (payloads.skippedTooLarge > 0) {
            err.println("flowctl: replay: warning: " + payloads.skippedTooLarge + " payloads larger than " + max
                    + " bytes skipped (a UDP datagram cannot carry them)");
        }

        Result result;
        try (DatagramChannel channel = DatagramChannel.open(
                target.getAddress() instanceof java.net.Inet6Address
                        ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET)) {
            channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(new InetSocketAddress(source, 0));
            result = send(channel, target, payloads);
        } catch (IOException e) {
            err.println("flowctl: replay: cannot send to " + format(target) + ": " + e.getMessage());
            return Flowctl.EXIT_OUTPUT;
        }
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        print.println(result.line());
        print.flush();
        return print.checkError() ? Flowctl.EXIT_OUTPUT : Flowctl.EXIT_OK;
    }

    private Result send(DatagramChannel channel, InetSocketAddress target, Payloads payloads) {
        ByteBuffer view = payloads.data.duplicate();
        double nanosPerDatagram = 1e9 / rate;
        long maxLag = Math.max(MAX_LAG_MILLIS * 1_000_000L, (long) (2 * nanosPerDatagram));
        long durationNanos = durationSeconds > 0 ? (long) (durationSeconds * 1e9) : Long.MAX_VALUE;
        long start = System.nanoTime();
        long anchor = start;        // the due time of datagram number anchorIndex
        long anchorIndex = 0;
        long sent = 0;
        long attempted = 0;
        long bytes = 0;
        long errors = 0;
        long passes = 0;
        String stoppedBy = "end of files";
        outer:
        while (true) {
            passes++;
            for (int i = 0; i < payloads.size; i++) {
                if (count > 0 && attempted >= count) {
                    stoppedBy = "--count";
                    break outer;
                }
                long due = anchor + (long) ((attempted - anchorIndex) * nanosPerDatagram);
                long now = System.nanoTime();
                if (now - start >= durationNanos) {
                    stoppedBy = "--duration";
                    break outer;
                }
                if (due - now > 0) {
                    if (start + durationNanos - due <= 0) {
                        stoppedBy = "--duration";
                        break outer;
                    }
                    do {
                        LockSupport.parkNanos(due - now);
                        now = System.nanoTime();
                    } while (due - now > 0);
                } else if (now - due > maxLag) {
                    anchor = now - maxLag; // fallen behind: catch up with at most maxLag worth of datagrams
                    anchorIndex = attempted;
                }
                view.limit(payloads.offsets[i] + payloads.lengths[i]).position(payloads.offsets[i]);
                attempted++;
                try {
                    channel.send(view, target);
                    sent++;
                    bytes += payloads.lengths[i];
                } catch (IOException e) {
                    errors++;
                }
            }
            if (!loop) {
                if (count > 0 && attempted >= count) {
                    stoppedBy = "--count";
                }
                break;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(sent, bytes, errors, passes, elapsed, format(target), files.size(),
                payloads.skippedTooLarge, stoppedBy);
    }

    /** Loads one file's datagrams; null when fine, else the exit code (the problem was reported). */
    private static Integer load(String file, Payloads payloads, int max, PrintStream err) {
        Path path;
        try {
            path = Paths.get(file);
        } catch (RuntimeException e) {
            err.println("flowctl: replay: invalid file name '" + file + "'");
            return Flowctl.EXIT_BAD_INPUT;
        }
        String problem = Files.isDirectory(path) ? "is a directory"
                : !Files.exists(path) ? "no such file"
                : !Files.isReadable(path) ? "not readable" : null;
        if (problem != null) {
            err.println("flowctl: replay: " + file + ": " + problem);
            return Flowctl.EXIT_BAD_INPUT;
        }
        String kind = "file";
        try {
            CaptureFormat format = CaptureFormat.detect(path);
            kind = format.name().toLowerCase(Locale.ROOT) + " file";
            try (CaptureReader reader = CaptureReader.open(path, format)) {
                UdpDatagram datagram;
                long before = payloads.size;
                while ((datagram = reader.next()) != null) {
                    payloads.add(datagram.payload(), max);
                    if (datagram.partial()) {
                        payloads.partial++;
                    }
                }
                if (payloads.size == before) {
                    err.println("flowctl: replay: warning: " + file + ": no UDP datagram found (" + reader.stats()
                            + ")");
                }
            }
            return null;
        } catch (CaptureFormatException e) {
            err.println("flowctl: replay: " + file + ": malformed " + kind + " " + e.getMessage());
            return Flowctl.EXIT_BAD_INPUT;
        } catch (IOException e) {
            err.println("flowctl: replay: " + file + ": cannot read: " + e.getMessage());
            return Flowctl.EXIT_BAD_INPUT;
        } catch (UsageException e) {
            err.println("flowctl: replay: " + e.getMessage());
            return Flowctl.EXIT_BAD_INPUT;
        }
    }

    /**
     * Parses {@code HOST:PORT} ({@code [V6]:PORT} for IPv6 literals) and checks that every address the host
     * resolves to is a loopback address.
     */
    static InetSocketAddress loopbackTarget(String hostPort) throws UsageException {
        CollectArgs.HostPort parsed = CollectArgs.HostPort.parse(hostPort, "--to");
        if (parsed.port() == 0) {
            throw new UsageException("--to " + hostPort + ": port 0 cannot receive datagrams");
        }
        InetAddress address = loopbackAddress(parsed.host(), "--to");
        return new InetSocketAddress(address, parsed.port());
    }

    /** Resolves a host that must be loopback only (all of its addresses). */
    static InetAddress loopbackAddress(String host, String option) throws UsageException {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new UsageException(option + " " + host + ": unknown host");
        }
        for (InetAddress a : all) {
            if (!a.isLoopbackAddress()) {
                throw new UsageException("refusing " + option + " " + host
                        + (host.equals(a.getHostAddress()) ? "" : " (" + a.getHostAddress() + ")")
                        + ": not a loopback address; replay only sends to 127.0.0.0/8 or ::1");
            }
        }
        return all[0];
    }

    static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (a.getAddress() instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
