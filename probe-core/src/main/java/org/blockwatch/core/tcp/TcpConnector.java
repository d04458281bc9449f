package org.blockwatch.core.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.failure.FailureClassifier;
import org.blockwatch.core.trace.Trace;

/** Connects to one address and records how it went, with sockets from the engine's factory. */
public final class TcpConnector {
    private final javax.net.SocketFactory sockets;

    public TcpConnector(javax.net.SocketFactory sockets) {
        this.sockets = sockets;
    }

    /** A connect attempt: its record, and the open socket when it succeeded (the caller closes it). */
    public record Connection(TcpConnect record, Socket socket) implements AutoCloseable {
        public boolean connected() {
            return socket != null;
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing was promised about a socket being closed
                }
            }
        }
    }

    public Connection connect(InetAddress ip, int port, Duration timeout, Trace trace) {
        long tx = trace.nextTransactionId();
        double t0 = trace.now();
        Socket socket;
        try {
            socket = sockets.createSocket();
        } catch (IOException e) {
            return new Connection(record(ip, port, FailureClassifier.classify(e), t0, trace.now(), tx), null);
        }
        try {
            socket.connect(new InetSocketAddress(ip, port), Trace.millis(timeout));
            return new Connection(record(ip, port, null, t0, trace.now(), tx), socket);
        } catch (IOException | RuntimeException e) {
            String failure = FailureClassifier.classify(e);
            double t = trace.now();
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failed
            }
            return new Connection(record(ip, port, failure, t0, t, tx), null);
        }
    }

    private static TcpConnect record(InetAddress ip, int port, String failure, double t0, double t, long tx) {
        return new TcpConnect(ip.getHostAddress(), port, new TcpConnect.Status(failure == null, failure, null), t0, t, tx);
    }
}
