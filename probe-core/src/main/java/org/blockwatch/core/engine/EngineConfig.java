package org.blockwatch.core.engine;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.SocketFactory;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.tcp.DirectSocketFactory;

/**
 * How the engine measures. {@code resolver} null means the system's resolver (getaddrinfo, and
 * the direct queries to the system's nameserver); otherwise the OS is never asked.
 *
 * @param stepTimeout each step's own limit (DNS query, connect, handshake, HTTP read)
 * @param urlDeadline the whole URL, redirects included
 * @param dnsLateWindow how long to keep listening for more answers after the first
 * @param bodyLimit bytes of a body kept; the rest is not read
 * @param maxAddresses addresses of one host measured at most
 * @param parallelism URLs measured at once
 * @param destinations the addresses the engine may connect to (all, except in the control server)
 * @param sockets where the engine's sockets come from: direct, or through a lab's simulated censor
 * @param listener observes every step of every measurement (metrics, debug logs)
 */
public record EngineConfig(
        ResolverAddress resolver,
        List<X509Certificate> extraRoots,
        Duration stepTimeout,
        Duration urlDeadline,
        Duration dnsLateWindow,
        long bodyLimit,
        int maxAddresses,
        int maxRedirects,
        int parallelism,
        DestinationPolicy destinations,
        SocketFactory sockets,
        StepListener listener) {

    public static final long DEFAULT_BODY_LIMIT = 64 * 1024;

    public EngineConfig {
        extraRoots = List.copyOf(extraRoots);
        if (stepTimeout.isNegative() || stepTimeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (urlDeadline.compareTo(stepTimeout) < 0) throw new IllegalArgumentException("URL deadline must not be shorter than a step");
        if (bodyLimit < 0) throw new IllegalArgumentException("body limit must not be negative");
        if (maxAddresses < 1 || parallelism < 1 || maxRedirects < 0) throw new IllegalArgumentException("limits must be positive");
    }

    public static EngineConfig defaults() {
        return new EngineConfig(null, List.of(), Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(1), DEFAULT_BODY_LIMIT, 8, 10, 4, DestinationPolicy.ANY,
                DirectSocketFactory.INSTANCE, StepListener.NONE);
    }

    public EngineConfig withResolver(ResolverAddress r) {
        return new EngineConfig(r, extraRoots, stepTimeout, urlDeadline, dnsLateWindow, bodyLimit, maxAddresses, maxRedirects, parallelism, destinations, sockets, listener);
    }

    public EngineConfig withExtraRoots(List<X509Certificate> roots) {
        return new EngineConfig(resolver, roots, stepTimeout, urlDeadline, dnsLateWindow, bodyLimit, maxAddresses, maxRedirects, parallelism, destinations, sockets, listener);
    }

    /** Sets the step timeout; the URL deadline grows to six steps when it would be shorter. */
    public EngineConfig withStepTimeout(Duration t) {
        Duration deadline = urlDeadline.compareTo(t.multipliedBy(6)) < 0 ? t.multipliedBy(6) : urlDeadline;
        return new EngineConfig(resolver, extraRoots, t, deadline, dnsLateWindow, bodyLimit, maxAddresses, maxRedirects, parallelism, destinations, sockets, listener);
    }

    public EngineConfig withUrlDeadline(Duration d) {
        return new EngineConfig(resolver, extraRoots, stepTimeout, d, dnsLateWindow, bodyLimit, maxAddresses, maxRedirects, parallelism, destinations, sockets, listener);
    }

    public EngineConfig withDnsLateWindow(Duration w) {
        return new EngineConfig(resolver, extraRoots, stepTimeout, urlDeadline, w, bodyLimit, maxAddresses, maxRedirects, parallelism, destinations, sockets, listener);
    }

    public EngineConfig withBodyLimit(long limit) {
        return new EngineConfig(resolver, extraRoots, stepTimeout, urlDeadline, dnsLateWindow, limit, maxAddresses, maxRedirects, parallelism, destinations, sockets, listener);
    }

    public EngineConfig withDestinations(DestinationPolicy policy) {
        return new EngineConfig(resolver, extraRoots, stepTimeout, urlDeadline, dnsLateWindow, bodyLimit, maxAddresses, maxRedirects, parallelism, policy, sockets, listener);
    }

    public EngineConfig withSockets(SocketFactory factory) {
        return new EngineConfig(resolver, extraRoots, stepTimeout, urlDeadline, dnsLateWindow, bodyLimit, maxAddresses, maxRedirects, parallelism, destinations, factory, listener);
    }

    public EngineConfig withListener(StepListener l) {
        return new EngineConfig(resolver, extraRoots, stepTimeout, urlDeadline, dnsLateWindow, bodyLimit, maxAddresses, maxRedirects, parallelism, destinations, sockets, l);
    }

    public EngineConfig withParallelism(int n) {
        return new EngineConfig(resolver, extraRoots, stepTimeout, urlDeadline, dnsLateWindow, bodyLimit, maxAddresses, maxRedirects, n, destinations, sockets, listener);
    }
}
