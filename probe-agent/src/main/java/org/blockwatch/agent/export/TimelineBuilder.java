package org.blockwatch.agent.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 *   <li>Each row names the last measurement of the series' row before it ({@link TimelineRow.Previous}),
 *       across a gap or a break too: the change happened after it and before the row's first
 *       measurement, and the row says so rather than leaving the time between unaccounted.</li>
 * </ul>
 * Not thread-safe; call {@link #finish()} after the last point.
 */
public final class TimelineBuilder {
    private final Duration maxGap;
    private final Consumer<TimelineRow> out;
    private Open current;
    private TimelinePoint candidate;
    /** The last measurement of the series' last row, while the series lasts. */
    private TimelineRow.Previous previous;
    private TimelinePoint previousOf;

    private static final class Open {
        final TimelinePoint first;
        final TimelineRow.Previous previous;
        TimelinePoint last;
        long count;
        final Set<String> names = new LinkedHashSet<>();
        final Set<String> flags = new LinkedHashSet<>();

        Open(TimelinePoint first, TimelineRow.Previous previous) {
            this.first = first;
            this.previous = previous;
            this.last = first;
            this.count = 1;
            note(first);
        }

        void add(TimelinePoint p) {
            last = p;
            count++;
            note(p);
        }

        private void note(TimelinePoint p) {
            if (!p.networkName().isEmpty()) names.add(p.networkName());
            flags.addAll(p.flags());
        }
    }

    public TimelineBuilder(Duration maxGap, Consumer<TimelineRow> out) {
        this.maxGap = maxGap;
        this.out = out;
    }

    public void add(TimelinePoint p) {
        if (current != null && !current.last.sameSeries(p)) finish();
        if (candidate != null && !candidate.sameSeries(p)) candidate = null;
        if (previousOf != null && !previousOf.sameSeries(p)) {
            previous = null;
            previousOf = null;
        }
        if (p.state() == null) { // a break
            finish();
            return;
        }
        if (current != null && Duration.between(current.last.at(), p.at()).compareTo(maxGap) > 0) close();
        if (candidate != null && Duration.between(candidate.at(), p.at()).compareTo(maxGap) > 0) candidate = null;

        if (current != null && current.first.sameState(p)) {
            candidate = null; // a lone deviation, not confirmed
            current.add(p);
        } else if (candidate != null && candidate.sameState(p)) {
            close();
            current = new Open(candidate, previous);
            current.add(p);
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
        TimelinePoint l = current.last;
        out.accept(new TimelineRow(f.target(), f.category(), f.probeAsn(), f.probeCc(), new ArrayList<>(current.names), f.state(), f.method(),
                new ArrayList<>(current.flags), f.at(), l.at(), current.count, f.uid(), l.uid(), current.previous, List.of()));
        previous = new TimelineRow.Previous(l.state(), l.method(), l.at(), l.uid());
        previousOf = l;
        current = null;
    }
}
