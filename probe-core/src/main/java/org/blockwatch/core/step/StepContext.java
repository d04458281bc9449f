package org.blockwatch.core.step;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every step runs with: the measurement's clock and transaction ids ({@link Trace}, which
 * also holds the URL's deadline), each step's own timeout, and the listener that observes it.
 * Thread-safe: steps running concurrently share one context.
 */
public final class StepContext {
    private final Trace trace;
    private final Duration stepTimeout;
    private final StepListener listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public StepContext(Trace trace, Duration stepTimeout, StepListener listener) {
        this.trace = trace;
        this.stepTimeout = stepTimeout;
        this.listener = GuardedListener.of(listener);
    }

    /** A context of its own for steps outside a URL's measurement, with {@code deadline} for them all. */
    public static StepContext standalone(Duration stepTimeout, Duration deadline, StepListener listener) {
        return new StepContext(new Trace(deadline), stepTimeout, listener);
    }

    public Trace trace() {
        return trace;
    }

    /** This step's timeout: the step timeout, cut short by what remains of the deadline. */
    public Duration timeout() {
        return trace.timeout(stepTimeout);
    }

    /** Starts a step: its transaction id and start time, announced to the listener. */
    public Scope open(StepKind step, String subject) {
        listener.started(step, subject);
        return new Scope(this, step, subject, trace.nextTransactionId(), trace.now());
    }

    /**
     * Remembers a socket a step opened, so that the measurement can close whatever its steps left
     * open when it ends ({@link #closeSockets()}); one opened after that is closed at once.
     */
    public void opened(Socket socket) {
        sockets.add(socket);
        if (closed) close(socket);
    }

    /**
     * Closes every socket the steps opened and have not closed (a connect or handshake still
     * running on another address when the first one answered, say): when a measurement returns,
     * none of its connections is still open, so the next one (a confirmation) does not share the
     * line with it. Closing a socket a step is blocked on ends that step with a failure nobody reads.
     */
    public void closeSockets() {
        closed = true;
        for (Socket s : sockets) close(s);
        sockets.clear();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed or not, nothing more can be done with it
        }
    }

    StepListener listener() {
        return listener;
    }
}
