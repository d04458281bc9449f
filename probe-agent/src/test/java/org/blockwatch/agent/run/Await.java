package org.blockwatch.agent.run;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition to hold, looking again every few milliseconds, and fails after a limit. */
final class Await {
    private Await() {}

    static void until(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("waited " + limit.toSeconds() + " s for " + what);
            Thread.sleep(20);
        }
    }
}
