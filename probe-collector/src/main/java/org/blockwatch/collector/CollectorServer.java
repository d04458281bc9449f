package org.blockwatch.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blockwatch.helper.ClientAddress;
import org.blockwatch.helper.RateLimiter;
import org.blockwatch.helper.http.PublicServer;
import org.blockwatch.helper.http.Replies;
import org.blockwatch.helper.http.RequestBody;
import org.blockwatch.helper.http.ServerLimits;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OONI's collector protocol (bk-003, and what OONI's backend answers today) over HTTP, on a
 * {@link PublicServer} (Jetty, a virtual thread per request): {@code POST /report} opens a report
 * (its id in OONI's shape of today, {@link ReportIds}), {@code POST /report/{id}} stores a
 * measurement of an open report (checked first: size, JSON, required fields and types, the
 * report's id, a plausible time) and answers its {@code measurement_uid}: the probe's, or, for an
 * OONI probe's submission without one, one the collector assigns ({@link Submission}); a repeat is
 * recognised and answered 200 with the same uid. {@code POST /report/{id}/close} closes one
 * (legacy). Also {@code GET /measurements/{uid}} (the stored document, for dashboards' links;
 * with tokens: a probe's token reads that probe's measurements, the read token all of them, and a
 * link signed by the database ({@link MeasurementLinks}) the one it names), {@code GET /ready} and
 * {@code GET /metrics}. Bad input gets a 4xx with {@code {"error": ...}} and nothing is stored; a
 * database that fails gets a 5xx. With tokens, each probe has its own bearer token, and may submit
 * only to its own reports. Requests per probe (or per client address without a valid token, wrong
 * tokens included) are rate-limited. Client addresses are never logged or stored.
 */
public final class CollectorServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CollectorServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPORT = Pattern.compile("/report/([A-Za-z0-9_-]{1,200})");
    private static final Pattern CLOSE = Pattern.compile("/report/([A-Za-z0-9_-]{1,200})/close");
    private static final Pattern MEASUREMENT = Pattern.compile("/measurements/([0-9A-Za-z._-]{1,128})");
    /** Opening a report: a small JSON object. */
    static final int MAX_OPEN_BYTES = 64 * 1024;

    /**
     * Limits: a submission's bytes (after decoding), requests per probe per minute; {@code tokens}:
     * probe name to token, empty for none; {@code readToken}: the token that reads stored
     * measurements when tokens are on (null: none can); {@code trustedProxies}: reverse proxies
     * whose {@code X-Forwarded-For} names the client; {@code bodyBytesAtOnce}: request bodies held
     * at once (503 beyond).
     */
    public record Limits(int maxSubmissionBytes, int perProbePerMinute, Map<String, String> tokens, String readToken, Set<String> trustedProxies,
            long bodyBytesAtOnce) {
        public Limits {
            tokens = Map.copyOf(tokens);
            trustedProxies = Set.copyOf(trustedProxies);
            if (bodyBytesAtOnce < maxSubmissionBytes) throw new IllegalArgumentException("bodyBytesAtOnce must hold one submission at least");
        }

        public Limits(int maxSubmissionBytes, int perProbePerMinute, Map<String, String> tokens) {
            this(maxSubmissionBytes, perProbePerMinute, tokens, null, Set.of(), defaultBodyBytes(maxSubmissionBytes));
        }

        /** Four of the largest submissions, and 16 MiB at least (hundreds of ordinary 20-60 KB ones). */
        public static long defaultBodyBytes(int maxSubmissionBytes) {
            return Math.max(4L * maxSubmissionBytes, 16L * 1024 * 1024);
        }
    }

    private final PublicServer server;
    private final CollectorStore store;
    private final Limits limits;
    private final ServerLimits serverLimits;
    private final RateLimiter rate;
    private final ByteBudget bodies;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Every status a route may answer, each route's counters there at 0 from the start (an increase() sees the first one). */
    static final int[] STATUSES = {200, 400, 401, 403, 404, 405, 408, 413, 415, 429, 500, 503};
    private final Map<Route, Map<Integer, Counter>> requests = new EnumMap<>(Route.class);
    private final Map<Route, Counter> databaseErrors = new EnumMap<>(Route.class);
    private final Map<String, Counter> submissions = new java.util.HashMap<>();
    private final Counter assigned;
    private final Timer ingest;

    /** On plain HTTP with the default connection limits (tests, labs). */
    public CollectorServer(InetSocketAddress listen, CollectorStore store, Limits limits) throws IOException {
        this(new PublicServer.Options(listen, ServerLimits.defaults()), store, limits);
    }

    public CollectorServer(PublicServer.Options options, CollectorStore store, Limits limits) throws IOException {
        this.store = store;
        this.limits = limits;
        this.rate = new RateLimiter(limits.perProbePerMinute());
        this.bodies = new ByteBudget(limits.bodyBytesAtOnce());
        Gauge.builder("blockwatch_collector_ready", store, s -> s.ready() ? 1 : 0)
                .description("1 while the collector's database answers").register(metrics);
        Gauge.builder("blockwatch_collector_body_bytes_free", bodies, b -> b.availableKib() * 1024.0)
                .description("Bytes of request bodies the collector may still hold at once (503 when a body does not fit)").register(metrics);
        for (Route r : Route.values()) {
            Map<Integer, Counter> byStatus = new java.util.HashMap<>();
            for (int status : STATUSES) byStatus.put(status, requestCounter(r, status));
            requests.put(r, byStatus);
            if (r.database) {
                databaseErrors.put(r, Counter.builder("blockwatch_collector_database_errors").tag("route", r.template)
                        .description("Requests that failed because the database did, by route").register(metrics));
            }
        }
        for (String result : new String[] {"stored", "repeat", "rejected", "failed"}) {
            submissions.put(result, Counter.builder("blockwatch_collector_submissions").tag("result", result)
                    .description("Measurements submitted, by result: stored, repeat (already stored), rejected (4xx), failed (5xx)").register(metrics));
        }
        assigned = Counter.builder("blockwatch_collector_uids_assigned")
                .description("Measurements stored under a measurement_uid the collector assigned (OONI probes send none)").register(metrics);
        ingest = Timer.builder("blockwatch_collector_ingest")
                .description("From a submission's first byte read to its row committed (stored or recognised as a repeat)")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
                        Duration.ofSeconds(10))
                .register(metrics);
        java.util.Set<String> uncapped = new java.util.HashSet<>(options.limits().uncapped());
        uncapped.addAll(limits.trustedProxies()); // a trusted proxy carries many clients
        this.serverLimits = options.limits().withUncapped(uncapped);
        this.server = new PublicServer("collector", new PublicServer.Options(options.listen(), serverLimits, options.tls(), options.accessLog()),
                new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        CollectorServer.this.handle(request, response, callback);
                        return true;
                    }
                });
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return server.scheme();
    }

    private Counter requestCounter(Route r, int status) {
        return Counter.builder("blockwatch_collector_requests").tag("route", r.template).tag("status", Integer.toString(status))
                .description("Requests answered, by route (a template, never a path's ids) and HTTP status").register(metrics);
    }

    private void count(String result) {
        submissions.get(result).increment();
    }

    /** A request's route: what the path names (as a template, the label of its metrics), and the methods it takes. */
    private enum Route {
        METRICS("/metrics", "GET, HEAD", false), READY("/ready", "GET, HEAD", false),
        MEASUREMENT("/measurements/{measurement_uid}", "GET, HEAD", true), OPEN("/report", "POST", true),
        CLOSE("/report/{report_id}/close", "POST", true), SUBMIT("/report/{report_id}", "POST", true),
        /** Any other path: 404. */
        OTHER("other", "", false);

        final String template;
        final String allow;
        final boolean database;
        private final Set<String> methods;

        Route(String template, String allow, boolean database) {
            this.template = template;
            this.allow = allow;
            this.database = database;
            this.methods = allow.isEmpty() ? Set.of() : Set.of(allow.split(", "));
        }

        boolean takes(String method) {
            return methods.contains(method);
        }
    }

    /** {@code callback}, counting the request by route and status once it is answered. */
    private Callback counted(Route route, Response response, Callback callback) {
        return new Callback() {
            private final java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();

            private void count() {
                if (!once.compareAndSet(false, true)) return;
                int status = response.getStatus();
                Counter c = requests.get(route).get(status);
                (c != null ? c : requestCounter(route, status)).increment();
            }

            @Override
            public void succeeded() {
                count();
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                count();
                callback.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
    }

    private void handle(Request request, Response response, Callback answered) {
        String path = Request.getPathInContext(request);
        Matcher m = null;
        Route route;
        if (path.equals("/metrics")) route = Route.METRICS;
        else if (path.equals("/ready")) route = Route.READY;
        else if (path.equals("/report")) route = Route.OPEN;
        else if ((m = CLOSE.matcher(path)).matches()) route = Route.CLOSE;
        else if ((m = REPORT.matcher(path)).matches()) route = Route.SUBMIT;
        else if ((m = MEASUREMENT.matcher(path)).matches()) route = Route.MEASUREMENT;
        else route = Route.OTHER;
        Callback callback = counted(route, response, answered);
        if (route == Route.OTHER) {
            // Unknown paths, odd ids included: a plain 404, never logged (scanners send plenty).
            Replies.error(response, callback, 404, "not found: POST /report, POST /report/{id}, GET /measurements/{uid}");
            return;
        }
        String method = request.getMethod();
        if (!route.takes(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, route.allow);
            Replies.error(response, callback, 405, path + " takes " + route.allow);
            return;
        }
        boolean submitting = route == Route.SUBMIT;
        try {
            switch (route) {
                case METRICS -> Replies.send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
                case READY -> {
                    if (store.ready()) Replies.send(response, callback, 200, "text/plain", "ready\n");
                    else Replies.error(response, callback, 503, "the database does not answer");
                }
                default -> {
                    Optional<String> who = admit(request, response, callback, route);
                    if (who == null) return;
                    switch (route) {
                        case MEASUREMENT -> {
                            Optional<CollectorStore.Document> doc = store.measurement(m.group(1));
                            if (doc.isEmpty()) Replies.error(response, callback, 404, "no such measurement");
                            else if (who.isPresent() && !who.get().equals(doc.get().probe())) {
                                Replies.error(response, callback, 403, "the measurement belongs to another probe");
                            } else Replies.send(response, callback, 200, "application/json", doc.get().json());
                        }
                        case OPEN -> open(request, response, callback, who);
                        case CLOSE -> {
                            if (store.report(m.group(1)).isPresent()) Replies.send(response, callback, 200, "application/json", "{\"status\":\"success\"}");
                            else Replies.error(response, callback, 404, "no such report");
                        }
                        default -> submit(request, response, callback, m.group(1), who);
                    }
                }
            }
        } catch (SQLException e) {
            if (submitting) count("failed");
            Counter errors = databaseErrors.get(route);
            if (errors != null) errors.increment();
            log.warn("collector: the database failed: {}", e.getMessage());
            fail(response, callback, 500, "the database failed; try again later", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(response, callback, 503, "the collector is stopping; try again later", e);
        } catch (IOException | RuntimeException e) {
            if (submitting) count("failed");
            log.warn("collector: a request failed: {}", e.toString());
            fail(response, callback, 500, "the collector failed; try again later", e);
        }
    }

    /** A 5xx while the answer can still be sent (it can unless the failure came while sending it). */
    private static void fail(Response response, Callback callback, int status, String message, Exception e) {
        if (response.isCommitted()) {
            callback.failed(e);
            return;
        }
        Replies.closing(response);
        Replies.error(response, callback, status, message);
    }

    /**
     * The token and the rate limit: the probe the request's token names (empty without tokens; for
     * reads, empty with the read token or a valid signed link: every measurement), or null after
     * answering 401 or 429. Every request counts against a rate: a valid probe token's, else the
     * client address's, so that wrong tokens are limited like any other request.
     */
    private Optional<String> admit(Request request, Response response, Callback callback, Route route) {
        String address = ClientAddress.of(ClientAddress.peer(request), request.getHeaders().getValuesList("X-Forwarded-For"), limits.trustedProxies());
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        Optional<String> who;
        String refusal = "a valid bearer token is required";
        if (limits.tokens().isEmpty()) who = Optional.empty();
        else if (route == Route.MEASUREMENT) {
            org.eclipse.jetty.util.Fields query;
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                // A query string that does not decode (%zz): no link in it.
                query = new org.eclipse.jetty.util.Fields(true);
                query.add("sig", "");
            }
            if (query.get("sig") != null || query.get("expires") != null) {
                String uid = MEASUREMENT.matcher(Request.getPathInContext(request)).replaceFirst("$1");
                MeasurementLinks.Check link = store.links().check(uid, query.getValue("expires"), query.getValue("sig"), Instant.now());
                who = link == MeasurementLinks.Check.VALID ? Optional.empty() : null;
                refusal = link == MeasurementLinks.Check.EXPIRED ? "the link has expired: reload the dashboard for a new one" : "the link's signature is not valid";
            } else if (matches(auth, limits.readToken())) {
                who = Optional.empty();
            } else {
                who = probe(auth);
                refusal = "the read token, a probe's token or a signed link is required";
            }
        } else who = probe(auth);
        String key = who != null && who.isPresent() ? "probe " + who.get() : "address " + address;
        if (!rate.tryAcquire(key, System.nanoTime())) {
            Replies.error(response, callback, 429, "too many requests");
            return null;
        }
        if (who == null) {
            Replies.error(response, callback, 401, refusal);
            return null;
        }
        return who;
    }

    /** The probe a token names, or null when it names none. */
    private Optional<String> probe(String auth) {
        if (auth == null) return null;
        for (Map.Entry<String, String> t : limits.tokens().entrySet()) {
            if (matches(auth, t.getValue())) return Optional.of(t.getKey());
        }
        return null;
    }

    /** Whether {@code auth} is {@code Bearer token}, compared in constant time. */
    private static boolean matches(String auth, String token) {
        return auth != null && token != null
                && MessageDigest.isEqual(("Bearer " + token).getBytes(StandardCharsets.UTF_8), auth.getBytes(StandardCharsets.UTF_8));
    }

    /** The body, within the byte budget: null after answering (413, 503, 408, 415, 400). */
    private byte[] body(Request request, Response response, Callback callback, int limit) throws InterruptedException {
        long declared = RequestBody.declared(request);
        if (declared > limit) {
            RequestBody.refuse(request, response, callback, new RequestBody.Refusal(413, "a submission is at most " + limit + " bytes", true), limit,
                    serverLimits);
            return null;
        }
        try (ByteBudget.Lease lease = bodies.tryTake(declared >= 0 ? declared : limit)) {
            if (lease == null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
                Replies.closing(response); // the body is not read
                Replies.error(response, callback, 503, "busy: too many uploads at once; try again later");
                return null;
            }
            return switch (RequestBody.read(request, limit, serverLimits)) {
                case RequestBody.Bytes bytes -> bytes.data();
                case RequestBody.Refusal refusal -> {
                    String message = refusal.status() == 413 ? "a submission is at most " + limit + " bytes" : refusal.message();
                    RequestBody.refuse(request, response, callback, new RequestBody.Refusal(refusal.status(), message, refusal.close()), limit,
                            serverLimits);
                    yield null;
                }
            };
        }
    }

    private void open(Request request, Response response, Callback callback, Optional<String> probe) throws InterruptedException, SQLException {
        byte[] data = body(request, response, callback, MAX_OPEN_BYTES);
        if (data == null) return;
        JsonNode body;
        try {
            body = JSON.readTree(data);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            Replies.error(response, callback, 400, body == null ? "not JSON" : "a JSON object is required");
            return;
        }
        if (!"json".equals(body.path("format").asText())) {
            Replies.error(response, callback, 400, "format: only \"json\" is supported");
            return;
        }
        for (String field : new String[] {"probe_asn", "probe_cc", "software_name", "software_version", "test_name"}) {
            if (!body.path(field).isTextual() || body.path(field).asText().isEmpty()) {
                Replies.error(response, callback, 400, field + ": a non-empty string is required");
                return;
            }
        }
        // bk-003's alphabet: the test name goes into the report's id.
        if (!ReportIds.NAME.matcher(body.path("test_name").asText()).matches()) {
            Replies.error(response, callback, 400, "test_name: letters, digits and _ . + - only, at most 64 (like web_connectivity)");
            return;
        }
        if (!body.path("probe_asn").asText().matches("AS\\d{1,10}") || !body.path("probe_cc").asText().matches("[A-Z]{2}")) {
            Replies.error(response, callback, 400, "probe_asn and probe_cc must be like AS64500 and KZ");
            return;
        }
        String id = store.openReport(body.path("probe_asn").asText(), body.path("probe_cc").asText(), Submission.clean(body.path("software_name").asText()),
                Submission.clean(body.path("software_version").asText()), Submission.clean(body.path("test_name").asText()), probe.orElse(null));
        Replies.send(response, callback, 200, "application/json",
                "{\"backend_version\":\"blockwatch\",\"report_id\":\"" + id + "\",\"supported_formats\":[\"json\"]}");
    }

    private void submit(Request request, Response response, Callback callback, String reportId, Optional<String> probe)
            throws IOException, InterruptedException, SQLException {
        long started = System.nanoTime();
        byte[] data = body(request, response, callback, limits.maxSubmissionBytes());
        if (data == null) {
            count("rejected");
            return;
        }
        Envelope envelope;
        try {
            envelope = Envelope.read(data);
        } catch (IOException e) {
            reject(response, callback, 400, "not JSON");
            return;
        }
        Optional<Optional<String>> report = store.report(reportId);
        if (report.isEmpty()) {
            reject(response, callback, 404, "no such open report");
            return;
        }
        if (probe.isPresent() && !probe.equals(report.get())) {
            reject(response, callback, 403, "the report belongs to another probe");
            return;
        }
        if (!"json".equals(envelope.format())) {
            reject(response, callback, 400, "{\"format\":\"json\",\"content\":{...}} is required");
            return;
        }
        Submission s;
        try {
            s = Submission.check(envelope.content(), reportId, envelope.contentText(), java.time.Instant.now());
        } catch (Submission.Invalid e) {
            reject(response, callback, 400, e.getMessage());
            return;
        }
        CollectorStore.Stored stored;
        try {
            stored = store.submit(s);
        } catch (SQLException e) {
            // A data exception (class 22: a lone surrogate, say) is the submission's, and would fail again.
            if (e.getSQLState() == null || !e.getSQLState().startsWith("22")) throw e;
            reject(response, callback, 400, "content: the database refuses it (" + dataProblem(e.getSQLState()) + ")");
            return;
        }
        ingest.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        count(stored.fresh() ? "stored" : "repeat");
        if (stored.fresh() && s.assigned()) assigned.increment();
        // measurement_uid as OONI's backend answers; measurement_id as blockwatch's agents before 0.x read it.
        String uid = JSON.writeValueAsString(stored.uid());
        Replies.send(response, callback, 200, "application/json", "{\"measurement_uid\":" + uid + ",\"measurement_id\":" + uid + "}");
    }

    /** What a PostgreSQL data exception means, in a few words: never its message, which may quote the statement. */
    private static String dataProblem(String sqlState) {
        return switch (sqlState) {
            case "22P05" -> "a character it cannot store";
            case "22P02", "22023" -> "a value of the wrong form";
            case "22001" -> "a value too long";
            case "22008" -> "a time out of range";
            default -> "SQLSTATE " + sqlState;
        };
    }

    private void reject(Response response, Callback callback, int status, String message) {
        count("rejected");
        Replies.error(response, callback, status, message);
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
    }
}
