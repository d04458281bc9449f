package org.blockwatch.agent.export;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Turns measurements, ordered by network, target and time, into intervals of one state, as they
 * arrive (memory: one interval and one candidate, whatever the number of measurements).
 *
 * <ul>
 *   <li>An interval runs from the first to the last measurement that showed its state (and
 *       method): nothing is stretched beyond what was measured.</li>
 *   <li>A new state needs confirmation, as the agent's does: two measurements in a row showing it.
 *       A lone different measurement between two of the current state (or at the very end) makes
 *       no interval; it stays in the raw export.</li>
 *   <li>Two measurements further apart than {@code maxGap} are a gap: the interval before it ends,
 *       the one after it starts afresh (the agent was not measuring). So is a {@link #BREAK}
 *       point: a measurement made while the probe's own network was down, which tells nothing of
 *       the target.</li>
 * </ul>
 * Not thread-safe; call {@link #finish()} after the last point.
 */
public final class TimelineBuilder {
    private final Duration maxGap;
    private final Consumer<TimelineRow> out;
    private Open current;
    private TimelinePoint candidate;

    private static final class Open {
        final TimelinePoint first;
        TimelinePoint last;
        long count;

        Open(TimelinePoint first) {
            this.first = first;
            this.last = first;
            this.count = 1;
        }
    }

    public TimelineBuilder(Duration maxGap, Consumer<TimelineRow> out) {
        this.maxGap = maxGap;
        this.out = out;
    }

    public void add(TimelinePoint p) {
        if (current != null && !current.last.sameSeries(p)) finish();
        if (candidate != null && !candidate.sameSeries(p)) candidate = null;
        if (p.state() == null) { // a break
            finish();
            return;
        }
        if (current != null && Duration.between(current.last.at(), p.at()).compareTo(maxGap) > 0) close();
        if (candidate != null && Duration.between(candidate.at(), p.at()).compareTo(maxGap) > 0) candidate = null;

        if (current != null && current.first.sameState(p)) {
            candidate = null; // a lone deviation, not confirmed
            current.last = p;
            current.count++;
        } else if (candidate != null && candidate.sameState(p)) {
            close();
            current = new Open(candidate);
            current.last = p;
            current.count = 2;
            candidate = null;
        } else {
            candidate = p;
        }
    }

    /** Ends the series in progress (its unconfirmed last measurement, if any, makes no interval). */
    public void finish() {
        close();
        candidate = null;
    }

    private void close() {
        if (current == null) return;
        TimelinePoint f = current.first;
        out.accept(new TimelineRow(f.target(), f.category(), f.probeAsn(), f.probeCc(), f.state(), f.method(), f.at(), current.last.at(),
                current.count, f.id(), current.last.id()));
        current = null;
    }
}
