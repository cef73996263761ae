package io.logitrouter.topology;

import io.logitrouter.config.RouterConfig;
import io.logitrouter.scoring.Route;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The topic names the service reads from and writes to, defined once and shared with tests.
 *
 * @param inputs the input topics, at least one
 * @param spam where events routed to spam go
 * @param alert where events routed to alert go
 * @param pass where events that fired no label go
 * @param deadLetter where records that cannot be scored go
 */
public record Topics(List<String> inputs, String spam, String alert, String pass, String deadLetter) {

    public Topics {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("at least one input topic is required");
        }
        Objects.requireNonNull(spam, "spam");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(pass, "pass");
        Objects.requireNonNull(deadLetter, "deadLetter");
    }

    public static Topics from(RouterConfig config) {
        return new Topics(config.inputTopics(), config.spamTopic(), config.alertTopic(), config.passTopic(),
                config.deadLetterTopic());
    }

    /** Returns the output topic for a route. */
    public String forRoute(Route route) {
        return switch (route) {
            case SPAM -> spam;
            case ALERT -> alert;
            case PASS -> pass;
        };
    }

    /** Returns the three route topics and the dead-letter topic, in that order. */
    public List<String> outputs() {
        return List.of(spam, alert, pass, deadLetter);
    }

    /** Returns every topic the service uses, inputs first. */
    public List<String> all() {
        List<String> all = new ArrayList<>(inputs);
        all.addAll(outputs());
        return all;
    }
}
