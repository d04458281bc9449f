package org.blockwatch.core.step;

import java.time.Duration;

/**
 * What every step runs with: the measurement's clock and transaction ids ({@link Trace}, which
 * also holds the URL's deadline), each step's own timeout, and the listener that observes it.
 * Thread-safe: steps running concurrently share one context.
 */
public final class StepContext {
    private final Trace trace;
    private final Duration stepTimeout;
    private final StepListener listener;

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

    StepListener listener() {
        return listener;
    }
}
