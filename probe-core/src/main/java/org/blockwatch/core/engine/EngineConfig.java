package org.blockwatch.core.engine;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.SocketFactory;
import org.blockwatch.core.dns.DnsInterception;
import org.blockwatch.core.dns.DnsResolver;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.step.Timeouts;
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
 * @param extraResolvers resolvers asked beside the path's (a DoH or DoT resolver, say; built by
 *     the caller): their queries are recorded, their addresses connected to and handshaken with
 *     as evidence, never fetched from, since the user's browser would not get them
 * @param interception the interception checks of the Do53 resolvers asked ({@code x_dns_intercepted})
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
        StepListener listener,
        List<DnsResolver> extraResolvers,
        DnsInterception interception) {

    public static final long DEFAULT_BODY_LIMIT = 64 * 1024;

    public EngineConfig {
        extraRoots = List.copyOf(extraRoots);
        extraResolvers = List.copyOf(extraResolvers);
        if (interception == null) throw new IllegalArgumentException("interception checks must be given (DnsInterception.none() for none)");
        if (stepTimeout.isNegative() || stepTimeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (urlDeadline.compareTo(stepTimeout) < 0) throw new IllegalArgumentException("URL deadline must not be shorter than a step");
        if (bodyLimit < 0) throw new IllegalArgumentException("body limit must not be negative");
        if (maxAddresses < 1 || parallelism < 1 || maxRedirects < 0) throw new IllegalArgumentException("limits must be positive");
    }

    public static EngineConfig defaults() {
        return new EngineConfig(null, List.of(), Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(1), DEFAULT_BODY_LIMIT, 8, 10, 4, DestinationPolicy.ANY,
                DirectSocketFactory.INSTANCE, StepListener.NONE, List.of(), DnsInterception.none());
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The configuration field by field: each setter changes one, {@link #build()} checks them all together. */
    public static final class Builder {
        private ResolverAddress resolver;
        private List<X509Certificate> extraRoots;
        private Duration stepTimeout;
        private Duration urlDeadline;
        private Duration dnsLateWindow;
        private long bodyLimit;
        private int maxAddresses;
        private int maxRedirects;
        private int parallelism;
        private DestinationPolicy destinations;
        private SocketFactory sockets;
        private StepListener listener;
        private List<DnsResolver> extraResolvers;
        private DnsInterception interception;

        private Builder(EngineConfig c) {
            resolver = c.resolver;
            extraRoots = c.extraRoots;
            stepTimeout = c.stepTimeout;
            urlDeadline = c.urlDeadline;
            dnsLateWindow = c.dnsLateWindow;
            bodyLimit = c.bodyLimit;
            maxAddresses = c.maxAddresses;
            maxRedirects = c.maxRedirects;
            parallelism = c.parallelism;
            destinations = c.destinations;
            sockets = c.sockets;
            listener = c.listener;
            extraResolvers = c.extraResolvers;
            interception = c.interception;
        }

        public Builder resolver(ResolverAddress r) { resolver = r; return this; }
        public Builder extraRoots(List<X509Certificate> roots) { extraRoots = roots; return this; }
        /** The step timeout; the URL deadline grows to {@link Timeouts#URL_STEPS} steps when it would be shorter. */
        public Builder stepTimeout(Duration t) { stepTimeout = t; urlDeadline = Timeouts.urlDeadline(t, urlDeadline); return this; }
        public Builder urlDeadline(Duration d) { urlDeadline = d; return this; }
        public Builder dnsLateWindow(Duration w) { dnsLateWindow = w; return this; }
        public Builder bodyLimit(long limit) { bodyLimit = limit; return this; }
        public Builder destinations(DestinationPolicy policy) { destinations = policy; return this; }
        public Builder sockets(SocketFactory factory) { sockets = factory; return this; }
        public Builder listener(StepListener l) { listener = l; return this; }
        public Builder parallelism(int n) { parallelism = n; return this; }
        /** Resolvers asked beside the path's, in this order; a resolver with the address of a path resolver is not asked twice. */
        public Builder extraResolvers(List<DnsResolver> resolvers) { extraResolvers = resolvers; return this; }
        public Builder interception(DnsInterception checks) { interception = checks; return this; }

        public EngineConfig build() {
            return new EngineConfig(resolver, extraRoots, stepTimeout, urlDeadline, dnsLateWindow, bodyLimit, maxAddresses, maxRedirects,
                    parallelism, destinations, sockets, listener, extraResolvers, interception);
        }
    }

    // One change each, for the many callers that change one thing.
    public EngineConfig withResolver(ResolverAddress r) {
        return toBuilder().resolver(r).build();
    }

    public EngineConfig withExtraRoots(List<X509Certificate> roots) {
        return toBuilder().extraRoots(roots).build();
    }

    /** Sets the step timeout; the URL deadline grows to six steps when it would be shorter. */
    public EngineConfig withStepTimeout(Duration t) {
        return toBuilder().stepTimeout(t).build();
    }

    public EngineConfig withUrlDeadline(Duration d) {
        return toBuilder().urlDeadline(d).build();
    }

    public EngineConfig withDnsLateWindow(Duration w) {
        return toBuilder().dnsLateWindow(w).build();
    }

    public EngineConfig withBodyLimit(long limit) {
        return toBuilder().bodyLimit(limit).build();
    }

    public EngineConfig withDestinations(DestinationPolicy policy) {
        return toBuilder().destinations(policy).build();
    }

    public EngineConfig withSockets(SocketFactory factory) {
        return toBuilder().sockets(factory).build();
    }

    public EngineConfig withListener(StepListener l) {
        return toBuilder().listener(l).build();
    }

    public EngineConfig withParallelism(int n) {
        return toBuilder().parallelism(n).build();
    }

    public EngineConfig withExtraResolvers(List<DnsResolver> resolvers) {
        return toBuilder().extraResolvers(resolvers).build();
    }

    public EngineConfig withInterception(DnsInterception checks) {
        return toBuilder().interception(checks).build();
    }
}
