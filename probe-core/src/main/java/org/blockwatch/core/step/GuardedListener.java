package org.blockwatch.core.step;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listener held to {@link StepListener}'s contract: whatever it throws is dropped, and said
 * once in the log, so that a step's outcome is what the network did and never what an observer
 * did. Steps call listeners only through this (every {@link StepContext} wraps its own).
 */
final class GuardedListener implements StepListener {
    private static final System.Logger LOG = System.getLogger(GuardedListener.class.getName());
    private final StepListener inner;
    private final AtomicBoolean told = new AtomicBoolean();

    private GuardedListener(StepListener inner) {
        this.inner = inner;
    }

    static StepListener of(StepListener listener) {
        if (listener == null || listener == StepListener.NONE) return StepListener.NONE;
        return listener instanceof GuardedListener ? listener : new GuardedListener(listener);
    }

    @Override
    public void started(StepKind step, String subject) {
        try {
            inner.started(step, subject);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void succeeded(StepKind step, String subject, Duration took) {
        try {
            inner.succeeded(step, subject, took);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void failed(StepKind step, String subject, String failure, Duration took) {
        try {
            inner.failed(step, subject, failure, took);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    private void dropped(RuntimeException e) {
        if (told.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.ERROR, "a step listener threw (a bug in it); its exceptions are dropped, the steps go on: " + e, e);
        }
    }
}
