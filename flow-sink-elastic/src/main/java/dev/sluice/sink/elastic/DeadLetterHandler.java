package dev.sluice.sink.elastic;

/**
 * Receives the documents that Elasticsearch refused for good ({@link DeadLetter}). Called on a sending thread of the
 * sink, one letter at a time; it should be quick (write to a file or a queue). An exception it throws is logged and
 * counted, and does not stop the sink.
 */
@FunctionalInterface
public interface DeadLetterHandler {

    /** Takes one refused document. */
    void accept(DeadLetter letter) throws Exception;
}
