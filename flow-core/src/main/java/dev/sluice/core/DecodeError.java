package dev.sluice.core;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Why (part of) a packet could not be decoded, with the exporter and the byte offset in the datagram.
 *
 * @param reason what went wrong
 * @param exporter who sent it
 * @param offset byte offset in the datagram where the problem was found
 * @param detail a human-readable explanation
 */
public record DecodeError(Reason reason, InetAddress exporter, int offset, String detail) {

    public DecodeError {
        Objects.requireNonNull(reason, "reason");
    }

    /** The typed reason of a decode error; every reason has its own counter. */
    public enum Reason {
        /** The datagram ended before a header, set or record it announced. */
        TRUNCATED,
        /** A length field is impossible (shorter than its header, longer than its container, zero). */
        BAD_LENGTH,
        /** The version field is not one this decoder knows. */
        UNKNOWN_VERSION,
        /** A template or options template is malformed. */
        BAD_TEMPLATE,
        /** A data set referred to a template not (yet) known; it was buffered or dropped as said in detail. */
        MISSING_TEMPLATE,
        /** Buffered data whose template never came in time was dropped. */
        PENDING_EXPIRED,
        /** A configured bound (templates, fields, record size, pending bytes, exporters) was exceeded. */
        LIMIT_EXCEEDED,
        /** A set id that is reserved or not defined by the protocol. */
        UNKNOWN_SET;

        private static final Reason[] VALUES = values();

        /** All reasons, without copying. Do not modify. */
        public static Reason[] all() {
            return VALUES;
        }
    }

    @Override
    public String toString() {
        return reason + " from " + (exporter == null ? "?" : exporter.getHostAddress()) + " at offset " + offset
                + ": " + detail;
    }
}
