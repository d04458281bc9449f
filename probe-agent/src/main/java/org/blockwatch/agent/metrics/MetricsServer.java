package org.blockwatch.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * Serves {@code GET /metrics}: the Prometheus text format, or OpenMetrics when the client asks for
 * it ({@code Accept: application/openmetrics-text}), gzip-compressed when it accepts that (as
 * Prometheus does). Loopback unless told otherwise.
 */
public final class MetricsServer implements AutoCloseable {
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private final HttpServer server;

    public MetricsServer(InetSocketAddress listen, AgentMetrics metrics) throws IOException {
        server = HttpServer.create(listen, 1024); // a backlog that a burst of connections does not overflow
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                String type = accepts(exchange, "Accept", "application/openmetrics-text") ? OPENMETRICS : TEXT;
                byte[] body = metrics.scrape(type).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", type);
                exchange.getResponseHeaders().add("Vary", "Accept, Accept-Encoding");
                if (accepts(exchange, "Accept-Encoding", "gzip")) {
                    ByteArrayOutputStream zipped = new ByteArrayOutputStream(body.length / 4 + 64);
                    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                        gzip.write(body);
                    }
                    body = zipped.toByteArray();
                    exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        // A virtual thread per exchange: the JDK server reads a request's head on the executor, so
        // a half-sent request holds its thread; with one thread each, a slow client never holds up
        // a scrape, and the JDK server's limits (HttpServerLimits) close such clients in the end.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Whether a request header lists {@code value} (case-insensitive, any parameters). */
    private static boolean accepts(HttpExchange exchange, String header, String value) {
        for (String line : exchange.getRequestHeaders().getOrDefault(header, java.util.List.of())) {
            for (String part : line.split(",")) {
                String v = part.split(";", 2)[0].trim();
                if (v.equalsIgnoreCase(value)) return true;
            }
        }
        return false;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
