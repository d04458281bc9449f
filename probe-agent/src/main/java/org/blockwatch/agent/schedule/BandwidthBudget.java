package org.blockwatch.agent.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bytes the agent may move per hour, over a sliding hour. A measurement's bytes are its kind's
 * estimate from what it recorded ({@code Result.bytes()}).
 * Thread-safe.
 */
public final class BandwidthBudget {
    private static final Duration WINDOW = Duration.ofHours(1);
    private final long bytesPerHour;
    private final Deque<long[]> spent = new ArrayDeque<>(); // {epoch millis, bytes}
    private long total;

    public BandwidthBudget(long bytesPerHour) {
        this.bytesPerHour = bytesPerHour;
    }

    /** Whether another measurement may start now. */
    public synchronized boolean allows(Instant now) {
        expire(now);
        return total < bytesPerHour;
    }

    public synchronized void spend(Instant now, long bytes) {
        expire(now);
        spent.addLast(new long[] {now.toEpochMilli(), bytes});
        total += bytes;
    }

    public synchronized long spentInLastHour(Instant now) {
        expire(now);
        return total;
    }

    private void expire(Instant now) {
        long cutoff = now.minus(WINDOW).toEpochMilli();
        while (!spent.isEmpty() && spent.peekFirst()[0] <= cutoff) total -= spent.pollFirst()[1];
    }
}
