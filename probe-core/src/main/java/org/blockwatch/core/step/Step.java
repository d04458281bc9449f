package org.blockwatch.core.step;

/**
 * The shape of every step of a measurement: an input and the context (deadline, clock,
 * transaction ids, listener) in, its archival record out. A step never throws for a network
 * failure: it records it, classified once through its {@link Scope}.
 *
 * @param <I> what the step works on
 * @param <R> the record it returns
 */
public interface Step<I, R> {
    R run(I input, StepContext context);
}
