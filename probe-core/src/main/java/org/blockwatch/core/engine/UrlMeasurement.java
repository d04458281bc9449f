package org.blockwatch.core.engine;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.NetworkEvent;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.dns.Resolution;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.http.HttpFetcher;
import org.blockwatch.core.http.SessionCookies;
import org.blockwatch.core.tcp.TcpConnector;
import org.blockwatch.core.trace.Trace;

/**
 * One URL's measurement, redirects included: for each hop, resolve a host not seen yet, connect
 * to each of its addresses (and handshake where TLS applies) concurrently, then fetch the hop
 * from the first address that worked. Used once, by one thread; the steps it starts add their
 * records under its lock.
 */
final class UrlMeasurement {
    private final WebEngine engine;
    private final EngineConfig config;
    private final TargetUrl target;
    private final Trace trace;
    private final List<DnsQuery> queries = new ArrayList<>();
    private final List<DnsQuery> lateReplies = new ArrayList<>();
    private final List<TcpConnect> connects = Collections.synchronizedList(new ArrayList<>());
    private final List<TlsHandshake> handshakes = Collections.synchronizedList(new ArrayList<>());
    private final List<HttpTransaction> requests = new ArrayList<>();
    private final List<NetworkEvent> events = new ArrayList<>();

    UrlMeasurement(WebEngine engine, TargetUrl target) {
        this.engine = engine;
        this.config = engine.config;
        this.target = target;
        this.trace = new Trace(config.urlDeadline());
    }

    /** Which address of a host:port answered; {@code failure} says why none did. */
    private record Endpoint(InetAddress address, String failure) {}

    WebObservation run() {
        Instant start = Instant.now();
        SessionCookies cookies = new SessionCookies();
        Map<String, Resolution> resolved = new HashMap<>();
        Map<String, Endpoint> endpoints = new HashMap<>();
        HttpUrl current = target.url();
        String httpFailure = null;
        for (int hop = 0; ; hop++) {
            HttpUrl url = current;
            Resolution resolution = resolved.computeIfAbsent(url.host(), this::resolve);
            if (resolution.addresses().isEmpty()) {
                httpFailure = resolution.failure() != null ? resolution.failure() : Failure.DNS_NO_ANSWER;
                break;
            }
            Endpoint endpoint = endpoints.computeIfAbsent(url.scheme() + "://" + url.host() + ":" + url.port(),
                    key -> reach(url, resolution));
            if (endpoint.address() == null) {
                httpFailure = endpoint.failure();
                break;
            }
            HttpFetcher.Fetch fetch = engine.http.fetch(url, endpoint.address(), cookies,
                    trace.timeout(config.stepTimeout()), config.bodyLimit(), trace);
            requests.add(fetch.transaction());
            events.addAll(fetch.events());
            HttpTransaction.Response response = fetch.transaction().response();
            if (fetch.transaction().failure() != null) {
                httpFailure = fetch.transaction().failure();
                break;
            }
            if (!response.isRedirect()) break;
            if (hop >= config.maxRedirects()) {
                httpFailure = Failure.HTTP_TOO_MANY_REDIRECTS;
                break;
            }
            current = url.resolve(response.headersList().first("Location"));
            if (current == null) {
                httpFailure = Failure.HTTP_INVALID_REDIRECT;
                break;
            }
        }
        Resolution first = resolved.get(target.host());
        List<HttpTransaction> newestFirst = new ArrayList<>(requests);
        Collections.reverse(newestFirst);
        return new WebObservation(target.input(), target.url().toString(), start, trace.now(), engine.dns.resolverAddress(), queries, lateReplies, first.failure(),
                sorted(connects, TcpConnect::transactionId), sorted(handshakes, TlsHandshake::transactionId),
                newestFirst, httpFailure, events);
    }

    private Resolution resolve(String host) {
        Resolution r = IpLiteral.parse(host).isPresent() ? Resolution.literal(host) : engine.dns.resolve(host, trace);
        queries.addAll(r.queries());
        lateReplies.addAll(r.lateReplies());
        return r;
    }

    /**
     * Connects to every address (at most {@code maxAddresses}) on the URL's port, handshaking for
     * https. An http URL on port 80 also tries 443 with TLS, as OONI does: a handshake that
     * validates proves the address belongs to the site.
     */
    private Endpoint reach(HttpUrl url, Resolution resolution) {
        List<InetAddress> addresses = resolution.addresses().stream()
                .map(a -> IpLiteral.parse(a).orElseThrow())
                .filter(config.destinations()::allows)
                .limit(config.maxAddresses()).toList();
        if (addresses.isEmpty()) return new Endpoint(null, Failure.DESTINATION_REFUSED);
        boolean alsoTls443 = !url.isHttps() && url.port() == 80;
        List<CompletableFuture<String>> primary = new ArrayList<>();
        List<CompletableFuture<String>> extra = new ArrayList<>();
        for (InetAddress address : addresses) {
            primary.add(CompletableFuture.supplyAsync(() -> check(address, url.port(), url.isHttps(), url.host()), engine.executor));
            if (alsoTls443) {
                extra.add(CompletableFuture.supplyAsync(() -> check(address, 443, true, url.host()), engine.executor));
            }
        }
        CompletableFuture.allOf(extra.toArray(CompletableFuture[]::new)).join();
        for (int i = 0; i < addresses.size(); i++) {
            if (primary.get(i).join() == null) return new Endpoint(addresses.get(i), null);
        }
        return new Endpoint(null, primary.get(0).join());
    }

    /** Connects, and handshakes when {@code tls}; returns the failure or null. */
    private String check(InetAddress address, int port, boolean tls, String host) {
        try (TcpConnector.Connection c = engine.tcp.connect(address, port, trace.timeout(config.stepTimeout()), trace)) {
            connects.add(c.record());
            if (!c.connected()) return c.record().failure();
            if (!tls) return null;
            TlsHandshake handshake = engine.tls.handshake(c.socket(), new java.net.InetSocketAddress(address, port), host, trace.timeout(config.stepTimeout()), trace);
            handshakes.add(handshake);
            return handshake.failure();
        }
    }

    private static <T> List<T> sorted(List<T> records, java.util.function.ToLongFunction<T> key) {
        synchronized (records) {
            List<T> copy = new ArrayList<>(records);
            copy.sort(Comparator.comparingLong(key));
            return copy;
        }
    }
}
