package org.blockwatch.core.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import okhttp3.HttpUrl;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.NetworkEvent;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.dns.Resolution;
import org.blockwatch.core.engine.Steps;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.http.HttpFetcher;
import org.blockwatch.core.http.SessionCookies;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.Trace;
import org.blockwatch.core.tcp.TcpConnector;
import org.blockwatch.core.tls.TlsHandshaker;
import org.blockwatch.core.verdict.Verdict.Method;

/**
 * One app measurement's steps and everything they recorded, in OONI's common keys
 * ({@code queries}, {@code tcp_connect}, {@code tls_handshakes}, {@code requests},
 * {@code network_events}). The steps are the engine's ({@link Steps}): the same resolvers,
 * sockets, timeouts and listener as a web page's. Used by one measurement; its steps may run
 * concurrently ({@link #all}) and add their records under its locks.
 */
public final class AppTrace {
    /** Steps of one app measurement running at once: WhatsApp's 32 connects, dropped, end in two step timeouts, well within the deadline. */
    static final int PARALLEL = 16;
    /** Addresses of one name tried in turn, at most: OONI's dialer tries them all, which a dropped name would make minutes. */
    public static final int ADDRESSES_PER_NAME = 2;
    private static final long BODY_LIMIT = 16 * 1024;

    private final Steps steps;
    private final StepContext context;
    private final Map<String, CompletableFuture<Resolution>> resolved = new ConcurrentHashMap<>();
    private final List<DnsQuery> queries = Collections.synchronizedList(new ArrayList<>());
    private final List<TcpConnect> connects = Collections.synchronizedList(new ArrayList<>());
    private final List<TlsHandshake> handshakes = Collections.synchronizedList(new ArrayList<>());
    private final List<HttpTransaction> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<NetworkEvent> events = Collections.synchronizedList(new ArrayList<>());

    /** @param deadline the whole measurement's: steps still waiting then fail at once with a timeout */
    public AppTrace(Steps steps, Duration deadline) {
        this.steps = steps;
        this.context = new StepContext(new Trace(deadline), steps.config().stepTimeout(), steps.config().listener());
    }

    /** Seconds since the measurement started. */
    public double now() {
        return context.trace().now();
    }

    /** The host's addresses by the engine's resolvers, once per host however often asked; an IP literal as it is. */
    public Resolution resolve(String host) {
        return resolved.computeIfAbsent(host.toLowerCase(java.util.Locale.ROOT), h -> CompletableFuture.supplyAsync(() -> {
            if (IpLiteral.parse(h).isPresent()) return Resolution.literal(h);
            Resolution r = steps.dns().run(h, context);
            queries.addAll(r.queries());
            return r;
        }, steps.executor())).join();
    }

    /** A TCP connect, closed at once: whether the endpoint accepts connections. */
    public TcpConnect connect(Endpoint endpoint) {
        if (!steps.config().destinations().allows(endpoint.ip())) return refused(endpoint);
        try (TcpConnector.Connection c = steps.tcp().run(endpoint, context)) {
            connects.add(c.record());
            return c.record();
        }
    }

    /**
     * A name's addresses connected on {@code port} in turn until one accepts, as OONI's dialer
     * does (IPv4 first), {@link #ADDRESSES_PER_NAME} at most; every connect made, in order.
     */
    public List<TcpConnect> connectInTurn(List<String> addresses, int port) {
        List<String> ordered = addresses.stream().sorted(Comparator.comparing((String a) -> a.contains(":"))).limit(ADDRESSES_PER_NAME).toList();
        List<TcpConnect> connects = new ArrayList<>();
        for (String a : ordered) {
            TcpConnect c = connect(new Endpoint(IpLiteral.parse(a).orElseThrow(), port));
            connects.add(c);
            if (c.success()) break;
        }
        return connects;
    }

    /** A connect and, when it worked, a TLS handshake with {@code serverName} as SNI; the connect's failure otherwise. */
    public Handshake handshake(Endpoint endpoint, String serverName) {
        if (!steps.config().destinations().allows(endpoint.ip())) return new Handshake(refused(endpoint), null);
        try (TcpConnector.Connection c = steps.tcp().run(endpoint, context)) {
            connects.add(c.record());
            if (!c.connected()) return new Handshake(c.record(), null);
            TlsHandshake h = steps.tls().run(new TlsHandshaker.Input(c.socket(), endpoint, serverName), context);
            handshakes.add(h);
            return new Handshake(c.record(), h);
        }
    }

    /** A connect and the handshake after it (null when the connect failed). */
    public record Handshake(TcpConnect connect, TlsHandshake tls) {
        /** The first failure, or null when both worked. */
        public String failure() {
            return connect.failure() != null ? connect.failure() : tls.failure();
        }
    }

    /**
     * An HTTP request to {@code url} (a POST when {@code body} is not null) at {@code address},
     * Host and SNI the URL's name; no redirect is followed. The body is kept up to 16 KiB.
     */
    public HttpTransaction fetch(HttpUrl url, InetAddress address, String body) {
        HttpFetcher.Fetch f = steps.http().run(new HttpFetcher.Input(url, address, new SessionCookies(), BODY_LIMIT,
                body == null ? "GET" : "POST", body), context);
        requests.add(f.transaction());
        events.addAll(f.events());
        return f.transaction();
    }

