package io.logitrouter.lifecycle;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientSettingsTest {

    @Test
    void validSettingsPass() {
        assertDoesNotThrow(() -> ClientSettings.validate(streamsConfig(Map.of()), "app"));
    }

    @Test
    void nonNumericLingerIsRejected() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> ClientSettings.validate(streamsConfig(Map.of("linger.ms", "abc")), "app"));

        assertTrue(error.getMessage().contains("linger.ms"), error.getMessage());
    }

    @Test
    void negativeThreadCountIsRejected() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> ClientSettings.validate(streamsConfig(Map.of("num.stream.threads", "-3")), "app"));

        assertTrue(error.getMessage().contains("num.stream.threads"), error.getMessage());
    }

    @Test
    void brokenJaasIsRejectedWithoutPassword() {
        Map<String, Object> sasl = Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\"");

        ConfigException error = assertThrows(ConfigException.class,
                () -> ClientSettings.validate(streamsConfig(sasl), "app"));

        assertTrue(error.getMessage().contains("semi-colon"), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    private static StreamsConfig streamsConfig(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        return new StreamsConfig(settings);
    }
}
