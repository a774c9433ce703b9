package dev.sluice.examples.capture;

/**
 * A capture file is truncated or corrupt: a header, block or record cannot be what the file says it is.
 *
 * <p>Carries the byte offset in the file where the problem was found and a short reason; the message reads
 * {@code "at byte offset <offset>: <reason>"}.
 */
public class CaptureFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    /**
     * @param offset byte offset in the file where the problem was found
     * @param reason what is wrong, without the offset
     */
    public CaptureFormatException(long offset, String reason) {
        super("at byte offset " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** Byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the offset. */
    public String reason() {
        return reason;
    }
}
