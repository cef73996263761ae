package io.logitrouter.config;

import io.logitrouter.config.Setting.Origin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks settings against the service's {@link ConfigDef} and against the rules that span several
 * keys, and reports every problem in one {@link ConfigException}.
 *
 * <p>Each message names the key, its environment variable, where the value was set, the value,
 * the rule and the fix. Values of service keys are never secret, so messages show them. Values
 * of Kafka properties appear only for {@code errors.dead.letter.queue.topic.name}.
 */
final class SettingsValidator {

    private SettingsValidator() {
    }

    /**
     * Validates the service keys among {@code settings}, parsed as the declared type, and the Kafka
     * properties that conflict with them.
     *
     * @throws ConfigException listing every problem found
     */
    static void validate(ConfigDef definition, Map<String, Setting> settings) {
        List<String> problems = new ArrayList<>();
        Map<String, ConfigDef.ConfigKey> keys = definition.configKeys();

        for (Map.Entry<String, Setting> entry : settings.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(RouterConfig.SERVICE_KEY_PREFIX) && !keys.containsKey(key)) {
                problems.add(unknownKey(key, entry.getValue().origin(), keys.keySet()));
            }
        }

        for (ConfigDef.ConfigKey key : keys.values()) {
            Setting setting = settings.get(key.name);
            if (setting != null) {
                checkValue(key, setting).ifPresent(problems::add);
            }
        }

        if (problems.isEmpty()) {
            Map<String, Object> parsed = definition.parse(serviceOriginals(settings, keys.keySet()));
            problems.addAll(checkTopicsDiffer(parsed, settings));
            checkDeadLetterTopic(parsed, settings).ifPresent(problems::add);
        }

