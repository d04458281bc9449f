package org.blockwatch.agent.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * OONI's collector as bk-003 specifies it, on loopback, standing in for OONI's backend (which
 * cannot run here): {@code POST /report} opens a report and answers its id, {@code POST
 * /report/{id}} stores a measurement of an open report and answers its {@code measurement_uid}
 * (as OONI's backend does: {@code {"measurement_uid": ...}} and nothing else),
 * anything else is a 4xx. A measurement whose {@code measurement_uid} it already holds is
 * recognised and answered with the same id, so a repeat is never stored twice. {@code fault}
 * decides, per submission, to answer a status instead (500 after storing: the answer is lost).
 */
public final class OoniCollectorStub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Set<String> reports = ConcurrentHashMap.newKeySet();
    /** measurement_uid -> the content's text exactly as it came on the wire. */
    public final Map<String, String> storedText = new ConcurrentHashMap<>();
    /** measurement_uid -> the report of the URL it came to. */
    public final Map<String, String> storedUnder = new ConcurrentHashMap<>();

    /** The text of the submission's {@code content}, cut from the body at the parser's offsets. */
    private static String contentText(String body) throws IOException {
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(body)) {
            p.nextToken();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                if (field.equals("content")) return body.substring(start, (int) p.currentLocation().getCharOffset());
            }
        }
        return null;
    }

    /** measurement_uid -> the stored content. */
    public final Map<String, JsonNode> stored = new ConcurrentHashMap<>();
    final Map<String, String> ids = new ConcurrentHashMap<>();
    final AtomicInteger submissions = new AtomicInteger();
    volatile Function<JsonNode, Integer> fault = m -> 200;
    volatile boolean storeBeforeFault;

    /** An answer given instead of the protocol's, storing nothing (something else in the collector's place). */
    record Answer(int status, String body, String location) {}

    /** When set, answers every {@code POST /report/{id}} instead (null: the protocol's answer). */
    volatile Function<JsonNode, Answer> submitAnswer;
    /** When set, answers every {@code POST /report} instead (null: the protocol's answer). */
    volatile Answer openAnswer;
    private final HttpServer server;

    public OoniCollectorStub() throws IOException {
        this(0);
    }

    OoniCollectorStub(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            JsonNode body;
            String raw;
            try {
                raw = new String(x.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                body = JSON.readTree(raw);
            } catch (IOException e) {
                answer(x, 400, "{\"error\":\"not JSON\"}");
                return;
            }
            if (!x.getRequestMethod().equals("POST") || body == null || !body.isObject()) {
                answer(x, 400, "{\"error\":\"a JSON object by POST\"}");
            } else if (path.equals("/report") && openAnswer != null) {
                answer(x, openAnswer);
            } else if (path.startsWith("/report/") && submitAnswer != null) {
                submissions.incrementAndGet();
                answer(x, submitAnswer.apply(body.path("content")));
            } else if (path.equals("/report")) {
                if (!body.path("format").asText().equals("json") || body.path("probe_asn").asText().isEmpty()) {
                    answer(x, 400, "{\"error\":\"format and probe_asn required\"}");
                    return;
                }
                String id = "20261201T000000Z_" + body.path("probe_asn").asText() + "_" + UUID.randomUUID().toString().replace("-", "")
                        + UUID.randomUUID().toString().replace("-", "");
                reports.add(id);
                answer(x, 200, "{\"backend_version\":\"0.0.1\",\"report_id\":\"" + id + "\",\"supported_formats\":[\"json\"]}");
            } else if (path.startsWith("/report/")) {
                String report = path.substring("/report/".length());
                JsonNode content = body.path("content");
                if (!reports.contains(report)) {
                    answer(x, 404, "{\"error\":\"no such open report\"}");
                } else if (!content.isObject() || content.path("report_id").asText().isEmpty()) {
                    // As OONI's collector: the report is the URL's; the content keeps the probe's own report_id.
                    answer(x, 400, "{\"error\":\"content: an object with its report_id\"}");
                } else {
                    submissions.incrementAndGet();
                    int status = fault.apply(content);
                    String uid = content.path("measurement_uid").asText();
                    if (status == 200 || storeBeforeFault) {
                        stored.putIfAbsent(uid, content);
                        storedText.putIfAbsent(uid, contentText(raw));
                        storedUnder.putIfAbsent(uid, report);
                        ids.putIfAbsent(uid, UUID.randomUUID().toString().substring(0, 16));
                    }
                    if (status != 200) answer(x, status, "{\"error\":\"fault " + status + "\"}");
                    else answer(x, 200, "{\"measurement_uid\":\"" + ids.get(uid) + "\"}");
                }
            } else {
                answer(x, 404, "{}");
            }
        }
    }

    private static void answer(HttpExchange x, Answer a) throws IOException {
        if (a.location() != null) x.getResponseHeaders().set("Location", a.location());
        byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(a.status(), b.length == 0 ? -1 : b.length);
        if (b.length > 0) x.getResponseBody().write(b);
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    /** Forgets every open report (a collector restarted without its state). */
    void forgetReports() {
        reports.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
