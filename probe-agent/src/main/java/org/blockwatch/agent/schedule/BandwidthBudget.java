package org.blockwatch.agent.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.WebObservation;

/**
 * Bytes the agent may move per hour, over a sliding hour. A measurement's bytes are estimated
 * from what it recorded (bodies as read, plus the usual size of handshakes, headers and queries).
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

    /** The bytes a measurement moved, estimated from its records (the control request included). */
    public static long estimate(WebObservation o) {
        long bytes = 2_000; // the control request and answer
        bytes += 200L * o.queries().size() + 200L * o.dnsLateReplies().size();
        bytes += 150L * o.tcpConnect().size();
        bytes += 6_000L * o.tlsHandshakes().size();
        for (HttpTransaction t : o.requests()) {
            bytes += 1_500; // request and response heads
            if (t.response() != null) bytes += t.response().body().length();
        }
        return bytes;
    }
}
