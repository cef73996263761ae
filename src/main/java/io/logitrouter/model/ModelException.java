package io.logitrouter.model;

/**
 * A model file or model configuration that is invalid, raised at start-up.
 *
 * <p>The message names the file or setting, the field path such as
 * {@code labels.spam.threshold}, the invalid value, the rule it breaks and how to fix it.
 */
public final class ModelException extends RuntimeException {

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
