package org.blockwatch.agent.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.blockwatch.core.archival.MeasurementJson;

/**
 * A client of OONI's collector protocol (bk-003): open a report ({@code POST /report}), submit a
 * measurement to it ({@code POST /report/{id}}). A 2xx whose body is a JSON object with the
 * expected id ({@code report_id}; {@code measurement_uid} as OONI's backend answers, or
 * {@code measurement_id} as blockwatch's collector answered before it gave both) is {@link Ok}; a 4xx other than 408 and
 * 429 is {@link Rejected} (the collector will not take it, so it is not sent again); anything else
 * is {@link Failed} (tried again later): a 5xx, 408, 429, any 3xx (redirects are not followed: a
 * moved collector or an http-to-https redirect is not a refusal), a 2xx without the expected id
 * (an empty body, {@code {}}, {@code null}: whatever answered did not say it stored anything), a
 * timeout or a broken connection. An answer is read to {@value #MAX_ANSWER} bytes, and the whole
 * exchange, its body too, within the timeout. Thread-safe.
 */
public final class CollectorClient {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** A collector's answer is a small JSON object; more is not read. */
    private static final long MAX_ANSWER = 64 * 1024;

    public sealed interface Result permits Ok, Rejected, Failed {}

    /** Accepted: the report's or the measurement's id at the collector. */
    public record Ok(String id) implements Result {}

    /** Refused for good, with the status and what the collector said. */
    public record Rejected(int status, String why) implements Result {
        /** The collector does not know the report (it was closed, or forgotten): open another, then send again. */
        public boolean unknownReport() {
            return status == 404;
        }
    }

    public record Failed(String why) implements Result {}

    private final String base;
    private final String token;
    private final OkHttpClient http;

    /** @param base the collector's URL, e.g. {@code https://collector.example.org/} */
    public CollectorClient(String base, String token, Duration timeout) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.token = token;
        this.http = new OkHttpClient.Builder().callTimeout(timeout).retryOnConnectionFailure(false).followRedirects(false).build();
    }

    public String base() {
        return base;
    }

    /** Opens a report for measurements with these fields of a document (its network, software and test). */
    public Result open(java.util.Map<String, String> fields) {
        ObjectNode body = MeasurementJson.mapper().createObjectNode();
        body.put("data_format_version", fields.getOrDefault("data_format_version", "0.2.0"));
        body.put("format", "json");
        for (String field : new String[] {"probe_asn", "probe_cc", "software_name", "software_version", "test_name", "test_version",
                "test_start_time"}) {
            body.put(field, fields.getOrDefault(field, ""));
        }
        return post("report", body.toString(), "report_id");
    }

    /**
     * Submits one measurement to the collector's report {@code reportId}: its document as stored,
     * byte for byte, as the {@code content} (its own {@code report_id} is the probe's).
     */
    public Result submit(String reportId, String measurementJson) {
        return post("report/" + reportId, "{\"format\":\"json\",\"content\":" + measurementJson + "}", "measurement_uid", "measurement_id");
    }

    /** Posts {@code body}; Ok with the first of {@code idFields} the answer gives as a non-blank string. */
    private Result post(String path, String body, String... idFields) {
        Request.Builder request = new Request.Builder().url(base + path).post(RequestBody.create(body, JSON));
        if (token != null) request.header("Authorization", "Bearer " + token);
        try (Response r = http.newCall(request.build()).execute(); ResponseBody answer = r.body()) {
            answer.source().request(MAX_ANSWER);
            String text = answer.source().getBuffer().readUtf8(Math.min(MAX_ANSWER, answer.source().getBuffer().size()));
            int code = r.code();
            if (code < 200 || code >= 500 || code == 429 || code == 408) return new Failed("HTTP " + code + error(text));
            if (code >= 300 && code < 400) {
                String to = r.header("Location");
                return new Failed("HTTP " + code + (to == null ? "" : " to " + to) + " (redirects are not followed)");
            }
            if (code >= 400) return new Rejected(code, "HTTP " + code + error(text));
            JsonNode json;
            try {
                json = MeasurementJson.mapper().readTree(text);
            } catch (IOException e) {
                json = null;
            }
            for (String field : idFields) {
                JsonNode id = json == null || !json.isObject() ? null : json.get(field);
                if (id != null && id.isTextual() && !id.asText().isBlank()) return new Ok(id.asText());
            }
            return new Failed("HTTP " + code + " without a " + String.join(" or ", idFields) + " in its answer (" + text.length() + " bytes); not taken as stored");
        } catch (IOException e) {
            return new Failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static String error(String text) {
        try {
            JsonNode json = MeasurementJson.mapper().readTree(text);
            String e = json == null ? "" : json.path("error").asText("");
            return e.isEmpty() ? "" : ": " + e;
        } catch (IOException ignored) {
            return "";
        }
    }
}