        if (!problems.isEmpty()) {
            throw new ConfigException(joinProblems(problems));
        }
    }

    /** Returns the values of declared keys, as given, for {@link ConfigDef#parse} or an {@code AbstractConfig}. */
    static Map<String, Object> serviceOriginals(Map<String, Setting> settings, Iterable<String> declaredKeys) {
        Map<String, Object> originals = new LinkedHashMap<>();
        for (String key : declaredKeys) {
            Setting setting = settings.get(key);
            if (setting != null) {
                originals.put(key, setting.value());
            }
        }
        return originals;
    }

    /** Returns one problem as it is, or several as a numbered list under a heading. */
    static String joinProblems(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        StringBuilder message = new StringBuilder("Invalid configuration, ").append(problems.size()).append(" problems:");
        for (int i = 0; i < problems.size(); i++) {
            message.append('\n').append(i + 1).append(". ").append(problems.get(i));
        }
        return message.toString();
    }

    private static Optional<String> checkValue(ConfigDef.ConfigKey key, Setting setting) {
        try {
            Object parsed = ConfigDef.parseType(key.name, setting.value(), key.type);
            if (key.validator != null) {
                key.validator.ensureValid(key.name, parsed);
            }
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(invalidValue(key, setting, reasonOf(e, key.name)));
        }
    }

    private static String invalidValue(ConfigDef.ConfigKey key, Setting setting, String reason) {
        StringBuilder message = new StringBuilder("Invalid value '").append(Secrets.display(key.name, setting.value()))
                .append("' for ").append(describeKey(key.name, setting)).append(": ").append(reason).append('.');
        if (key.validator != null) {
            message.append(" Valid values: ").append(key.validator).append('.');
        }
        message.append(" Correct the value, or remove it to use ").append(RouterConfig.describeDefault(key.name)).append('.');

        Origin origin = setting.origin();
        if (origin.kind() == Origin.Kind.ENVIRONMENT && origin.name().endsWith("_PORT")
                && EnvironmentNames.looksLikeServiceLinkUrl(String.valueOf(setting.value()))) {
            String service = origin.name().substring(0, origin.name().length() - "_PORT".length())
                    .toLowerCase(Locale.ROOT).replace('_', '-');
            message.append(" Kubernetes sets ").append(origin.name()).append(" to such an address for a Service named ")
                    .append(service).append(". Rename that Service, or set enableServiceLinks: false in the pod spec.");
        }
        return message.toString();
    }

    /**
     * Returns the rule part of a Kafka {@link ConfigException} message, which has the form
     * "Invalid value V for configuration NAME: RULE".
     */
    private static String reasonOf(ConfigException e, String name) {
        String message = String.valueOf(e.getMessage());
        String marker = "for configuration " + name;
        int start = message.indexOf(marker);
        if (start < 0) {
            return message;
        }
        String rest = message.substring(start + marker.length());
        return rest.startsWith(": ") ? rest.substring(2) : "The value does not have the expected type";
    }

    /**
     * Returns the key with its environment variable and where it was set, such as
     * "scoring.http.port (SCORING_HTTP_PORT, in file app.properties)". A null setting means the
     * key has its default value.
     */
    static String describeKey(String key, Setting setting) {
        String variable = EnvironmentNames.serviceVariable(key);
        if (setting == null) {
            return key + " (" + variable + ", default)";
        }
        Origin origin = setting.origin();
        if (origin.kind() == Origin.Kind.ENVIRONMENT && variable.equals(origin.name())) {
            return key + " (" + origin.describe() + ")";
        }
        return key + " (" + variable + ", " + origin.describe() + ")";
    }

    private static String unknownKey(String key, Origin origin, Iterable<String> declaredKeys) {
        List<String> known = new ArrayList<>();
        declaredKeys.forEach(known::add);
        List<String> matches = CloseMatches.find(key, known);

        StringBuilder message = new StringBuilder("Unknown setting ").append(key).append(' ').append(origin.describe())
                .append(": no service setting has this name.");
        if (matches.isEmpty()) {
            message.append(" Known settings: ").append(String.join(", ", known)).append('.');
        } else {
            message.append(" Did you mean ").append(String.join(" or ", matches)).append('?');
        }
        message.append(" Keys starting with ").append(RouterConfig.SERVICE_KEY_PREFIX)
                .append(" are not passed to Kafka, so correct or remove this one.");
        return message.toString();
    }

    /** A topic and the key that sets it. */
    private record TopicSetting(String key, String topic) {
    }

    /**
     * Checks that the input, spam, alert, pass and dead-letter topics all differ and that no two
     * collide in Kafka. Distinct topics keep each record in exactly one output topic and keep the
     * service from reading its own output.
     */
    private static List<String> checkTopicsDiffer(Map<String, Object> parsed, Map<String, Setting> settings) {
        List<TopicSetting> topics = new ArrayList<>();
        for (Object input : (List<?>) parsed.get(RouterConfig.TOPIC_INPUT_CONFIG)) {
            topics.add(new TopicSetting(RouterConfig.TOPIC_INPUT_CONFIG, (String) input));
        }
        for (String key : List.of(RouterConfig.TOPIC_SPAM_CONFIG, RouterConfig.TOPIC_ALERT_CONFIG,
                RouterConfig.TOPIC_PASS_CONFIG, RouterConfig.TOPIC_DEAD_LETTER_CONFIG)) {
            topics.add(new TopicSetting(key, (String) parsed.get(key)));
        }

        List<String> problems = new ArrayList<>();
        for (int i = 0; i < topics.size(); i++) {
            for (int j = i + 1; j < topics.size(); j++) {
                TopicSetting first = topics.get(i);
                TopicSetting second = topics.get(j);
                // The topic-list validator has already checked topics within scoring.topic.input.
                if (first.key().equals(second.key())) {
                    continue;
                }
                String firstKey = describeKey(first.key(), settings.get(first.key()));
                String secondKey = describeKey(second.key(), settings.get(second.key()));
                if (first.topic().equals(second.topic())) {
                    problems.add("Topic '" + first.topic() + "' is set for both " + firstKey + " and " + secondKey
                            + ". The input, spam, alert, pass and dead-letter topics must all differ, so that every"
                            + " record goes to exactly one output topic and the service never reads its own output."
                            + " Set one of them to another topic.");
                } else if (TopicNames.collide(first.topic(), second.topic())) {
                    problems.add("Topics '" + first.topic() + "' for " + firstKey + " and '" + second.topic()
                            + "' for " + secondKey + " collide. Kafka metric names treat '.' and '_' in topic names as the"
                            + " same, so Kafka rejects creating the second topic. Rename one of them.");
                }
            }
        }
        return problems;
    }

    /**
     * Checks that the Kafka Streams dead-letter topic, when set directly, is the same as
     * {@code scoring.topic.dead-letter}, so that there is one source for the dead-letter topic.
     */
    private static Optional<String> checkDeadLetterTopic(Map<String, Object> parsed, Map<String, Setting> settings) {
        String streamsKey = StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG;
        Setting streamsSetting = settings.get(streamsKey);
        if (streamsSetting == null || streamsSetting.value() == null) {
            return Optional.empty();
        }
        String streamsTopic = String.valueOf(streamsSetting.value()).trim();
        String deadLetterTopic = (String) parsed.get(RouterConfig.TOPIC_DEAD_LETTER_CONFIG);
        if (streamsTopic.equals(deadLetterTopic)) {
            return Optional.empty();
        }
        return Optional.of("Kafka Streams property " + streamsKey + " is '" + streamsTopic + "' "
                + streamsSetting.origin().describe() + ", but "
                + describeKey(RouterConfig.TOPIC_DEAD_LETTER_CONFIG, settings.get(RouterConfig.TOPIC_DEAD_LETTER_CONFIG))
                + " is '" + deadLetterTopic + "'. Set the dead-letter topic only with "
                + RouterConfig.TOPIC_DEAD_LETTER_CONFIG + ", and remove " + streamsKey + ".");
    }
}
