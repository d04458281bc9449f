package org.blockwatch.core.step;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock and the counters of one URL's measurement: record times are seconds since it
 * started, every step gets its own transaction id, and no step may run past the URL's deadline.
 * Thread-safe: steps running concurrently share one trace.
 */
public final class Trace {
    private final long startNanos;
    private final long deadlineNanos;
    private final AtomicLong transactions = new AtomicLong();

    public Trace(Duration deadline) {
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + deadline.toNanos();
    }

    /** Seconds since the measurement started, to the microsecond. */
    public double now() {
        return Math.round((System.nanoTime() - startNanos) / 1_000.0) / 1_000_000.0;
    }

    public long nextTransactionId() {
        return transactions.incrementAndGet();
    }

    /** The step's own timeout, cut short by what remains of the URL's deadline (zero when past it). */
    public Duration timeout(Duration step) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) return Duration.ZERO;
        return step.toNanos() < remaining ? step : Duration.ofNanos(remaining);
    }

    /** Milliseconds for socket APIs, where 0 would mean "no timeout": never below 1. */
    public static int millis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }
}
