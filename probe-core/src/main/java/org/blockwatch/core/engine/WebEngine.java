package org.blockwatch.core.engine;

import org.blockwatch.core.nettest.BoundedParallel;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.dns.DirectDnsClient;
import org.blockwatch.core.dns.DnsInterception;
import org.blockwatch.core.dns.DnsMeasurer;
import org.blockwatch.core.dns.DnsResolver;
import org.blockwatch.core.dns.UdpResolver;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.dns.SystemResolver;
import org.blockwatch.core.http.HttpFetcher;
import org.blockwatch.core.tcp.TcpConnector;
import org.blockwatch.core.tls.NameProbe;
import org.blockwatch.core.tls.TlsClient;
import org.blockwatch.core.tls.TlsHandshaker;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.Timeouts;
import org.xbill.DNS.ResolverConfig;

/**
 * Measures URLs over DNS, TCP, TLS and HTTP and returns what it observed; it decides nothing.
 * Thread-safe: one engine serves any number of measurements, which run on virtual threads.
 * Close it to stop its threads.
 */
public final class WebEngine implements AutoCloseable {
    static {
        SystemResolver.disableJvmDnsCache();
    }

    final EngineConfig config;
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    final DnsMeasurer dns;
    final TcpConnector tcp;
    final TlsHandshaker tls;
    final HttpFetcher http;
    final NameProbe names;

    public WebEngine(EngineConfig config) {
        this(config, TrustRoots.jdkPlus(config.extraRoots()));
    }

    /** An engine that validates chains against {@code roots} (built once per process, shared with the control client). */
    public WebEngine(EngineConfig config, TrustRoots roots) {
        this.config = config;
        this.tcp = new TcpConnector(config.sockets());
        TlsClient tlsClient = new TlsClient(roots);
        this.tls = new TlsHandshaker(tlsClient);
        this.names = new NameProbe(tlsClient);
        this.http = new HttpFetcher(tlsClient, config.sockets());
        List<DnsResolver> path = resolvers(config, executor);
        this.dns = new DnsMeasurer(path, extras(config.extraResolvers(), path), executor);
    }

    /** The extra resolvers, less any with the address of a path resolver: that one is asked already, as the user's. */
    private static List<DnsResolver> extras(List<DnsResolver> extra, List<DnsResolver> path) {
        Set<String> asked = new HashSet<>();
        for (DnsResolver r : path) asked.add(r.address());
        return extra.stream().filter(r -> !asked.contains(r.address())).toList();
    }

    /**
     * The path's resolvers, whose answer the user gets: an explicit one alone (the OS is never
     * asked), else the OS and, when one is known, its nameserver asked directly.
     */
    private static List<DnsResolver> resolvers(EngineConfig config, java.util.concurrent.ExecutorService executor) {
        if (config.resolver() != null) return List.of(new UdpResolver(new DirectDnsClient(config.resolver(), config.dnsLateWindow()), executor));
        InetSocketAddress nameserver = systemNameserver();
        if (nameserver == null) return List.of(new SystemResolver());
        return List.of(new SystemResolver(), new UdpResolver(new DirectDnsClient(new ResolverAddress(nameserver), config.dnsLateWindow()), executor));
    }

    public EngineConfig config() {
        return config;
    }

    /** This engine's steps, for the kinds that measure something other than a URL (alive as long as the engine). */
    public Steps steps() {
        return new Steps(config, dns, tcp, tls, http, executor);
    }

    /** The interception checks of this engine's Do53 resolvers, and their current state ({@link DnsInterception#states()}). */
    public DnsInterception interception() {
        return config.interception();
    }

    /**
     * Measures one URL, redirects included, with the interception checks of the Do53 resolvers
     * it asked ({@code x_dns_intercepted}): started with the measurement, a check at most a few
     * minutes old serves it. Never throws for a network failure: it is recorded.
     */
    public WebObservation measure(TargetUrl target) {
        DnsInterception checks = config.interception();
        checks.refresh();
        WebObservation o = new UrlMeasurement(this, target).run();
        return o.withDnsIntercepted(checks.evidenceFor(o.queries()));
    }

    /**
     * Measures many URLs, at most {@code parallelism} at once, handing each observation to
     * {@code sink} as it completes (one call at a time, in completion order). Returns when all are done.
     */
    public void measureAll(List<TargetUrl> targets, Consumer<WebObservation> sink) throws InterruptedException {
        BoundedParallel.forEach(targets, config.parallelism(), this::measure, sink);
    }

    /** A connect to one endpoint and, when {@code tlsHost} is not null, a TLS handshake with it as SNI. */
    public record EndpointCheck(TcpConnect tcp, TlsHandshake tls) {}

    /** Checks one endpoint outside any URL measurement (the control server's extra endpoints). */
    public EndpointCheck checkEndpoint(Endpoint endpoint, String tlsHost) {
        StepContext context = StepContext.standalone(config.stepTimeout(), Timeouts.standalone(config.stepTimeout()), config.listener());
        try (TcpConnector.Connection c = tcp.run(endpoint, context)) {
            if (!c.connected() || tlsHost == null) return new EndpointCheck(c.record(), null);
            return new EndpointCheck(c.record(), tls.run(new TlsHandshaker.Input(c.socket(), endpoint, tlsHost), context));
        }
    }

    private static InetSocketAddress systemNameserver() {
        List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
        return servers.isEmpty() ? null : servers.get(0);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