    /**
     * A page as OONI's urlgetter fetches one: the host resolved, a connect (and a TLS handshake
     * for https) to its first address the probe may reach, then a GET on a connection of its own.
     * Each step is recorded; the first failure, and the step it broke, end it.
     */
    public Page page(HttpUrl url) {
        Resolution r = resolve(url.host());
        InetAddress address = r.addresses().stream().map(a -> IpLiteral.parse(a).orElseThrow())
                .filter(steps.config().destinations()::allows).findFirst().orElse(null);
        if (address == null) {
            String failure = r.failure() != null ? r.failure() : r.addresses().isEmpty() ? Failure.DNS_NO_ANSWER : Failure.DESTINATION_REFUSED;
            return new Page(r, null, null, failure, Method.DNS);
        }
        Endpoint endpoint = new Endpoint(address, url.port());
        if (url.isHttps()) {
            Handshake h = handshake(endpoint, url.host());
            if (h.failure() != null) return new Page(r, h, null, h.failure(), h.tls() == null ? Method.TCP_IP : Method.TLS);
        } else {
            TcpConnect c = connect(endpoint);
            if (!c.success()) return new Page(r, new Handshake(c, null), null, c.failure(), Method.TCP_IP);
        }
        HttpTransaction t = fetch(url, address, null);
        return new Page(r, null, t, t.failure(), t.failure() == null ? null : Method.HTTP_FAILURE);
    }

    /**
     * A page's fetch: the lookup, the handshake when it failed, the request when it was sent, and
     * the first failure (null: a response came, whatever its status) with the step it broke.
     */
    public record Page(Resolution resolution, Handshake failedHandshake, HttpTransaction transaction, String failure, Method method) {
        public int status() {
            return transaction == null || transaction.response() == null ? 0 : transaction.response().code();
        }

        /** The {@code ip:port} the page was asked at, or null when its name did not resolve. */
        public String endpoint() {
            if (transaction != null) return transaction.address();
            if (failedHandshake != null) return Endpoint.format(failedHandshake.connect().ip(), failedHandshake.connect().port());
            return null;
        }
    }

    /** Runs {@code step} on each item, a few at a time on the engine's threads; the results in the items' order. */
    public <T, R> List<R> all(List<T> items, Function<T, R> step) {
        Semaphore slots = new Semaphore(PARALLEL);
        List<CompletableFuture<R>> pending = new ArrayList<>();
        for (T item : items) {
            pending.add(CompletableFuture.supplyAsync(() -> {
                slots.acquireUninterruptibly();
                try {
                    return step.apply(item);
                } finally {
                    slots.release();
                }
            }, steps.executor()));
        }
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private TcpConnect refused(Endpoint endpoint) {
        double t = now();
        TcpConnect record = new TcpConnect(endpoint.ip().getHostAddress(), endpoint.port(),
                new TcpConnect.Status(false, Failure.DESTINATION_REFUSED, null), t, t, context.trace().nextTransactionId());
        connects.add(record);
        return record;
    }

    /** What the steps recorded, each list in the order its steps started. */
    public Records records() {
        return new Records(sorted(queries, DnsQuery::transactionId), sorted(connects, TcpConnect::transactionId),
                sorted(handshakes, TlsHandshake::transactionId), sorted(requests, HttpTransaction::transactionId),
                sorted(events, NetworkEvent::transactionId));
    }

    /** OONI's common keys of an app measurement. */
    public record Records(List<DnsQuery> queries, List<TcpConnect> tcpConnect, List<TlsHandshake> tlsHandshakes,
            List<HttpTransaction> requests, List<NetworkEvent> networkEvents) {
        public Records {
            queries = List.copyOf(queries);
            tcpConnect = List.copyOf(tcpConnect);
            tlsHandshakes = List.copyOf(tlsHandshakes);
            requests = List.copyOf(requests);
            networkEvents = List.copyOf(networkEvents);
        }

        public static Records none() {
            return new Records(List.of(), List.of(), List.of(), List.of(), List.of());
        }

        /** Writes them into {@code keys} under OONI's names ({@code requests} newest first, as OONI has it). */
        public void writeTo(ObjectNode keys) {
            ObjectMapper m = MeasurementJson.mapper();
            keys.set("network_events", m.valueToTree(networkEvents));
            keys.set("queries", m.valueToTree(queries));
            List<HttpTransaction> newestFirst = new ArrayList<>(requests);
            Collections.reverse(newestFirst);
            keys.set("requests", m.valueToTree(newestFirst));
            keys.set("tcp_connect", m.valueToTree(tcpConnect));
            keys.set("tls_handshakes", m.valueToTree(tlsHandshakes));
        }

        /** The bytes these steps moved, estimated as Web Connectivity estimates them. */
        public long bytes() {
            long bytes = 200L * queries.size() + 150L * tcpConnect.size() + 6_000L * tlsHandshakes.size();
            for (HttpTransaction t : requests) {
                bytes += 1_500 + t.request().body().length();
                if (t.response() != null) bytes += t.response().body().length();
            }
            return bytes;
        }

        /** Whether anything answered here: a connection accepted, a handshake or a response. */
        public boolean anythingAnswered() {
            return tcpConnect.stream().anyMatch(TcpConnect::success) || requests.stream().anyMatch(r -> r.response() != null);
        }
    }

    private static <T> List<T> sorted(List<T> records, ToLongFunction<T> key) {
        synchronized (records) {
            List<T> copy = new ArrayList<>(records);
            copy.sort(Comparator.comparingLong(key));
            return copy;
        }
    }
}
