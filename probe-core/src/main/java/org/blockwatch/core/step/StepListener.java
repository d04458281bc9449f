package org.blockwatch.core.step;

import java.time.Duration;
import java.util.List;

/**
 * Observes the steps of measurements as they happen: how metrics, debug logs and anything later
 * see a measurement, instead of reading its records back. {@code subject} is what the step worked
 * on (a host name, {@code ip:port}, a URL), never the probe's own address.
 *
 * <p>The contract: called on the step's own thread, for steps of many measurements at once, an
 * implementation is thread-safe, quick (it holds up the step), and never throws. The last is
 * enforced where steps call it ({@link StepContext}): an exception a listener throws anyway is
 * logged once and dropped, so that a bug in an observer never changes what was measured.
 */
public interface StepListener {
    StepListener NONE = new StepListener() {};

    default void started(StepKind step, String subject) {}

    default void succeeded(StepKind step, String subject, Duration took) {}

    /** The step failed with {@code failure}, an OONI failure string, in {@code step.operation()}. */
    default void failed(StepKind step, String subject, String failure, Duration took) {}

    /** Every listener of {@code listeners}, in order. */
    static StepListener all(List<StepListener> listeners) {
        List<StepListener> copy = List.copyOf(listeners);
        if (copy.size() == 1) return copy.get(0);
        return new StepListener() {
            @Override
            public void started(StepKind step, String subject) {
                for (StepListener l : copy) l.started(step, subject);
            }

            @Override
            public void succeeded(StepKind step, String subject, Duration took) {
                for (StepListener l : copy) l.succeeded(step, subject, took);
            }

            @Override
            public void failed(StepKind step, String subject, String failure, Duration took) {
                for (StepListener l : copy) l.failed(step, subject, failure, took);
            }
        };
    }
}
