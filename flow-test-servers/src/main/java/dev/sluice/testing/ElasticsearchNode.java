package dev.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Elasticsearch server, started as a child process from an unpacked integ-test distribution
 * (Maven Central's {@code org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip}), on loopback,
 * with security off, a small heap, and data, logs and configuration in a temporary directory of its own.
 *
 * <p>Elasticsearch refuses to run as root: when this JVM runs as root, the distribution is copied once into a
 * temporary directory owned by {@link #UNPRIVILEGED_UID} and the node is launched through
 * {@code setpriv --reuid --regid --clear-groups --pdeathsig TERM}, so that it also dies with this JVM.
 *
 * <p>{@link #stop()} ends the process and keeps the data; {@link #start()} starts it again on the same HTTP port with
 * the same data, as a restarted server would (used by the outage tests). {@link #close()} stops it and deletes
 * everything. A JVM shutdown hook stops nodes a test forgot.
 *
 * <p>What the integ-test distribution has: the core server with composable index templates, data streams created on
 * first write, searches and aggregations (term queries on {@code ip} fields with CIDR values, {@code geo_point}
 * queries, date histograms). What it lacks: the plugins and modules of the default distribution, among them ILM,
 * the {@code _data_stream} APIs and the {@code GET /} info endpoint.
 */
public final class ElasticsearchNode implements AutoCloseable {

    /** The uid (and gid) the node runs as when this JVM is root: {@code nobody}. */
    public static final int UNPRIVILEGED_UID = 65534;

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Map<Path, Path> INSTALLED = new HashMap<>();
    private static final List<ElasticsearchNode> LIVE = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<ElasticsearchNode> nodes;
            synchronized (LIVE) {
                nodes = new ArrayList<>(LIVE);
            }
            nodes.forEach(ElasticsearchNode::closeQuietly);
        }, "sluice-elasticsearch-node-reaper"));
    }

    private final Path home;
    private final Path javaHome;
    private final String heap;
    private final Map<String, String> settings;
    private final Path directory;
    private final boolean root;
    private final boolean https;
    private final String authorization;
    private final HttpClient http;
    private Process process;
    private int port;

    private ElasticsearchNode(Builder b) throws IOException {
        this.root = "root".equals(System.getProperty("user.name"));
        this.home = root ? installUnprivileged(b.home) : b.home;
        this.javaHome = b.javaHome;
        this.heap = b.heap;
        this.settings = new LinkedHashMap<>(b.settings);
        this.https = "true".equals(settings.get("xpack.security.http.ssl.enabled"));
        this.directory = Files.createTempDirectory("sluice-es-node-");
        Files.createDirectories(directory.resolve("data"));
        Files.createDirectories(directory.resolve("logs"));
        Files.createDirectories(directory.resolve("tmp"));
        copyTree(b.home.resolve("config"), directory.resolve("config"));
        for (Map.Entry<String, byte[]> f : b.files.entrySet()) {
            Files.write(directory.resolve("config").resolve(f.getKey()), f.getValue());
        }
        if (root) {
            chownTree(directory);
        }
        for (String[] user : b.users) {
            runAsNode(List.of(home.resolve("bin/elasticsearch-users").toString(), "useradd", user[0], "-p", user[1],
                    "-r", user[2]));
        }
        this.authorization = b.users.isEmpty() ? null : "Basic " + java.util.Base64.getEncoder().encodeToString(
                (b.users.get(0)[0] + ":" + b.users.get(0)[1]).getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (https) {
            hb.sslContext(trustAll());
        }
        this.http = hb.build();
    }

    /** Settings for a node with more than the defaults (security, TLS, users). */
    public static Builder builder(Path home, Path javaHome) {
        return new Builder(home, javaHome);
    }

    /** A node's settings before it starts. */
    public static final class Builder {
        private final Path home;
        private final Path javaHome;
        private String heap = "512m";
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, byte[]> files = new LinkedHashMap<>();
        private final List<String[]> users = new ArrayList<>();

        private Builder(Path home, Path javaHome) {
            this.home = home;
            this.javaHome = javaHome;
            settings.put("xpack.security.enabled", "false");
        }

        /** The JVM heap, e.g. {@code 1g} (default 512m). */
        public Builder heap(String size) {
            this.heap = size;
            return this;
        }

        /**
         * A node setting ({@code -E}); {@code xpack.security.enabled} is false unless set here. With
         * {@code xpack.security.http.ssl.enabled=true} the node is reached over HTTPS (the test helpers trust it).
         */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** A file written into the node's configuration directory (certificates, keys). */
        public Builder configFile(String name, byte[] content) {
            files.put(name, content.clone());
            return this;
        }

        /** A user of the file realm; the first one is what {@link #request} authenticates as. */
        public Builder user(String name, String password, String role) {
            users.add(new String[] {name, password, role});
            return this;
        }

        /** Starts the node and waits until it is healthy. */
        public ElasticsearchNode start() throws IOException {
            if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
                throw new IOException("no Elasticsearch distribution at " + home + " (bin/elasticsearch is missing)");
            }
            if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
                throw new IOException("no JDK at " + javaHome);
            }
            ElasticsearchNode node = new ElasticsearchNode(this);
            try {
                node.start();
            } catch (IOException | RuntimeException e) {
                node.close();
                throw e;
            }
            return node;
        }
    }

    /**
     * Starts a node from the unpacked distribution {@code home} (the directory holding {@code bin/elasticsearch})
     * on the JDK at {@code javaHome}, with a 512 MiB heap, and waits until it answers with yellow or green health.
     */
    public static ElasticsearchNode start(Path home, Path javaHome) throws IOException {
        return start(home, javaHome, "512m");
    }

    /** As {@link #start(Path, Path)}, with the heap size given as a JVM size ({@code 1g}, {@code 768m}). */
    public static ElasticsearchNode start(Path home, Path javaHome, String heap) throws IOException {
        return builder(home, javaHome).heap(heap).start();
    }

    /** The node's HTTP address, e.g. {@code http://127.0.0.1:41234}. */
    public URI uri() {
        return URI.create((https ? "https" : "http") + "://127.0.0.1:" + port);
    }

    /** The node's HTTP port (kept across {@link #stop()} and {@link #start()}). */
    public int port() {
        return port;
    }

    /** Whether the node's process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the node (again): on the port it had before, if it ran before, else on a free one; with the data it
     * had. Waits until its health is yellow or green.
     */
    public synchronized void start() throws IOException {
        if (isRunning()) {
            return;
        }
        Path ports = directory.resolve("logs/http.ports");
        Files.deleteIfExists(ports);
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_UID, "--regid=" + UNPRIVILEGED_UID,
                    "--clear-groups", "--pdeathsig", "TERM"));
        }
        command.add(home.resolve("bin/elasticsearch").toString());
        command.addAll(List.of(
                "-Ediscovery.type=single-node",
                "-Enetwork.host=127.0.0.1",
                "-Ehttp.port=" + port,
                "-Enode.portsfile=true",
                "-Ecluster.routing.allocation.disk.threshold_enabled=false",
                "-Epath.data=" + directory.resolve("data"),
                "-Epath.logs=" + directory.resolve("logs")));
        settings.forEach((k, v) -> command.add("-E" + k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(command);
        environment(pb);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("console.log").toFile()));
        process = pb.start();
        synchronized (LIVE) {
            LIVE.add(this);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(ports)) {
            if (!process.isAlive()) {
                throw new IOException("Elasticsearch exited with " + process.exitValue() + " while starting; "
                        + consoleTail());
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IOException("Elasticsearch did not open its HTTP port within " + START_TIMEOUT + "; "
                        + consoleTail());
            }
            sleep(200);
        }
        String first = Files.readAllLines(ports, StandardCharsets.UTF_8).get(0).trim();
        port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
        waitForHealth(deadline);
    }

    /** Stops the node's process (SIGTERM, then SIGKILL after 30 s) and keeps its data for {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        process.toHandle().descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            try {
                h.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        process = null;
        synchronized (LIVE) {
            LIVE.remove(this);
        }
    }

    /** Stops the node and deletes its directory. */
    @Override
    public void close() {
        stop();
        try {
            deleteTree(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** Sends one HTTP request to the node and returns the status and body (a test helper, no retries). */
    public Response request(String method, String path, String jsonBody) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri().resolve(path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (jsonBody == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A status and a body. */
    public record Response(int status, String body) {
    }

    /** The last lines the node printed, for error messages. */
    public String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("console.log"), StandardCharsets.UTF_8);
            return "last output:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "no output (" + e + ")";
        }
    }

    private void waitForHealth(long deadline) throws IOException {
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                Response r = request("GET", "/_cluster/health?wait_for_status=yellow&timeout=10s", null);
                if (r.status() == 200) {
                    return;
                }
                last = new IOException("health answered " + r.status() + ": " + r.body());
            } catch (IOException e) {
                last = e;
            }
            if (!isRunning()) {
                throw new IOException("Elasticsearch exited while starting; " + consoleTail());
            }
            sleep(200);
        }
        kill();
        throw new IOException("Elasticsearch did not become healthy in time; " + consoleTail(), last);
    }

    private void closeQuietly() {
        kill();
        try {
            deleteTree(directory);
        } catch (IOException | RuntimeException ignored) {
            // a temporary directory left behind at exit
        }
    }

    private void kill() {
        Process p = process;
        if (p != null) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private void environment(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.put("ES_JAVA_HOME", javaHome.toString());
        env.remove("JAVA_HOME");
        env.put("ES_PATH_CONF", directory.resolve("config").toString());
        env.put("ES_TMPDIR", directory.resolve("tmp").toString());
        env.put("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap);
    }

    /** Runs one of the distribution's tools (as the node's user) with the node's environment. */
    private void runAsNode(List<String> tool) throws IOException {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_UID, "--regid=" + UNPRIVILEGED_UID,
                    "--clear-groups"));
        }
        command.addAll(tool);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        environment(pb);
        pb.environment().put("ES_JAVA_OPTS", "-Xms64m -Xmx128m");
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", tool) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Test support only: a TLS context that trusts any certificate (the node's own test CA). */
    private static javax.net.ssl.SSLContext trustAll() {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of the distribution that the unprivileged uid owns, made once per JVM and distribution. */
    private static Path installUnprivileged(Path home) throws IOException {
        synchronized (INSTALLED) {
            Path copy = INSTALLED.get(home);
            if (copy == null) {
                Path parent = Files.createTempDirectory("sluice-es-dist-");
                copy = parent.resolve(home.getFileName());
                copyTree(home, copy);
                chownTree(parent);
                INSTALLED.put(home, copy);
                Path toDelete = parent;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        deleteTree(toDelete);
                    } catch (IOException ignored) {
                        // a temporary directory left behind
                    }
                }));
            }
            return copy;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void chownTree(Path dir) throws IOException {
        run("chown", "-R", UNPRIVILEGED_UID + ":" + UNPRIVILEGED_UID, dir.toString());
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "Elasticsearch node " + home.getFileName() + " at " + uri();
    }
}
