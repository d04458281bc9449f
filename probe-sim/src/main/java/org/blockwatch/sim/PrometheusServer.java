package org.blockwatch.sim;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's {@code prometheus}, found on the PATH) for a test, receiving remote
 * write ({@code --web.enable-remote-write-receiver}), on 127.0.0.1 with its data in a temporary
 * folder; it scrapes nothing. It can be stopped and started again on the same port and data
 * (a receiver's outage). {@link #available()} says whether the binary is there.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final Path BINARY = find();

    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    private PrometheusServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    private static Path find() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "prometheus");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    public static boolean available() {
        return BINARY != null;
    }

    public static PrometheusServer start() throws IOException, InterruptedException {
        if (BINARY == null) throw new IllegalStateException("no prometheus on the PATH (Debian's prometheus package)");
        Path dir = Files.createTempDirectory("blockwatch-prometheus");
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrometheusServer p = new PrometheusServer(dir, port);
        p.startAgain();
        return p;
    }

    /** Starts the stopped server again, on the same port and data. */
    public void startAgain() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY.toString(), "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--web.enable-remote-write-receiver")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/-/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("prometheus did not become ready: " + Files.readString(dir.resolve("prometheus.log")));
            }
            Thread.sleep(100); // polling a child process for readiness, not synchronising threads
        }
    }

    /** Stops the server (its data stays). */
    public void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        process = null;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The remote-write endpoint. */
    public URI writeUrl() {
        return URI.create(base() + "/api/v1/write");
    }

    /** The JSON answer of an instant query. */
    public String query(String expr) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
