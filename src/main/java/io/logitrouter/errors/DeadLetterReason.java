package io.logitrouter.errors;

/**
 * Stable codes for why a record went to the dead-letter topic.
 *
 * <p>The code is written to the {@code scoring.error.reason} header and used as the
 * {@code reason} tag of {@code scoring_dead_letter_total}, so it never changes once published.
 */
public enum DeadLetterReason {
    INVALID_JSON("invalid-json"),
    EMPTY_VALUE("empty-value"),
    NOT_AN_OBJECT("not-an-object"),
    INVALID_ID("invalid-id"),
    UNKNOWN_MODEL("unknown-model"),
    MISSING_SCORES("missing-scores"),
    AMBIGUOUS_SCORES("ambiguous-scores"),
    MISSING_LABEL("missing-label"),
    NON_NUMERIC_VALUE("non-numeric-value"),
    NON_FINITE_VALUE("non-finite-value"),
    NON_FINITE_SCORE("non-finite-score"),
    NO_WEIGHTS("no-weights"),
    RESERVED_FIELD("reserved-field"),
    TOO_LARGE("too-large"),
    OUTPUT_TOO_LARGE("output-too-large"),
    /** Scoring failed with an unexpected exception: a defect, kept on the dead-letter topic for replay. */
    INTERNAL_ERROR("internal-error");

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    /** Returns the code as written to headers and metric tags, such as {@code invalid-json}. */
    public String code() {
        return code;
    }
}
