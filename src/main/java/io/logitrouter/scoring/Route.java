package io.logitrouter.scoring;

/**
 * Output topic an event is routed to.
 *
 * <p>A label routes to {@link #SPAM} or {@link #ALERT} when it fires. An event whose fired labels
 * include an alert label goes to {@link #ALERT}, else one with a fired spam label goes to
 * {@link #SPAM}, and an event with no fired label goes to {@link #PASS}.
 */
public enum Route {
    SPAM("spam"),
    ALERT("alert"),
    PASS("pass");

    private final String code;

    Route(String code) {
        this.code = code;
    }

    /** Returns the code used in model files, in the output {@code route} field and in metric tags. */
    public String code() {
        return code;
    }
}
