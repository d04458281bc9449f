package org.blockwatch.helper;

import java.net.InetAddress;
import org.blockwatch.core.control.wire.ResolverCheck;
import org.blockwatch.core.control.wire.StunCheck;
import org.blockwatch.core.locate.StunClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlRequest;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.LegacyFailures;
import org.blockwatch.core.dns.DnsMeasurer;
import org.blockwatch.core.dns.DnsResolver;
import org.blockwatch.core.dns.Resolution;
import org.blockwatch.core.dns.Resolvers;
import org.blockwatch.core.dnscheck.ResolverCheckRunner;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.tls.TlsClient;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;

/**
 * The test helper's work: the same steps as the probe, from here. The URL is measured by the
 * engine (resolve, connect, handshake, fetch with redirects); the endpoints the probe lists are
 * connected to (and handshaken with on 443, or the URL's port for https) besides. Which
 * addresses may be contacted is the engine's {@code DestinationPolicy}: endpoints it refuses are
 * left out of the answer. Thread-safe.
 */
public final class ControlService {
    /** Probe-listed endpoints checked per request, at most. */
    public static final int MAX_EXTRA_ENDPOINTS = 16;
    private final WebEngine engine;
    private final Bogons bogons;
    private final AsnCache asns;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public ControlService(WebEngine engine, Bogons bogons) {
        this(engine, bogons, AsnCache.NONE);
    }

    /** A helper that fills {@code ip_info}'s AS numbers from {@code asns} (bogons stay 0). */
    public ControlService(WebEngine engine, Bogons bogons, AsnCache asns) {
        this.engine = engine;
        this.bogons = bogons;
        this.asns = asns;
    }

    /** Whether the engine may contact {@code ip} (the server refuses a URL whose IP host it may not). */
    public boolean allows(InetAddress ip) {
        return engine.config().destinations().allows(ip);
    }

    /** @throws IllegalArgumentException when the URL cannot be measured */
    public ControlResponse answer(ControlRequest request) {
        TargetUrl target = TargetUrl.parse(request.httpRequest());
        WebObservation o = engine.measure(target);
        String host = target.host();

        Set<String> addrs = new LinkedHashSet<>();
        for (DnsQuery q : o.queries()) {
            if (q.hostname().equalsIgnoreCase(host)) addrs.addAll(q.addresses());
        }
        IpLiteral.parse(host).ifPresent(ip -> addrs.add(ip.getHostAddress()));
        ControlResponse.Dns dns = new ControlResponse.Dns(IpLiteral.parse(host).isPresent() ? null
                : LegacyFailures.toLegacyDns(o.dnsExperimentFailure()), List.copyOf(addrs));

        Map<String, ControlResponse.TcpConnect> tcp = new LinkedHashMap<>();
        Map<String, ControlResponse.TlsHandshake> tls = new LinkedHashMap<>();
        for (TcpConnect c : o.tcpConnect()) tcp.put(Endpoint.format(c.ip(), c.port()), new ControlResponse.TcpConnect(c.success(), c.failure()));
        for (TlsHandshake h : o.tlsHandshakes()) tls.put(h.address(), new ControlResponse.TlsHandshake(h.serverName(), h.failure() == null, h.failure()));

        Set<String> probeAddresses = new LinkedHashSet<>();
        List<CompletableFuture<Void>> extra = new ArrayList<>();
        for (String endpoint : request.tcpConnect().stream().distinct().limit(MAX_EXTRA_ENDPOINTS).toList()) {
            Endpoint e = Endpoint.parse(endpoint).orElse(null);
            // Only the URL's own port and the web's (80, 443): the helper is no port scanner for its clients.
            if (e == null || !(e.port() == 80 || e.port() == 443 || e.port() == target.url().port()) || !allows(e.ip())) continue;
            probeAddresses.add(e.ip().getHostAddress());
            String key = e.toString();
            if (tcp.containsKey(key)) continue;
            boolean handshake = e.port() == 443 || (target.https() && e.port() == target.url().port());
            extra.add(CompletableFuture.runAsync(() -> {
                WebEngine.EndpointCheck check = engine.checkEndpoint(e, handshake ? host : null);
                synchronized (tcp) {
                    tcp.put(key, new ControlResponse.TcpConnect(check.tcp().success(), check.tcp().failure()));
                    if (check.tls() != null) {
                        tls.put(key, new ControlResponse.TlsHandshake(check.tls().serverName(), check.tls().failure() == null, check.tls().failure()));
                    }
                }
            }, executor));
        }
        CompletableFuture.allOf(extra.toArray(CompletableFuture[]::new)).join();

        HttpTransaction last = o.finalRequest();
        ControlResponse.HttpRequest http;
        if (last != null && last.response() != null && o.httpExperimentFailure() == null) {
            http = new ControlResponse.HttpRequest(last.response().body().length(), null, last.response().title() == null ? "" : last.response().title(),
                    last.response().headersList().firstValues(), last.response().code());
        } else {
            String failure = o.httpExperimentFailure() != null ? o.httpExperimentFailure() : "unknown_failure: no response";
            http = new ControlResponse.HttpRequest(-1, failure, "", Map.of(), -1);
        }

        Map<String, ControlResponse.IpInfo> ipInfo = new HashMap<>();
        Set<String> all = new LinkedHashSet<>(addrs);
        all.addAll(probeAddresses);
        for (String a : all) {
            int flags = (addrs.contains(a) ? ControlResponse.IpInfo.RESOLVED_BY_HELPER : 0)
                    | (probeAddresses.contains(a) ? ControlResponse.IpInfo.RESOLVED_BY_PROBE : 0)
                    | (bogons.isBogon(a) ? ControlResponse.IpInfo.BOGON : 0);
            for (var t : tls.entrySet()) {
                if (t.getValue().status() && t.getKey().startsWith(Endpoint.hostPart(a) + ":")) flags |= ControlResponse.IpInfo.VALID_FOR_DOMAIN;
            }
            long asn = (flags & ControlResponse.IpInfo.BOGON) != 0 ? 0 : IpLiteral.parse(a).map(asns::asnOf).orElse(0L);
            ipInfo.put(a, new ControlResponse.IpInfo(asn, flags));
        }
        Map<String, Double> timings = new LinkedHashMap<>();
        o.tlsHandshakes().stream().filter(h -> h.failure() == null && h.serverName().equalsIgnoreCase(host)).findFirst()
                .ifPresent(h -> timings.put("tls_handshake", h.t() - h.t0()));
        if (last != null && last.failure() == null) timings.put("http_response", last.t() - last.t0());
        return new ControlResponse(dns, tcp, tls, http, ipInfo, timings);
    }

