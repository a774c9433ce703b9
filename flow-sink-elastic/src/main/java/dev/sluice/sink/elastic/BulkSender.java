package dev.sluice.sink.elastic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.http.HttpEntity;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * Sends one bulk body and sorts its documents by the answer: indexed, already there (409 on {@code create} with
 * deterministic ids), to be sent again (429, 5xx: copied into the retry batch) or refused for good (to the
 * dead-letter handler). A request that gets no usable answer throws {@link Unavailable}: the caller retries, spools
 * or drops the whole batch by its {@link OutageMode}.
 *
 * <p>The body goes out as it was serialized (the low-level REST client of the official Java client, with the bytes of
 * the batch as the entity: no copy, no per-document objects); the answer is read with Jackson's streaming parser and
 * trimmed by {@code filter_path} to the status and error of each item.
 */
final class BulkSender {

    /** The request could not be answered usefully (connection refused, timeout, 429 or 5xx for the whole request). */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);
    private static final String FILTER = "errors,items.*.status,items.*.error.type,items.*.error.reason";

    private final RestClient client;
    private final SinkCounters counters;
    private final DeadLetters deadLetters;
    private final boolean deterministicIds;

    BulkSender(RestClient client, SinkCounters counters, DeadLetters deadLetters, boolean deterministicIds) {
        this.client = client;
        this.counters = counters;
        this.deadLetters = deadLetters;
        this.deterministicIds = deterministicIds;
    }

    /**
     * Sends {@code batch} once. Documents to be sent again are appended to {@code retry} (empty on entry); the others
     * are counted or dead-lettered here.
     */
    void send(Batch batch, Batch retry) throws Unavailable {
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", FILTER);
        request.setEntity(new ByteArrayEntity(batch.array(), 0, batch.size(), NDJSON));
        long start = System.nanoTime();
        Response response;
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            counters.bulkAnswered(System.nanoTime() - start, false);
            int status = e.getResponse().getStatusLine().getStatusCode();
            String body = bodyText(e.getResponse().getEntity());
            if (isRetryable(status)) {
                throw new Unavailable("bulk request answered " + status + ": " + body, e);
            }
            for (int i = 0; i < batch.count(); i++) {
                deadLetters.add(batch, i, status, "http_" + status, "the whole bulk request was refused: " + body);
            }
            return;
        } catch (IOException | RuntimeException e) {
            // a RuntimeException: the low-level client's way to say its thread was interrupted while waiting
            counters.bulkFailed();
            throw new Unavailable("bulk request failed: " + e, e);
        }
        counters.bulkAnswered(System.nanoTime() - start, true);
        try (InputStream in = response.getEntity().getContent(); JsonParser p = JSON.createParser(in)) {
            int items = readItems(p, batch, retry);
            if (items != batch.count()) {
                retry.clear();
                throw new Unavailable("the bulk response listed " + items + " items for " + batch.count()
                        + " documents", null);
            }
        } catch (IOException e) {
            retry.clear();
            throw new Unavailable("unreadable bulk response: " + e, e);
        }
    }

    /** 408, 429, 5xx and the authentication errors (credentials may be fixed while the spool waits) are retried. */
    static boolean isRetryable(int status) {
        return status == 408 || status == 429 || status >= 500 || status == 401 || status == 403;
    }

    private int readItems(JsonParser p, Batch batch, Batch retry) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not a JSON object");
        }
        int item = 0;
        boolean errors = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if ("errors".equals(field)) {
                errors = t == JsonToken.VALUE_TRUE;
            } else if ("items".equals(field) && t == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    readItem(p, batch, retry, item++);
                }
            } else {
                p.skipChildren();
            }
        }
        if (!errors && item == 0) {
            // filter_path leaves "items" out when no item has a status to show; never expected, but all succeeded
            counters.indexed(batch.count());
            return batch.count();
        }
        return item;
    }

    /** One {@code {"create": {"status": 201, "error": {...}}}}; the parser is on the item's START_OBJECT. */
    private void readItem(JsonParser p, Batch batch, Batch retry, int i) throws IOException {
        int status = 0;
        String type = null;
        String reason = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) { // the operation: create
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if ("status".equals(field) && t == JsonToken.VALUE_NUMBER_INT) {
                    status = p.getIntValue();
                } else if ("error".equals(field) && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        if ("type".equals(f)) {
                            type = p.getValueAsString();
                        } else if ("reason".equals(f)) {
                            reason = p.getValueAsString();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        if (i >= batch.count()) {
            return; // counted by the caller as a mismatch
        }
        if (status >= 200 && status < 300) {
            counters.indexed(1);
        } else if (status == 409 && deterministicIds) {
            counters.duplicate();
        } else if (status == 429 || status >= 500) {
            retry.copyDocument(batch, i);
        } else {
            deadLetters.add(batch, i, status, type, reason);
        }
    }

    private static String bodyText(HttpEntity entity) {
        if (entity == null) {
            return "(no body)";
        }
        try (InputStream in = entity.getContent()) {
            byte[] b = in.readNBytes(2048);
            return new String(Arrays.copyOf(b, b.length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable body: " + e + ")";
        }
    }
}
