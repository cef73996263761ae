package io.logitrouter.event;

import com.fasterxml.jackson.core.JsonToken;
import io.logitrouter.errors.SafeText;

/** Helpers that keep dead-letter messages short and safe to log. */
final class Messages {

    /** Maximum number of characters of event content quoted in a message. */
    static final int MAX_QUOTED_LENGTH = 64;

    private Messages() {
    }

    /**
     * Quotes event content for a message: at most {@link #MAX_QUOTED_LENGTH} characters, with
     * control characters escaped so that a message stays on one log line.
     */
    static String quote(String text) {
        return quote(text, MAX_QUOTED_LENGTH);
    }

    /** Quotes text like {@link #quote(String)}, keeping at most {@code maxLength} characters. */
    static String quote(String text, int maxLength) {
        return SafeText.truncate(text, maxLength);
    }

    /** Describes the JSON value that starts with this token, such as "a string" or "null". */
    static String describe(JsonToken token) {
        switch (token) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            default:
                return token.toString();
        }
    }
}
