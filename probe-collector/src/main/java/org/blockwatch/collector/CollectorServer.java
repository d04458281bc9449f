package org.blockwatch.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.blockwatch.helper.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OONI's collector protocol (bk-003) over HTTP, on virtual threads: {@code POST /report} opens a
 * report, {@code POST /report/{id}} stores a measurement of an open report (checked first:
 * size, JSON, required fields and types, the report's id; a repeat is recognised by its
 * {@code measurement_uid} and answered 200 with the same id), {@code POST /report/{id}/close}
 * closes one (legacy). Also {@code GET /measurements/{uid}} (the stored document, for dashboards'
 * links) and {@code GET /metrics}. Bad input gets a 4xx with {@code {"error": ...}} and nothing is
 * stored. With tokens, each probe has its own bearer token, and may submit only to its own
 * reports. Requests per probe (or per client address without tokens) are rate-limited. Client
 * addresses are never logged or stored. Put it behind a TLS reverse proxy to expose it.
 */
public final class CollectorServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CollectorServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPORT = Pattern.compile("/report/([A-Za-z0-9_-]{1,200})");
    private static final Pattern CLOSE = Pattern.compile("/report/([A-Za-z0-9_-]{1,200})/close");
    private static final Pattern MEASUREMENT = Pattern.compile("/measurements/([0-9A-Za-z._-]{1,128})");

    /** Limits: a submission's bytes (after gzip), requests per probe per minute; {@code tokens}: probe name to token, empty for none. */
    public record Limits(int maxSubmissionBytes, int perProbePerMinute, Map<String, String> tokens) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CollectorStore store;
    private final Limits limits;
    private final RateLimiter rate;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public CollectorServer(InetSocketAddress listen, CollectorStore store, Limits limits) throws IOException {
        this.store = store;
        this.limits = limits;
        this.rate = new RateLimiter(limits.perProbePerMinute());
        Gauge.builder("blockwatch_collector_ready", store, s -> s.ready() ? 1 : 0)
                .description("1 while the collector's database answers").register(metrics);
        this.server = HttpServer.create(listen, 1024); // a backlog that a burst of connections does not overflow
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void count(String result) {
        Counter.builder("blockwatch_collector_submissions").tag("result", result)
                .description("Measurements submitted, by result: stored, repeat (already stored), rejected (4xx), failed (5xx)")
                .register(metrics).increment();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            if (method.equals("GET") && path.equals("/metrics")) {
                reply(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
                return;
            }
            if (method.equals("GET") && path.equals("/ready")) {
                if (store.ready()) reply(x, 200, "text/plain", "ready\n");
                else error(x, 503, "the database does not answer");
                return;
            }
            Optional<String> probe = probe(x);
            if (probe == null) {
                error(x, 401, "a valid bearer token is required");
                return;
            }
            String client = probe.orElse(x.getRemoteAddress().getAddress().getHostAddress());
            if (!rate.tryAcquire(client, System.nanoTime())) {
                error(x, 429, "too many requests");
                return;
            }
            Matcher m;
            if (method.equals("GET") && (m = MEASUREMENT.matcher(path)).matches()) {
                Optional<String> doc = store.measurement(m.group(1));
                if (doc.isPresent()) reply(x, 200, "application/json", doc.get());
                else error(x, 404, "no such measurement");
            } else if (!method.equals("POST")) {
                x.getResponseHeaders().add("Allow", "POST");
                error(x, 405, "POST /report, POST /report/{id}, GET /measurements/{uid}");
            } else if (path.equals("/report")) {
                open(x, probe);
            } else if ((m = CLOSE.matcher(path)).matches()) {
                if (store.report(m.group(1)).isPresent()) reply(x, 200, "application/json", "{\"status\":\"success\"}");
                else error(x, 404, "no such report");
            } else if ((m = REPORT.matcher(path)).matches()) {
                submit(x, m.group(1), probe);
            } else {
                error(x, 404, "not found");
            }
        } catch (SQLException e) {
            count("failed");
            log.warn("collector: the database failed: {}", e.getMessage());
            error(x, 500, "the database failed; try again later");
        } catch (IOException | RuntimeException e) {
            log.warn("collector: a request failed: {}", e.toString());
        }
    }

    /** The probe a request's token names: empty without tokens, null when a token is required and missing or wrong. */
    private Optional<String> probe(HttpExchange x) {
        if (limits.tokens().isEmpty()) return Optional.empty();
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (auth == null) return null;
        byte[] given = auth.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, String> t : limits.tokens().entrySet()) {
            if (MessageDigest.isEqual(("Bearer " + t.getValue()).getBytes(StandardCharsets.UTF_8), given)) return Optional.of(t.getKey());
        }
        return null;
    }

    private void open(HttpExchange x, Optional<String> probe) throws IOException, SQLException {
        JsonNode body = body(x, 64 * 1024);
        if (body == null) return;
        if (!body.isObject()) {
            error(x, 400, "a JSON object is required");
            return;
        }
        if (!"json".equals(body.path("format").asText())) {
            error(x, 400, "format: only \"json\" is supported");
            return;
        }
        for (String field : new String[] {"probe_asn", "probe_cc", "software_name", "software_version", "test_name"}) {
            if (!body.path(field).isTextual() || body.path(field).asText().isEmpty()) {
                error(x, 400, field + ": a non-empty string is required");
                return;
            }
        }
        if (!body.path("probe_asn").asText().matches("AS\\d{1,10}") || !body.path("probe_cc").asText().matches("[A-Z]{2}")) {
            error(x, 400, "probe_asn and probe_cc must be like AS64500 and KZ");
            return;
        }
        String id = store.openReport(body.path("probe_asn").asText(), body.path("probe_cc").asText(), body.path("software_name").asText(),
                body.path("software_version").asText(), body.path("test_name").asText(), probe.orElse(null));
        reply(x, 200, "application/json", "{\"backend_version\":\"blockwatch\",\"report_id\":\"" + id + "\",\"supported_formats\":[\"json\"]}");
    }

    private void submit(HttpExchange x, String reportId, Optional<String> probe) throws IOException, SQLException {
        byte[] data = bytes(x, limits.maxSubmissionBytes());
        if (data == null) {
            count("rejected");
            return;
        }
        Envelope envelope;
        try {
            envelope = Envelope.read(data);
        } catch (IOException e) {
            count("rejected");
            error(x, 400, "not JSON");
            return;
        }
        Optional<Optional<String>> report = store.report(reportId);
        if (report.isEmpty()) {
            count("rejected");
            error(x, 404, "no such open report");
            return;
        }
        if (probe.isPresent() && !probe.equals(report.get())) {
            count("rejected");
            error(x, 403, "the report belongs to another probe");
            return;
        }
        if (!"json".equals(envelope.format())) {
            count("rejected");
            error(x, 400, "{\"format\":\"json\",\"content\":{...}} is required");
            return;
        }
        Submission s;
        try {
            s = Submission.check(envelope.content(), reportId, envelope.contentText());
        } catch (Submission.Invalid e) {
            count("rejected");
            error(x, 400, e.getMessage());
            return;
        }
        boolean stored;
        try {
            stored = store.store(s);
        } catch (SQLException e) {
            // A data exception (class 22: a lone surrogate, say) is the submission's, and would fail again.
            if (e.getSQLState() == null || !e.getSQLState().startsWith("22")) throw e;
            count("rejected");
            error(x, 400, "content: the database refuses it: " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        count(stored ? "stored" : "repeat");
        reply(x, 200, "application/json", "{\"measurement_id\":" + JSON.writeValueAsString(s.uid()) + "}");
    }

    /** The request's JSON (gunzipped when sent so), or null after answering 413 or 400. */
    private JsonNode body(HttpExchange x, int limit) throws IOException {
        byte[] data = bytes(x, limit);
        if (data == null) return null;
        try {
            JsonNode json = JSON.readTree(data);
            if (json == null) throw new IOException("empty");
            return json;
        } catch (IOException e) {
            error(x, 400, "not JSON");
            return null;
        }
    }

    /** The request's body (gunzipped when sent so), or null after answering 413 or 400. */
    private byte[] bytes(HttpExchange x, int limit) throws IOException {
        String declared = x.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > limit) {
            tooLarge(x, limit);
            return null;
        }
        InputStream in = x.getRequestBody();
        if ("gzip".equalsIgnoreCase(x.getRequestHeaders().getFirst("Content-Encoding"))) in = new GZIPInputStream(in);
        byte[] data;
        try {
            data = in.readNBytes(limit + 1);
        } catch (IOException e) {
            error(x, 400, "the body could not be read: " + e.getClass().getSimpleName());
            return null;
        }
        if (data.length > limit) {
            tooLarge(x, limit);
            return null;
        }
        return data;
    }

    /**
     * 413, after reading what is left of the body (up to four times the limit, then the connection
     * is closed): a client still sending when the answer comes would otherwise get a reset, not the 413.
     */
    private static void tooLarge(HttpExchange x, int limit) throws IOException {
        try {
            x.getRequestBody().skipNBytes(Math.min(Long.MAX_VALUE, 4L * limit));
        } catch (java.io.EOFException drained) {
            // all of it was read: the client will read the answer
        } catch (IOException ignored) {
            // the client went away
        }
        x.getResponseHeaders().set("Connection", "close");
        error(x, 413, "a submission is at most " + limit + " bytes");
    }

    private static void error(HttpExchange x, int status, String message) throws IOException {
        reply(x, status, "application/json", "{\"error\":" + JSON.writeValueAsString(message) + "}");
    }

    private static void reply(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        metrics.close();
    }
}
