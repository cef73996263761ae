package io.logitrouter.e2e;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

/**
 * The end-to-end test on the {@code apache/kafka:4.4.0} image. It runs wherever a Docker engine
 * is available and is skipped elsewhere; {@link EndToEndIT} covers the same test without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class EndToEndContainerIT extends EndToEndTestBase {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.4.0");

    @BeforeAll
    static void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()))) {
            admin.createTopics(TOPICS.all().stream().map(topic -> new NewTopic(topic, 4, (short) 1)).toList()).all().get();
        }
    }

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
