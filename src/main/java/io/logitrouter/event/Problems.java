package io.logitrouter.event;

import io.logitrouter.errors.DeadLetterReason;
import io.logitrouter.errors.ScoringException;
import java.util.Arrays;
import java.util.List;

/**
 * The problems found in one well-formed event, of which only the most important is reported.
 *
 * <p>Problems are ranked by reason in the order of {@link #PRECEDENCE}. Among problems of the
 * same reason the first one found, in document order, keeps its message. Callers test
 * {@link #accepts} before building a message, so a bad record with many bad entries builds one
 * message, not one per entry.
 */
final class Problems {

    /**
     * Reasons from most to least important. Envelope problems come first, then problems with the
     * model or the shape of the scores, then problems with individual values, then the result.
     */
    static final List<DeadLetterReason> PRECEDENCE = List.of(
            DeadLetterReason.RESERVED_FIELD,
            DeadLetterReason.INVALID_ID,
            DeadLetterReason.AMBIGUOUS_SCORES,
            DeadLetterReason.MISSING_SCORES,
            DeadLetterReason.UNKNOWN_MODEL,
            DeadLetterReason.NO_WEIGHTS,
            DeadLetterReason.NON_NUMERIC_VALUE,
            DeadLetterReason.NON_FINITE_VALUE,
            DeadLetterReason.MISSING_LABEL,
            DeadLetterReason.NON_FINITE_SCORE);

    private static final int[] RANKS = new int[DeadLetterReason.values().length];

    static {
        Arrays.fill(RANKS, Integer.MAX_VALUE);
        for (int i = 0; i < PRECEDENCE.size(); i++) {
            RANKS[PRECEDENCE.get(i).ordinal()] = i;
        }
    }

    private DeadLetterReason reason;
    private String message;

    void reset() {
        reason = null;
        message = null;
    }

    boolean isEmpty() {
        return reason == null;
    }

    /** Returns whether a problem with this reason would replace the one recorded so far. */
    boolean accepts(DeadLetterReason candidate) {
        return reason == null || RANKS[candidate.ordinal()] < RANKS[reason.ordinal()];
    }

    void record(DeadLetterReason candidate, String candidateMessage) {
        if (accepts(candidate)) {
            reason = candidate;
            message = candidateMessage;
        }
    }

    /** @throws ScoringException with the most important problem, if any was recorded */
    void throwIfAny() {
        if (reason != null) {
            throw new ScoringException(reason, message);
        }
    }
}
