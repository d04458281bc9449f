package org.blockwatch.core.apps;

import java.time.Duration;
import org.blockwatch.core.engine.Steps;
import org.blockwatch.core.nettest.Nettest;

/**
 * What the app kinds share: they take no input (the app's endpoints are their configuration),
 * measure with an engine's {@link Steps}, ask an {@link AppControl} after a failure, and give a
 * whole measurement a deadline.
 */
public abstract class AppKind implements Nettest {
    protected final Steps steps;
    protected final AppControl control;

    protected AppKind(Steps steps, AppControl control) {
        this.steps = steps;
        this.control = control;
    }

    /** An app kind is measured without input: {@code measure telegram}, or the empty string. */
    @Override
    public void check(String input) {
        if (!input.isEmpty() && !input.equals(testName())) {
            throw new IllegalArgumentException(testName() + " takes no input (its endpoints are configured under tests."
                    + testName() + "), not '" + input + "'");
        }
    }

    /** A new trace, with a deadline for the whole measurement: the URL deadline of a web page. */
    protected AppTrace trace() {
        return new AppTrace(steps, steps.config().urlDeadline());
    }

    protected static double since(java.time.Instant start) {
        return Duration.between(start, java.time.Instant.now()).toNanos() / 1e9;
    }
}
