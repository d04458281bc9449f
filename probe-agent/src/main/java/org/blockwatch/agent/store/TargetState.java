package org.blockwatch.agent.store;

import java.time.Instant;

/** A target's published state as the store knows it: what it is, since when, when last measured. */
public record TargetState(String target, String category, String state, String method, Instant changedAt, Instant lastMeasuredAt) {}
