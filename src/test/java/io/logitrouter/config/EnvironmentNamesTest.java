package io.logitrouter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvironmentNamesTest {

    @ParameterizedTest
    @CsvSource({
        "KAFKA_BOOTSTRAP_SERVERS, bootstrap.servers",
        "KAFKA_PROCESSING_GUARANTEE, processing.guarantee",
        "KAFKA_SOME__UNDERSCORE___DASH, some_underscore-dash",
        "KAFKA_A____B, a-.b",
        "KAFKA_A_____B, a-_b",
        "KAFKA_A______B, a--b",
        "KAFKA_SASL_JAAS_CONFIG, sasl.jaas.config",
        "KAFKA_CLIENT_ID, client.id",
        "KAFKA_PRODUCER_LINGER_MS, producer.linger.ms",
    })
    void kafkaKeyMapsVariable(String variable, String key) {
        assertEquals(Optional.of(key), EnvironmentNames.kafkaKey(variable));
    }

    @Test
    void kafkaKeyEmptyForOtherVariables() {
        assertEquals(Optional.empty(), EnvironmentNames.kafkaKey("KAFKA_HEAP_OPTS"));
        assertEquals(Optional.empty(), EnvironmentNames.kafkaKey("KAFKA_OPTS"));
        assertEquals(Optional.empty(), EnvironmentNames.kafkaKey("SCORING_HTTP_PORT"));
        assertEquals(Optional.empty(), EnvironmentNames.kafkaKey("kafka_bootstrap_servers"));
    }

    @Test
    void kafkaKeyOfBarePrefixIsEmptyString() {
        assertEquals(Optional.of(""), EnvironmentNames.kafkaKey("KAFKA_"));
    }

    @Test
    void serviceVariableReplacesDotsAndDashes() {
        assertEquals("SCORING_TOPIC_DEAD_LETTER", EnvironmentNames.serviceVariable("scoring.topic.dead-letter"));
        assertEquals("SCORING_HTTP_PORT", EnvironmentNames.serviceVariable("scoring.http.port"));
    }

    @ParameterizedTest
    @CsvSource({
        "KAFKA_SERVICE_HOST, 10.0.0.7",
        "KAFKA_SERVICE_PORT, 9092",
        "KAFKA_SERVICE_PORT_PLAINTEXT, 9092",
        "KAFKA_PORT, tcp://10.0.0.7:9092",
        "KAFKA_PORT_9092_TCP, tcp://10.0.0.7:9092",
        "KAFKA_PORT_9092_TCP_PROTO, tcp",
        "KAFKA_PORT_9092_TCP_PORT, 9092",
        "KAFKA_PORT_9092_TCP_ADDR, 10.0.0.7",
        "SCORING_ROUTER_PORT, udp://10.0.0.8:53",
    })
    void serviceLinkVariableRecognized(String variable, String value) {
        assertTrue(EnvironmentNames.isKubernetesServiceLink(variable, value));
    }

    @ParameterizedTest
    @CsvSource({
        "KAFKA_PORT, 9092",
        "SCORING_HTP_PORT, 8080",
        "KAFKA_BOOTSTRAP_SERVERS, tcp://broker:9092",
        "SCORING_TOPIC_SPAM, scoring.spam",
    })
    void ordinaryVariableNotServiceLink(String variable, String value) {
        assertFalse(EnvironmentNames.isKubernetesServiceLink(variable, value));
    }
}
