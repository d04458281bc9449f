package org.blockwatch.collector;

import java.util.concurrent.Semaphore;

/**
 * The request bodies the collector holds at once, in bytes: each upload takes its declared
 * length (or the largest a submission may be, when it does not declare one) before a byte is read,
 * and gives it back once answered. When the budget is spent the upload is answered 503 at once:
 * without it, a few dozen uploads that declare megabytes and stop short of the end would hold
 * the whole heap. Counted in KiB, so that gigabytes fit.
 */
final class ByteBudget {
    private final Semaphore kib;

    ByteBudget(long bytes) {
        this.kib = new Semaphore(Math.toIntExact(Math.max(1, bytes / 1024)));
    }

    /** Bytes reserved until closed; null when the budget has not that many left now. */
    Lease tryTake(long bytes) {
        int units = Math.toIntExact(Math.max(1, (bytes + 1023) / 1024));
        return kib.tryAcquire(units) ? new Lease(units) : null;
    }

    int availableKib() {
        return kib.availablePermits();
    }

    /** A reservation; closing it twice gives back once. */
    final class Lease implements AutoCloseable {
        private int units;

        private Lease(int units) {
            this.units = units;
        }

        @Override
        public synchronized void close() {
            kib.release(units);
            units = 0;
        }
    }
}
