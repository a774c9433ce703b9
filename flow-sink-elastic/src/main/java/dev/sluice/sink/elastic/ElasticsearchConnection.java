package dev.sluice.sink.elastic;

import co.elastic.clients.transport.TransportUtils;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/** Builds the low-level REST client from the sink's settings: hosts, authentication, TLS, timeouts. */
final class ElasticsearchConnection {

    private ElasticsearchConnection() {
    }

    static RestClient restClient(ElasticsearchSink.Builder b) throws IOException {
        List<HttpHost> hosts = new ArrayList<>();
        boolean https = false;
        for (String h : b.hosts) {
            URI u = URI.create(h);
            int port = u.getPort() > 0 ? u.getPort() : 9200;
            hosts.add(new HttpHost(u.getHost(), port, u.getScheme()));
            https |= u.getScheme().equals("https");
        }
        SSLContext ssl = null;
        if (b.caCertificate != null) {
            if (!Files.isReadable(b.caCertificate)) {
                throw new IOException("cannot read the CA certificate " + b.caCertificate);
            }
            ssl = TransportUtils.sslContextFromHttpCaCrt(b.caCertificate.toFile());
        } else if (b.caFingerprint != null) {
            String hex = b.caFingerprint.replace(":", "").trim();
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("a CA fingerprint is 64 hex digits (SHA-256): " + b.caFingerprint);
            }
            ssl = TransportUtils.sslContextFromCaFingerprint(hex);
        }
        if (ssl != null && !https) {
            throw new IllegalArgumentException("a CA certificate or fingerprint was given, but the addresses are "
                    + "not https: " + b.hosts);
        }
        List<Header> headers = new ArrayList<>();
        if (b.apiKey != null) {
            headers.add(new BasicHeader("Authorization", "ApiKey " + b.apiKey));
        } else if (b.username != null) {
            String token = Base64.getEncoder().encodeToString(
                    (b.username + ":" + b.password).getBytes(StandardCharsets.UTF_8));
            headers.add(new BasicHeader("Authorization", "Basic " + token));
        }
        RestClientBuilder builder = RestClient.builder(hosts.toArray(new HttpHost[0]))
                .setDefaultHeaders(headers.toArray(new Header[0]))
                .setCompressionEnabled(false)
                .setRequestConfigCallback(rc -> rc
                        .setConnectTimeout((int) b.connectTimeout.toMillis())
                        .setSocketTimeout((int) b.requestTimeout.toMillis()));
        SSLContext context = ssl;
        builder.setHttpClientConfigCallback(hc -> {
            if (context != null) {
                hc.setSSLContext(context);
            }
            return hc.setMaxConnTotal(Math.max(10, b.maxInFlight + 2))
                    .setMaxConnPerRoute(Math.max(10, b.maxInFlight + 2));
        });
        return builder.build();
    }
}
