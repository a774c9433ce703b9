package dev.sluice.sink.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import java.io.StringReader;
import org.elasticsearch.client.RestClient;

/**
 * Installs what the sink's target needs, with the official client: the ILM policy (when configured) and the
 * composable index template ({@link IndexTemplate}). Both are put (created or replaced) at every start, so a new
 * version of Sluice brings its mappings along; a template of the same name made by hand is replaced.
 */
final class IndexManagement {

    private IndexManagement() {
    }

    static void install(RestClient rest, ElasticsearchClient client, ElasticsearchSink.Builder config)
            throws BulkSender.Unavailable, ElasticsearchSink.TemplateRejected {
        boolean dataStream = config.dataStream != null;
        if (config.ilmPolicy != null) {
            String policy = ilmPolicyBody(dataStream, config.ilmDeleteAfter.toSeconds());
            call("ILM policy " + config.ilmPolicy, () -> client.ilm().putLifecycle(r -> r.name(config.ilmPolicy)
                    .withJson(new StringReader(policy))));
        }
        String pattern = dataStream ? config.dataStream : config.dailyPrefix + "*";
        String body = IndexTemplate.body(pattern, dataStream, config.layoutName, config.shards, config.replicas,
                config.retention, config.ilmPolicy, config.templatePriority);
        call("index template " + config.templateName(), () -> client.indices().putIndexTemplate(r -> r
                .name(config.templateName()).withJson(new StringReader(body))));
    }

    /** Rollover daily (data streams) and deletion after the given age. */
    static String ilmPolicyBody(boolean dataStream, long deleteAfterSeconds) {
        String hot = dataStream
                ? "\"hot\":{\"actions\":{\"rollover\":{\"max_age\":\"1d\",\"max_primary_shard_size\":\"50gb\"}}},"
                : "";
        return "{\"policy\":{\"_meta\":{\"managed_by\":\"sluice\"},\"phases\":{" + hot
                + "\"delete\":{\"min_age\":\"" + deleteAfterSeconds + "s\",\"actions\":{\"delete\":{}}}}}}";
    }

    private interface Call {
        void run() throws IOException;
    }

    private static void call(String what, Call call) throws BulkSender.Unavailable, ElasticsearchSink.TemplateRejected {
        try {
            call.run();
        } catch (ElasticsearchException e) {
            int status = e.status();
            if (BulkSender.isRetryable(status)) {
                throw new BulkSender.Unavailable("installing the " + what + " answered " + status + ": "
                        + e.getMessage(), e);
            }
            throw new ElasticsearchSink.TemplateRejected("Elasticsearch refused the " + what + " (" + status + "): "
                    + e.getMessage() + hint(status, e.getMessage()), e);
        } catch (TransportException e) {
            int status = e.statusCode();
            if (status <= 0 || BulkSender.isRetryable(status)) {
                throw new BulkSender.Unavailable("installing the " + what + " failed: " + e.getMessage(), e);
            }
            throw new ElasticsearchSink.TemplateRejected("Elasticsearch refused the " + what + " (" + status + "): "
                    + e.getMessage() + hint(status, e.getMessage()), e);
        } catch (IOException | RuntimeException e) {
            // the low-level client throws a RuntimeException when its thread is interrupted while waiting
            throw new BulkSender.Unavailable("installing the " + what + " failed: " + e, e);
        }
    }

    private static String hint(int status, String message) {
        boolean missingApi = status == 404 || status == 405
                || status == 400 && message != null && message.contains("no handler found");
        return missingApi
                ? " (the cluster does not have this API: ILM, for one, is missing from the integ-test and OSS"
                        + " distributions)"
                : "";
    }
}
