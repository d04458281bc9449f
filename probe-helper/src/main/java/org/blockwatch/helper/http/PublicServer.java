package org.blockwatch.helper.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP/1.1 server for the internet (Jetty 12, core handlers): the program's control server and
 * collector. Its limits ({@link ServerLimits}): connections per client address and in all, the
 * request head's size and time, idle connections, bodies' minimum rate (in {@link RequestBody});
 * plain HTTP, or TLS from a certificate file; access logs without client addresses. Handlers run
 * on virtual threads, one per request once its head is whole: a connection that has sent only
 * part of a head holds no thread, only a small parser state.
 */
public final class PublicServer implements AutoCloseable {
    /** Where and how: {@code tls} and {@code accessLog} may be null (plain HTTP; no access log). */
    public record Options(InetSocketAddress listen, ServerLimits limits, Tls tls, Path accessLog) {
        public Options(InetSocketAddress listen, ServerLimits limits) {
            this(listen, limits, null, null);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final PerAddressLimit perAddress;
    private final boolean tls;

    public PublicServer(String name, Options options, Handler handler) throws IOException {
        ServerLimits limits = options.limits();
        // Few platform threads (selector, acceptor, Jetty's own tasks); requests go to virtual threads.
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName(name);
        threads.setReservedThreads(0);
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-request-", 0).factory()));
        server = new Server(threads);
        server.setStopTimeout(2_000);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeadBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        this.tls = options.tls() != null;
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(options.tls().keyStore());
            ssl.setKeyStorePassword(new String(Tls.PASSWORD));
            ssl.setKeyManagerPassword(new String(Tls.PASSWORD));
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Probes may reach the server by an address or a name not in the certificate (they pin or trust it otherwise).
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), h1);
        } else {
            connector = new ServerConnector(server, 1, 1, h1);
        }
        connector.setHost(options.listen().getAddress().getHostAddress());
        connector.setPort(options.listen().getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(1024); // a burst of connections does not overflow it
        connector.setReuseAddress(true);
        perAddress = new PerAddressLimit(limits.connectionsPerAddress(), limits.uncapped(), limits.capLoopback());
        connector.addBean(perAddress);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        server.addBean(new HeadDeadline(connector, limits.headTimeout()));
        server.setErrorHandler(new JsonErrors());
        if (options.accessLog() != null) server.setRequestLog(AccessLog.to(options.accessLog()));
        server.setHandler(handler);
        try {
            server.start();
        } catch (Exception e) {
            close();
            if (e instanceof IOException io) throw io;
            throw new IOException(e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** {@code https} with a certificate, {@code http} without. */
    public String scheme() {
        return tls ? "https" : "http";
    }

    /** Connections closed at once because their address already had its share (for tests). */
    public long refusedPerAddress() {
        return perAddress.refused();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing left to do about it
        }
    }
}
