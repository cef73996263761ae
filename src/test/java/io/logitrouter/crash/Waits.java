package io.logitrouter.crash;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling helpers: tests wait for conditions, never for fixed sleeps. */
final class Waits {

    static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private Waits() {
    }

    /**
     * Polls until the condition holds.
     *
     * @param description what is awaited, for the failure message
     * @param context extra text for the failure message, such as the last log lines
     * @throws IllegalStateException if the timeout elapses first
     */
    static void until(String description, Duration timeout, BooleanSupplier condition, Supplier<String> context) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + description
                        + "\n" + context.get());
            }
            pause();
        }
    }

    static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", e);
        }
    }
}
