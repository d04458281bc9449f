package org.blockwatch.core.engine;

import java.net.InetAddress;
import java.time.Duration;
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
import org.blockwatch.core.archival.SniProbe;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.dns.Resolution;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.http.HttpFetcher;
import org.blockwatch.core.http.SessionCookies;
import org.blockwatch.core.tcp.TcpConnector;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.Trace;
import org.blockwatch.core.tls.TlsHandshaker;

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
    private final StepContext context;
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
        this.context = new StepContext(trace, config.stepTimeout(), config.listener());
    }

    /** Which address of a host:port answered; {@code failure} says why none did, in which operation. */
    private record Reached(InetAddress address, String failure, Operation operation) {}

    /** The failure of a connect, or of the handshake after it, and its operation; null failure when both worked. */
    private record Checked(String failure, Operation operation) {}

    /** The observation; when it returns, every connection its steps opened is closed. */
    WebObservation run() {
        try {
            return observe();
        } finally {
            context.closeSockets();
        }
    }

    private WebObservation observe() {
        Instant start = Instant.now();
        SessionCookies cookies = new SessionCookies();
        Map<String, Resolution> resolved = new HashMap<>();
        Map<String, Reached> endpoints = new HashMap<>();
        HttpUrl current = target.url();
        String httpFailure = null;
        Operation failedOperation = null;
        for (int hop = 0; ; hop++) {
            HttpUrl url = current;
            Resolution resolution = resolved.computeIfAbsent(url.host(), this::resolve);
            if (resolution.addresses().isEmpty()) {
                CompletableFuture.allOf(evidence(url, resolution).toArray(CompletableFuture[]::new)).join();
                httpFailure = resolution.failure() != null ? resolution.failure() : Failure.DNS_NO_ANSWER;
                failedOperation = Operation.RESOLVE;
                break;
            }
            Reached endpoint = endpoints.computeIfAbsent(url.scheme() + "://" + url.host() + ":" + url.port(),
                    key -> reach(url, resolution));
            if (endpoint.address() == null) {
                httpFailure = endpoint.failure();
                failedOperation = endpoint.operation();
                break;
            }
            HttpFetcher.Fetch fetch = engine.http.run(new HttpFetcher.Input(url, endpoint.address(), cookies, config.bodyLimit()), context);
            requests.add(fetch.transaction());
            events.addAll(fetch.events());
            HttpTransaction.Response response = fetch.transaction().response();
            if (fetch.transaction().failure() != null) {
                httpFailure = fetch.transaction().failure();
                failedOperation = Operation.HTTP_ROUND_TRIP;
                break;
            }
            if (!response.isRedirect()) break;
            if (hop >= config.maxRedirects()) {
                httpFailure = Failure.HTTP_TOO_MANY_REDIRECTS;
                failedOperation = Operation.HTTP_ROUND_TRIP;
                break;
            }
            current = url.resolve(response.headersList().first("Location"));
            if (current == null) {
                httpFailure = Failure.HTTP_INVALID_REDIRECT;
                failedOperation = Operation.HTTP_ROUND_TRIP;
                break;
            }
        }
        Resolution first = resolved.get(target.host());
        SniComparison.Slow slow = SniComparison.find(handshakes, requests);
        List<SniProbe> sniProbes = new ArrayList<>(slow == null ? List.of() : SniComparison.probe(slow, engine.tcp, engine.names, context));
        // The hop could not be reached (the loop stopped at its connect or handshake): compare names where its handshake failed.
        boolean unreached = failedOperation == Operation.CONNECT || failedOperation == Operation.TLS_HANDSHAKE;
        SniComparison.Failed failed = unreached ? SniComparison.failed(current, resolved.get(current.host()), handshakes) : null;
        Duration budget = min(SniComparison.PROBE_BUDGET, config.stepTimeout());
        // Past the URL's deadline every probe would time out at once, and every name would seem to fail: then none is made.
        if (failed != null && trace.timeout(budget).equals(budget)) {
            StepContext bounded = new StepContext(trace, budget, config.listener());
            sniProbes.addAll(SniComparison.probe(failed, engine.tcp, engine.names, bounded, engine.executor));
        }
        List<HttpTransaction> newestFirst = new ArrayList<>(requests);
        Collections.reverse(newestFirst);
        return new WebObservation(target.input(), target.url().toString(), start, trace.now(), engine.dns.resolverAddress(), queries, lateReplies, first.failure(),
                sorted(connects, TcpConnect::transactionId), sorted(handshakes, TlsHandshake::transactionId),
                newestFirst, httpFailure, failedOperation, events, sniProbes);
    }

    private Resolution resolve(String host) {
        Resolution r = IpLiteral.parse(host).isPresent() ? Resolution.literal(host) : engine.dns.run(host, context);
        queries.addAll(r.queries());
        lateReplies.addAll(r.lateReplies());
        return r;
    }

    /**
     * Connects to every address (at most {@code maxAddresses}) on the URL's port, handshaking for
     * https. An http URL on port 80 also tries 443 with TLS, as OONI does: a handshake that
     * validates proves the address belongs to the site.
     */
    private Reached reach(HttpUrl url, Resolution resolution) {
        List<InetAddress> addresses = allowed(resolution.addresses());
        List<CompletableFuture<Checked>> extra = new ArrayList<>(evidence(url, resolution));
        if (addresses.isEmpty()) {
            CompletableFuture.allOf(extra.toArray(CompletableFuture[]::new)).join();
            return new Reached(null, Failure.DESTINATION_REFUSED, Operation.CONNECT);
        }
        boolean alsoTls443 = !url.isHttps() && url.port() == 80;
        List<CompletableFuture<Checked>> primary = new ArrayList<>();
        for (InetAddress address : addresses) {
            primary.add(CompletableFuture.supplyAsync(() -> check(address, url.port(), url.isHttps(), url.host()), engine.executor));
            if (alsoTls443) {
                extra.add(CompletableFuture.supplyAsync(() -> check(address, 443, true, url.host()), engine.executor));
            }
        }
        CompletableFuture.allOf(extra.toArray(CompletableFuture[]::new)).join();
        for (int i = 0; i < addresses.size(); i++) {
            if (primary.get(i).join().failure() == null) return new Reached(addresses.get(i), null, null);
        }
        Checked first = primary.get(0).join();
        return new Reached(null, first.failure(), first.operation());
    }

    private List<InetAddress> allowed(List<String> addresses) {
        return addresses.stream().map(a -> IpLiteral.parse(a).orElseThrow()).filter(config.destinations()::allows)
                .limit(config.maxAddresses()).toList();
    }

    /**
     * Handshakes with the addresses only the extra resolvers gave, as evidence of whose they are
     * (a chain that validates for the host proves them the site's), on the URL's port for https
     * and on 443 for http on 80; never fetched from: the user's browser would not get them.
     */
    private List<CompletableFuture<Checked>> evidence(HttpUrl url, Resolution resolution) {
        int port = url.isHttps() ? url.port() : url.port() == 80 ? 443 : -1;
        if (port < 0) return List.of();
        return allowed(resolution.extraAddresses()).stream()
                .map(a -> CompletableFuture.supplyAsync(() -> check(a, port, true, url.host()), engine.executor)).toList();
    }

    /** Connects, and handshakes when {@code tls}. */
    private Checked check(InetAddress address, int port, boolean tls, String host) {
        Endpoint endpoint = new Endpoint(address, port);
        try (TcpConnector.Connection c = engine.tcp.run(endpoint, context)) {
            connects.add(c.record());
            if (!c.connected()) return new Checked(c.record().failure(), Operation.CONNECT);
            if (!tls) return new Checked(null, null);
            TlsHandshake handshake = engine.tls.run(new TlsHandshaker.Input(c.socket(), endpoint, host), context);
            handshakes.add(handshake);
            return new Checked(handshake.failure(), handshake.failure() == null ? null : Operation.TLS_HANDSHAKE);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static <T> List<T> sorted(List<T> records, java.util.function.ToLongFunction<T> key) {
        synchronized (records) {
            List<T> copy = new ArrayList<>(records);
            copy.sort(Comparator.comparingLong(key));
            return copy;
        }
    }
}
