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

    /** A decode error; the decoder has counted it already and carries on. Ignored by default. */
    default void onError(DecodeError error) {
    }
}
