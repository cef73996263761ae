package io.logitrouter.e2e;

import io.logitrouter.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The end-to-end test on the in-process KRaft broker, which runs on every machine. */
class EndToEndIT extends EndToEndTestBase {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(0, Optional.empty()).start();
        Map<String, Integer> partitions = new LinkedHashMap<>();
        TOPICS.all().forEach(topic -> partitions.put(topic, 4));
        broker.createTopics(partitions);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Override
    String bootstrapServers() {
        return broker.bootstrapServers();
    }
}