    /**
     * blockwatch's dnscheck extension ({@link ResolverCheck}, {@code POST x/dnscheck}): the same
     * lookups as the probe's over the same protocol, from here ({@link ResolverCheckRunner}: the
     * resolver's name resolved with the engine's resolvers, its first two addresses asked, at most
     * four names, the engine's step timeout per step, the engine's sockets and roots), with the same
     * destination rules as every other check: an address the engine may not contact is not asked.
     *
     * @throws IllegalArgumentException naming what is wrong with the request
     */
    public ResolverCheck.Response dnscheck(ResolverCheck.Request request) {
        ResolverCheckRunner.validate(request);
        return resolverChecks().run(request);
    }

    private volatile ResolverCheckRunner resolverChecks;

    /** Built at the first dnscheck: the roots cost a moment, and most helpers are asked none. */
    private ResolverCheckRunner resolverChecks() {
        ResolverCheckRunner r = resolverChecks;
        if (r != null) return r;
        synchronized (this) {
            if (resolverChecks == null) {
                var config = engine.config();
                Resolvers.Setup setup = new Resolvers.Setup(config.sockets(), new TlsClient(TrustRoots.jdkPlus(config.extraRoots())), executor,
                        config.dnsLateWindow());
                DnsMeasurer dns = engine.steps().dns();
                DnsResolver bootstrap = new DnsResolver() {
                    @Override
                    public String address() {
                        return dns.resolverAddress();
                    }

                    @Override
                    public Lookup lookup(String host, StepContext context) {
                        Resolution r = dns.run(host, context);
                        return new Lookup(r.queries(), r.lateReplies(), r.failure());
                    }
                };
                resolverChecks = new ResolverCheckRunner(setup, bootstrap, this::allows, config.stepTimeout());
            }
            return resolverChecks;
        }
    }

    /**
     * blockwatch's STUN extension ({@link StunCheck}): one Binding request to each endpoint (at most
     * {@link StunCheck#MAX_ENDPOINTS}), from here, with the same destination rules as every other
     * check (no private address unless allowed). Never throws.
     */
    public StunCheck.Response stun(StunCheck.Request request) {
        Map<String, CompletableFuture<StunCheck.Binding>> pending = new LinkedHashMap<>();
        for (String endpoint : request.endpoints().stream().distinct().limit(StunCheck.MAX_ENDPOINTS).toList()) {
            pending.put(endpoint, CompletableFuture.supplyAsync(() -> bind(endpoint), executor));
        }
        Map<String, StunCheck.Binding> out = new LinkedHashMap<>();
        pending.forEach((endpoint, f) -> out.put(endpoint, f.join()));
        return new StunCheck.Response(out);
    }

    private StunCheck.Binding bind(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (RuntimeException e) {
            return new StunCheck.Binding("unknown_failure: not host:port");
        }
        String host = endpoint.substring(0, Math.max(0, colon));
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty() || port < 1 || port > 65535) return new StunCheck.Binding("unknown_failure: not host:port");
        java.net.InetAddress ip;
        try {
            ip = IpLiteral.parse(host).orElse(null);
            if (ip == null) {
                java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
                ip = java.util.Arrays.stream(all).filter(a -> a instanceof java.net.Inet4Address).findFirst().orElse(all[0]);
            }
        } catch (java.io.IOException e) {
            return new StunCheck.Binding(org.blockwatch.core.failure.FailureClassifier.classify(e));
        }
        if (!allows(ip)) return new StunCheck.Binding(org.blockwatch.core.failure.Failure.DESTINATION_REFUSED);
        try {
            boolean answered = StunClient.publicAddress(new java.net.InetSocketAddress(ip, port), engine.config().stepTimeout()).isPresent();
            return new StunCheck.Binding(answered ? null : org.blockwatch.core.failure.Failure.GENERIC_TIMEOUT);
        } catch (java.net.PortUnreachableException e) {
            return new StunCheck.Binding(org.blockwatch.core.failure.Failure.CONNECTION_REFUSED);
        } catch (java.io.IOException e) {
            return new StunCheck.Binding(org.blockwatch.core.failure.FailureClassifier.classify(e));
        }
    }
}
