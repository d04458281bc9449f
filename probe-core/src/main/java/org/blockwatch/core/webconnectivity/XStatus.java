package org.blockwatch.core.webconnectivity;

import com.fasterxml.jackson.databind.JsonNode;
import org.blockwatch.core.failure.Failure;

/**
 * OONI's {@code x_status}: the bit flags of Web Connectivity 0.4's summary, computed as probe-cli's
 * {@code webconnectivity.Summarize} (internal/experiment/webconnectivity/summary.go) computes them,
 * from a record's own test_keys, so that anyone can recompute them from the record. They are OONI's
 * classic reading of what was measured; blockwatch's own reading is {@code x_verdict}, and where the
 * two differ (a TLS failure blockwatch names, a throttled page) both are kept.
 *
 * <p>Two adaptations, neither of which changes the flags of a record of OONI's: blockwatch records
 * no request when the page could not be fetched at all (no address connected), where probe-cli
 * records a failed one, so then {@code http_experiment_failure} stands for the first request's
 * failure; and a measurement with no control at all ({@code control} null, {@code --no-control})
 * counts as one whose control could not be reached.
 */
public final class XStatus {
    public static final long SUCCESS_SECURE = 1;
    public static final long SUCCESS_CLEARTEXT = 1 << 1;
    public static final long SUCCESS_NXDOMAIN = 1 << 2;
    public static final long ANOMALY_CONTROL_UNREACHABLE = 1 << 3;
    public static final long ANOMALY_CONTROL_FAILURE = 1 << 4;
    public static final long ANOMALY_DNS = 1 << 5;
    public static final long ANOMALY_HTTP_DIFF = 1 << 6;
    public static final long ANOMALY_CONNECT = 1 << 7;
    public static final long ANOMALY_READ_WRITE = 1 << 8;
    public static final long ANOMALY_UNKNOWN = 1 << 9;
    public static final long ANOMALY_TLS_HANDSHAKE = 1 << 10;
    public static final long EXPERIMENT_DNS = 1 << 11;
    public static final long EXPERIMENT_CONNECT = 1 << 12;
    public static final long EXPERIMENT_HTTP = 1 << 13;
    public static final long BUG_NO_REQUESTS = 1 << 14;

    /** probe-cli's name for Android's NXDOMAIN. */
    private static final String ANDROID_DNS_CACHE_NO_DATA = "android_dns_cache_no_data";

    private XStatus() {}

    /** The flags of a Web Connectivity record's {@code test_keys}. */
    public static long of(JsonNode keys) {
        JsonNode requests = keys.path("requests");
        boolean anyRequest = requests.isArray() && !requests.isEmpty();
        String firstFailure = anyRequest ? text(requests.get(0).path("failure")) : text(keys.path("http_experiment_failure"));
        boolean anyFetch = anyRequest || firstFailure != null;
        if (anyRequest && firstFailure == null && requests.get(0).path("request").path("url").asText("").startsWith("https://")) {
            return SUCCESS_SECURE;
        }
        // No control asked at all (--no-control) is, for this reading, a control that could not be reached.
        if (text(keys.path("control_failure")) != null || !keys.path("control").isObject()) return ANOMALY_CONTROL_UNREACHABLE;
        String dnsFailure = text(keys.path("dns_experiment_failure"));
        String consistency = text(keys.path("dns_consistency"));
        boolean nxdomain = Failure.DNS_NXDOMAIN.equals(dnsFailure) || ANDROID_DNS_CACHE_NO_DATA.equals(dnsFailure);
        if (nxdomain && "consistent".equals(consistency)) return SUCCESS_NXDOMAIN | EXPERIMENT_DNS;
        if (nxdomain && "inconsistent".equals(consistency)) return ANOMALY_DNS | EXPERIMENT_DNS;
        int attempts = 0;
        int successes = 0;
        for (JsonNode c : keys.path("tcp_connect")) {
            attempts++;
            if (c.path("status").path("success").asBoolean(false)) successes++;
        }
        if (attempts > 0 && successes == 0 && consistency != null) {
            long status = ANOMALY_CONNECT | EXPERIMENT_CONNECT;
            return switch (consistency) {
                case "consistent" -> status;
                case "inconsistent" -> status | ANOMALY_DNS;
                default -> status | ANOMALY_UNKNOWN;
            };
        }
        if (text(keys.path("control").path("http_request").path("failure")) != null) return ANOMALY_CONTROL_FAILURE;
        if (!anyFetch) return BUG_NO_REQUESTS;
        if (firstFailure != null) {
            long status = EXPERIMENT_HTTP;
            boolean blamed = true;
            switch (firstFailure) {
                case Failure.CONNECTION_REFUSED -> status |= ANOMALY_CONNECT;
                case Failure.CONNECTION_RESET, Failure.EOF -> status |= ANOMALY_READ_WRITE;
                case Failure.DNS_NXDOMAIN -> status |= ANOMALY_DNS;
                case Failure.GENERIC_TIMEOUT -> status |= ANOMALY_UNKNOWN;
                case Failure.SSL_INVALID_HOSTNAME, Failure.SSL_INVALID_CERTIFICATE, Failure.SSL_UNKNOWN_AUTHORITY -> status |= ANOMALY_TLS_HANDSHAKE;
                default -> blamed = false;
            }
            // One request, a resolver not to be trusted: probe-cli bets on the DNS.
            int requestCount = anyRequest ? requests.size() : 1;
            if (blamed && requestCount == 1 && "inconsistent".equals(consistency)) status |= ANOMALY_DNS;
            return status;
        }
        if (keys.path("status_code_match").asBoolean(false) && (keys.path("body_length_match").asBoolean(false)
                || keys.path("headers_match").asBoolean(false) || keys.path("title_match").asBoolean(false))) {
            return SUCCESS_CLEARTEXT;
        }
        return "inconsistent".equals(consistency) ? ANOMALY_HTTP_DIFF | ANOMALY_DNS : ANOMALY_HTTP_DIFF;
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }
}
