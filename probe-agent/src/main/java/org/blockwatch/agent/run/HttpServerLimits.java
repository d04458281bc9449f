package org.blockwatch.agent.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.blockwatch.helper.http.ServerLimits;

/**
 * The bounds of the agent's metrics server (for {@code run} and {@code demo}), the JDK's
 * {@code com.sun.net.httpserver}: it holds under abuse only when told to (the servers that face the
 * internet, {@code control-server} and {@code collector}, are Jetty's: {@code helper.http}). Without these, a connection that sends half a request and goes quiet is never
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

    /** The commands that run the JDK's HTTP server. */
    static final java.util.Set<String> SERVING = java.util.Set.of("run", "demo");

    /** The limits for the program's {@code command} (its first argument). */
    static Map<String, String> forCommand(String command) {
        Map<String, String> limits = new LinkedHashMap<>(LIMITS);
        // Only the commands that serve ask for the descriptor limit (the management bean it takes
        // is start-up time that `measure` would pay for nothing).
        // The same connection cap as the public servers': under the descriptors, with room to spare.
        if (SERVING.contains(command)) {
            limits.put("jdk.httpserver.maxConnections", Integer.toString(ServerLimits.maxConnections(ServerLimits.descriptorLimit())));
        }
        return limits;
    }

    /** Sets each limit not already given to the JVM, for the program's {@code command} (its first argument). */
    public static void apply(String command) {
        forCommand(command).forEach((property, value) -> {
            if (System.getProperty(property) == null) System.setProperty(property, value);
        });
    }
}
