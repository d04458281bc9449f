package org.blockwatch.core.verdict;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.HttpBody;
import org.blockwatch.core.archival.HttpHeaders;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.PeerCertificate;
import org.blockwatch.core.archival.SniProbe;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.failure.Failure;

/** Hand-made observations and controls for the analysis' unit tests. */
final class Observations {
    private Observations() {}

    static HttpTransaction.Response response(int code, String body, String title, List<List<String>> headers) {
        return new HttpTransaction.Response(code, new HttpHeaders(headers), new HttpBody(body.getBytes(StandardCharsets.UTF_8)), false, title);
    }

    /** A response whose body was cut at the probe's body limit: {@code body} is what was kept. */
    static HttpTransaction.Response truncated(int code, String body, String title, List<List<String>> headers) {
        return new HttpTransaction.Response(code, new HttpHeaders(headers), new HttpBody(body.getBytes(StandardCharsets.UTF_8)), true, title);
    }

    static ControlResponse.HttpRequest control(int status, long length, String title, Map<String, String> headers) {
        return new ControlResponse.HttpRequest(length, null, title, headers, status);
    }

    static ControlResponse controlResponse(List<String> addrs, ControlResponse.HttpRequest http) {
        return new ControlResponse(new ControlResponse.Dns(null, addrs), Map.of(), Map.of(), http, Map.of());
    }

    /** A fetch of {@code url} that resolved to {@code address}, connected, and (for https) handshook. */
    static final class Builder {
        private final String url;
        private final String host;
        private final List<DnsQuery> queries = new ArrayList<>();
        private final List<TcpConnect> connects = new ArrayList<>();
        private final List<TlsHandshake> handshakes = new ArrayList<>();
        private final List<HttpTransaction> requests = new ArrayList<>();
        private final List<SniProbe> sniProbes = new ArrayList<>();
        private String dnsFailure;
        private String httpFailure;

        Builder(String url) {
            this.url = url;
            this.host = okhttp3.HttpUrl.get(url).host();
        }

        Builder resolved(String... ips) {
            List<DnsAnswer> answers = new ArrayList<>();
            for (String ip : ips) answers.add(DnsAnswer.a(ip, 60L));
            queries.add(new DnsQuery("udp", "127.0.0.1:53", host, "A", 0, answers, ips.length == 0 ? "dns_no_answer" : null, 0, 0.01, 1));
            return this;
        }

        Builder connected(String ip, int port, String failure) {
            connects.add(new TcpConnect(ip, port, new TcpConnect.Status(failure == null, failure, null), 0.01, 0.02, 2));
            return this;
        }

        Builder handshake(String ip, int port, String failure) {
            handshakes.add(new TlsHandshake("tcp", ip + ":" + port, host, List.of("h2"), failure == null ? "TLSv1.3" : "", "", "",
                    false, List.of(), null, failure, 0.02, 0.03, 3));
            return this;
        }

        Builder handshakeTaking(String ip, int port, double seconds) {
            handshakes.add(new TlsHandshake("tcp", ip + ":" + port, host, List.of("h2"), "TLSv1.3", "", "", false, List.of(), null, null,
                    0.02, 0.02 + seconds, 3));
            return this;
        }

        /** A follow-up fetch from {@code ip:port} under {@code sni} ("" for none): handshake time, bytes read and their time. */
        Builder sniProbe(String ip, int port, String sni, double handshake, long bytes, double seconds, String failure) {
            sniProbes.add(new SniProbe(sni, ip + ":" + port, handshake, bytes, seconds, failure, 1.0, 1.0 + handshake + seconds, 9,
                    SniProbe.THROTTLING, null, "", ""));
            return this;
        }

        /** A handshake with the site's name that got {@code chain} (as sent) and failed with {@code failure}, or not. */
        Builder handshakeWithChain(String ip, int port, String failure, List<PeerCertificate> chain) {
            handshakes.add(new TlsHandshake("tcp", ip + ":" + port, host, List.of("h2"), failure == null ? "TLSv1.3" : "", "", "",
                    false, chain, null, failure, 0.02, 0.03, 3));
            return this;
        }

        /** A handshake of the follow-up after a failed handshake, on {@code ip:port} under {@code sni} ("" for none), without a chain. */
        Builder nameProbe(String ip, int port, String sni, String failure) {
            return nameProbe(ip, port, sni, failure, null, "", "");
        }

        /** The same with the chain it got: how it fared for the name sent, its leaf's SHA-256, the root it claims. */
        Builder nameProbe(String ip, int port, String sni, String failure, String certificateFailure, String leafSha256, String chainIssuer) {
            double handshake = Failure.GENERIC_TIMEOUT.equals(failure) ? 4.0 : 0.02;
            sniProbes.add(new SniProbe(sni, ip + ":" + port, handshake, 0, 0, failure, 1.0, 1.0 + handshake, 10 + sniProbes.size(),
                    SniProbe.TLS_FAILURE, certificateFailure, leafSha256, chainIssuer));
            return this;
        }

        Builder fetched(HttpTransaction.Response response, String failure) {
            requests.add(new HttpTransaction("tcp", "x", "http/1.1", new HttpTransaction.Request("GET", url,
                    new HttpHeaders(List.of()), "", false), response, failure, Map.of(), 0.03, 0.04, 4));
            httpFailure = failure;
            return this;
        }

        Builder failed(String dns, String http) {
            this.dnsFailure = dns;
            this.httpFailure = http;
            return this;
        }

        WebObservation build() {
            return new WebObservation(url, url, Instant.EPOCH, 0.1, "127.0.0.1:53", queries, List.of(), dnsFailure,
                    connects, handshakes, requests, httpFailure, null, List.of(), sniProbes);
        }
    }
}
