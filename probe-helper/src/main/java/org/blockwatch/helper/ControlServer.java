package org.blockwatch.helper;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.blockwatch.core.control.wire.ControlProtocol;
import org.blockwatch.core.control.wire.ControlRequest;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.helper.ControlService;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.failure.AddressScrubber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OONI's test-helper protocol over HTTP ({@code POST /}), served by the JDK's HTTP server on
 * virtual threads. Bounded: request size, requests measured at once (503 beyond), requests per
 * client per minute (429), and an optional bearer token (401). Client addresses are used for the
 * rate limit only and never logged.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    /**
     * How the server is bounded. {@code maxPerClient}: measurements one client may have in flight
     * (more are answered 429), so that one slow or hostile client never holds every slot.
     * {@code token} null means no authentication.
     */
    public record Limits(int maxConcurrent, int maxPerClient, int perClientPerMinute, String token, java.util.Set<String> trustedProxies) {
        public Limits {
            if (maxConcurrent < 1 || maxPerClient < 1) throw new IllegalArgumentException("limits must be positive");
            maxPerClient = Math.min(maxPerClient, maxConcurrent);
            trustedProxies = java.util.Set.copyOf(trustedProxies);
        }

        /** No proxy in front; one client may use every slot. */
        public Limits(int maxConcurrent, int perClientPerMinute, String token) {
            this(maxConcurrent, maxConcurrent, perClientPerMinute, token, java.util.Set.of());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ControlService service;
    private final Semaphore slots;
    private final InFlight inFlight;
    private final RateLimiter rate;
    private final byte[] token;
    private final java.util.Set<String> trustedProxies;

    public ControlServer(InetSocketAddress listen, ControlService service, Limits limits) throws IOException {
        this.service = service;
        this.slots = new Semaphore(limits.maxConcurrent());
        this.inFlight = new InFlight(limits.maxPerClient());
        this.rate = new RateLimiter(limits.perClientPerMinute());
        this.trustedProxies = limits.trustedProxies();
        this.token = limits.token() == null ? null : ("Bearer " + limits.token()).getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(listen, 1024); // a backlog that a burst of connections does not overflow
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The measurements {@code client} has in flight now (for tests). */
    int inFlight(String client) {
        return inFlight.of(client);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                reply(exchange, 404, "not found: the helper answers POST /");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Allow", "POST");
                reply(exchange, 405, "only POST");
                return;
            }
            // The rate limit comes first: wrong tokens count too, so a token cannot be guessed at full speed.
            String client = client(exchange);
            if (!rate.tryAcquire(client, System.nanoTime())) {
                reply(exchange, 429, "too many requests");
                return;
            }
            if (token != null) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                // Compared as bytes, in constant time (any header value, even one that is not ASCII).
                if (auth == null || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.ISO_8859_1))) {
                    reply(exchange, 401, "a valid bearer token is required");
                    return;
                }
            }
            byte[] body = readLimited(exchange.getRequestBody());
            if (body == null) {
                reply(exchange, 413, "request over " + MAX_REQUEST_BYTES + " bytes");
                return;
            }
            ControlRequest request;
            try {
                request = ControlProtocol.MAPPER.readValue(body, ControlRequest.class);
                if (request == null || request.httpRequest() == null) throw new IOException("no http_request");
            } catch (IOException e) {
                reply(exchange, 400, "not a test-helper request: " + e.getMessage().lines().findFirst().orElse(""));
                return;
            }
            TargetUrl target;
            try {
                target = TargetUrl.parse(request.httpRequest());
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, "http_request: " + e.getMessage());
                return;
            }
            if (IpLiteral.parse(target.host()).filter(ip -> !service.allows(ip)).isPresent()) {
                reply(exchange, 403, "destination refused: private, loopback and bogon addresses are not measured");
                return;
            }
            if (!inFlight.tryEnter(client)) {
                reply(exchange, 429, "too many measurements at once from one client (at most " + inFlight.perClient() + ")");
                return;
            }
            ControlResponse response;
            try {
                if (!slots.tryAcquire()) {
                    reply(exchange, 503, "busy: too many measurements at once");
                    return;
                }
                try {
                    response = service.answer(request);
                } finally {
                    slots.release();
                }
            } finally {
                inFlight.exit(client);
            }
            byte[] json = ControlProtocol.MAPPER.writeValueAsBytes(response);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("control request failed: {}", AddressScrubber.scrub(e.toString()));
        }
    }

    /**
     * Who asks, for the rate limit: the peer; or, when the peer is a trusted reverse proxy, the
     * address it appended last to {@code X-Forwarded-For} (the one it saw; earlier ones are the
     * client's own word). From anyone else the header is ignored: it could name anybody.
     */
    String client(HttpExchange exchange) {
        String peer = exchange.getRemoteAddress().getAddress().getHostAddress();
        if (!trustedProxies.contains(peer)) return peer;
        List<String> forwarded = exchange.getRequestHeaders().getOrDefault("X-Forwarded-For", List.of());
        if (forwarded.isEmpty()) return peer;
        String line = forwarded.get(forwarded.size() - 1);
        String last = line.substring(line.lastIndexOf(',') + 1).strip();
        return IpLiteral.parse(last).map(java.net.InetAddress::getHostAddress).orElse(peer);
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        byte[] data = in.readNBytes(MAX_REQUEST_BYTES + 1);
        return data.length > MAX_REQUEST_BYTES ? null : data;
    }

    private static void reply(HttpExchange exchange, int code, String message) throws IOException {
        byte[] body = ("{\"error\":" + ControlProtocol.MAPPER.writeValueAsString(message) + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
