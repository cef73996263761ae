package io.logitrouter.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Decides which configuration values are secret and renders values for logs with secrets masked.
 *
 * <p>A key is secret when Kafka declares it with type {@link ConfigDef.Type#PASSWORD} in the
 * Streams, producer, consumer or admin client configuration, also behind a prefix such as
 * {@code producer.}, or when its name contains a word that marks credentials. The word list
 * catches properties that Kafka does not declare, such as those of serializers or
 * login modules.
 */
final class Secrets {

    /** Text shown in place of a secret value. Kafka prints the same text for a {@link Password}. */
    static final String MASK = Password.HIDDEN;

    private static final Set<String> KAFKA_PASSWORD_KEYS = passwordKeys(List.of(
            StreamsConfig.configDef(),
            ProducerConfig.configDef(),
            ConsumerConfig.configDef(),
            AdminClientConfig.configDef()));

    private static final List<String> SECRET_WORDS = List.of(
            "password", "passphrase", "secret", "token", "jaas", "credential", "user.info");

    /** User name and password in a URL, such as {@code https://user:pass@host}. */
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");

    private Secrets() {
    }

    /** Returns whether the value of {@code key} must never be logged. */
    static boolean isSecretKey(String key) {
        String lowerCaseKey = key.toLowerCase(Locale.ROOT);
        for (String passwordKey : KAFKA_PASSWORD_KEYS) {
            if (lowerCaseKey.equals(passwordKey) || lowerCaseKey.endsWith("." + passwordKey)) {
                return true;
            }
        }
        for (String word : SECRET_WORDS) {
            if (lowerCaseKey.contains(word)) {
                return true;
            }
        }
        // A private key in PEM form, as in ssl.keystore.key.
        return lowerCaseKey.equals("key") || lowerCaseKey.endsWith(".key");
    }

    /**
     * Returns a value as it may appear in a log: {@link #MASK} for a secret key or a
     * {@link Password}, otherwise the value with any user information in URLs masked.
     */
    static String display(String key, Object value) {
        if (value instanceof Password || isSecretKey(key)) {
            return MASK;
        }
        String text = value instanceof List<?> list ? joinList(list) : String.valueOf(value);
        return URL_CREDENTIALS.matcher(text).replaceAll("${scheme}" + Matcher.quoteReplacement(MASK) + "@");
    }

    static String joinList(List<?> list) {
        StringBuilder text = new StringBuilder();
        for (Object element : list) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(element);
        }
        return text.toString();
    }

    /** Returns the keys that Kafka declares with type {@code PASSWORD}. */
    static Set<String> kafkaPasswordKeys() {
        return KAFKA_PASSWORD_KEYS;
    }

    private static Set<String> passwordKeys(List<ConfigDef> definitions) {
        Set<String> keys = new TreeSet<>();
        for (ConfigDef definition : definitions) {
            for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
                if (key.type == ConfigDef.Type.PASSWORD) {
                    keys.add(key.name);
                }
            }
        }
        return Set.copyOf(keys);
    }
}
