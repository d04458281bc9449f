package org.blockwatch.agent.targets;

import java.util.List;

/** Targets loaded from one or more lists, and every row that could not be loaded, with where it is. */
public record TargetList(List<Target> targets, List<String> problems) {
    public TargetList {
        targets = List.copyOf(targets);
        problems = List.copyOf(problems);
    }
}
