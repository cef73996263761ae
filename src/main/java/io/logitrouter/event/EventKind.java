package io.logitrouter.event;

/** The scores an event carries: logits to use directly, or features to weight into logits. */
public enum EventKind {
    LOGITS("logits"),
    FEATURES("features");

    private final String field;

    EventKind(String field) {
        this.field = field;
    }

    /** Returns the name of the event field that contains the scores. */
    public String field() {
        return field;
    }
}
