package io.logitrouter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RouterConfigLoadTest {

    @TempDir
    Path directory;

    /**
     * One service key with a different value for each source, the accessor that reads it, and
     * the value the accessor returns for each source.
     */
    record KeyCase(String key, String fileValue, String envValue, String argValue,
            Function<RouterConfig, Object> accessor, Object fromFile, Object fromEnv, Object fromArg) {

        String variable() {
            return RouterConfig.envName(key);
        }

        @Override
        public String toString() {
            return key;
        }
    }

    static Stream<KeyCase> keyCases() {
        return Stream.of(
                new KeyCase(RouterConfig.MODELS_CONFIG, "models-file", "models-env", "models-arg",
                        RouterConfig::modelsPath, Optional.of(Path.of("models-file")),
                        Optional.of(Path.of("models-env")), Optional.of(Path.of("models-arg"))),
                new KeyCase(RouterConfig.DEFAULT_MODEL_CONFIG, "model-file", "model-env", "model-arg",
                        RouterConfig::defaultModel, Optional.of("model-file"), Optional.of("model-env"),
                        Optional.of("model-arg")),
                new KeyCase(RouterConfig.TOPIC_INPUT_CONFIG, "in.file", "in.env,in.env2", "in.arg",
                        RouterConfig::inputTopics, List.of("in.file"), List.of("in.env", "in.env2"), List.of("in.arg")),
                new KeyCase(RouterConfig.TOPIC_SPAM_CONFIG, "spam.file", "spam.env", "spam.arg",
                        RouterConfig::spamTopic, "spam.file", "spam.env", "spam.arg"),
                new KeyCase(RouterConfig.TOPIC_ALERT_CONFIG, "alert.file", "alert.env", "alert.arg",
                        RouterConfig::alertTopic, "alert.file", "alert.env", "alert.arg"),
                new KeyCase(RouterConfig.TOPIC_PASS_CONFIG, "pass.file", "pass.env", "pass.arg",
                        RouterConfig::passTopic, "pass.file", "pass.env", "pass.arg"),
                new KeyCase(RouterConfig.TOPIC_DEAD_LETTER_CONFIG, "dlq.file", "dlq.env", "dlq.arg",
                        RouterConfig::deadLetterTopic, "dlq.file", "dlq.env", "dlq.arg"),
                new KeyCase(RouterConfig.HTTP_HOST_CONFIG, "10.0.0.1", "10.0.0.2", "10.0.0.3",
                        RouterConfig::httpHost, "10.0.0.1", "10.0.0.2", "10.0.0.3"),
                new KeyCase(RouterConfig.HTTP_PORT_CONFIG, "8081", "8082", "0",
                        RouterConfig::httpPort, 8081, 8082, 0),
                new KeyCase(RouterConfig.MAX_EVENT_BYTES_CONFIG, "1000", "2000", "2",
                        RouterConfig::maxEventBytes, 1000, 2000, 2),
                new KeyCase(RouterConfig.MAX_NESTING_DEPTH_CONFIG, "10", "1000", "1",
                        RouterConfig::maxNestingDepth, 10, 1000, 1),
                new KeyCase(RouterConfig.CLOSE_TIMEOUT_MS_CONFIG, "1000", "2500", "0",
                        RouterConfig::closeTimeout, Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ZERO),
                new KeyCase(RouterConfig.EMBEDDED_CONFIG, "off", "ON", "Auto",
                        RouterConfig::embeddedMode, EmbeddedMode.OFF, EmbeddedMode.ON, EmbeddedMode.AUTO),
                new KeyCase(RouterConfig.EMBEDDED_PORT_CONFIG, "9093", "0", "65535",
                        RouterConfig::embeddedPort, 9093, 0, 65535),
                new KeyCase(RouterConfig.EMBEDDED_DIR_CONFIG, "data-file", "data-env", "data-arg",
                        RouterConfig::embeddedDir, Optional.of(Path.of("data-file")),
                        Optional.of(Path.of("data-env")), Optional.of(Path.of("data-arg"))));
    }

    private Path writeFile(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static void assertContains(String expectedPart, String actual) {
        assertTrue(actual.contains(expectedPart), () -> "expected <" + expectedPart + "> in <" + actual + ">");
    }

    private static String rejectedMessage(List<String> args, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> RouterConfig.load(args, env)).getMessage();
    }

    @Test
    void environmentNameArgumentIsRejected() {
        String message = rejectedMessage(List.of("SCORING_TOPIC_INPUT=other"), Map.of());

        assertTrue(message.contains("environment variable name"), message);
        assertTrue(message.contains("scoring.topic.input=NAME"), message);
    }

    @Test
    void keyCasesCoverEveryDeclaredKey() {
        Set<String> covered = new HashSet<>();
        keyCases().forEach(keyCase -> covered.add(keyCase.key()));

        assertEquals(RouterConfig.definition().names(), covered);
    }

    @Test
    void loadWithoutSourcesUsesDefaults() {
        RouterConfig config = RouterConfig.load(List.of(), Map.of("LANG", "C.UTF-8", "TZ", "UTC", "JAVA_TOOL_OPTIONS", "-Xmx256m"));

        assertEquals(8080, config.httpPort());
        assertEquals(List.of("scoring.input"), config.inputTopics());
        assertEquals(Map.of(), config.kafkaProperties());
    }

    @ParameterizedTest
    @MethodSource("keyCases")
    void keyReadFromFile(KeyCase keyCase) throws IOException {
        Path file = writeFile("app.properties", keyCase.key() + "=" + keyCase.fileValue() + "\n");

        RouterConfig config = RouterConfig.load(List.of("--config", file.toString()), Map.of());

        assertEquals(keyCase.fromFile(), keyCase.accessor().apply(config));
    }

    @ParameterizedTest
    @MethodSource("keyCases")
    void keyReadFromEnvironment(KeyCase keyCase) {
        RouterConfig config = RouterConfig.load(List.of(), Map.of(keyCase.variable(), keyCase.envValue()));

        assertEquals(keyCase.fromEnv(), keyCase.accessor().apply(config));
    }

    @ParameterizedTest
    @MethodSource("keyCases")
    void keyReadFromArgument(KeyCase keyCase) {
        RouterConfig config = RouterConfig.load(List.of(keyCase.key() + "=" + keyCase.argValue()), Map.of());

        assertEquals(keyCase.fromArg(), keyCase.accessor().apply(config));
    }

    @ParameterizedTest
    @MethodSource("keyCases")
    void environmentOverridesFile(KeyCase keyCase) throws IOException {
        Path file = writeFile("app.properties", keyCase.key() + "=" + keyCase.fileValue() + "\n");

        RouterConfig config = RouterConfig.load(List.of("--config", file.toString()),
                Map.of(keyCase.variable(), keyCase.envValue()));

        assertEquals(keyCase.fromEnv(), keyCase.accessor().apply(config));
    }

    @ParameterizedTest
    @MethodSource("keyCases")
    void argumentOverridesEnvironmentAndFile(KeyCase keyCase) throws IOException {
        Path file = writeFile("app.properties", keyCase.key() + "=" + keyCase.fileValue() + "\n");

        RouterConfig config = RouterConfig.load(
                List.of("--config", file.toString(), keyCase.key() + "=" + keyCase.argValue()),
                Map.of(keyCase.variable(), keyCase.envValue()));

        assertEquals(keyCase.fromArg(), keyCase.accessor().apply(config));
    }

    @Test
    void kafkaPropertyPrecedenceMatchesServiceKeys() throws IOException {
        Path file = writeFile("app.properties", "bootstrap.servers=file:9092\nacks=1\nlinger.ms=7\n");

        RouterConfig config = RouterConfig.load(List.of("--config", file.toString(), "acks=all"),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092", "KAFKA_ACKS", "0"));

        assertEquals("env:9092", config.kafkaProperties().get("bootstrap.servers"));
        assertEquals("all", config.kafkaProperties().get("acks"));
        assertEquals("7", config.kafkaProperties().get("linger.ms"));
    }

    @Test
    void configFileOptionWithEqualsSign() throws IOException {
        Path file = writeFile("app.properties", "scoring.http.port=8181\n");

        RouterConfig config = RouterConfig.load(List.of("--config=" + file), Map.of());

        assertEquals(8181, config.httpPort());
    }

    @Test
    void configFileFromEnvironment() throws IOException {
        Path file = writeFile("app.properties", "scoring.http.port=8181\n");

        RouterConfig config = RouterConfig.load(List.of(), Map.of("SCORING_CONFIG_FILE", file.toString()));

        assertEquals(8181, config.httpPort());
    }

    @Test
    void configFileOptionOverridesEnvironmentFile() throws IOException {
        Path fromOption = writeFile("option.properties", "scoring.http.port=8181\n");
        Path fromEnvironment = writeFile("env.properties", "scoring.http.port=8282\nscoring.embedded=off\n");

        RouterConfig config = RouterConfig.load(List.of("--config", fromOption.toString()),
                Map.of("SCORING_CONFIG_FILE", fromEnvironment.toString()));

        assertEquals(8181, config.httpPort());
        assertEquals(EmbeddedMode.AUTO, config.embeddedMode());
    }

    @Test
    void configFileReadAsUtf8() throws IOException {
        Path file = writeFile("app.properties", "# Modèle par défaut\nscoring.default.model=modèle-é\n");

        RouterConfig config = RouterConfig.load(List.of("--config", file.toString()), Map.of());

        assertEquals(Optional.of("modèle-é"), config.defaultModel());
    }

    @Test
    void missingConfigFileRejectedWithPath() {
        Path missing = directory.resolve("missing.properties");

        String message = rejectedMessage(List.of("--config", missing.toString()), Map.of());

        assertContains("Configuration file " + missing + ", given by --config, does not exist", message);
    }

    @Test
    void missingEnvironmentConfigFileRejected() {
        Path missing = directory.resolve("missing.properties");

        String message = rejectedMessage(List.of(), Map.of("SCORING_CONFIG_FILE", missing.toString()));

        assertContains("Configuration file " + missing + ", given by environment variable SCORING_CONFIG_FILE,"
                + " does not exist", message);
    }

    @Test
    void unreadableConfigFileRejectedWithPath() {
        String message = rejectedMessage(List.of("--config", directory.toString()), Map.of());

        assertContains("Failed to read configuration file " + directory + ", given by --config", message);
    }

    @Test
    void nonUtf8ConfigFileRejected() throws IOException {
        Path file = directory.resolve("latin1.properties");
        Files.write(file, new byte[] {'a', '=', (byte) 0xE9, '\n'});

        String message = rejectedMessage(List.of("--config", file.toString()), Map.of());

        assertContains("Configuration file " + file + ", given by --config, is not valid UTF-8", message);
    }

    @Test
    void invalidFileValueNamesFileAndVariable() throws IOException {
        Path file = writeFile("app.properties", "scoring.http.port=70000\n");

        String message = rejectedMessage(List.of("--config", file.toString()), Map.of());

        assertContains("Invalid value '70000' for scoring.http.port (SCORING_HTTP_PORT, in file " + file + ")", message);
    }

    @Test
    void invalidEnvironmentValueNamesVariable() {
        String message = rejectedMessage(List.of(), Map.of("SCORING_CLOSE_TIMEOUT_MS", "-1"));

        assertEquals("Invalid value '-1' for scoring.close.timeout.ms (from environment variable"
                + " SCORING_CLOSE_TIMEOUT_MS): Value must be at least 0. Valid values: [0,...]."
                + " Correct the value, or remove it to use the default 10000.", message);
    }

    @Test
    void invalidArgumentValueNamesCommandLine() {
        String message = rejectedMessage(List.of("scoring.embedded=sometimes"), Map.of());

        assertContains("Invalid value 'sometimes' for scoring.embedded (SCORING_EMBEDDED, on the command line)",
                message);
        assertContains("String must be one of (case insensitive): AUTO, OFF, ON", message);
    }

    @Test
    void duplicateTopicsFromDifferentSourcesRejected() {
        String message = rejectedMessage(List.of("scoring.topic.alert=shared"),
                Map.of("SCORING_TOPIC_SPAM", "shared"));

        assertContains("Topic 'shared' is set for both scoring.topic.spam (from environment variable"
                + " SCORING_TOPIC_SPAM) and scoring.topic.alert (SCORING_TOPIC_ALERT, on the command line)", message);
    }

    @Test
    void serviceLinkValueInPortExplained() {
        String message = rejectedMessage(List.of(), Map.of("SCORING_HTTP_PORT", "tcp://10.0.0.7:8080"));

        assertContains("Invalid value 'tcp://10.0.0.7:8080' for scoring.http.port", message);
        assertContains("Kubernetes sets SCORING_HTTP_PORT to such an address for a Service named scoring-http",
                message);
        assertContains("enableServiceLinks: false", message);
    }

    @Test
    void kafkaVariablesMapToProperties() {
        RouterConfig config = RouterConfig.load(List.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker-1:9092,broker-2:9092",
                "KAFKA_PROCESSING_GUARANTEE", "exactly_once_v2",
                "KAFKA_SOME__UNDERSCORE___DASH", "x",
                "KAFKA_PRODUCER_COMPRESSION_TYPE", "zstd"));

        assertEquals(Map.of(
                "bootstrap.servers", "broker-1:9092,broker-2:9092",
                "processing.guarantee", "exactly_once_v2",
                "some_underscore-dash", "x",
                "producer.compression.type", "zstd"), config.kafkaProperties());
        assertTrue(config.hasBootstrapServers());
    }

    @Test
    void launcherVariablesNotPassedThrough() {
        Map<String, String> env = new HashMap<>();
        for (String variable : EnvironmentNames.EXCLUDED_KAFKA_VARIABLES) {
            env.put(variable, "-Xmx512m");
        }
        env.put("KAFKA_CLIENT_ID", "router-1");

        RouterConfig config = RouterConfig.load(List.of(), env);

        assertEquals(Map.of("client.id", "router-1"), config.kafkaProperties());
    }

    @Test
    void excludedVariableListIsExact() {
        assertEquals(Set.of("KAFKA_HEAP_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_JMX_OPTS",
                "KAFKA_LOG4J_OPTS", "KAFKA_OPTS", "KAFKA_DEBUG", "KAFKA_VERSION", "KAFKA_LOG4J_ROOT_LOGLEVEL",
                "KAFKA_LOG4J_LOGGERS", "KAFKA_TOOLS_LOG4J_LOGLEVEL", "KAFKA_JMX_HOSTNAME", "KAFKA_HOME",
                "KAFKA_LOG_DIR", "KAFKA_JMX_PORT"), EnvironmentNames.EXCLUDED_KAFKA_VARIABLES);
    }

    @Test
    void kubernetesServiceLinksIgnored() {
        RouterConfig config = RouterConfig.load(List.of(), Map.of(
                "KAFKA_SERVICE_HOST", "10.0.0.7",
                "KAFKA_SERVICE_PORT", "9092",
                "KAFKA_SERVICE_PORT_PLAINTEXT", "9092",
                "KAFKA_PORT", "tcp://10.0.0.7:9092",
                "KAFKA_PORT_9092_TCP", "tcp://10.0.0.7:9092",
                "KAFKA_PORT_9092_TCP_ADDR", "10.0.0.7",
                "SCORING_SERVICE_HOST", "10.0.0.8",
                "SCORING_PORT", "tcp://10.0.0.8:8080",
                "SCORING_PORT_8080_TCP_PROTO", "tcp"));

        assertEquals(Map.of(), config.kafkaProperties());
        assertEquals(8080, config.httpPort());
    }

    @Test
    void unknownScoringVariableRejectedWithSuggestion() {
        String message = rejectedMessage(List.of(), Map.of("SCORING_HTTP_PROT", "8081"));

        assertContains("Unknown environment variable SCORING_HTTP_PROT", message);
        assertContains("Did you mean SCORING_HTTP_PORT (scoring.http.port)?", message);
    }

    @Test
    void unknownScoringPortVariableRejected() {
        String message = rejectedMessage(List.of(), Map.of("SCORING_EMBEDED_PORT", "9093"));

        assertContains("Unknown environment variable SCORING_EMBEDED_PORT", message);
        assertContains("SCORING_EMBEDDED_PORT (scoring.embedded.port)", message);
    }

    @Test
    void unknownScoringVariableWithoutMatchListsKnown() {
        String message = rejectedMessage(List.of(), Map.of("SCORING_COLOUR", "blue"));

        assertContains("Unknown environment variable SCORING_COLOUR", message);
        assertContains("Known variables: SCORING_CLOSE_TIMEOUT_MS, SCORING_DEFAULT_MODEL,", message);
    }

    @Test
    void everyUnknownVariableReported() {
        String message = rejectedMessage(List.of(), Map.of("SCORING_A_B_C_D_E", "1", "SCORING_TOPIC_SPAMM", "x"));

        assertContains("Invalid configuration, 2 problems:", message);
        assertContains("1. Unknown environment variable SCORING_A_B_C_D_E", message);
        assertContains("2. Unknown environment variable SCORING_TOPIC_SPAMM", message);
    }

    @Test
    void kafkaVariableForServiceKeyRejected() {
        String message = rejectedMessage(List.of(), Map.of("KAFKA_SCORING_HTTP_PORT", "9000"));

        assertContains("Environment variable KAFKA_SCORING_HTTP_PORT maps to scoring.http.port", message);
    }

    @Test
    void bareKafkaPrefixRejected() {
        String message = rejectedMessage(List.of(), Map.of("KAFKA_", "x"));

        assertContains("Environment variable KAFKA_ names no Kafka property", message);
    }

    @Test
    void unknownServiceKeyInFileRejected() throws IOException {
        Path file = writeFile("app.properties", "scoring.topic.spamm=spam\n");

        String message = rejectedMessage(List.of("--config", file.toString()), Map.of());

        assertContains("Unknown setting scoring.topic.spamm in file " + file, message);
        assertContains("Did you mean scoring.topic.spam?", message);
    }

    @Test
    void unknownServiceKeyInArgumentRejected() {
        String message = rejectedMessage(List.of("scoring.embeded=on"), Map.of());

        assertContains("Unknown setting scoring.embeded on the command line", message);
        assertContains("Did you mean scoring.embedded?", message);
    }

    @Test
    void argumentValueMayContainEqualsSign() {
        RouterConfig config = RouterConfig.load(List.of("client.id=a=b", "acks="), Map.of());

        assertEquals("a=b", config.kafkaProperties().get("client.id"));
        assertEquals("", config.kafkaProperties().get("acks"));
    }

    @Test
    void laterArgumentWins() {
        RouterConfig config = RouterConfig.load(List.of("scoring.http.port=1", "scoring.http.port=2"), Map.of());

        assertEquals(2, config.httpPort());
    }

    @Test
    void malformedArgumentsRejected() {
        List<List<String>> cases = List.of(
                List.of("--config"),
                List.of("--config="),
                List.of("--config", "a.properties", "--config", "b.properties"),
                List.of("--verbose"),
                List.of("scoring.http.port"),
                List.of("=8080"));
        List<String> expected = List.of(
                "Missing file name after --config",
                "Missing file name after --config",
                "--config is given twice, for a.properties and b.properties",
                "Unknown option '--verbose'",
                "Invalid argument 'scoring.http.port': expected a setting of the form key=value",
                "Invalid argument '=8080': the key before '=' is empty");

        List<String> messages = new ArrayList<>();
        for (List<String> args : cases) {
            messages.add(rejectedMessage(args, Map.of()));
        }

        for (int i = 0; i < cases.size(); i++) {
            assertContains(expected.get(i), messages.get(i));
        }
    }

    @Test
    void malformedSecretArgumentMasked() {
        String message = rejectedMessage(List.of("ssl.key.password:hunter2"), Map.of());

        assertContains("Invalid argument [hidden]", message);
        assertFalse(message.contains("hunter2"), message);
    }
}
