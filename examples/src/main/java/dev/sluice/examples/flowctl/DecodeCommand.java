package dev.sluice.examples.flowctl;

import dev.sluice.examples.capture.CaptureFormat;
import dev.sluice.examples.capture.CaptureFormatException;
import dev.sluice.examples.capture.CaptureReader;
import dev.sluice.examples.capture.CaptureStats;
import dev.sluice.examples.capture.UdpDatagram;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code flowctl decode [--layout ecs|logstash] [--stats] [enrichment options] FILE...}: reads every file in order
 * (pcap, pcapng or raw payload) and hands each UDP datagram to one decoder session from {@link DecoderWiring}, which
 * runs the {@link EnrichmentOptions enrichment chain} on every flow record when enrichment options are given.
 */
final class DecodeCommand {

    final OutputLayout layout;
    final boolean stats;
    final boolean help;
    final List<String> files;
    final EnrichmentOptions enrichment;

    private DecodeCommand(OutputLayout layout, boolean stats, boolean help, List<String> files,
            EnrichmentOptions enrichment) {
        this.layout = layout;
        this.stats = stats;
        this.help = help;
        this.files = files;
        this.enrichment = enrichment;
    }

    /** Parses the arguments after {@code decode}. */
    static DecodeCommand parse(List<String> args) throws UsageException {
        OutputLayout layout = OutputLayout.ECS;
        boolean stats = false;
        boolean optionsEnded = false;
        List<String> files = new ArrayList<>();
        EnrichmentOptions enrichment = new EnrichmentOptions();
        CollectArgs a = new CollectArgs("decode", args);
        while (a.hasNext()) {
            String arg = a.next();
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                files.add(arg);
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else if (arg.equals("-h") || arg.equals("--help")) {
                return new DecodeCommand(layout, stats, true, List.of(), enrichment);
            } else if (arg.equals("--stats")) {
                stats = true;
            } else if (a.isOption(arg, "--layout")) {
                String value = a.value(arg, "ecs or logstash");
                layout = OutputLayout.fromCliName(value);
                if (layout == null) {
                    throw new UsageException("unknown layout '" + value + "' for --layout: use ecs or logstash");
                }
            } else if (!enrichment.parseArgument(arg, a)) {
                throw new UsageException("unknown option '" + arg + "' for decode");
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("decode needs at least one FILE");
        }
        return new DecodeCommand(layout, stats, false, List.copyOf(files), enrichment);
    }

    /**
     * Runs the command.
     *
     * @param decoder the decoder session factory, or null when none is wired
     * @return the exit code
     */
    int run(OutputStream out, PrintStream err, DatagramSinkFactory decoder) {
        List<Path> paths = new ArrayList<>();
        for (String file : files) {
            Path path;
            try {
                path = Paths.get(file);
            } catch (RuntimeException e) {
                err.println("flowctl: invalid file name '" + file + "'");
                return Flowctl.EXIT_BAD_INPUT;
            }
            String problem = Files.isDirectory(path) ? "is a directory"
                    : !Files.exists(path) ? "no such file"
                    : !Files.isReadable(path) ? "not readable" : null;
            if (problem != null) {
                err.println("flowctl: " + file + ": " + problem);
                return Flowctl.EXIT_BAD_INPUT;
            }
            paths.add(path);
        }
        Objects.requireNonNull(decoder, "decoder");

        EnrichmentOptions.Enrichment enrich;
        try {
            enrich = enrichment.build(false);
        } catch (UsageException e) {
            err.println("flowctl: decode: " + e.getMessage());
            return Flowctl.EXIT_USAGE;
        }

        NdjsonOutput output = new NdjsonOutput(out);
        CaptureStats total = CaptureStats.EMPTY;
        DatagramSink sink;
        try {
            sink = decoder.open(layout, output, enrich == null ? null : enrich.chain);
        } catch (IOException e) {
            err.println("flowctl: cannot start the decoder: " + e.getMessage());
            return Flowctl.EXIT_SOFTWARE;
        }
        String current = null;
        try {
            for (int i = 0; i < paths.size(); i++) {
                current = files.get(i);
                CaptureStats fileStats = decodeFile(current, paths.get(i), sink, err);
                if (fileStats == null) {
                    closeQuietly(sink, output);
                    return Flowctl.EXIT_BAD_INPUT;
                }
                total = total.plus(fileStats);
            }
            current = null;
            sink.close();
            output.flush();
        } catch (IOException e) {
            err.println("flowctl: cannot write output: " + e.getMessage());
            return Flowctl.EXIT_OUTPUT;
        } catch (RuntimeException e) {
            err.println("flowctl: internal error" + (current == null ? "" : " while decoding " + current) + ": " + e);
            return Flowctl.EXIT_SOFTWARE;
        }
        if (stats) {
            printStats(err, total, output.documents(), sink.counters());
            sink.exporterCounters().forEach((exporter, counters) -> {
                StringBuilder line = new StringBuilder("flowctl: stats: exporter ").append(exporter);
                counters.forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
                err.println(line);
            });
        }
        return Flowctl.EXIT_OK;
    }

    /**
     * Feeds one file to the sink. Input problems are reported on {@code err} and return null; output
     * problems are thrown.
     */
    private static CaptureStats decodeFile(String name, Path path, DatagramSink sink, PrintStream err)
            throws IOException {
        CaptureReader reader;
        String kind = "file";
        try {
            CaptureFormat format = CaptureFormat.detect(path);
            kind = format.name().toLowerCase(Locale.ROOT) + " file";
            reader = CaptureReader.open(path, format);
        } catch (CaptureFormatException e) {
            err.println("flowctl: " + name + ": malformed " + kind + " " + e.getMessage());
            return null;
        } catch (IOException e) {
            err.println("flowctl: " + name + ": cannot read: " + e.getMessage());
            return null;
        }
        try (reader) {
            while (true) {
                UdpDatagram datagram;
                try {
                    datagram = reader.next();
                } catch (CaptureFormatException e) {
                    err.println("flowctl: " + name + ": malformed " + kind + " " + e.getMessage());
                    return null;
                } catch (IOException e) {
                    err.println("flowctl: " + name + ": cannot read: " + e.getMessage());
                    return null;
                }
                if (datagram == null) {
                    break;
                }
                sink.accept(datagram.source(), datagram.sourcePort(), datagram.timestampMillis(),
                        datagram.payload());
            }
            CaptureStats fileStats = reader.stats();
            if (fileStats.datagrams() == 0) {
                err.println("flowctl: warning: " + name + ": no UDP datagram found (" + fileStats + ")");
            }
            return fileStats;
        }
    }

    private static void closeQuietly(DatagramSink sink, NdjsonOutput output) {
        try {
            sink.close();
            output.flush();
        } catch (IOException | RuntimeException e) {
            // the input error already reported is the one that matters
        }
    }

    private static void printStats(PrintStream err, CaptureStats capture, long documents, Map<String, Long> decoder) {
        err.println("flowctl: stats: capture " + capture);
        StringBuilder line = new StringBuilder("flowctl: stats: decoder documents=").append(documents);
        decoder.forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
        err.println(line);
    }
}
