package org.blockwatch.core.control.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A test helper's answer (OONI's TH protocol): the same steps, measured from outside. Failure
 * strings are the probe's own (legacy helper strings are mapped by {@link LegacyFailures}).
 * {@code timings} is blockwatch's extension ({@code x_timings}: seconds of the helper's own
 * {@code tls_handshake} and {@code http_response}), a reference for throttling; OONI's helpers
 * lack it, and then it is empty.
 */
public record ControlResponse(Dns dns, Map<String, TcpConnect> tcpConnect, Map<String, TlsHandshake> tlsHandshake,
        HttpRequest httpRequest, Map<String, IpInfo> ipInfo, @JsonProperty("x_timings") Map<String, Double> timings) {

    public ControlResponse(Dns dns, Map<String, TcpConnect> tcpConnect, Map<String, TlsHandshake> tlsHandshake, HttpRequest httpRequest,
            Map<String, IpInfo> ipInfo) {
        this(dns, tcpConnect, tlsHandshake, httpRequest, ipInfo, Map.of());
    }

    public ControlResponse {
        timings = timings == null ? Map.of() : Map.copyOf(timings);
        tcpConnect = tcpConnect == null ? Map.of() : Map.copyOf(tcpConnect);
        tlsHandshake = tlsHandshake == null ? Map.of() : Map.copyOf(tlsHandshake);
        ipInfo = ipInfo == null ? Map.of() : Map.copyOf(ipInfo);
        if (dns == null) dns = new Dns(null, List.of());
    }

    public record Dns(String failure, List<String> addrs) {
        public Dns {
            addrs = addrs == null ? List.of() : List.copyOf(addrs);
        }
    }

    public record TcpConnect(boolean status, String failure) {}

    public record TlsHandshake(String serverName, boolean status, String failure) {}

    /** {@code statusCode} and {@code bodyLength} are -1 when the request failed. */
    public record HttpRequest(long bodyLength, String failure, String title, Map<String, String> headers, int statusCode) {
        public HttpRequest {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        public boolean succeeded() {
            return failure == null && statusCode > 0;
        }
    }

    /** {@code flags}: 1 resolved by the probe, 2 by the helper, 4 bogon, 8 valid for the domain (TLS). */
    public record IpInfo(long asn, int flags) {
        public static final int RESOLVED_BY_PROBE = 1;
        public static final int RESOLVED_BY_HELPER = 2;
        public static final int BOGON = 4;
        public static final int VALID_FOR_DOMAIN = 8;
    }

    /** The response with every failure string put in the probe's terms. */
    public ControlResponse normalised() {
        Dns d = new Dns(LegacyFailures.dns(dns.failure()), dns.addrs());
        Map<String, TcpConnect> tcp = new java.util.HashMap<>();
        tcpConnect.forEach((k, v) -> tcp.put(k, v == null ? new TcpConnect(false, null) : new TcpConnect(v.status(), LegacyFailures.generic(v.failure()))));
        Map<String, TlsHandshake> tls = new java.util.HashMap<>();
        tlsHandshake.forEach((k, v) -> {
            if (v != null) tls.put(k, new TlsHandshake(v.serverName(), v.status(), LegacyFailures.generic(v.failure())));
        });
        HttpRequest h = httpRequest == null ? null : new HttpRequest(httpRequest.bodyLength(), LegacyFailures.generic(httpRequest.failure()),
                httpRequest.title(), httpRequest.headers(), httpRequest.statusCode());
        return new ControlResponse(d, tcp, tls, h, ipInfo, timings);
    }
}
