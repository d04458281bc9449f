package org.blockwatch.sim;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP server on loopback that misbehaves in one chosen way, the way a censor's middlebox
 * would. Each connection is served on its own virtual thread; close() ends them all.
 */
public final class FaultServer implements AutoCloseable {
    private final ServerSocket server;
    private final Fault fault;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

    public FaultServer(Fault fault) throws IOException {
        this(fault, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public FaultServer(Fault fault, InetSocketAddress bind) throws IOException {
        this.fault = fault;
        this.server = new ServerSocket();
        server.bind(bind);
        Acceptor.start("fault-" + fault, server, open, s -> {
            accepted.incrementAndGet();
            handle(s);
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far (tests wait on it to know a client is in the middle of a fault). */
    public int accepted() {
        return accepted.get();
    }

    private void handle(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            switch (fault) {
                case RESET_ON_FIRST_DATA -> {
                    if (in.read(new byte[4096]) > 0) reset(s);
                }
                case CLOSE_ON_FIRST_DATA -> in.read(new byte[4096]);
                case STALL -> {
                    byte[] sink = new byte[4096];
                    while (in.read(sink) >= 0) {
                        // swallow everything, answer nothing
                    }
                }
                case RESET_AFTER_HTTP_REQUEST -> {
                    if (readHead(in)) reset(s);
                }
                case ENDLESS_RESPONSE_HEADERS -> {
                    if (readHead(in)) {
                        java.io.OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        byte[] header = "X-Padding: 0123456789abcdef0123456789abcdef0123456789abcdef\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                        while (true) out.write(header); // until the client hangs up
                    }
                }
                case CLOSE_IN_RESPONSE_HEAD -> {
                    if (readHead(in)) {
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nServer: x\r\nX-Cut: hal".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    }
                }
            }
        } catch (IOException ignored) {
            // the client went away first
        } finally {
            open.remove(s);
        }
    }

    /** Reads until the blank line that ends an HTTP request head; false on EOF first. */
    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        int b;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while ((b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == end.length) return true;
        }
        return false;
    }

    /** SO_LINGER 0 makes close() send a RST instead of a FIN. */
    private static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }
}
