package io.logitrouter.errors;

/** Receives each record that goes to the dead-letter topic, so it can be counted and logged. */
@FunctionalInterface
public interface DeadLetterRecorder {

    /**
     * Records one dead letter.
     *
     * @param reason the stable reason code
     * @param source where the record was read from, for the log line
     * @param message the readable explanation written to {@code scoring.error.message}
     */
    void record(DeadLetterReason reason, RecordCoordinates source, String message);
}
