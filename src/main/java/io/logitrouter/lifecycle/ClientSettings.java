package io.logitrouter.lifecycle;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks at start-up the Kafka client settings that Kafka Streams would only check later, or
 * never report. A setting that cannot be valid stops the service with exit code 2 instead of
 * leaving it waiting for a broker with a misleading message.
 */
public final class ClientSettings {

    private ClientSettings() {
    }

    /**
     * Validates the producer, consumer and admin settings that Kafka Streams derives, the thread
     * count, and the security settings by creating (without connecting) an admin client.
     *
     * @throws ConfigException naming the setting and the problem
     */
    public static void validate(StreamsConfig streamsConfig, String applicationId) {
        // Kafka Streams supplies the serializers itself, so the check supplies the same kind.
        Map<String, Object> producerSettings = new HashMap<>(streamsConfig.getProducerConfigs(applicationId + "-check"));
        producerSettings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerSettings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        new ProducerConfig(producerSettings);

        Map<String, Object> consumerSettings = new HashMap<>(
                streamsConfig.getMainConsumerConfigs(applicationId, applicationId + "-check", 0));
        consumerSettings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerSettings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        new ConsumerConfig(consumerSettings);
        Map<String, Object> adminSettings = streamsConfig.getAdminConfigs(applicationId + "-check");
        new AdminClientConfig(adminSettings);

        int threads = streamsConfig.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG);
        if (threads < 1) {
            throw new ConfigException(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads,
                    "must be at least 1, or no record is ever processed; remove it or set KAFKA_NUM_STREAM_THREADS=1");
        }

        // Creating a client parses the JAAS configuration, the SSL stores and the SASL mechanism
        // without contacting the broker, so a mistake there shows up now with its real cause.
        try (Admin admin = Admin.create(adminSettings)) {
            admin.close(Duration.ZERO);
        } catch (KafkaException e) {
            throw new ConfigException("The Kafka client settings are invalid: " + rootCause(e)
                    + ". Check security.protocol, sasl.* and ssl.* (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*).");
        }
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        // Quoted parts of a JAAS error can be the configured values, passwords included.
        String message = String.valueOf(cause.getMessage()).replaceAll("\"[^\"]*\"", "\"[hidden]\"");
        return cause.getClass().getSimpleName() + ": " + message;
    }
}
