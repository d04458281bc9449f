package org.blockwatch.helper.http;

import java.time.Duration;
import java.util.Set;

/**
 * How an internet-facing server holds against hostile clients. {@code connectionsPerAddress}:
 * connections one client address may hold at once (loopback and {@code uncapped} addresses,
 * reverse proxies that carry many clients, are exempt); {@code maxConnections}: connections at
 * most in all; {@code headTimeout}: a request head (or a new connection's first one) must arrive
 * whole within it; {@code idleTimeout}: a connection that moves no byte for this long is closed;
 * {@code minBodyBytesPerSecond}: a body must arrive at least this fast on average (after a grace
 * of {@code headTimeout}); {@code maxHeadBytes}: the request line and headers together.
 */
public record ServerLimits(int connectionsPerAddress, int maxConnections, Duration headTimeout, Duration idleTimeout, long minBodyBytesPerSecond,
        int maxHeadBytes, Set<String> uncapped, boolean capLoopback) {
    /** Connections per client address by default: a probe uses one or two; a few dozen probes may share a NAT's address. */
    public static final int CONNECTIONS_PER_ADDRESS = 64;
    /** Connections in all at most, whatever the descriptors allow (each costs a few KB of heap). */
    public static final int MOST_CONNECTIONS = 16_384;

    public ServerLimits {
        if (connectionsPerAddress < 1 || maxConnections < 1 || maxHeadBytes < 1024) throw new IllegalArgumentException("limits must be positive");
        if (headTimeout.isNegative() || headTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        uncapped = Set.copyOf(uncapped);
    }

    public ServerLimits(int connectionsPerAddress, int maxConnections, Duration headTimeout, Duration idleTimeout, long minBodyBytesPerSecond,
            int maxHeadBytes, Set<String> uncapped) {
        this(connectionsPerAddress, maxConnections, headTimeout, idleTimeout, minBodyBytesPerSecond, maxHeadBytes, uncapped, false);
    }

    /** Loopback counted like any address (tests, whose clients are all on loopback). */
    public ServerLimits withLoopbackCapped() {
        return new ServerLimits(connectionsPerAddress, maxConnections, headTimeout, idleTimeout, minBodyBytesPerSecond, maxHeadBytes, uncapped, true);
    }

    /**
     * The defaults: 64 connections per address, a head within 10 s, 30 s idle, bodies at 256 B/s
     * or faster (a 200 KB measurement over a line a censor throttles to 8 kbit/s takes 200 s, and
     * passes), heads of 16 KiB; connections in all under the process's descriptors with room to
     * spare (the database and the measurements need theirs).
     */
    public static ServerLimits defaults() {
        return new ServerLimits(CONNECTIONS_PER_ADDRESS, maxConnections(descriptorLimit()), Duration.ofSeconds(10), Duration.ofSeconds(30), 256,
                16 * 1024, Set.of());
    }

    public ServerLimits withConnectionsPerAddress(int n) {
        return new ServerLimits(n, maxConnections, headTimeout, idleTimeout, minBodyBytesPerSecond, maxHeadBytes, uncapped, capLoopback);
    }

    public ServerLimits withUncapped(Set<String> addresses) {
        return new ServerLimits(connectionsPerAddress, maxConnections, headTimeout, idleTimeout, minBodyBytesPerSecond, maxHeadBytes, addresses, capLoopback);
    }

    public ServerLimits withHeadTimeout(Duration d) {
        return new ServerLimits(connectionsPerAddress, maxConnections, d, idleTimeout, minBodyBytesPerSecond, maxHeadBytes, uncapped, capLoopback);
    }

    /** Half the descriptors, or all but 2,048, whichever is more; at least 64, at most {@link #MOST_CONNECTIONS}. */
    public static int maxConnections(long descriptors) {
        long room = Math.max(descriptors / 2, descriptors - 2048);
        return (int) Math.max(64, Math.min(MOST_CONNECTIONS, room));
    }

    /** The process's descriptor limit (the JVM raises the soft limit to the hard one at start), or 1024 when unknown. */
    public static long descriptorLimit() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : 1024;
    }
}
