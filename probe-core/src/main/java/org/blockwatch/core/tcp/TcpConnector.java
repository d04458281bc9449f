package org.blockwatch.core.tcp;

import java.io.IOException;
import java.net.Socket;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.Step;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.Trace;

/** The connect step: one address, with sockets from the engine's factory, recorded. */
public final class TcpConnector implements Step<Endpoint, TcpConnector.Connection> {
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

    @Override
    public Connection run(Endpoint endpoint, StepContext context) {
        Scope step = context.open(StepKind.TCP_CONNECT, endpoint.toString());
        Socket socket;
        try {
            socket = sockets.createSocket();
            context.opened(socket);
        } catch (IOException e) {
            return new Connection(record(endpoint, step.fail(e), step), null);
        }
        try {
            socket.connect(endpoint.socketAddress(), Trace.millis(context.timeout()));
            step.succeed();
            return new Connection(record(endpoint, null, step), socket);
        } catch (IOException | RuntimeException e) {
            String failure = step.fail(e);
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failed
            }
            return new Connection(record(endpoint, failure, step), null);
        }
    }

    private static TcpConnect record(Endpoint endpoint, String failure, Scope step) {
        return new TcpConnect(endpoint.ip().getHostAddress(), endpoint.port(), new TcpConnect.Status(failure == null, failure, null), step.t0(),
                step.t(), step.tx());
    }
}
