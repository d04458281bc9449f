package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.failure.Operation;

/**
 * One HTTP round trip to one address. {@code response} is null when no response head arrived;
 * a failure while reading the body keeps the head and the part of the body that arrived.
 */
public record HttpTransaction(
        String network,
        String address,
        String alpn,
        Request request,
        Response response,
        String failure,
        @JsonProperty("x_timings") Map<String, Double> timings,
        double t0,
        double t,
        long transactionId) {

    public record Request(String method, String url, HttpHeaders headersList, String body, boolean bodyIsTruncated) {
        @JsonProperty("headers")
        public Map<String, String> headers() {
            return headersList.firstValues();
        }
    }

    /**
     * {@code title} is read in {@code charset} ({@code x_charset}: the page's charset as a browser
     * finds it, {@link org.blockwatch.core.http.PageCharset}; null where no page was read as text).
     */
    public record Response(
            int code,
            HttpHeaders headersList,
            HttpBody body,
            boolean bodyIsTruncated,
            @JsonProperty("x_title") String title,
            @JsonProperty("x_charset") @JsonInclude(JsonInclude.Include.NON_NULL) String charset) {
        /** A response whose text was not read in any charset of its own. */
        public Response(int code, HttpHeaders headersList, HttpBody body, boolean bodyIsTruncated, String title) {
            this(code, headersList, body, bodyIsTruncated, title, null);
        }

        @JsonProperty("headers")
        public Map<String, String> headers() {
            return headersList.firstValues();
        }

        public boolean isRedirect() {
            return switch (code) {
                case 301, 302, 303, 307, 308 -> headersList.first("Location") != null;
                default -> false;
            };
        }
    }

    public HttpTransaction {
        timings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timings));
    }

    /** The hop's URL. */
    public String url() {
        return request.url();
    }

    /** OONI's {@code failed_operation}: the operation this record's failure happened in; null when it succeeded. */
    @JsonProperty("failed_operation")
    public Operation failedOperation() {
        return failure == null ? null : Operation.HTTP_ROUND_TRIP;
    }
}
