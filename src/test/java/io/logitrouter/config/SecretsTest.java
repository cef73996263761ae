package io.logitrouter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {

    @Test
    void kafkaPasswordKeysIncludeKnownSecrets() {
        for (String key : List.of("sasl.jaas.config", "ssl.key.password", "ssl.keystore.password",
                "ssl.truststore.password", "ssl.keystore.key")) {
            assertTrue(Secrets.kafkaPasswordKeys().contains(key), key);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sasl.jaas.config",
        "ssl.key.password",
        "ssl.keystore.password",
        "ssl.keystore.key",
        "producer.ssl.truststore.password",
        "main.consumer.sasl.jaas.config",
        "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config",
        "sasl.oauthbearer.client.credentials.client.secret",
        "basic.auth.user.info",
        "schema.registry.ssl.key.password",
        "my.api.token",
        "aws.secret.access.key",
        "SSL.KEY.PASSWORD",
    })
    void secretKeyRecognized(String key) {
        assertTrue(Secrets.isSecretKey(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "bootstrap.servers",
        "security.protocol",
        "sasl.mechanism",
        "key.serializer",
        "default.key.serde",
        "ssl.keystore.location",
        "ssl.keystore.type",
        "processing.guarantee",
        "scoring.topic.dead-letter",
    })
    void ordinaryKeyNotSecret(String key) {
        assertFalse(Secrets.isSecretKey(key));
    }

    @Test
    void displayMasksSecretsAndPasswords() {
        assertEquals("[hidden]", Secrets.display("ssl.keystore.password", "hunter2"));
        assertEquals("[hidden]", Secrets.display("client.id", new Password("hunter2")));
    }

    @Test
    void displayMasksUrlCredentials() {
        assertEquals("https://[hidden]@registry:8081/path",
                Secrets.display("schema.registry.url", "https://user:pass@registry:8081/path"));
        assertEquals("SASL_SSL://broker:9093", Secrets.display("listeners", "SASL_SSL://broker:9093"));
    }

    @Test
    void displayJoinsLists() {
        assertEquals("a:9092,b:9092", Secrets.display("bootstrap.servers", List.of("a:9092", "b:9092")));
    }
}
