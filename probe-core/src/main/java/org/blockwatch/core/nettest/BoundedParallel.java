package org.blockwatch.core.nettest;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/** Runs a task per item on virtual threads, at most {@code parallelism} at once. */
public final class BoundedParallel {
    private BoundedParallel() {}

    /**
     * Applies {@code task} to every item and hands each result to {@code sink} as it completes
     * (one call at a time, in completion order). Returns when all are done. A task or sink that
     * throws does not stop the others; once all are done the first error is thrown, the others
     * suppressed in it, so that no error is lost.
     */
    public static <T, R> void forEach(List<T> items, int parallelism, Function<T, R> task, Consumer<R> sink)
            throws InterruptedException {
        Semaphore slots = new Semaphore(parallelism);
        Object sinkLock = new Object();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                slots.acquire();
                threads.submit(() -> {
                    try {
                        R result = task.apply(item);
                        synchronized (sinkLock) {
                            sink.accept(result);
                        }
                    } catch (Throwable e) {
                        if (!failure.compareAndSet(null, e)) failure.get().addSuppressed(e);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
    }
}
