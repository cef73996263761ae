package io.logitrouter.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Kafka's rules for topic names, and validators that apply them to topic settings.
 *
 * <p>The rules are those of {@code org.apache.kafka.common.internals.Topic} in kafka-clients 4.4:
 * 1 to 249 characters from {@code [a-zA-Z0-9._-]}, and neither {@code .} nor {@code ..}. They are
 * restated here because that class is internal to Kafka, and a test checks both agree.
 */
final class TopicNames {

    static final int MAX_LENGTH = 249;

    private static final Pattern LEGAL_CHARACTERS = Pattern.compile("[a-zA-Z0-9._-]+");

    private TopicNames() {
    }

    /** Returns why {@code name} is not a valid Kafka topic name, or empty when it is valid. */
    static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("Topic name is empty");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("Topic name '" + name + "' is not allowed");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("Topic name '" + name + "' is " + name.length()
                    + " characters long, more than the maximum of " + MAX_LENGTH);
        }
        if (!LEGAL_CHARACTERS.matcher(name).matches()) {
            return Optional.of("Topic name '" + name
                    + "' contains a character other than ASCII letters, digits, '.', '_' and '-'");
        }
        return Optional.empty();
    }

    /**
     * Returns whether two different names collide in Kafka because they differ only in {@code .}
     * versus {@code _}. Both map to the same metric name, so Kafka rejects creating the second.
     */
    static boolean collide(String first, String second) {
        return !first.equals(second) && first.replace('.', '_').equals(second.replace('.', '_'));
    }

    /** Validator for a setting that names one topic. */
    static final class SingleTopic implements ConfigDef.Validator {

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                throw new ConfigException(name, null, "A topic name is required");
            }
            Optional<String> problem = problem((String) value);
            if (problem.isPresent()) {
                throw new ConfigException(name, value, problem.get());
            }
        }

        @Override
        public String toString() {
            return "a topic name of 1 to " + MAX_LENGTH + " characters from [a-zA-Z0-9._-], other than '.' and '..'";
        }
    }

    /** Validator for a setting that lists one or more distinct topics, separated by commas. */
    static final class TopicList implements ConfigDef.Validator {

        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> topics = (List<String>) value;
            if (topics == null || topics.isEmpty()) {
                throw new ConfigException(name, value, "At least one topic is required");
            }

            for (String topic : topics) {
                Optional<String> problem = problem(topic);
                if (problem.isPresent()) {
                    throw new ConfigException(name, value, problem.get());
                }
            }

            for (int i = 0; i < topics.size(); i++) {
                for (int j = i + 1; j < topics.size(); j++) {
                    String first = topics.get(i);
                    String second = topics.get(j);
                    if (first.equals(second)) {
                        throw new ConfigException(name, value, "Topic '" + first + "' is listed twice");
                    }
                    if (collide(first, second)) {
                        throw new ConfigException(name, value, "Topics '" + first + "' and '" + second
                                + "' collide, because Kafka rejects topic names that differ only in '.' versus '_'");
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "a non-empty comma-separated list of distinct topic names, each 1 to " + MAX_LENGTH
                    + " characters from [a-zA-Z0-9._-]";
        }
    }
}
