package org.blockwatch.agent.export;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What to export: measurements from {@code since} (inclusive) to {@code until} (exclusive), of
 * these targets and categories (empty: all), rows of these states (empty: all, {@code offline}
 * for the network's outages), and the longest pause that still counts as continuous measuring.
 */
public record ExportQuery(Instant since, Instant until, List<String> targets, List<String> categories, List<String> states, Duration maxGap) {
    public ExportQuery {
        targets = List.copyOf(targets);
        categories = List.copyOf(categories);
        states = List.copyOf(states);
    }

    public boolean wantsState(String state) {
        return states.isEmpty() || states.contains(state);
    }
}
