package io.logitrouter.topology;

import io.logitrouter.config.RouterConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class StreamsSettingsTest {

    private static final Topics TOPICS = new Topics(List.of("in"), "s", "a", "p", "d");

    @Test
    void lingerDefaultsToFiveMilliseconds() {
        Map<String, Object> settings = StreamsSettings.build(RouterConfig.of(Map.of()), TOPICS, (r, s, m) -> { });

        assertEquals("5", settings.get("producer.linger.ms"));
    }

    @Test
    void userLingerReplacesDefault() {
        Map<String, Object> settings = StreamsSettings.build(RouterConfig.of(Map.of("linger.ms", "20")), TOPICS,
                (r, s, m) -> { });

        assertEquals("20", settings.get("linger.ms"));
        assertFalse(settings.containsKey("producer.linger.ms"));
    }
}
