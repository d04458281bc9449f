package org.blockwatch.core.engine;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A censor's DPI in front of a TLS server, on loopback: it reads each connection's first TLS
 * record (the ClientHello) whole and, when it carries {@code name} (in the SNI), resets the
 * connection, stalls it (holds it open and answers nothing), or carries it to another server
 * (an interceptor); every other hello, with another name or none, goes on to {@code upstream}.
 * It counts the bytes of each connection both ways, for what a measurement costs on the wire.
 */
final class SniCensor implements AutoCloseable {
    enum Action { RESET, STALL, DIVERT }

    /** One connection through the censor: whether its hello was caught, and its bytes, client to server and back. */
    record Connection(boolean caught, AtomicLong up, AtomicLong down) {
        long bytes() {
            return up.get() + down.get();
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final byte[] name;
    private final Action action;
    private final InetSocketAddress divert;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    SniCensor(int upstreamPort, String name, Action action, int divertPort) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        this.upstream = new InetSocketAddress(loopback, upstreamPort);
        this.name = name.getBytes(StandardCharsets.US_ASCII);
        this.action = action;
        this.divert = divertPort > 0 ? new InetSocketAddress(loopback, divertPort) : null;
        this.server = new ServerSocket(0, 50, loopback);
        Thread.ofVirtual().name("sni-censor").start(this::accept);
    }

    static SniCensor resetting(int upstreamPort, String name) throws IOException {
        return new SniCensor(upstreamPort, name, Action.RESET, 0);
    }

    static SniCensor stalling(int upstreamPort, String name) throws IOException {
        return new SniCensor(upstreamPort, name, Action.STALL, 0);
    }

    static SniCensor diverting(int upstreamPort, String name, int interceptorPort) throws IOException {
        return new SniCensor(upstreamPort, name, Action.DIVERT, interceptorPort);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The connections so far, in the order they were accepted. */
    List<Connection> connections() {
        return List.copyOf(connections);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread.ofVirtual().start(() -> handle(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            byte[] header = in.readNBytes(5);
            if (header.length < 5 || header[0] != 0x16) return; // not a TLS handshake record
            int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            byte[] body = in.readNBytes(length);
            boolean caught = contains(body, name);
            Connection c = new Connection(caught, new AtomicLong(5 + body.length), new AtomicLong());
            connections.add(c);
            if (caught && action == Action.RESET) {
                client.setSoLinger(true, 0); // close with a RST, as a DPI box's injected reset
                return;
            }
            if (caught && action == Action.STALL) {
                in.transferTo(OutputStream.nullOutputStream()); // swallow everything, answer nothing, until the client gives up
                return;
            }
            try (Socket up = new Socket()) {
                open.add(up);
                up.connect(caught ? divert : upstream);
                up.getOutputStream().write(header);
                up.getOutputStream().write(body);
                Thread.ofVirtual().start(() -> copy(in, output(up), c.up(), () -> up.shutdownOutput()));
                copy(up.getInputStream(), client.getOutputStream(), c.down(), () -> client.shutdownOutput());
            } finally {
                open.remove(client);
            }
        } catch (IOException ignored) {
            // either side went away
        }
    }

    private static OutputStream output(Socket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            return OutputStream.nullOutputStream();
        }
    }

    private interface HalfClose {
        void run() throws IOException;
    }

    /** Copies until {@code from} ends, then passes the end on ({@code end}: a half-close of the other side). */
    private static void copy(InputStream from, OutputStream to, AtomicLong counted, HalfClose end) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
                counted.addAndGet(n);
            }
            end.run();
        } catch (IOException ignored) {
            // a side closed
        }
    }

    private static boolean contains(byte[] data, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= data.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
