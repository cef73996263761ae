package io.logitrouter.scoring;

/** Function that turns a model's logits into probabilities. */
public enum Activation {
    /** Independent labels: each probability is the logistic sigmoid of its own logit. */
    SIGMOID("sigmoid"),
    /** Mutually exclusive labels: the probabilities are the softmax of all logits and sum to 1. */
    SOFTMAX("softmax");

    private final String code;

    Activation(String code) {
        this.code = code;
    }

    /** Returns the name used in the {@code activation} field of a model file. */
    public String code() {
        return code;
    }
}
