package io.logitrouter.broker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerIT {

    @Test
    void brokerRoundTripsRecords() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(0, Optional.empty()).start()) {
            broker.createTopics(Map.of("round-trip", 2));

            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("round-trip", "k1", "v1")).get();
                producer.send(new ProducerRecord<>("round-trip", "k2", "v2")).get();
            }

            List<String> values = new ArrayList<>();
            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "round-trip-test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("round-trip"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (values.size() < 2 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                        values.add(record.value());
                    }
                }
            }
            values.sort(String::compareTo);
            assertEquals(List.of("v1", "v2"), values);
        }
    }

    @Test
    void temporaryDataDirectoryIsDeletedOnClose() {
        Path dataDir;
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(0, Optional.empty()).start()) {
            dataDir = broker.dataDir();
            assertTrue(Files.isDirectory(dataDir));
        }
        assertFalse(Files.exists(dataDir));
    }

    @Test
    void givenDataDirectorySurvivesRestart(@TempDir Path dataDir) {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(0, Optional.of(dataDir)).start()) {
            broker.createTopics(Map.of("kept", 1));
        }
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(0, Optional.of(dataDir)).start()) {
            assertTrue(Files.isDirectory(dataDir.resolve("kept-0")));
        }
    }
}
