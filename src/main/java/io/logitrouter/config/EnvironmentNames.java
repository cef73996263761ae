package io.logitrouter.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mapping between environment variable names and configuration keys.
 *
 * <p>A service key maps to its key upper-cased, with {@code .} and {@code -} turned into
 * {@code _}: {@code scoring.topic.dead-letter} is {@code SCORING_TOPIC_DEAD_LETTER}. Several keys
 * could share a name this way, so the service only ever derives names from its declared keys and
 * never guesses a key from a name.
 *
 * <p>A Kafka client or Streams property follows the convention of the Apache Kafka container
 * image: {@code KAFKA_} prefix, then {@code .} as {@code _}, {@code _} as {@code __} and
 * {@code -} as {@code ___}. {@link #kafkaKey(String)} reverses it.
 */
public final class EnvironmentNames {

    /** Prefix of the environment variables that set the service's own {@code scoring.*} keys. */
    public static final String SERVICE_PREFIX = "SCORING_";

    /** Prefix of the environment variables that pass properties through to the Kafka clients. */
    public static final String KAFKA_PREFIX = "KAFKA_";

    /** Environment variable with the path of a properties file. The option {@code --config FILE} overrides it. */
    public static final String CONFIG_FILE_VARIABLE = "SCORING_CONFIG_FILE";

    /**
     * Variables with the {@code KAFKA_} prefix that are launcher settings rather than client
     * properties, so they never pass through.
     *
     * <p>Kafka's {@code bin/kafka-run-class.sh} reads {@code KAFKA_HEAP_OPTS},
     * {@code KAFKA_JVM_PERFORMANCE_OPTS}, {@code KAFKA_GC_LOG_OPTS}, {@code KAFKA_JMX_OPTS},
     * {@code KAFKA_LOG4J_OPTS}, {@code KAFKA_OPTS} and {@code KAFKA_DEBUG}. The Apache Kafka
     * container image (4.x) also excludes {@code KAFKA_VERSION}, {@code KAFKA_LOG4J_ROOT_LOGLEVEL},
     * {@code KAFKA_LOG4J_LOGGERS}, {@code KAFKA_TOOLS_LOG4J_LOGLEVEL} and
     * {@code KAFKA_JMX_HOSTNAME} from its properties. {@code KAFKA_HOME}, {@code KAFKA_LOG_DIR}
     * and {@code KAFKA_JMX_PORT} name an installation directory, a log directory and a JMX port
     * in other images, and no client property has those names.
     */
    public static final Set<String> EXCLUDED_KAFKA_VARIABLES = Set.of(
            "KAFKA_HEAP_OPTS",
            "KAFKA_JVM_PERFORMANCE_OPTS",
            "KAFKA_GC_LOG_OPTS",
            "KAFKA_JMX_OPTS",
            "KAFKA_LOG4J_OPTS",
            "KAFKA_OPTS",
            "KAFKA_DEBUG",
            "KAFKA_VERSION",
            "KAFKA_LOG4J_ROOT_LOGLEVEL",
            "KAFKA_LOG4J_LOGGERS",
            "KAFKA_TOOLS_LOG4J_LOGLEVEL",
            "KAFKA_JMX_HOSTNAME",
            "KAFKA_HOME",
            "KAFKA_LOG_DIR",
            "KAFKA_JMX_PORT");

    /**
     * Names that Kubernetes gives the variables it injects for every Service in the namespace
     * (service links), such as {@code KAFKA_SERVICE_HOST} or {@code KAFKA_PORT_9092_TCP_ADDR}.
     */
    private static final Pattern SERVICE_LINK_NAME = Pattern.compile(
            "[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT_[0-9]+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)");

    /** Value of the {@code <SERVICE>_PORT} service-link variable, such as {@code tcp://10.0.0.7:9092}. */
    private static final Pattern SERVICE_LINK_URL = Pattern.compile("(tcp|udp|sctp)://.*");

    private EnvironmentNames() {
    }

    /** Returns the environment variable for a service key: {@code scoring.http.port} gives {@code SCORING_HTTP_PORT}. */
    public static String serviceVariable(String key) {
        Objects.requireNonNull(key, "key");
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Returns the Kafka property that an environment variable passes through, or empty when the
     * variable has no {@code KAFKA_} prefix or is in {@link #EXCLUDED_KAFKA_VARIABLES}.
     *
     * <p>After the prefix is removed and the rest lower-cased, underscores are read from left to
     * right in runs: {@code ___} is {@code -}, then {@code __} is {@code _}, then a single
     * {@code _} is {@code .}. So {@code KAFKA_SOME__UNDERSCORE___DASH} gives
     * {@code some_underscore-dash}, and a run of four underscores gives {@code -.}.
     * The result may be empty, for {@code KAFKA_} alone.
     */
    public static Optional<String> kafkaKey(String variable) {
        Objects.requireNonNull(variable, "variable");
        if (!variable.startsWith(KAFKA_PREFIX) || EXCLUDED_KAFKA_VARIABLES.contains(variable)) {
            return Optional.empty();
        }

        String rest = variable.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT);
        StringBuilder key = new StringBuilder(rest.length());
        int i = 0;
        while (i < rest.length()) {
            if (rest.startsWith("___", i)) {
                key.append('-');
                i += 3;
            } else if (rest.startsWith("__", i)) {
                key.append('_');
                i += 2;
            } else if (rest.charAt(i) == '_') {
                key.append('.');
                i += 1;
            } else {
                key.append(rest.charAt(i));
                i += 1;
            }
        }
        return Optional.of(key.toString());
    }

    /**
     * Returns whether a variable looks like one that Kubernetes injects for a Service (service
     * links), so that a Service named {@code kafka} or {@code scoring} neither passes
     * {@code KAFKA_SERVICE_HOST} to the clients nor fails the start-up as an unknown
     * {@code SCORING_*} variable.
     *
     * <p>{@code <SERVICE>_PORT} counts only when its value is a {@code tcp://}, {@code udp://} or
     * {@code sctp://} address, so a misspelled setting ending in {@code _PORT} is still reported.
     * A declared key is matched before this check, so {@code SCORING_HTTP_PORT} is always read as
     * {@code scoring.http.port}.
     */
    static boolean isKubernetesServiceLink(String variable, String value) {
        if (SERVICE_LINK_NAME.matcher(variable).matches()) {
            return true;
        }
        return variable.endsWith("_PORT") && looksLikeServiceLinkUrl(value);
    }

    /** Returns whether a value has the form of a Kubernetes service-link address such as {@code tcp://10.0.0.7:9092}. */
    static boolean looksLikeServiceLinkUrl(String value) {
        return value != null && SERVICE_LINK_URL.matcher(value.trim()).matches();
    }
}
