package dev.sluice.core;

/**
 * Receives what a decoder produces, on the decoding thread. Records are views valid only during the call.
 */
public interface FlowHandler {

    /** A flow record. */
    void onRecord(FlowRecord record);

    /** An options data record (exporter metadata: sampling, interface names, ...). Ignored by default. */
    default void onOptions(FlowRecord record) {
    }

    /**
     * Interface counters an exporter polled (sFlow counter samples), delivered beside the flow records in the
     * order they appear in the datagram. The view is valid only during the call ({@link
     * InterfaceCounters#copy()} keeps it). Ignored by default, so handlers written for flow records only
     * need not change.
     */
    default void onCounters(InterfaceCounters counters) {
    }

    /** A decode error; the decoder has counted it already and carries on. Ignored by default. */
    default void onError(DecodeError error) {
    }
}
