package org.blockwatch.agent.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.blockwatch.sim.PrometheusServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Remote write into a real Prometheus (Debian's, started by the test with its receiver on), and against refusing receivers. */
class RemoteWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET = "https://news.example/";
    @TempDir
    Path dir;
    private final Map<String, Long> counted = new ConcurrentHashMap<>();
    private final RemoteWriter.Listener listener = new RemoteWriter.Listener() {
        @Override
        public void samples(String result, long count) {
            counted.merge(result, count, Long::sum);
        }

        @Override
        public void buffered(long bytes) {
            counted.put("buffered", bytes);
        }
    };
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    private RemoteWriter writer(URI url, AgentMetrics metrics, AtomicLong clock) throws Exception {
        return new RemoteWriter(new RemoteWriter.Config(url, null, Duration.ofSeconds(30), "probe-t", "blockwatch/test"),
                new PushBuffer(dir.resolve("rw"), 10_000_000), metrics::snapshot, listener, http, clock::get, new Random(1));
    }

    private static JsonNode result(PrometheusServer p, String expr) throws Exception {
        return JSON.readTree(p.query(expr)).path("data").path("result");
    }

    @Test
    void seriesArriveLabelledWithTheProbeAndItsNetworkSurviveAnOutageAndGoStaleWhenReplaced() throws Exception {
        if (!PrometheusServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's prometheus on the PATH (.ci/run)");
            Assumptions.abort("no prometheus on the PATH");
        }
        try (PrometheusServer prometheus = PrometheusServer.start(); AgentMetrics metrics = new AgentMetrics("test", "AS9198", "KZ", "home")) {
            AtomicLong clock = new AtomicLong(Instant.now().minusSeconds(240).toEpochMilli());
            RemoteWriter w = writer(prometheus.writeUrl(), metrics, clock);
            metrics.publish(TARGET, "NEWS", Status.BLOCKED, Method.TLS, Instant.now());
            w.collect();
            assertThat(w.flush()).isTrue();
            JsonNode blocked = result(prometheus, "blockwatch_target_state{instance=\"probe-t\"}");
            assertThat(blocked).hasSize(1);
            assertThat(blocked.get(0).path("metric").path("state").asText()).isEqualTo("blocked");
            assertThat(blocked.get(0).path("metric").path("method").asText()).isEqualTo("tls");
            assertThat(blocked.get(0).path("metric").path("asn").asText()).isEqualTo("AS9198");
            assertThat(blocked.get(0).path("metric").path("cc").asText()).isEqualTo("KZ");
            assertThat(blocked.get(0).path("metric").path("job").asText()).isEqualTo("blockwatch");

            // The receiver goes away for two pushes: they wait on disk, then arrive, in order.
            prometheus.stop();
            for (int i = 0; i < 2; i++) {
                clock.addAndGet(30_000);
                if (i == 1) metrics.publish(TARGET, "NEWS", Status.ACCESSIBLE, null, Instant.now());
                w.collect();
                assertThat(w.flush()).isFalse();
            }
            assertThat(counted.get("buffered")).isPositive();
            prometheus.startAgain();
            assertThat(w.flush()).isTrue();
            assertThat(counted.get("buffered")).isZero();
            JsonNode samples = result(prometheus, "count_over_time(blockwatch_build_info{instance=\"probe-t\"}[10m])");
            assertThat(samples.get(0).path("value").get(1).asText()).isEqualTo("3");
            // The blocked series was replaced while the receiver was away: marked stale, not shown for five more minutes.
            JsonNode now = result(prometheus, "blockwatch_target_state{instance=\"probe-t\"}");
            assertThat(now).hasSize(1);
            assertThat(now.get(0).path("metric").path("state").asText()).isEqualTo("accessible");
            assertThat(result(prometheus, "{__name__=~\".+\", instance=\"probe-t\", __name__=~\"process_.*\"}").size()).isPositive();
            assertThat(counted.get("sent")).isPositive();
            assertThat(counted).doesNotContainKeys("rejected", "dropped");
        }
    }

    @Test
    void aFailingReceiverIsTriedLessAndLessOftenNotAtEveryCollection() throws Exception {
        // A receiver that hangs up on every connection: each try fails as an unreachable one does.
        AtomicInteger tries = new AtomicInteger();
        try (java.net.ServerSocket hangsUp = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                AgentMetrics metrics = new AgentMetrics("test", "AS9198", "KZ", "home")) {
            Thread.ofVirtual().start(() -> {
                while (!hangsUp.isClosed()) {
                    try (java.net.Socket s = hangsUp.accept()) {
                        tries.incrementAndGet();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            AtomicLong clock = new AtomicLong(Instant.now().toEpochMilli());
            long start = clock.get();
            RemoteWriter w = writer(URI.create("http://127.0.0.1:" + hangsUp.getLocalPort() + "/api/v1/write"), metrics, clock);
            // Ten minutes of the agent's loop on a clock the test moves, collecting every 30 s.
            int turns = 0;
            while (clock.get() - start < Duration.ofMinutes(10).toMillis()) {
                clock.addAndGet(Math.max(1, w.turn()));
                turns++;
            }
            // 20 collections, all kept on disk; tries at 5 s doubling (with jitter) to 5 minutes.
            assertThat(turns).isGreaterThanOrEqualTo(20);
            assertThat(counted.getOrDefault("sent", 0L)).isZero();
            assertThat(tries.get()).isBetween(5, 10);
        }
    }

    /** A remote-write receiver on loopback that counts the requests and answers each with {@code status}. */
    private static HttpServer receiver(AtomicInteger requests, AtomicInteger status) throws java.io.IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", x -> {
            try (x) {
                requests.incrementAndGet();
                x.getRequestBody().readAllBytes();
                x.sendResponseHeaders(status.get(), -1);
            }
        });
        receiver.start();
        return receiver;
    }

    @Test
    void aWorkingReceiverGetsEveryCollectionAsItIsMade() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer receiver = receiver(requests, new AtomicInteger(204));
        try (AgentMetrics metrics = new AgentMetrics("test", "AS9198", "KZ", "home")) {
            AtomicLong clock = new AtomicLong(Instant.now().toEpochMilli());
            long start = clock.get();
            RemoteWriter w = writer(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/write"), metrics, clock);
            // Five minutes of the agent's loop, collecting every 30 s: ten collections, ten requests.
            while (clock.get() - start < Duration.ofMinutes(5).toMillis()) clock.addAndGet(Math.max(1, w.turn()));
            assertThat(requests.get()).isEqualTo(10);
            assertThat(counted.get("sent")).isPositive();
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * A scrape that catches {@code blockwatch_probe_info} as it changes has none: its push keeps
     * the network last seen, and no series arrives without {@code asn} and {@code cc} (the lab
     * once found some on the central Prometheus).
     */
    @Test
    void aScrapeWithoutProbeInfoKeepsTheNetworkLastSeen() throws Exception {
        if (!PrometheusServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's prometheus on the PATH (.ci/run)");
            Assumptions.abort("no prometheus on the PATH");
        }
        try (PrometheusServer prometheus = PrometheusServer.start(); AgentMetrics metrics = new AgentMetrics("test", "AS9198", "KZ", "home")) {
            metrics.publish(TARGET, "NEWS", Status.BLOCKED, Method.TLS, Instant.now());
            AtomicInteger scrapes = new AtomicInteger();
            java.util.function.Supplier<io.prometheus.metrics.model.snapshots.MetricSnapshots> exposition = () -> {
                var all = metrics.snapshot();
                // The second scrape in the instant between the info's removal and its return.
                return scrapes.incrementAndGet() != 2 ? all
                        : new io.prometheus.metrics.model.snapshots.MetricSnapshots(
                                all.stream().filter(m -> !m.getMetadata().getPrometheusName().equals("blockwatch_probe")).toList());
            };
            AtomicLong clock = new AtomicLong(Instant.now().minusSeconds(120).toEpochMilli());
            RemoteWriter w = new RemoteWriter(new RemoteWriter.Config(prometheus.writeUrl(), null, Duration.ofSeconds(30), "probe-t", "blockwatch/test"),
                    new PushBuffer(dir.resolve("rw-info"), 10_000_000), exposition, listener, http, clock::get, new Random(1));
            for (int i = 0; i < 2; i++) {
                w.collect();
                assertThat(w.flush()).isTrue();
                clock.addAndGet(30_000);
            }
            assertThat(result(prometheus, "count({instance=\"probe-t\", asn=\"\"}) or count({instance=\"probe-t\", cc=\"\"})")).isEmpty();
            JsonNode blocked = result(prometheus, "blockwatch_target_state{instance=\"probe-t\"}");
            assertThat(blocked).hasSize(1);
            assertThat(blocked.get(0).path("metric").path("asn").asText()).isEqualTo("AS9198");
        }
    }

    @Test
    void labelValuesAndHistogramsArriveInPrometheusExactlyAsTheRegistryHasThem() throws Exception {
        if (!PrometheusServer.available()) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's prometheus on the PATH (.ci/run)");
            Assumptions.abort("no prometheus on the PATH");
        }
        try (PrometheusServer prometheus = PrometheusServer.start(); AgentMetrics metrics = new AgentMetrics("test", "AS9198", "KZ", "home")) {
            for (String target : SamplesTest.AWKWARD) metrics.publish(target, "NEWS", Status.BLOCKED, Method.DNS, Instant.now());
            metrics.steps().succeeded(org.blockwatch.core.step.StepKind.DNS, "x", Duration.ofMillis(30));
            metrics.steps().succeeded(org.blockwatch.core.step.StepKind.DNS, "x", Duration.ofMillis(3));
            RemoteWriter w = writer(prometheus.writeUrl(), metrics, new AtomicLong(Instant.now().minusSeconds(60).toEpochMilli()));
            w.collect();
            assertThat(w.flush()).isTrue();
            JsonNode states = result(prometheus, "blockwatch_target_state{instance=\"probe-t\"}");
            List<String> targets = new java.util.ArrayList<>();
            states.forEach(s -> targets.add(s.path("metric").path("target").asText()));
            assertThat(targets).containsExactlyInAnyOrderElementsOf(SamplesTest.AWKWARD);
            // Cumulative buckets, as a scrape stores them: 3 ms and 30 ms, under 10 ms one, under 50 ms both.
            assertThat(result(prometheus, "blockwatch_step_duration_seconds_bucket{instance=\"probe-t\", step=\"dns\", le=\"0.01\"}")
                    .get(0).path("value").get(1).asText()).isEqualTo("1");
            assertThat(result(prometheus, "blockwatch_step_duration_seconds_bucket{instance=\"probe-t\", step=\"dns\", le=\"0.05\"}")
                    .get(0).path("value").get(1).asText()).isEqualTo("2");
            assertThat(result(prometheus, "histogram_quantile(0.99, blockwatch_step_duration_seconds_bucket{instance=\"probe-t\", step=\"dns\"})"))
                    .hasSize(1);
        }
    }

    @Test
    void aRefusalIsCountedAndNotSentAgainWhileAServerErrorKeepsTheRequest() throws Exception {
        AtomicInteger status = new AtomicInteger(503);
        AtomicInteger requests = new AtomicInteger();
        HttpServer receiver = receiver(requests, status);
        try (AgentMetrics metrics = new AgentMetrics("test", "AS9198", "KZ", "home")) {
            RemoteWriter w = writer(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/write"), metrics,
                    new AtomicLong(Instant.now().toEpochMilli()));
            int samples = w.collect();
            assertThat(w.flush()).isFalse();
            assertThat(w.retryIn()).isPositive().isLessThanOrEqualTo(RemoteWriter.FIRST_BACKOFF);
            assertThat(w.flush()).isFalse();
            assertThat(w.retryIn()).isLessThanOrEqualTo(RemoteWriter.FIRST_BACKOFF.multipliedBy(2));
            assertThat(requests.get()).isEqualTo(2);
            status.set(429); // too many requests: retried too
            assertThat(w.flush()).isFalse();
            status.set(400);
            assertThat(w.flush()).isTrue();
            assertThat(counted.get("rejected")).isEqualTo(samples);
            assertThat(w.flush()).isTrue();
            assertThat(requests.get()).isEqualTo(4);
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * Issue 29, finding 4: a receiver (or anything in its place) answering with a body of 2 GB is
     * read to a bound, not whole: the request counts as sent, the connection is dropped after 64
     * KiB, and the server's writes fail long before its body ends.
     */
    @Test
    @Timeout(120)
    void anEndlessAnswerIsReadToABoundNotWhole() throws Exception {
        long declared = 2L << 30, sends = 256L << 20;
        AtomicLong written = new AtomicLong();
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                AgentMetrics metrics = new AgentMetrics("test", "AS9198", "KZ", "home")) {
            Thread answering = Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = server.accept()) {
                    org.blockwatch.sim.RawHttp.readRequest(s.getInputStream());
                    var out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) 'x');
                    // 256 MiB, then the connection is closed early (what a 2 GB body starts as).
                    while (written.get() < sends) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (java.io.IOException e) {
                    // the agent hung up: expected
                }
            });
            RemoteWriter w = writer(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api/v1/write"), metrics,
                    new AtomicLong(Instant.now().toEpochMilli()));
            int samples = w.collect();
            assertThat(w.flush()).as("a 200 sends the request, whatever its body").isTrue();
            assertThat(counted.get("sent")).isEqualTo(samples);
            answering.join();
            assertThat(written.get()).as("the agent stopped reading; the server's writes failed").isLessThan(sends);
        }
    }

    /**
     * Issue 29, finding 14: a body that trickles does not stall remote write: the whole exchange
     * has a deadline, the request stays on disk and is tried again with backoff.
     */
    @Test
    @Timeout(120)
    void aTricklingAnswerEndsWithinTheDeadlineAndTheRequestIsKept() throws Exception {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                AgentMetrics metrics = new AgentMetrics("test", "AS9198", "KZ", "home")) {
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = server.accept()) {
                    org.blockwatch.sim.RawHttp.readRequest(s.getInputStream());
                    var out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nx".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                    done.await(); // the rest never comes while the test runs
                } catch (java.io.IOException | InterruptedException e) {
                    // closed
                }
            });
            try {
                RemoteWriter w = writer(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api/v1/write"), metrics,
                        new AtomicLong(Instant.now().toEpochMilli())).timeout(Duration.ofSeconds(1));
                w.collect();
                long before = counted.get("buffered");
                assertThat(w.flush()).isFalse();
                assertThat(w.retryIn()).isPositive();
                assertThat(counted.getOrDefault("sent", 0L)).isZero();
                assertThat(counted.get("buffered")).isEqualTo(before);
            } finally {
                done.countDown();
            }
        }
    }

    @Test
    void noSeriesCarriesAnAddress() throws Exception {
        try (AgentMetrics metrics = new AgentMetrics("test", "AS9198", "KZ", "home")) {
            metrics.publish(TARGET, "NEWS", Status.BLOCKED, Method.DNS, Instant.now());
            List<Series> series = Samples.of(metrics.snapshot());
            assertThat(series).allSatisfy(s -> assertThat(s.labels().values()).noneMatch(v -> v.matches(".*\\b\\d{1,3}(\\.\\d{1,3}){3}\\b.*")));
        }
    }
}
