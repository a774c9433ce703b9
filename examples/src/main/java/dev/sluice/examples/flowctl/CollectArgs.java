package dev.sluice.examples.flowctl;

import java.util.List;
import java.util.Locale;

/**
 * A cursor over a command's arguments with the value parsing {@code collect} and {@code replay} share:
 * {@code --opt VALUE} and {@code --opt=VALUE}, numbers with bounds, seconds, byte sizes and {@code HOST:PORT}.
 * Every problem is a {@link UsageException} naming the option.
 */
final class CollectArgs {

    private final String command;
    private final List<String> args;
    private int next;

    CollectArgs(String command, List<String> args) {
        this.command = command;
        this.args = args;
    }

    boolean hasNext() {
        return next < args.size();
    }

    String next() {
        return args.get(next++);
    }

    /** True when {@code arg} is {@code name} or {@code name=...}. */
    boolean isOption(String arg, String name) {
        return arg.equals(name) || arg.startsWith(name + "=");
    }

    /** The option's value: after {@code =} or the next argument. */
    String value(String arg, String what) throws UsageException {
        int eq = arg.indexOf('=');
        if (eq >= 0) {
            return arg.substring(eq + 1);
        }
        if (!hasNext()) {
            throw new UsageException("option " + arg + " needs a value (" + what + ") for " + command);
        }
        return next();
    }

    long longValue(String arg, String what, long min, long max) throws UsageException {
        String name = optionName(arg);
        return parseLong(name, value(arg, what), what, min, max);
    }

    double secondsValue(String arg) throws UsageException {
        return parseSeconds(optionName(arg), value(arg, "seconds"));
    }

    static String optionName(String arg) {
        int eq = arg.indexOf('=');
        return eq >= 0 ? arg.substring(0, eq) : arg;
    }

    static long parseLong(String option, String value, String what, long min, long max) throws UsageException {
        long v;
        try {
            v = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " '" + value + "' is not a number (" + what + ")");
        }
        if (v < min || v > max) {
            throw new UsageException(option + " " + v + " is out of range (" + what + ": " + min + " to " + max + ")");
        }
        return v;
    }

    /** Seconds, fractions allowed, greater than 0 and at most a year. */
    static double parseSeconds(String option, String value) throws UsageException {
        double v;
        try {
            v = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " '" + value + "' is not a number of seconds");
        }
        if (!(v > 0) || v > 366 * 86400.0) {
            throw new UsageException(option + " " + value + " is out of range (seconds, more than 0)");
        }
        return v;
    }

    /** A switch's value in a configuration file: true/yes/on or false/no/off, any case. */
    static boolean parseBool(String option, String value) throws UsageException {
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
                return true;
            case "false":
            case "no":
            case "off":
                return false;
            default:
                throw new UsageException(option + " '" + value + "' is not true or false");
        }
    }

    /** A byte size: a number with an optional k, m or g suffix (powers of 1024). */
    static long parseBytes(String option, String value, long min, long max) throws UsageException {
        String v = value.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
            unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1L << 30;
            v = v.substring(0, v.length() - 1);
        }
        long n = parseLong(option, v, "bytes, optionally with k, m or g", 0, Long.MAX_VALUE / (1L << 30));
        long bytes = n * unit;
        if (bytes < min || bytes > max) {
            throw new UsageException(option + " " + value + " is out of range (" + min + " to " + max + " bytes)");
        }
        return bytes;
    }

    /** {@code HOST:PORT}, or {@code [IPV6]:PORT}; the host is not resolved. */
    record HostPort(String host, int port) {

        static HostPort parse(String text, String option) throws UsageException {
            String host;
            String port;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                    throw new UsageException(option + " '" + text + "' is not [IPV6]:PORT");
                }
                host = text.substring(1, close);
                port = text.substring(close + 2);
            } else {
                int colon = text.lastIndexOf(':');
                if (colon <= 0 || text.indexOf(':') != colon) {
                    throw new UsageException(option + " '" + text + "' is not HOST:PORT (IPv6: [ADDR]:PORT)");
                }
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            }
            if (host.isEmpty()) {
                throw new UsageException(option + " '" + text + "' has no host");
            }
            return new HostPort(host, (int) parseLong(option, port, "port", 0, 65535));
        }
    }
}
