package org.blockwatch.core.step;

import java.time.Duration;
import org.blockwatch.core.failure.FailureClassifier;

/**
 * One step in flight: its transaction id and start time; it ends once, with success or with a
 * failure. An exception is classified here, the one way every step turns one into a failure
 * string. Times are seconds since the measurement started.
 */
public final class Scope {
    private final StepContext context;
    private final StepKind step;
    private final String subject;
    private final long tx;
    private final double t0;
    private double t = Double.NaN;

    Scope(StepContext context, StepKind step, String subject, long tx, double t0) {
        this.context = context;
        this.step = step;
        this.subject = subject;
        this.tx = tx;
        this.t0 = t0;
    }

    public long tx() {
        return tx;
    }

    public double t0() {
        return t0;
    }

    /** When the step ended (seconds since the measurement started); NaN while it runs. */
    public double t() {
        return t;
    }

    /** Seconds since the measurement started. */
    public double now() {
        return context.trace().now();
    }

    /** Ends the step now, as a success. */
    public void succeed() {
        end(null, now());
    }

    /** Ends the step now with a failure string already known (an rcode, a policy). */
    public void fail(String failure) {
        end(failure, now());
    }

    /** Ends the step now with {@code error}, classified; returns the failure string. */
    public String fail(Throwable error) {
        String failure = FailureClassifier.classify(error);
        fail(failure);
        return failure;
    }

    /**
     * Ends the step at {@code at} (a response's arrival, say), failed when {@code failure} is not
     * null. A step ends once: a later end (a close failing after success) changes nothing.
     */
    public void end(String failure, double at) {
        if (!Double.isNaN(t)) return;
        t = at;
        Duration took = Duration.ofNanos(Math.max(0, Math.round((at - t0) * 1e9)));
        if (failure == null) context.listener().succeeded(step, subject, took);
        else context.listener().failed(step, subject, failure, took);
    }
}
