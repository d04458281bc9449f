package org.blockwatch.agent.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bounds of every HTTP server the program runs (the control server, the collector, the
 * agent's metrics), which are the JDK's {@code com.sun.net.httpserver}: it holds under abuse only
 * when told to. Without these, a connection that sends half a request and goes quiet is never
 * closed, and enough of them take the server down for good. Set before any server starts (the
 * JDK reads them once); a {@code -D} given to the JVM wins.
 */
public final class HttpServerLimits {
    /** Each property and its value, with why. */
    static final Map<String, String> LIMITS = new LinkedHashMap<>();

    static {
        // A request's headers and body must all arrive within 10 s: slowloris and idle connections
        // (a newly accepted connection that sends nothing is closed then too).
        LIMITS.put("sun.net.httpserver.maxReqTime", "10");
        // An answer must be taken within 30 s (a client that stops reading).
        LIMITS.put("sun.net.httpserver.maxRspTime", "30");
        // The protocols here have small heads: a few headers, none long.
        LIMITS.put("sun.net.httpserver.maxReqHeaders", "64");
        LIMITS.put("sun.net.httpserver.maxReqHeaderSize", "16384");
        // Keep-alive connections left idle are closed after 30 s.
        LIMITS.put("sun.net.httpserver.idleInterval", "30");
    }

    private HttpServerLimits() {}

    /** The commands that run an HTTP server. */
    static final java.util.Set<String> SERVING = java.util.Set.of("run", "demo", "control-server", "collector");

    /** Connections open at most, whatever the descriptors allow. */
    static final int MOST_CONNECTIONS = 16_384;

    /**
     * At most this many connections open: past it the server closes each new one at once. It is
     * high, so that a flood of idle connections (each costs a few KB, and is closed when it sends
     * nothing for 10 s) leaves room for real clients, but under the process's descriptors with
     * room to spare: a server out of them would fail its own measurements and its store.
     */
    static int maxConnections(long descriptors) {
        long room = Math.max(descriptors / 2, descriptors - 2048);
        return (int) Math.max(64, Math.min(MOST_CONNECTIONS, room));
    }

    /** The process's descriptor limit (the JVM raises the soft limit to the hard one at start), or 1024 when unknown. */
    static long descriptorLimit() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : 1024;
    }

    /**
     * A collector's requests are measurements uploaded from volunteers' lines, which a censor may
     * throttle: 200 KB at 100 kbit/s take 16 s. It gives them two minutes.
     */
    static final String COLLECTOR_REQUEST_SECONDS = "120";

    /** The limits for the program's {@code command} (its first argument). */
    static Map<String, String> forCommand(String command) {
        Map<String, String> limits = new LinkedHashMap<>(LIMITS);
        // Only the commands that serve ask for the descriptor limit (the management bean it takes
        // is start-up time that `measure` would pay for nothing).
        if (SERVING.contains(command)) limits.put("jdk.httpserver.maxConnections", Integer.toString(maxConnections(descriptorLimit())));
        if ("collector".equals(command)) limits.put("sun.net.httpserver.maxReqTime", COLLECTOR_REQUEST_SECONDS);
        return limits;
    }

    /** Sets each limit not already given to the JVM, for the program's {@code command} (its first argument). */
    public static void apply(String command) {
        forCommand(command).forEach((property, value) -> {
            if (System.getProperty(property) == null) System.setProperty(property, value);
        });
    }
}
