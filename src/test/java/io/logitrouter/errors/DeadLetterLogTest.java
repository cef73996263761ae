package io.logitrouter.errors;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeadLetterLogTest {

    private static final RecordCoordinates SOURCE = new RecordCoordinates("scoring.input", 3, 42);

    @Test
    void everyDeadLetterReachesNextRecorder() {
        List<DeadLetterReason> recorded = new ArrayList<>();
        AtomicLong clock = new AtomicLong();
        DeadLetterLog log = new DeadLetterLog("scoring.dead-letter", (reason, source, message) -> recorded.add(reason),
                2, 1_000, clock::get);

        for (int i = 0; i < 5; i++) {
            log.record(DeadLetterReason.INVALID_JSON, SOURCE, "truncated");
        }

        assertEquals(5, recorded.size());
    }

    @Test
    void linesBeyondWindowLimitAreSuppressed() {
        AtomicLong clock = new AtomicLong();
        DeadLetterLog log = new DeadLetterLog("scoring.dead-letter", (reason, source, message) -> { }, 2, 1_000,
                clock::get);

        log.record(DeadLetterReason.INVALID_JSON, SOURCE, "first");
        log.record(DeadLetterReason.INVALID_JSON, SOURCE, "second");
        log.record(DeadLetterReason.INVALID_JSON, SOURCE, "third");
        log.record(DeadLetterReason.INVALID_JSON, SOURCE, "fourth");
        assertEquals(2, log.suppressedSinceLastLine());

        clock.addAndGet(1_000);
        log.record(DeadLetterReason.INVALID_JSON, SOURCE, "fifth");
        assertEquals(0, log.suppressedSinceLastLine());
    }
}
