package io.logitrouter.errors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Writes one WARN line per dead letter with its coordinates and reason, at most
 * {@code maxPerWindow} lines per window. The next line written
 * states how many were suppressed.
 *
 * <p>A flood of bad input must not turn into a flood of logs, but the first records of a
 * burst are the ones an operator needs to see. Every dead letter is still counted in the metrics.
 */
public final class DeadLetterLog implements DeadLetterRecorder {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterLog.class);

    private final String deadLetterTopic;
    private final DeadLetterRecorder next;
    private final int maxPerWindow;
    private final long windowNanos;
    private final LongSupplier nanoClock;

    private long windowStart;
    private int writtenInWindow;
    private long suppressed;

    /**
     * @param deadLetterTopic named in each line so the reader knows where to look
     * @param next receives every dead letter after logging, typically the metrics
     */
    public DeadLetterLog(String deadLetterTopic, DeadLetterRecorder next) {
        this(deadLetterTopic, next, 10, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
    }

    DeadLetterLog(String deadLetterTopic, DeadLetterRecorder next, int maxPerWindow, long windowNanos,
            LongSupplier nanoClock) {
        this.deadLetterTopic = deadLetterTopic;
        this.next = next;
        this.maxPerWindow = maxPerWindow;
        this.windowNanos = windowNanos;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    @Override
    public void record(DeadLetterReason reason, RecordCoordinates source, String message) {
        long suppressedBefore = admit();
        if (suppressedBefore >= 0) {
            log.warn("Sent record {} to dead-letter topic {}: reason={}, {}{}", source, deadLetterTopic, reason.code(),
                    message, suppressedBefore > 0 ? " (" + suppressedBefore + " similar warnings suppressed)" : "");
        }
        next.record(reason, source, message);
    }

    /** Returns how many lines were suppressed since the last one written. */
    synchronized long suppressedSinceLastLine() {
        return suppressed;
    }

    /** Returns the count suppressed since the last line if this one may be written, else -1. */
    private synchronized long admit() {
        long now = nanoClock.getAsLong();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            writtenInWindow = 0;
        }
        if (writtenInWindow >= maxPerWindow) {
            suppressed++;
            return -1;
        }
        writtenInWindow++;
        long count = suppressed;
        suppressed = 0;
        return count;
    }
}
