package org.blockwatch.helper.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Closes each connection whose request head has not arrived whole within {@code limit} of its
 * first byte, or whose first request has not arrived within {@code limit} of its opening (a TLS
 * handshake that never ends included). Jetty's idle timeout alone would not do: a slowloris sends
 * a byte every few seconds, and each byte starts the idle timeout again. Checked once a second,
 * so a head gets between {@code limit} and {@code limit} + 1 s.
 */
final class HeadDeadline extends AbstractLifeCycle {
    private final AbstractConnector connector;
    private final long limitNanos;
    /** Per connection: the request count when its pending head was first seen, and when. */
    private final Map<EndPoint, Mark> pending = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    private record Mark(long requests, long since) {}

    HeadDeadline(AbstractConnector connector, Duration limit) {
        this.connector = connector;
        this.limitNanos = limit.toNanos();
    }

    @Override
    protected void doStart() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("head-deadline").unstarted(r));
        timer.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
        pending.clear();
    }

    /** One pass over the open connections. */
    void sweep() {
        long now = System.nanoTime();
        java.util.Set<EndPoint> seen = new java.util.HashSet<>();
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            HttpConnection http = http(endPoint.getConnection());
            if (http == null || !waitingForHead(http)) {
                pending.remove(endPoint);
                continue;
            }
            seen.add(endPoint);
            long requests = http.getMessagesIn();
            Mark mark = pending.compute(endPoint, (e, m) -> m != null && m.requests() == requests ? m : new Mark(requests, fresh(http, now)));
            if (now - mark.since() >= limitNanos) {
                pending.remove(endPoint);
                endPoint.close();
            }
        }
        pending.keySet().retainAll(seen);
    }

    /** A new connection's clock starts when it opened; a later head's when it was first seen under way. */
    private static long fresh(HttpConnection http, long now) {
        if (http.getMessagesIn() > 0) return now;
        long ageMillis = System.currentTimeMillis() - http.getCreatedTimeStamp();
        return now - TimeUnit.MILLISECONDS.toNanos(Math.max(0, ageMillis));
    }

    /**
     * Whether the connection waits for a request head: part of one has come, or none at all on a
     * connection that never had a request (a keep-alive connection between requests is left to the
     * idle timeout).
     */
    private static boolean waitingForHead(HttpConnection http) {
        var parser = http.getParser();
        if (parser.inHeaderState()) return !parser.isStart() || http.getMessagesIn() == 0;
        return false;
    }

    /** The HTTP/1.1 connection over a network connection, under TLS or not. */
    private static HttpConnection http(Connection connection) {
        if (connection instanceof HttpConnection http) return http;
        if (connection instanceof SslConnection tls) {
            // Made with the TLS connection: during the handshake it is a connection that has had no request yet.
            if (tls.getSslEndPoint().getConnection() instanceof HttpConnection http) return http;
        }
        return null;
    }
}
