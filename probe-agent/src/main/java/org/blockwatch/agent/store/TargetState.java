package org.blockwatch.agent.store;

import java.time.Instant;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/** A target's published state as the store knows it: what it is, since when, when last measured. */
public record TargetState(String target, String category, Status state, Method method, Instant changedAt, Instant lastMeasuredAt) {

    /** Whether a verdict of {@code status} and {@code method} is this same state. */
    public boolean same(Status status, Method method) {
        return state == status && this.method == method;
    }
}
