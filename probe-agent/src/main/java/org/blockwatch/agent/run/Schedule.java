package org.blockwatch.agent.run;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * When the next sweep is, and which: a full sweep over every target each interval (with its
 * jitter), and between them, when a fast tier is configured, a fast sweep of the tier's targets
 * every fast interval. A full sweep measures the tier too, so the fast clock restarts after it.
 */
final class Schedule {
    /** A sweep to make: over every target ({@code full}) or over the fast tier, at {@code at}. */
    record Turn(boolean full, Instant at) {}

    private final Duration fastInterval; // null: no fast tier
    private final Supplier<Duration> fullWait;
    private Instant nextFull;
    private Instant nextFast;

    /** @param fullWait the wait after a full sweep (the interval with jitter, shorter while the network is down) */
    Schedule(Duration fastInterval, Supplier<Duration> fullWait) {
        this.fastInterval = fastInterval;
        this.fullWait = fullWait;
    }

    /** The first turn: a full sweep at once. */
    Turn first(Instant now) {
        nextFull = now;
        nextFast = null;
        return next();
    }

    /** The turn after {@code done}, which ended at {@code now}. */
    Turn after(Turn done, Instant now) {
        if (done.full()) nextFull = now.plus(fullWait.get());
        if (fastInterval != null) nextFast = now.plus(fastInterval);
        return next();
    }

    private Turn next() {
        if (nextFast != null && nextFast.isBefore(nextFull)) return new Turn(false, nextFast);
        return new Turn(true, nextFull);
    }
}
