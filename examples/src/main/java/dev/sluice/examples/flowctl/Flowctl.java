package dev.sluice.examples.flowctl;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code flowctl}, the Sluice command-line tool.
 *
 * <pre>
 * flowctl decode [--layout ecs|logstash] [--stats] FILE...
 * flowctl --help
 * </pre>
 *
 * <p>Exit codes: {@value #EXIT_OK} success, {@value #EXIT_BAD_INPUT} bad input (missing, unreadable or
 * malformed file), {@value #EXIT_USAGE} usage error, {@value #EXIT_SOFTWARE} internal error or decoder not
 * wired, {@value #EXIT_OUTPUT} the output cannot be written.
 */
public final class Flowctl {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** A file is missing, unreadable or malformed. */
    public static final int EXIT_BAD_INPUT = 1;
    /** The command line is wrong. */
    public static final int EXIT_USAGE = 2;
    /** Internal error, or no decoder wired (sysexits EX_SOFTWARE). */
    public static final int EXIT_SOFTWARE = 70;
    /** The output cannot be written (sysexits EX_IOERR). */
    public static final int EXIT_OUTPUT = 74;

    static final String HELP = String.join("\n",
            "Usage: flowctl <command> [options]",
            "",
            "Commands:",
            "  decode FILE...   Decode NetFlow v5/v9, IPFIX and sFlow v5 export packets and print one JSON",
            "                   document per flow record on stdout (NDJSON). A FILE is a pcap or pcapng",
            "                   capture (its UDP datagrams are decoded) or a raw payload file such as",
            "                   .dat/.bin (its whole content is one datagram from exporter 127.0.0.1).",
            "                   All files feed ONE decoder session, in order, so templates from earlier",
            "                   files decode data in later ones.",
            "",
            "Options of decode:",
            "  --layout ecs|logstash   document layout (default: ecs)",
            "  --stats                 print capture and decoder counters on stderr at the end",
            "  -h, --help              print this help",
            "",
            "Exit codes: 0 success, 1 bad input file, 2 usage error, 70 internal error or decoder not wired,",
            "74 output error.",
            "");

    private Flowctl() {
    }

    /** Runs {@code flowctl} and exits with its exit code. */
    public static void main(String[] args) {
        int code = run(args, new FileOutputStream(FileDescriptor.out), System.err);
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs {@code flowctl} with the decoder from {@link DecoderWiring} and returns the exit code instead of
     * exiting.
     *
     * @param args the command line
     * @param out standard output (documents, help)
     * @param err standard error (errors, warnings, statistics)
     */
    public static int run(String[] args, OutputStream out, PrintStream err) {
        return run(args, out, err, DecoderWiring.decoderFactory().orElse(null));
    }

    /**
     * Runs {@code flowctl} with the given decoder and returns the exit code.
     *
     * @param decoder opens the decoder session, or null to behave as if no decoder were wired
     */
    public static int run(String[] args, OutputStream out, PrintStream err, DatagramSinkFactory decoder) {
        try {
            if (args.length == 0) {
                throw new UsageException("missing command");
            }
            String command = args[0];
            List<String> rest = Arrays.asList(args).subList(1, args.length);
            switch (command) {
                case "-h":
                case "--help":
                case "help":
                    return printHelp(out, err);
                case "decode":
                    DecodeCommand decode = DecodeCommand.parse(rest);
                    return decode.help ? printHelp(out, err) : decode.run(out, err, decoder);
                default:
                    throw new UsageException(command.startsWith("-")
                            ? "unknown option '" + command + "'"
                            : "unknown command '" + command + "'");
            }
        } catch (UsageException e) {
            err.println("flowctl: " + e.getMessage() + " (see flowctl --help)");
            return EXIT_USAGE;
        } catch (RuntimeException e) {
            err.println("flowctl: internal error: " + e);
            return EXIT_SOFTWARE;
        }
    }

    private static int printHelp(OutputStream out, PrintStream err) {
        PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
        print.print(HELP);
        print.flush();
        if (print.checkError()) {
            err.println("flowctl: cannot write output");
            return EXIT_OUTPUT;
        }
        return EXIT_OK;
    }
}
