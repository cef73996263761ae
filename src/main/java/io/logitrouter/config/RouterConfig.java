package io.logitrouter.config;

import io.logitrouter.config.Setting.Origin;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Immutable configuration of the service: its own {@code scoring.*} settings and the Kafka client
 * and Streams properties that pass through to Kafka.
 *
 * <p>Each service key is declared once in a Kafka {@link ConfigDef} with its type, default,
 * validator, importance and documentation, and parsed by Kafka's {@link AbstractConfig}. These are
 * the classes Kafka's own clients use, so the keys behave like Kafka properties and
 * {@link #definition()} can generate a reference page.
 *
 * <p>{@link #load} reads, from lowest to highest precedence: the declared defaults, a properties
 * file, environment variables and command-line {@code key=value} arguments. Any key that does not
 * start with {@code scoring.} passes through to Kafka unchanged. This class never sets
 * {@code processing.guarantee}, so Kafka Streams keeps its default unless the user sets it.
 */
public final class RouterConfig {

    /** Prefix of the service's own keys. Keys without it are Kafka properties. */
    public static final String SERVICE_KEY_PREFIX = "scoring.";

    public static final String MODELS_CONFIG = "scoring.models";
    public static final String DEFAULT_MODEL_CONFIG = "scoring.default.model";
    public static final String TOPIC_INPUT_CONFIG = "scoring.topic.input";
    public static final String TOPIC_SPAM_CONFIG = "scoring.topic.spam";
    public static final String TOPIC_ALERT_CONFIG = "scoring.topic.alert";
    public static final String TOPIC_PASS_CONFIG = "scoring.topic.pass";
    public static final String TOPIC_DEAD_LETTER_CONFIG = "scoring.topic.dead-letter";
    public static final String HTTP_HOST_CONFIG = "scoring.http.host";
    public static final String HTTP_PORT_CONFIG = "scoring.http.port";
    public static final String MAX_EVENT_BYTES_CONFIG = "scoring.max.event.bytes";
    public static final String MAX_NESTING_DEPTH_CONFIG = "scoring.max.nesting.depth";
    public static final String CLOSE_TIMEOUT_MS_CONFIG = "scoring.close.timeout.ms";
    public static final String EMBEDDED_CONFIG = "scoring.embedded";
    public static final String EMBEDDED_PORT_CONFIG = "scoring.embedded.port";
    public static final String EMBEDDED_DIR_CONFIG = "scoring.embedded.dir";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(MODELS_CONFIG, Type.STRING, "", new ValidPath(), Importance.HIGH,
                    "Path of a model file, or of a directory of model files, to load at start-up."
                            + " Empty loads the sample models bundled with the service.")
            .define(DEFAULT_MODEL_CONFIG, Type.STRING, null, Importance.MEDIUM,
                    "Name of the model that scores events without a 'model' field. When unset, such events"
                            + " need exactly one loaded model, or they go to the dead-letter topic.")
            .define(TOPIC_INPUT_CONFIG, Type.LIST, "scoring.input", new TopicNames.TopicList(), Importance.HIGH,
                    "Comma-separated list of topics to read events from.")
            .define(TOPIC_SPAM_CONFIG, Type.STRING, "scoring.spam", new TopicNames.SingleTopic(), Importance.MEDIUM,
                    "Topic for events in which a label that routes to spam fired, and no label that routes to alert.")
            .define(TOPIC_ALERT_CONFIG, Type.STRING, "scoring.alert", new TopicNames.SingleTopic(), Importance.MEDIUM,
                    "Topic for events in which at least one label that routes to alert fired.")
            .define(TOPIC_PASS_CONFIG, Type.STRING, "scoring.pass", new TopicNames.SingleTopic(), Importance.MEDIUM,
                    "Topic for events in which no label fired.")
            .define(TOPIC_DEAD_LETTER_CONFIG, Type.STRING, "scoring.dead-letter", new TopicNames.SingleTopic(),
                    Importance.MEDIUM,
                    "Topic for records that cannot be scored, with the reason in the 'scoring.error.reason' header.")
            .define(HTTP_HOST_CONFIG, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Address that the HTTP server for the /metrics and /health endpoints binds to.")
            .define(HTTP_PORT_CONFIG, Type.INT, 8080, Range.between(0, 65535), Importance.MEDIUM,
                    "Port of the HTTP server for the /metrics and /health endpoints. 0 binds to any free port.")
            .define(MAX_EVENT_BYTES_CONFIG, Type.INT, 1_048_576, Range.atLeast(2), Importance.LOW,
                    "Maximum size in bytes of an input record value. Larger records go to the dead-letter topic"
                            + " with reason 'too-large'.")
            .define(MAX_NESTING_DEPTH_CONFIG, Type.INT, 64, Range.between(1, 1000), Importance.LOW,
                    "Maximum nesting depth of JSON objects and arrays in an input event. Deeper events go to the"
                            + " dead-letter topic with reason 'too-large'.")
            .define(CLOSE_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.atLeast(0), Importance.LOW,
                    "Maximum time in milliseconds to wait for Kafka Streams to close on shutdown. The default is"
                            + " well under the 30 s that Kubernetes waits by default before it kills a pod.")
            .define(EMBEDDED_CONFIG, Type.STRING, "auto", ConfigDef.CaseInsensitiveValidString.in("auto", "on", "off"),
                    Importance.HIGH,
                    "Whether to start an embedded single-node Kafka broker for development. 'auto' starts it only"
                            + " when bootstrap.servers is unset, 'on' always starts it, and 'off' never does,"
                            + " so that the service does not start without bootstrap.servers.")
            .define(EMBEDDED_PORT_CONFIG, Type.INT, 9092, Range.between(0, 65535), Importance.LOW,
                    "Port of the embedded broker on 127.0.0.1. 0 binds to any free port.")
            .define(EMBEDDED_DIR_CONFIG, Type.STRING, "", new ValidPath(), Importance.LOW,
                    "Data directory of the embedded broker. Empty creates a new temporary directory at each start."
                            + " Set it to keep topics and records across restarts.");

    /** Meaning of an empty or unset value, for the keys where it means more than the literal default. */
    private static final Map<String, String> DEFAULT_MEANINGS = Map.of(
            MODELS_CONFIG, "the bundled sample models",
            DEFAULT_MODEL_CONFIG, "no default model",
            EMBEDDED_DIR_CONFIG, "a new temporary directory");

    static {
        requireDistinctVariables();
    }

    private final Map<String, Object> serviceValues;
    private final Map<String, Object> kafkaProperties;

    private final Path modelsPath;
    private final String defaultModel;
    private final List<String> inputTopics;
    private final String spamTopic;
    private final String alertTopic;
    private final String passTopic;
    private final String deadLetterTopic;
    private final String httpHost;
    private final int httpPort;
    private final int maxEventBytes;
    private final int maxNestingDepth;
    private final Duration closeTimeout;
    private final EmbeddedMode embeddedMode;
    private final int embeddedPort;
    private final Path embeddedDir;

    private RouterConfig(Map<String, Setting> settings) {
        SettingsValidator.validate(DEFINITION, settings);

        AbstractConfig parsed = new AbstractConfig(DEFINITION,
                SettingsValidator.serviceOriginals(settings, DEFINITION.names()), false);
        Map<String, Object> kafka = new TreeMap<>();
        for (Map.Entry<String, Setting> entry : settings.entrySet()) {
            if (!entry.getKey().startsWith(SERVICE_KEY_PREFIX)) {
                kafka.put(entry.getKey(), entry.getValue().value());
            }
        }

        Map<String, Object> service = new LinkedHashMap<>();
        for (String key : DEFINITION.names()) {
            service.put(key, parsed.values().get(key));
        }
        this.serviceValues = Collections.unmodifiableMap(service);
        this.kafkaProperties = Collections.unmodifiableMap(kafka);

        this.modelsPath = optionalPath(parsed.getString(MODELS_CONFIG));
        this.defaultModel = blankToNull(parsed.getString(DEFAULT_MODEL_CONFIG));
        this.inputTopics = List.copyOf(parsed.getList(TOPIC_INPUT_CONFIG));
        this.spamTopic = parsed.getString(TOPIC_SPAM_CONFIG);
        this.alertTopic = parsed.getString(TOPIC_ALERT_CONFIG);
        this.passTopic = parsed.getString(TOPIC_PASS_CONFIG);
        this.deadLetterTopic = parsed.getString(TOPIC_DEAD_LETTER_CONFIG);
        this.httpHost = parsed.getString(HTTP_HOST_CONFIG);
        this.httpPort = parsed.getInt(HTTP_PORT_CONFIG);
        this.maxEventBytes = parsed.getInt(MAX_EVENT_BYTES_CONFIG);
        this.maxNestingDepth = parsed.getInt(MAX_NESTING_DEPTH_CONFIG);
        this.closeTimeout = Duration.ofMillis(parsed.getLong(CLOSE_TIMEOUT_MS_CONFIG));
        this.embeddedMode = EmbeddedMode.fromConfigValue(parsed.getString(EMBEDDED_CONFIG));
        this.embeddedPort = parsed.getInt(EMBEDDED_PORT_CONFIG);
        this.embeddedDir = optionalPath(parsed.getString(EMBEDDED_DIR_CONFIG));
    }

    /** Returns a copy of the declaration of every service key, for generated documentation. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    /**
     * Loads the configuration from a properties file, the environment and command-line arguments.
     *
     * <p>Precedence, from lowest to highest: declared defaults, the properties file, environment
     * variables, arguments. The file is given by {@code --config FILE} (or {@code --config=FILE}),
     * else by the environment variable {@code SCORING_CONFIG_FILE}. A service key is read from the
     * environment variable named by {@link #envName(String)}, and a Kafka property from
     * {@code KAFKA_*} as described in {@link EnvironmentNames#kafkaKey(String)}.
     *
     * @param args {@code --config FILE} at most once, and settings of the form {@code key=value}
     * @param env the environment, injected so that tests never read the real one
     * @throws ConfigException if an argument is malformed, the file is missing or unreadable, a
     *     {@code SCORING_*} variable or {@code scoring.*} key is unknown, or a value is invalid.
     *     The message names the key, its environment variable, the value, the rule and the fix.
     */
    public static RouterConfig load(List<String> args, Map<String, String> env) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        return new RouterConfig(ConfigLoader.load(args, env, DEFINITION.names()));
    }

    /**
     * Creates a configuration from one map of service keys and Kafka properties, as for tests.
     * Values may be strings or values of the declared type, and null values count as unset.
     *
     * @throws ConfigException if a {@code scoring.*} key is unknown or a value is invalid
     */
    public static RouterConfig of(Map<String, ?> properties) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            if (entry.getValue() != null) {
                settings.put(Objects.requireNonNull(entry.getKey(), "key"),
                        new Setting(entry.getValue(), Origin.properties()));
            }
        }
        return new RouterConfig(settings);
    }

    /** Returns the environment variable for a service key: {@code scoring.topic.dead-letter} gives {@code SCORING_TOPIC_DEAD_LETTER}. */
    public static String envName(String key) {
        return EnvironmentNames.serviceVariable(key);
    }

    /** Returns the model file or directory, or empty for the bundled sample models. */
    public Optional<Path> modelsPath() {
        return Optional.ofNullable(modelsPath);
    }

    /** Returns the model for events without a {@code model} field, or empty when none is set. */
    public Optional<String> defaultModel() {
        return Optional.ofNullable(defaultModel);
    }

    /** Returns the input topics: at least one, all distinct. */
    public List<String> inputTopics() {
        return inputTopics;
    }

    public String spamTopic() {
        return spamTopic;
    }

    public String alertTopic() {
        return alertTopic;
    }

    public String passTopic() {
        return passTopic;
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    public String httpHost() {
        return httpHost;
    }

    /** Returns the HTTP port, where 0 means any free port. */
    public int httpPort() {
        return httpPort;
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    public int maxNestingDepth() {
        return maxNestingDepth;
    }

    /** Returns the maximum time to wait for Kafka Streams to close on shutdown. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    public EmbeddedMode embeddedMode() {
        return embeddedMode;
    }

    /** Returns the embedded broker's port on 127.0.0.1, where 0 means any free port. */
    public int embeddedPort() {
        return embeddedPort;
    }

    /** Returns the embedded broker's data directory, or empty for a new temporary directory. */
    public Optional<Path> embeddedDir() {
        return Optional.ofNullable(embeddedDir);
    }

    /**
     * Returns the Kafka client and Streams properties: every key without the {@code scoring.}
     * prefix, sorted by key and unmodifiable. Values are strings when read from a file, the
     * environment or arguments, and as given to {@link #of}.
     */
    public Map<String, Object> kafkaProperties() {
        return kafkaProperties;
    }

    /** Returns whether {@code bootstrap.servers} is set to a non-blank value. */
    public boolean hasBootstrapServers() {
        Object servers = kafkaProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers instanceof List<?> list) {
            return list.stream().anyMatch(server -> server != null && !server.toString().isBlank());
        }
        return servers != null && !servers.toString().isBlank();
    }

    /**
     * Returns whether the service should start the embedded broker: always for {@code on}, never
     * for {@code off}, and for {@code auto} only when {@code bootstrap.servers} is unset.
     */
    public boolean embeddedBrokerEnabled() {
        return switch (embeddedMode) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> !hasBootstrapServers();
        };
    }

    /**
     * Checks that the service has a broker to connect to.
     *
     * @throws ConfigException if {@code scoring.embedded} is {@code off} and {@code bootstrap.servers} is unset
     */
    public void requireBrokerOrEmbedded() {
        if (embeddedMode == EmbeddedMode.OFF && !hasBootstrapServers()) {
            throw new ConfigException("No Kafka broker to connect to: " + EMBEDDED_CONFIG + " ("
                    + envName(EMBEDDED_CONFIG) + ") is off and " + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG
                    + " (" + EnvironmentNames.KAFKA_PREFIX + "BOOTSTRAP_SERVERS) is unset. Set "
                    + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG + " to the broker addresses, such as"
                    + " broker-1:9092,broker-2:9092, or set " + EMBEDDED_CONFIG
                    + " to auto or on to start the embedded development broker.");
        }
    }

    /**
     * Returns a copy with one Kafka property set or replaced, as for the embedded broker's address.
     *
     * @throws IllegalArgumentException if {@code key} starts with {@code scoring.}
     * @throws ConfigException if the property conflicts with a service setting
     */
    public RouterConfig withKafkaProperty(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.startsWith(SERVICE_KEY_PREFIX)) {
            throw new IllegalArgumentException("Key " + key + " is a service setting, not a Kafka property."
                    + " Create the configuration with RouterConfig.of to change it.");
        }
        Map<String, Object> properties = new HashMap<>(serviceValues);
        properties.putAll(kafkaProperties);
        properties.put(key, value);
        return of(properties);
    }

    /**
     * Returns the settings for the start-up log: one line of service settings in declaration
     * order, and one line of Kafka properties sorted by key. The value of every key that Kafka
     * declares as a password, or whose name contains {@code password}, {@code secret},
     * {@code token}, {@code jaas} or a similar word or ends in {@code .key}, is shown as
     * {@code [hidden]}, and so are user names and passwords in URLs.
     */
    public String maskedSummary() {
        StringJoiner service = new StringJoiner(", ", "Service settings: ", "");
        for (Map.Entry<String, Object> entry : serviceValues.entrySet()) {
            service.add(entry.getKey() + "=" + displayServiceValue(entry.getKey(), entry.getValue()));
        }

        StringJoiner kafka = new StringJoiner(", ", "Kafka properties: ", "");
        kafka.setEmptyValue("Kafka properties: (none)");
        for (Map.Entry<String, Object> entry : kafkaProperties.entrySet()) {
            kafka.add(entry.getKey() + "=" + Secrets.display(entry.getKey(), entry.getValue()));
        }
        return service + System.lineSeparator() + kafka;
    }

    @Override
    public String toString() {
        return maskedSummary();
    }

    /** Returns what the default of a service key means, such as "the default 8080" or "no default model". */
    static String describeDefault(String key) {
        String meaning = DEFAULT_MEANINGS.get(key);
        if (meaning != null) {
            return meaning;
        }
        ConfigDef.ConfigKey configKey = DEFINITION.configKeys().get(key);
        return "the default " + ConfigDef.convertToString(configKey.defaultValue, configKey.type);
    }

    private static String displayServiceValue(String key, Object value) {
        boolean unset = value == null || value.toString().isBlank();
        if (unset && DEFAULT_MEANINGS.containsKey(key)) {
            return "(" + DEFAULT_MEANINGS.get(key) + ")";
        }
        return Secrets.display(key, value);
    }

    private static Path optionalPath(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Fails class initialization if two declared keys map to one environment variable. */
    private static void requireDistinctVariables() {
        Map<String, String> keysByVariable = new HashMap<>();
        for (String key : DEFINITION.names()) {
            String previous = keysByVariable.put(envName(key), key);
            if (previous != null) {
                throw new IllegalStateException("Keys " + previous + " and " + key
                        + " map to the same environment variable " + envName(key));
            }
        }
    }

    /** Validator for an optional file system path: empty, or a string the platform accepts as a path. */
    private static final class ValidPath implements ConfigDef.Validator {

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                Path.of((String) value);
            } catch (InvalidPathException e) {
                throw new ConfigException(name, value, "Invalid path: " + e.getReason());
            }
        }

        @Override
        public String toString() {
            return "a file system path, or empty";
        }
    }
}
