package io.logitrouter.config;

import static io.logitrouter.config.RouterConfig.CLOSE_TIMEOUT_MS_CONFIG;
import static io.logitrouter.config.RouterConfig.DEFAULT_MODEL_CONFIG;
import static io.logitrouter.config.RouterConfig.EMBEDDED_CONFIG;
import static io.logitrouter.config.RouterConfig.EMBEDDED_DIR_CONFIG;
import static io.logitrouter.config.RouterConfig.EMBEDDED_PORT_CONFIG;
import static io.logitrouter.config.RouterConfig.HTTP_HOST_CONFIG;
import static io.logitrouter.config.RouterConfig.HTTP_PORT_CONFIG;
import static io.logitrouter.config.RouterConfig.MAX_EVENT_BYTES_CONFIG;
import static io.logitrouter.config.RouterConfig.MAX_NESTING_DEPTH_CONFIG;
import static io.logitrouter.config.RouterConfig.MODELS_CONFIG;
import static io.logitrouter.config.RouterConfig.TOPIC_ALERT_CONFIG;
import static io.logitrouter.config.RouterConfig.TOPIC_DEAD_LETTER_CONFIG;
import static io.logitrouter.config.RouterConfig.TOPIC_INPUT_CONFIG;
import static io.logitrouter.config.RouterConfig.TOPIC_PASS_CONFIG;
import static io.logitrouter.config.RouterConfig.TOPIC_SPAM_CONFIG;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterConfigTest {

    private static final Set<String> DECLARED_KEYS = Set.of(
            MODELS_CONFIG, DEFAULT_MODEL_CONFIG, TOPIC_INPUT_CONFIG, TOPIC_SPAM_CONFIG, TOPIC_ALERT_CONFIG,
            TOPIC_PASS_CONFIG, TOPIC_DEAD_LETTER_CONFIG, HTTP_HOST_CONFIG, HTTP_PORT_CONFIG, MAX_EVENT_BYTES_CONFIG,
            MAX_NESTING_DEPTH_CONFIG, CLOSE_TIMEOUT_MS_CONFIG, EMBEDDED_CONFIG, EMBEDDED_PORT_CONFIG,
            EMBEDDED_DIR_CONFIG);

    private static void assertContains(String expectedPart, String actual) {
        assertTrue(actual.contains(expectedPart), () -> "expected <" + expectedPart + "> in <" + actual + ">");
    }

    private static void assertNotContains(String unexpectedPart, String actual) {
        assertFalse(actual.contains(unexpectedPart), () -> "unexpected <" + unexpectedPart + "> in <" + actual + ">");
    }

    private static String rejectedMessage(Map<String, ?> properties) {
        return assertThrows(ConfigException.class, () -> RouterConfig.of(properties)).getMessage();
    }

    @Test
    void defaultsWithoutSettings() {
        RouterConfig config = RouterConfig.of(Map.of());

        assertEquals(Optional.empty(), config.modelsPath());
        assertEquals(Optional.empty(), config.defaultModel());
        assertEquals(List.of("scoring.input"), config.inputTopics());
        assertEquals("scoring.spam", config.spamTopic());
        assertEquals("scoring.alert", config.alertTopic());
        assertEquals("scoring.pass", config.passTopic());
        assertEquals("scoring.dead-letter", config.deadLetterTopic());
        assertEquals("0.0.0.0", config.httpHost());
        assertEquals(8080, config.httpPort());
        assertEquals(1_048_576, config.maxEventBytes());
        assertEquals(64, config.maxNestingDepth());
        assertEquals(Duration.ofSeconds(10), config.closeTimeout());
        assertEquals(EmbeddedMode.AUTO, config.embeddedMode());
        assertEquals(9092, config.embeddedPort());
        assertEquals(Optional.empty(), config.embeddedDir());
        assertEquals(Map.of(), config.kafkaProperties());
        assertFalse(config.hasBootstrapServers());
    }

    @Test
    void defaultsLeaveProcessingGuaranteeUnset() {
        RouterConfig config = RouterConfig.of(Map.of("bootstrap.servers", "broker:9092"));

        assertFalse(config.kafkaProperties().containsKey("processing.guarantee"));
    }

    @Test
    void definitionDeclaresEveryKeyWithDoc() {
        ConfigDef definition = RouterConfig.definition();

        assertEquals(DECLARED_KEYS, definition.names());
        for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
            assertFalse(key.documentation == null || key.documentation.isBlank(), key.name + " has no documentation");
            assertTrue(key.importance != null, key.name + " has no importance");
        }
    }

    @Test
    void definitionReturnsIndependentCopy() {
        RouterConfig.definition().define("scoring.extra", ConfigDef.Type.STRING, ConfigDef.Importance.LOW, "Extra.");

        assertFalse(RouterConfig.definition().names().contains("scoring.extra"));
    }

    @Test
    void ofAcceptsTypedValues() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(MODELS_CONFIG, "models/email-spam.json");
        properties.put(DEFAULT_MODEL_CONFIG, "email-spam");
        properties.put(TOPIC_INPUT_CONFIG, List.of("events.a", "events.b"));
        properties.put(HTTP_PORT_CONFIG, 0);
        properties.put(CLOSE_TIMEOUT_MS_CONFIG, 2500L);
        properties.put(EMBEDDED_CONFIG, "OFF");
        properties.put(EMBEDDED_DIR_CONFIG, "broker-data");

        RouterConfig config = RouterConfig.of(properties);

        assertEquals(Optional.of(Path.of("models/email-spam.json")), config.modelsPath());
        assertEquals(Optional.of("email-spam"), config.defaultModel());
        assertEquals(List.of("events.a", "events.b"), config.inputTopics());
        assertEquals(0, config.httpPort());
        assertEquals(Duration.ofMillis(2500), config.closeTimeout());
        assertEquals(EmbeddedMode.OFF, config.embeddedMode());
        assertEquals(Optional.of(Path.of("broker-data")), config.embeddedDir());
    }

    @Test
    void ofTreatsNullValueAsUnset() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(DEFAULT_MODEL_CONFIG, null);
        properties.put(HTTP_PORT_CONFIG, null);

        RouterConfig config = RouterConfig.of(properties);

        assertEquals(Optional.empty(), config.defaultModel());
        assertEquals(8080, config.httpPort());
    }

    @Test
    void blankOptionalSettingsMeanUnset() {
        RouterConfig config = RouterConfig.of(Map.of(MODELS_CONFIG, " ", DEFAULT_MODEL_CONFIG, "", EMBEDDED_DIR_CONFIG, ""));

        assertEquals(Optional.empty(), config.modelsPath());
        assertEquals(Optional.empty(), config.defaultModel());
        assertEquals(Optional.empty(), config.embeddedDir());
    }

    @Test
    void inputTopicListTrimsEntries() {
        RouterConfig config = RouterConfig.of(Map.of(TOPIC_INPUT_CONFIG, " events.a , events.b "));

        assertEquals(List.of("events.a", "events.b"), config.inputTopics());
    }

    @Test
    void keysWithoutPrefixPassThroughToKafka() {
        RouterConfig config = RouterConfig.of(Map.of(
                "bootstrap.servers", "broker-1:9092",
                "application.id", "logit-router",
                "producer.linger.ms", 5,
                HTTP_PORT_CONFIG, "9000"));

        assertEquals(Map.of("application.id", "logit-router", "bootstrap.servers", "broker-1:9092",
                "producer.linger.ms", 5), config.kafkaProperties());
        assertEquals(9000, config.httpPort());
    }

    @Test
    void kafkaPropertiesAreUnmodifiable() {
        RouterConfig config = RouterConfig.of(Map.of("bootstrap.servers", "broker-1:9092"));

        assertThrows(UnsupportedOperationException.class, () -> config.kafkaProperties().put("acks", "all"));
        assertThrows(UnsupportedOperationException.class, () -> config.inputTopics().add("more"));
    }

    @ParameterizedTest
    @CsvSource({
        "scoring.http.port, 70000, SCORING_HTTP_PORT, Value must be no more than 65535",
        "scoring.http.port, -1, SCORING_HTTP_PORT, Value must be at least 0",
        "scoring.http.port, eighty, SCORING_HTTP_PORT, Not a number of type INT",
        "scoring.embedded.port, 65536, SCORING_EMBEDDED_PORT, Value must be no more than 65535",
        "scoring.close.timeout.ms, -5, SCORING_CLOSE_TIMEOUT_MS, Value must be at least 0",
        "scoring.max.event.bytes, 1, SCORING_MAX_EVENT_BYTES, Value must be at least 2",
        "scoring.max.nesting.depth, 0, SCORING_MAX_NESTING_DEPTH, Value must be at least 1",
        "scoring.max.nesting.depth, 1001, SCORING_MAX_NESTING_DEPTH, Value must be no more than 1000",
        "scoring.embedded, maybe, SCORING_EMBEDDED, String must be one of (case insensitive): AUTO, OFF, ON",
        "scoring.topic.spam, spam topic, SCORING_TOPIC_SPAM, Topic name 'spam topic' contains a character other than",
        "scoring.topic.dead-letter, .., SCORING_TOPIC_DEAD_LETTER, Topic name '..' is not allowed",
        "scoring.topic.input, 'good,bad/topic', SCORING_TOPIC_INPUT, Topic name 'bad/topic' contains a character",
        "scoring.topic.input, 'a,a', SCORING_TOPIC_INPUT, Topic 'a' is listed twice",
        "scoring.topic.input, 'a.b,a_b', SCORING_TOPIC_INPUT, Topics 'a.b' and 'a_b' collide",
        "scoring.http.host, ' ', SCORING_HTTP_HOST, String must be non-empty",
    })
    void invalidValueRejectedWithKeyAndRule(String key, String value, String variable, String rule) {
        String message = rejectedMessage(Map.of(key, value));

        assertContains("Invalid value '" + value + "' for " + key, message);
        assertContains(variable, message);
        assertContains(rule, message);
        assertContains("Correct the value, or remove it to use", message);
    }

    @Test
    void invalidPortNamesValidRangeAndDefault() {
        String message = rejectedMessage(Map.of(HTTP_PORT_CONFIG, 70000));

        assertEquals("Invalid value '70000' for scoring.http.port (SCORING_HTTP_PORT, in the given properties):"
                + " Value must be no more than 65535. Valid values: [0,...,65535]."
                + " Correct the value, or remove it to use the default 8080.", message);
    }

    @Test
    void emptyInputTopicListRejected() {
        String message = rejectedMessage(Map.of(TOPIC_INPUT_CONFIG, ""));

        assertContains("for scoring.topic.input", message);
        assertContains("At least one topic is required", message);
    }

    @Test
    void tooLongTopicNameRejected() {
        String name = "t".repeat(250);

        String message = rejectedMessage(Map.of(TOPIC_PASS_CONFIG, name));

        assertContains("is 250 characters long, more than the maximum of 249", message);
    }

    @Test
    void maximumLengthTopicNameAccepted() {
        String name = "t".repeat(249);

        assertEquals(name, RouterConfig.of(Map.of(TOPIC_PASS_CONFIG, name)).passTopic());
    }

    @Test
    void embeddedModeIgnoresCase() {
        assertEquals(EmbeddedMode.ON, RouterConfig.of(Map.of(EMBEDDED_CONFIG, "On")).embeddedMode());
        assertEquals(EmbeddedMode.OFF, RouterConfig.of(Map.of(EMBEDDED_CONFIG, " off ")).embeddedMode());
    }

    @Test
    void everyProblemReportedAtOnce() {
        String message = rejectedMessage(Map.of(HTTP_PORT_CONFIG, "70000", CLOSE_TIMEOUT_MS_CONFIG, "-1"));

        assertContains("Invalid configuration, 2 problems:", message);
        assertContains("\n1. Invalid value '70000' for scoring.http.port", message);
        assertContains("\n2. Invalid value '-1' for scoring.close.timeout.ms", message);
    }

    @Test
    void unknownServiceKeyRejectedWithSuggestion() {
        String message = rejectedMessage(Map.of("scoring.http.prot", "8081"));

        assertContains("Unknown setting scoring.http.prot in the given properties", message);
        assertContains("Did you mean scoring.http.port?", message);
    }

    @Test
    void unknownServiceKeyWithoutMatchListsKnownKeys() {
        String message = rejectedMessage(Map.of("scoring.colour", "blue"));

        assertContains("Unknown setting scoring.colour", message);
        assertContains("Known settings: scoring.models, scoring.default.model,", message);
    }

    @Test
    void outputTopicEqualToInputRejected() {
        String message = rejectedMessage(Map.of(TOPIC_INPUT_CONFIG, "events", TOPIC_PASS_CONFIG, "events"));

        assertContains("Topic 'events' is set for both scoring.topic.input (SCORING_TOPIC_INPUT, in the given"
                + " properties) and scoring.topic.pass (SCORING_TOPIC_PASS, in the given properties)", message);
    }

    @Test
    void outputTopicEqualToDefaultTopicRejected() {
        String message = rejectedMessage(Map.of(TOPIC_SPAM_CONFIG, "scoring.alert"));

        assertContains("Topic 'scoring.alert' is set for both scoring.topic.spam (SCORING_TOPIC_SPAM, in the given"
                + " properties) and scoring.topic.alert (SCORING_TOPIC_ALERT, default)", message);
        assertContains("Set one of them to another topic.", message);
    }

    @Test
    void deadLetterTopicEqualToSecondInputRejected() {
        String message = rejectedMessage(Map.of(TOPIC_INPUT_CONFIG, "events,late-events",
                TOPIC_DEAD_LETTER_CONFIG, "late-events"));

        assertContains("Topic 'late-events' is set for both scoring.topic.input", message);
        assertContains("and scoring.topic.dead-letter (SCORING_TOPIC_DEAD_LETTER", message);
    }

    @Test
    void collidingOutputTopicsRejected() {
        String message = rejectedMessage(Map.of(TOPIC_SPAM_CONFIG, "out.spam", TOPIC_ALERT_CONFIG, "out_spam"));

        assertContains("Topics 'out.spam' for scoring.topic.spam", message);
        assertContains("and 'out_spam' for scoring.topic.alert", message);
        assertContains("collide", message);
    }

    @Test
    void streamsDeadLetterTopicConflictRejected() {
        String message = rejectedMessage(Map.of("errors.dead.letter.queue.topic.name", "other-dlq"));

        assertContains("Kafka Streams property errors.dead.letter.queue.topic.name is 'other-dlq'", message);
        assertContains("but scoring.topic.dead-letter (SCORING_TOPIC_DEAD_LETTER, default) is 'scoring.dead-letter'",
                message);
    }

    @Test
    void streamsDeadLetterTopicMatchingAccepted() {
        RouterConfig config = RouterConfig.of(Map.of("errors.dead.letter.queue.topic.name", "scoring.dead-letter"));

        assertEquals("scoring.dead-letter", config.kafkaProperties().get("errors.dead.letter.queue.topic.name"));
    }

    @Test
    void bootstrapServersBlankCountsAsUnset() {
        assertFalse(RouterConfig.of(Map.of("bootstrap.servers", " ")).hasBootstrapServers());
        assertFalse(RouterConfig.of(Map.of("bootstrap.servers", List.of())).hasBootstrapServers());
        assertTrue(RouterConfig.of(Map.of("bootstrap.servers", "broker:9092")).hasBootstrapServers());
        assertTrue(RouterConfig.of(Map.of("bootstrap.servers", List.of("broker:9092"))).hasBootstrapServers());
    }

    @Test
    void embeddedBrokerEnabledFollowsMode() {
        Map<String, String> broker = Map.of("bootstrap.servers", "broker:9092");

        assertTrue(RouterConfig.of(Map.of()).embeddedBrokerEnabled());
        assertFalse(RouterConfig.of(broker).embeddedBrokerEnabled());
        assertTrue(RouterConfig.of(Map.of(EMBEDDED_CONFIG, "on", "bootstrap.servers", "broker:9092"))
                .embeddedBrokerEnabled());
        assertFalse(RouterConfig.of(Map.of(EMBEDDED_CONFIG, "off")).embeddedBrokerEnabled());
    }

    @Test
    void requireBrokerRejectsOffWithoutServers() {
        RouterConfig config = RouterConfig.of(Map.of(EMBEDDED_CONFIG, "off"));

        String message = assertThrows(ConfigException.class, config::requireBrokerOrEmbedded).getMessage();

        assertContains("bootstrap.servers", message);
        assertContains("KAFKA_BOOTSTRAP_SERVERS", message);
        assertContains("scoring.embedded (SCORING_EMBEDDED) is off", message);
    }

    @Test
    void requireBrokerAcceptsServersOrEmbedded() {
        RouterConfig offWithServers = RouterConfig.of(Map.of(EMBEDDED_CONFIG, "off", "bootstrap.servers", "broker:9092"));
        RouterConfig autoWithoutServers = RouterConfig.of(Map.of(EMBEDDED_CONFIG, "auto"));

        assertDoesNotThrow(offWithServers::requireBrokerOrEmbedded);
        assertDoesNotThrow(autoWithoutServers::requireBrokerOrEmbedded);
    }

    @Test
    void withKafkaPropertyReturnsChangedCopy() {
        RouterConfig original = RouterConfig.of(Map.of(HTTP_PORT_CONFIG, 0, "acks", "all"));

        RouterConfig copy = original.withKafkaProperty("bootstrap.servers", "127.0.0.1:40123");

        assertNotSame(original, copy);
        assertEquals(Map.of("acks", "all", "bootstrap.servers", "127.0.0.1:40123"), copy.kafkaProperties());
        assertEquals(Map.of("acks", "all"), original.kafkaProperties());
        assertEquals(0, copy.httpPort());
        assertTrue(copy.hasBootstrapServers());
        assertFalse(original.hasBootstrapServers());
    }

    @Test
    void withKafkaPropertyKeepsEveryServiceSetting() {
        RouterConfig original = RouterConfig.of(Map.of(TOPIC_INPUT_CONFIG, "a,b", DEFAULT_MODEL_CONFIG, "email-spam",
                CLOSE_TIMEOUT_MS_CONFIG, "1500", EMBEDDED_CONFIG, "on", MODELS_CONFIG, "models"));

        RouterConfig copy = original.withKafkaProperty("bootstrap.servers", "127.0.0.1:40123");

        assertEquals(List.of("a", "b"), copy.inputTopics());
        assertEquals(Optional.of("email-spam"), copy.defaultModel());
        assertEquals(Duration.ofMillis(1500), copy.closeTimeout());
        assertEquals(EmbeddedMode.ON, copy.embeddedMode());
        assertEquals(Optional.of(Path.of("models")), copy.modelsPath());
    }

    @Test
    void withKafkaPropertyRejectsServiceKey() {
        RouterConfig config = RouterConfig.of(Map.of());

        assertThrows(IllegalArgumentException.class, () -> config.withKafkaProperty(HTTP_PORT_CONFIG, 1));
    }

    @Test
    void maskedSummaryHidesSecrets() {
        RouterConfig config = RouterConfig.of(Map.of(
                "bootstrap.servers", "broker-1:9093",
                "security.protocol", "SASL_SSL",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"router\" password=\"hunter2\";",
                "ssl.keystore.password", "keystore-secret-1",
                "producer.ssl.key.password", "key-secret-2",
                "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
                "sasl.oauthbearer.client.credentials.client.secret", "client-secret-3",
                "basic.auth.user.info", "router:registry-secret-4",
                "schema.registry.url", "https://router:url-secret-5@registry:8081",
                "ssl.truststore.password", new Password("truststore-secret-6")));

        String summary = config.maskedSummary();

        for (String secret : List.of("hunter2", "keystore-secret-1", "key-secret-2", "PRIVATE KEY", "client-secret-3",
                "registry-secret-4", "url-secret-5", "truststore-secret-6")) {
            assertNotContains(secret, summary);
        }
        assertContains("sasl.jaas.config=[hidden]", summary);
        assertContains("ssl.keystore.password=[hidden]", summary);
        assertContains("producer.ssl.key.password=[hidden]", summary);
        assertContains("schema.registry.url=https://[hidden]@registry:8081", summary);
        assertContains("bootstrap.servers=broker-1:9093", summary);
        assertContains("security.protocol=SASL_SSL", summary);
    }

    @Test
    void maskedSummaryListsServiceSettings() {
        RouterConfig config = RouterConfig.of(Map.of(TOPIC_INPUT_CONFIG, "a,b", HTTP_PORT_CONFIG, 9000));

        String summary = config.maskedSummary();

        assertContains("Service settings: scoring.models=(the bundled sample models),"
                + " scoring.default.model=(no default model), scoring.topic.input=a,b,", summary);
        assertContains("scoring.http.port=9000", summary);
        assertContains("scoring.embedded=auto", summary);
        assertContains("scoring.embedded.dir=(a new temporary directory)", summary);
        assertContains("Kafka properties: (none)", summary);
    }

    @Test
    void toStringIsMaskedSummary() {
        RouterConfig config = RouterConfig.of(Map.of("ssl.key.password", "key-secret"));

        assertEquals(config.maskedSummary(), config.toString());
        assertNotContains("key-secret", config.toString());
    }

    @Test
    void envNameDerivedForEveryDeclaredKey() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry(MODELS_CONFIG, "SCORING_MODELS"),
                Map.entry(DEFAULT_MODEL_CONFIG, "SCORING_DEFAULT_MODEL"),
                Map.entry(TOPIC_INPUT_CONFIG, "SCORING_TOPIC_INPUT"),
                Map.entry(TOPIC_SPAM_CONFIG, "SCORING_TOPIC_SPAM"),
                Map.entry(TOPIC_ALERT_CONFIG, "SCORING_TOPIC_ALERT"),
                Map.entry(TOPIC_PASS_CONFIG, "SCORING_TOPIC_PASS"),
                Map.entry(TOPIC_DEAD_LETTER_CONFIG, "SCORING_TOPIC_DEAD_LETTER"),
                Map.entry(HTTP_HOST_CONFIG, "SCORING_HTTP_HOST"),
                Map.entry(HTTP_PORT_CONFIG, "SCORING_HTTP_PORT"),
                Map.entry(MAX_EVENT_BYTES_CONFIG, "SCORING_MAX_EVENT_BYTES"),
                Map.entry(MAX_NESTING_DEPTH_CONFIG, "SCORING_MAX_NESTING_DEPTH"),
                Map.entry(CLOSE_TIMEOUT_MS_CONFIG, "SCORING_CLOSE_TIMEOUT_MS"),
                Map.entry(EMBEDDED_CONFIG, "SCORING_EMBEDDED"),
                Map.entry(EMBEDDED_PORT_CONFIG, "SCORING_EMBEDDED_PORT"),
                Map.entry(EMBEDDED_DIR_CONFIG, "SCORING_EMBEDDED_DIR"));

        assertEquals(RouterConfig.definition().names(), expected.keySet());
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            assertEquals(entry.getValue(), RouterConfig.envName(entry.getKey()), entry.getKey());
        }
    }
}
