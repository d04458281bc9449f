package org.blockwatch.helper.ports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.blockwatch.core.portfiltering.HelperPorts;
import org.blockwatch.core.portfiltering.PortFilterWire;

/**
 * One TCP port of a {@link PortListener}: accepts, and on each connection reads one line and
 * answers it ({@link PortFilterWire#tcpAnswer}), then closes. A connection over its limits is
 * closed as it opens, before a byte is read; a line too long, or not whole within the read
 * timeout, is closed unanswered.
 */
final class TcpPort {
    private final ServerSocket server;
    private final PortListener.Limits limits;
    private final ConnectionSlots slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();

    private TcpPort(ServerSocket server, PortListener.Limits limits, ConnectionSlots slots) {
        this.server = server;
        this.limits = limits;
        this.slots = slots;
    }

    static TcpPort bind(InetSocketAddress at, PortListener.Limits limits, ConnectionSlots slots) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(at, 128);
        } catch (IOException e) {
            server.close();
            throw PortListener.bindFailure("tcp", at, e);
        }
        return new TcpPort(server, limits, slots);
    }

    int port() {
        return server.getLocalPort();
    }

    long refused() {
        return refused.get();
    }

    void start(ExecutorService threads, HelperPorts served) {
        threads.execute(() -> accept(threads, served));
    }

    private void accept(ExecutorService threads, HelperPorts served) {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) return;
                pause(); // out of descriptors, say: keep serving, without spinning on the error
                continue;
            }
            InetAddress client = s.getInetAddress();
            if (!slots.tryEnter(client)) {
                refused.incrementAndGet();
                closeQuietly(s);
                continue;
            }
            open.add(s);
            try {
                threads.execute(() -> {
                    try {
                        serve(s, served);
                    } finally {
                        open.remove(s);
                        closeQuietly(s);
                        slots.exit(client);
                    }
                });
            } catch (RuntimeException closing) {
                open.remove(s);
                closeQuietly(s);
                slots.exit(client);
            }
        }
    }

    /** One line, by the deadline, at most the limit's bytes; its answer, if it is a request. */
    private void serve(Socket s, HelperPorts served) {
        long deadline = System.nanoTime() + limits.readTimeout().toNanos();
        byte[] buffer = new byte[limits.maxLineBytes()];
        int n = 0;
        try {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            while (n < buffer.length) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return; // slow: closed unanswered
                s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
                int r = in.read(buffer, n, buffer.length - n);
                if (r < 0) return;
                for (int i = n; i < n + r; i++) {
                    if (buffer[i] == '\n') {
                        Optional<byte[]> answer = PortFilterWire.tcpAnswer(buffer, i, served);
                        if (answer.isPresent()) {
                            OutputStream out = s.getOutputStream();
                            out.write(answer.get());
                            out.flush();
                            s.shutdownOutput();
                        }
                        return;
                    }
                }
                n += r;
            }
            // A full buffer without a newline: longer than any request, closed unanswered.
        } catch (IOException e) {
            // a timeout, a reset: the client is gone or too slow; nothing to answer
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        closeQuietly(server);
        for (Socket s : open) closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing: nothing left to do about it
        }
    }
}
