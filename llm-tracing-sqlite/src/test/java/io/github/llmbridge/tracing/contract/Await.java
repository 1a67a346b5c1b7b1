package io.github.llmbridge.tracing.contract;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a store's state that publishes no event: how many traces are queued or lost, whether
 * close() has begun, whether a thread is parked. A latch would need a hook in the store's
 * production code for each of them, so this looks again every millisecond, bounded by a deadline.
 */
public final class Await {

    private static final long LIMIT_SECONDS = 30;

    private Await() {}

    /**
     * Returns once {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} (evaluated then) when it does not within 30 s
     */
    public static void until(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what.get() + " within " + LIMIT_SECONDS + " s");
            }
            Thread.sleep(1); // between looks at plain state (see above), not a guess at how long anything takes
        }
    }
}
