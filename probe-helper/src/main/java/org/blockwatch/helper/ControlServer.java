package org.blockwatch.helper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.blockwatch.core.control.wire.ControlProtocol;
import org.blockwatch.core.control.wire.ControlRequest;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ResolverCheck;
import org.blockwatch.core.control.wire.StunCheck;
import org.blockwatch.helper.ControlService;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.failure.AddressScrubber;
import org.blockwatch.helper.http.PublicServer;
import org.blockwatch.helper.http.Replies;
import org.blockwatch.helper.http.RequestBody;
import org.blockwatch.helper.http.ServerLimits;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OONI's test-helper protocol over HTTP ({@code POST /}), on a {@link PublicServer} (Jetty, a
 * virtual thread per request). Bounded: the connection limits of {@link ServerLimits}, request
 * size (413 at once on a {@code Content-Length} over it), requests measured at once (503 beyond),
 * requests per client per minute (429), and an optional bearer token (401). Client addresses are
 * used for the limits only and never logged.
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

    private final PublicServer server;
    private final ControlService service;
    private final Semaphore slots;
    private final InFlight inFlight;
    private final RateLimiter rate;
    private final byte[] token;
    private final java.util.Set<String> trustedProxies;
    private final ServerLimits serverLimits;

    /** On plain HTTP with the default connection limits (tests, labs). */
    public ControlServer(InetSocketAddress listen, ControlService service, Limits limits) throws IOException {
        this(new PublicServer.Options(listen, ServerLimits.defaults()), service, limits);
    }

    public ControlServer(PublicServer.Options options, ControlService service, Limits limits) throws IOException {
        this.service = service;
        this.slots = new Semaphore(limits.maxConcurrent());
        this.inFlight = new InFlight(limits.maxPerClient());
        this.rate = new RateLimiter(limits.perClientPerMinute());
        this.trustedProxies = limits.trustedProxies();
        this.token = limits.token() == null ? null : ("Bearer " + limits.token()).getBytes(StandardCharsets.UTF_8);
        // A trusted proxy carries many clients: it is not held to one client's connections.
        this.serverLimits = options.limits().withUncapped(union(options.limits().uncapped(), trustedProxies));
        PublicServer.Options withProxies = new PublicServer.Options(options.listen(), serverLimits, options.tls(), options.accessLog());
        this.server = new PublicServer("control-server", withProxies, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                ControlServer.this.handle(request, response, callback);
                return true;
            }
        });
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return server.scheme();
    }

    /** The measurements {@code client} has in flight now (for tests). */
    int inFlight(String client) {
        return inFlight.of(client);
    }

    private void handle(Request request, Response response, Callback callback) {
        try {
            String path = Request.getPathInContext(request);
            // blockwatch's STUN extension beside OONI's protocol (StunCheck); OONI's clients never ask it.
            boolean stun = path.equals("/" + StunCheck.PATH);
            // blockwatch's dnscheck extension (ResolverCheck), likewise.
            boolean dnscheck = path.equals("/" + ResolverCheck.PATH);
            if (!path.equals("/") && !stun && !dnscheck) {
                Replies.error(response, callback, 404, "not found: the helper answers POST / (and POST /" + StunCheck.PATH + ", POST /"
                        + ResolverCheck.PATH + ")");
                return;
            }
            if (!request.getMethod().equals("POST")) {
                response.getHeaders().put(HttpHeader.ALLOW, "POST");
                Replies.error(response, callback, 405, "only POST");
                return;
            }
            // The rate limit comes first: wrong tokens count too, so a token cannot be guessed at full speed.
            String client = client(request);
            if (!rate.tryAcquire(client, System.nanoTime())) {
                Replies.error(response, callback, 429, "too many requests");
                return;
            }
            if (token != null) {
                String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
                // Compared as bytes, in constant time (any header value, even one that is not ASCII).
                if (auth == null || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.ISO_8859_1))) {
                    Replies.error(response, callback, 401, "a valid bearer token is required");
                    return;
                }
            }
            byte[] body;
            switch (RequestBody.read(request, MAX_REQUEST_BYTES, serverLimits)) {
                case RequestBody.Refusal refusal -> {
                    RequestBody.refuse(request, response, callback, refusal, MAX_REQUEST_BYTES, serverLimits);
                    return;
                }
                case RequestBody.Bytes bytes -> body = bytes.data();
            }
            if (stun) {
                stun(body, client, response, callback);
                return;
            }
            if (dnscheck) {
                dnscheck(body, client, response, callback);
                return;
            }
            ControlRequest controlRequest;
            try {
                controlRequest = ControlProtocol.MAPPER.readValue(body, ControlRequest.class);
                if (controlRequest == null || controlRequest.httpRequest() == null) throw new IOException("no http_request");
            } catch (IOException e) {
                Replies.error(response, callback, 400, "not a test-helper request: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                return;
            }
            TargetUrl target;
            try {
                target = TargetUrl.parse(controlRequest.httpRequest());
            } catch (IllegalArgumentException e) {
                Replies.error(response, callback, 400, "http_request: " + e.getMessage());
                return;
            }
            if (IpLiteral.parse(target.host()).filter(ip -> !service.allows(ip)).isPresent()) {
                Replies.error(response, callback, 403, "destination refused: private, loopback and bogon addresses are not measured");
                return;
            }
            ControlRequest asked = controlRequest;
            ControlResponse answer = within(client, response, callback, () -> service.answer(asked));
            if (answer != null) Replies.send(response, callback, 200, "application/json", ControlProtocol.MAPPER.writeValueAsBytes(answer));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        } catch (IOException | RuntimeException e) {
            log.warn("control request failed: {}", AddressScrubber.scrub(e.toString()));
            if (!response.isCommitted()) Replies.error(response, callback, 500, "the helper failed; try again later");
            else callback.failed(e);
        }
    }

    /** {@code POST /x/stun}: the helper's own binding to each endpoint, within the same limits as a measurement. */
    private void stun(byte[] body, String client, Response response, Callback callback) throws IOException {
        StunCheck.Request stunRequest;
        try {
            stunRequest = ControlProtocol.MAPPER.readValue(body, StunCheck.Request.class);
            if (stunRequest == null || stunRequest.endpoints().isEmpty()) throw new IOException("no endpoints");
        } catch (IOException e) {
            Replies.error(response, callback, 400, "not a STUN check: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return;
        }
        StunCheck.Request asked = stunRequest;
        StunCheck.Response answer = within(client, response, callback, () -> service.stun(asked));
        if (answer != null) Replies.send(response, callback, 200, "application/json", ControlProtocol.MAPPER.writeValueAsBytes(answer));
    }

    /**
     * {@code POST /x/dnscheck}: the helper's own lookups over the resolver named (one resolver, at
     * most {@link ResolverCheck#MAX_DOMAINS} names), within the same limits as a measurement; a
     * request that is not one, or names no valid resolver or names, is answered 400 saying why.
     */
    private void dnscheck(byte[] body, String client, Response response, Callback callback) throws IOException {
        ResolverCheck.Request checkRequest;
        try {
            checkRequest = ControlProtocol.MAPPER.readValue(body, ResolverCheck.Request.class);
            org.blockwatch.core.dnscheck.ResolverCheckRunner.validate(checkRequest);
        } catch (IOException | IllegalArgumentException e) {
            Replies.error(response, callback, 400, "not a dnscheck request: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return;
        }
        ResolverCheck.Request asked = checkRequest;
        ResolverCheck.Response answer = within(client, response, callback, () -> service.dnscheck(asked));
        if (answer != null) Replies.send(response, callback, 200, "application/json", ControlProtocol.MAPPER.writeValueAsBytes(answer));
    }

    /**
     * Runs {@code work} within the client's share of the slots and the server's: its answer, or
     * null when a limit has answered for it (429, 503).
     */
    private <T> T within(String client, Response response, Callback callback, java.util.function.Supplier<T> work) {
        if (!inFlight.tryEnter(client)) {
            Replies.error(response, callback, 429, "too many measurements at once from one client (at most " + inFlight.perClient() + ")");
            return null;
        }
        try {
            if (!slots.tryAcquire()) {
                Replies.error(response, callback, 503, "busy: too many measurements at once");
                return null;
            }
            try {
                return work.get();
            } finally {
                slots.release();
            }
        } finally {
            inFlight.exit(client);
        }
    }

    /** Who asks, for the limits ({@link ClientAddress}). */
    String client(Request request) {
        return ClientAddress.of(ClientAddress.peer(request), request.getHeaders().getValuesList("X-Forwarded-For"), trustedProxies);
    }

    @Override
    public void close() {
        server.close();
    }
}
