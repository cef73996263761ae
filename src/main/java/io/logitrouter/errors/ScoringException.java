package io.logitrouter.errors;

import java.util.Objects;

/**
 * A record that cannot be scored, with the dead-letter reason and a readable message.
 *
 * <p>Bad records are expected input rather than programming errors, so this exception carries
 * no stack trace: filling one in for every bad record would cost more than scoring it.
 */
public final class ScoringException extends RuntimeException {

    private final DeadLetterReason reason;

    public ScoringException(DeadLetterReason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
