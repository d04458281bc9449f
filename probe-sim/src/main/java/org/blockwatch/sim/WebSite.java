package org.blockwatch.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A web site of the simulated network: every request gets one page, over HTTP or (given a
 * server context) HTTPS, optionally throttled the way a censor's shaper would hold it. Built on
 * the JDK's HTTP server, so the demo that ships to volunteers carries no test library.
 */
public final class WebSite implements AutoCloseable {
    /** One page, its extra headers, and how fast it goes out: {@code chunk} bytes every {@code pause} (null: at once). */
    public record Page(int status, String contentType, byte[] body, int chunk, Duration pause, Map<String, String> headers) {
        public static Page html(int status, String html) {
            return new Page(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), 0, null, Map.of());
        }

        public Page throttled(int chunkBytes, Duration every) {
            return new Page(status, contentType, body, chunkBytes, every, headers);
        }

        public Page withHeaders(Map<String, String> extra) {
            return new Page(status, contentType, body, chunk, pause, Map.copyOf(extra));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Page page;

    /** Serves {@code page} on {@code bind} (port 0: any), over HTTPS when {@code tls} is not null. */
    public WebSite(InetAddress bind, SSLContext tls, Page page) throws IOException {
        this.page = page;
        InetSocketAddress address = new InetSocketAddress(bind, 0);
        if (tls == null) {
            server = HttpServer.create(address, 64);
        } else {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.getResponseHeaders().set("Content-Type", page.contentType());
            page.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(page.status(), page.body().length);
            OutputStream out = exchange.getResponseBody();
            if (page.pause() == null) {
                out.write(page.body());
                return;
            }
            for (int at = 0; at < page.body().length; at += page.chunk()) {
                out.write(page.body(), at, Math.min(page.chunk(), page.body().length - at));
                out.flush();
                Thread.sleep(page.pause()); // the shaper's pace, not a wait for anything
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away mid-page (a probe stops reading at its body limit)
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
