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
 * flowctl decode [--layout ecs|logstash] [--stats] [ENRICHMENT OPTIONS] FILE...
 * flowctl collect [--udp ADDR:PORT]... [--tcp ADDR:PORT]... [--allow CIDR]... [--out FILE|-] [--count-only]
 *                 [--elasticsearch URL [--es-... options]]
 *                 [ENRICHMENT OPTIONS] ...
 * flowctl replay FILE... --to HOST:PORT --rate N [--count N] [--duration S] [--loop] [--from ADDR]
 * flowctl --help
 * </pre>
 *
 * <p>Exit codes: {@value #EXIT_OK} success, {@value #EXIT_BAD_INPUT} bad input (missing, unreadable or
 * malformed file), {@value #EXIT_USAGE} usage error (also: replay to a non-loopback target),
 * {@value #EXIT_UNAVAILABLE} the collector cannot listen (address in use, not local), {@value #EXIT_SOFTWARE}
 * internal error, {@value #EXIT_OUTPUT} the output cannot be written.
 */
public final class Flowctl {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** A file is missing, unreadable or malformed. */
    public static final int EXIT_BAD_INPUT = 1;
    /** The command line is wrong. */
    public static final int EXIT_USAGE = 2;
    /** The collector cannot listen: the address is in use or not local (sysexits EX_UNAVAILABLE). */
    public static final int EXIT_UNAVAILABLE = 69;
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
            "  collect          Run a collector: receive NetFlow v5/v9, IPFIX and sFlow v5 over UDP (and IPFIX",
            "                   over TCP), decode, and write one JSON document per flow record (NDJSON) to",
            "                   stdout or a file, until --duration ends or SIGTERM/SIGINT (Ctrl-C); then stop",
            "                   gracefully and print the final counters on stderr.",
            "  replay FILE...   Send the UDP payloads of captures (pcap, pcapng, raw payload files) to a",
            "                   collector on a LOOPBACK address at a bounded rate, for testing; prints",
            "                   what it sent on stdout.",
            "",
            "Options of decode:",
            "  --layout ecs|logstash   document layout (default: ecs)",
            "  --stats                 print capture and decoder counters on stderr at the end",
            "  and the enrichment options below",
            "  -h, --help              print this help",
            "",
            "Options of collect (each may also come from --config FILE):",
            "  --udp ADDR:PORT   listen for UDP datagrams, any protocol (repeatable; IPv6 as [::]:2055; port 0",
            "                    lets the OS choose). Default without --udp/--tcp: 0.0.0.0 ports 2055, 4739, 6343",
            "  --tcp ADDR:PORT   listen for IPFIX over TCP (repeatable)",
            "  --allow CIDR      accept only these exporters (repeatable, e.g. 10.0.0.0/8, 2001:db8::/32);",
            "                    datagrams from others are dropped and counted. Default: everyone",
            "  --threads N       receiving threads (default: the number of cores)",
            "  --rcvbuf BYTES    socket receive buffer to ask for (k/m/g suffixes; default 8m; Linux caps it at",
            "                    net.core.rmem_max)",
            "  --max-datagram BYTES  largest UDP payload accepted (64 to 65535, k suffix; default 9216: jumbo",
            "                    frames). Below 65535 datagrams are read in batches (recvmmsg, epoll); a longer",
            "                    one is counted as datagrams_truncated, not decoded",
            "  --template-store FILE   keep NetFlow v9/IPFIX templates across restarts in FILE",
            "  --layout ecs|logstash   document layout (default: ecs)",
            "  --out FILE|-      where the NDJSON goes: a file (appended to) or - for stdout (the default)",
            "  --count-only      count records, write no documents (for benchmarks)",
            "  --status          live one-line status on stderr: flows/s, exporters, errors, drops (redrawn",
            "                    every second on a terminal, a plain line every 10 s otherwise)",
            "  --duration S      stop after S seconds (fractions allowed)",
            "  --warm-up S       before listening, run the receive path for S seconds (at most 60) on synthetic",
            "                    NetFlow/IPFIX/sFlow datagrams over loopback, so that a fresh JVM has compiled it",
            "                    when real traffic arrives and drops less in its first second (default: none)",
            "  --read-pause US   after reading, a receiving thread pauses US microseconds (0 to 10000) so that",
            "                    datagrams gather into batches: fewer system calls per datagram (default 250)",
            "  and the enrichment and Elasticsearch options below",
            "  --config FILE     read options from FILE: 'key = value' lines, keys as the long options without",
            "                    '--' (udp, tcp, allow, threads, rcvbuf, max-datagram, template-store, layout, out,",
            "                    count-only, status, duration, warm-up, read-pause), '#' comments, udp/tcp/allow",
            "                    repeatable or comma-separated, switches 'true'/'false'; enrichment options as",
            "                    'enrich.KEY' (enrich.geoip = FILE, enrich.internal = 10.0.0.0/8,",
            "                    enrich.names = false; --enrich is 'enrich = true'). Options on the command line",
            "                    win (a repeatable one replaces the file's whole list); Elasticsearch options by",
            "                    their names (elasticsearch = URL, es-ca = FILE)",
            "  On stderr: 'flowctl: listening udp ADDR:PORT ...' per address at start, 'flowctl: final: ...'",
            "  counters at the end (records=N decoded flow records; recorded=N with --count-only).",
            "",
            "Enrichment options (decode and collect; any of them turns enrichment on):",
            "  --enrich                enrich with the defaults only: sampling correction (bytes and packets",
            "                          times the record's sampling interval), derived fields (flow.bits,",
            "                          flow.duration_millis, flow.bits_per_second, flow.packets_per_second) and",
            "                          names (network.transport, network.application, flow.tcp_flags, ...)",
            "  --no-names              leave out the names",
            "  --no-derived            leave out the derived fields",
            "  --geoip FILE            a City or Country .mmdb: MaxMind GeoIP2/GeoLite2, DB-IP Lite, IPinfo",
            "                          (Lite, Country ASN) or ip-location-db: source.geo.* and destination.geo.*",
            "                          (private and reserved addresses are skipped)",
            "  --asn FILE              an ASN .mmdb (GeoLite2 ASN, DB-IP ASN Lite, IPinfo, ip-location-db):",
            "                          source.as.number, source.as.organization.name (and destination.as.*)",
            "  --exporters FILE        CSV 'address-or-cidr,name,site,datacenter' ('#' comments): observer.name,",
            "                          observer.geo.name, labels.datacenter",
            "  --interfaces FILE       CSV 'exporter,ifindex,name,description,tags' (tags separated by '|'):",
            "                          observer.ingress.interface.* and observer.egress.interface.* (name, alias),",
            "                          interface tags join 'tags'",
            "  --cidr-tags FILE        CSV 'cidr,tags,labels' (tags 'a|b', labels 'key=value|key=value'): the most",
            "                          specific network of each address adds its tags and labels",
            "  --internal CIDR         your own networks (repeatable or comma-separated): source.locality,",
            "                          destination.locality, flow.locality, network.direction",
            "  --sampling EXPORTER=N   sampling interval N for an exporter address or network (repeatable, e.g.",
            "                          10.0.0.1=1000 or 10.1.0.0/16=512), used when a record states none",
            "  --sampling-override     the --sampling interval wins over the one the record states",
            "  --community-id          network.community_id (Community ID v1)",
            "  --community-id-seed N   the Community ID seed (0 to 65535; implies --community-id)",
            "  --public-asn N          private AS numbers (64512-65534, 4200000000-4294967294) become N",
            "  --reload S              collect only: check the files every S seconds and reload them when they",
            "                          change (default 60)",
            "  The three dictionary files may also be YAML (.yaml/.yml): a list of entries with the same",
            "  keys (address, name, site, datacenter / exporter, ifindex, name, description, tags /",
            "  cidr, tags, labels), tags as a list and labels as a mapping.",
            "  A missing or unreadable file, or one of the wrong kind, is a usage error (exit code 2).",
            "",
            "Elasticsearch options (collect; the documents go to Elasticsearch 8.x/9.x instead of NDJSON):",
            "  --elasticsearch URL     http(s)://HOST:PORT of a node (repeatable or comma-separated); installs",
            "                          the index template (ECS or --layout logstash mappings) at start",
            "  --es-user NAME          basic authentication, with --es-password-file FILE or the environment",
            "                          variable SLUICE_ES_PASSWORD",
            "  --es-api-key-file FILE  API key authentication (the encoded key; or SLUICE_ES_API_KEY)",
            "  --es-ca FILE            trust the cluster's CA certificate (PEM, e.g. http_ca.crt)",
            "  --es-fingerprint HEX    trust the CA certificate with this SHA-256 fingerprint",
            "  --es-data-stream NAME   write to this data stream (default sluice-flows)",
            "  --es-daily-index PREFIX write to daily indices PREFIXyyyy.MM.dd instead",
            "  --es-outage MODE        while Elasticsearch is away: block (default; the collector waits, bounded,",
            "                          and counts what it drops), spool (to --es-spool DIR, replayed when it is",
            "                          back, kept across restarts) or drop (after 10 attempts, counted)",
            "  --es-spool DIR          the spool directory (implies --es-outage spool); --es-spool-max BYTES",
            "                          bounds it (default 1g)",
            "  --es-dead-letters FILE  documents Elasticsearch refuses (mapping errors), one JSON line each with",
            "                          the reason",
            "  --es-no-ids             let Elasticsearch choose document ids (default: a hash of the document,",
            "                          so that a batch sent twice is not indexed twice)",
            "",
            "Options of replay:",
            "  --to HOST:PORT    target, loopback only: 127.0.0.0/8 or [::1] (required; anything else is",
            "                    refused with exit code 2)",
            "  --rate N          datagrams per second (required, 1 to 10000000); paced by sleeping, never",
            "                    faster on average, bursts of at most 10 ms worth after a stall",
            "  --count N         stop after N datagrams",
            "  --duration S      stop after S seconds (fractions allowed)",
            "  --loop            send the files again and again (needs --count or --duration)",
            "  --from ADDR       source address to send from (loopback only, e.g. 127.0.0.2 to appear as a",
            "                    second exporter)",
            "  Without --loop the files are sent once, in order (cut short by --count/--duration).",
            "",
            "Exit codes: 0 success, 1 bad input file, 2 usage error (or a non-loopback replay target), 69 the",
            "collector cannot listen, 70 internal error, 74 output error; a collector",
            "stopped by SIGTERM/SIGINT exits with 143/130 after its graceful stop.",
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
        return run(args, out, err, DecoderWiring.sessions(err));
    }

    /**
     * Runs {@code flowctl} with the given decoder and returns the exit code.
     *
     * @param decoder opens the decoder sessions of {@code decode} (not used by the other commands)
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
                case "collect":
                    CollectCommand collect = CollectCommand.parse(rest);
                    return collect.help() ? printHelp(out, err) : collect.run(out, err);
                case "replay":
                    ReplayCommand replay = ReplayCommand.parse(rest);
                    return replay.help ? printHelp(out, err) : replay.run(out, err);
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
