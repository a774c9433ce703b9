package dev.sluice.sink.elastic;

import java.nio.charset.StandardCharsets;

/**
 * A document that Elasticsearch refused for a reason that a retry cannot cure (a mapping error, a document too
 * large, a rejected index name), with what Elasticsearch said.
 *
 * @param index the index or data stream it was written to
 * @param id its document id, or null when Elasticsearch was to choose one
 * @param status the HTTP status of the item in the bulk response (e.g. 400), or of the whole request
 * @param errorType Elasticsearch's error type, e.g. {@code document_parsing_exception}
 * @param reason Elasticsearch's reason, e.g. {@code failed to parse field [source.ip] of type [ip]}
 * @param document the document's JSON source, as sent (UTF-8)
 */
public record DeadLetter(String index, String id, int status, String errorType, String reason, byte[] document) {

    /** The document's JSON source as a string. */
    public String documentText() {
        return new String(document, StandardCharsets.UTF_8);
    }
}
