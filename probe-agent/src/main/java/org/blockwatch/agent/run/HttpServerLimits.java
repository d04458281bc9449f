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
        // At most this many connections open: past it the server accepts no more until some close,
        // and the kernel's backlog refuses the rest; its memory and descriptors stay bounded.
        LIMITS.put("jdk.httpserver.maxConnections", "512");
        // The protocols here have small heads: a few headers, none long.
        LIMITS.put("sun.net.httpserver.maxReqHeaders", "64");
        LIMITS.put("sun.net.httpserver.maxReqHeaderSize", "16384");
        // Keep-alive connections left idle are closed after 30 s.
        LIMITS.put("sun.net.httpserver.idleInterval", "30");
    }

    private HttpServerLimits() {}

    /**
     * A collector's requests are measurements uploaded from volunteers' lines, which a censor may
     * throttle: 200 KB at 100 kbit/s take 16 s. It gives them two minutes.
     */
    static final String COLLECTOR_REQUEST_SECONDS = "120";

    /** The limits for the program's {@code command} (its first argument). */
    static Map<String, String> forCommand(String command) {
        Map<String, String> limits = new LinkedHashMap<>(LIMITS);
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
