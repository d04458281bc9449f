package org.blockwatch.core.engine;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;

/** Runs a task per item on virtual threads, at most {@code parallelism} at once. */
public final class BoundedParallel {
    private BoundedParallel() {}

    /**
     * Applies {@code task} to every item and hands each result to {@code sink} as it completes
     * (one call at a time, in completion order). Returns when all are done.
     */
    public static <T, R> void forEach(List<T> items, int parallelism, Function<T, R> task, Consumer<R> sink)
            throws InterruptedException {
        Semaphore slots = new Semaphore(parallelism);
        Object sinkLock = new Object();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                slots.acquire();
                threads.submit(() -> {
                    try {
                        R result = task.apply(item);
                        synchronized (sinkLock) {
                            sink.accept(result);
                        }
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }
}
