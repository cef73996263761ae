package io.logitrouter.e2e;

import io.logitrouter.LogitRouter;
import io.logitrouter.broker.EmbeddedKafkaBroker;
import io.logitrouter.config.RouterConfig;
import io.logitrouter.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real in-process KRaft broker plus the client calls that the bad-input tests share: topic
 * creation with topic settings, a byte-array producer, reading output topics from the start
 * and starting the service against the broker.
 */
final class RouterFixture implements AutoCloseable {

    /** Key of records that a test writes to an output topic itself, left out by {@link #keys}. */
    static final String PROBE_KEY = "probe";

    /** Upper bound for anything a test waits for; generous because builds share two cores. */
    static final Duration WAIT = Duration.ofSeconds(45);

    private final EmbeddedKafkaBroker broker;
    private final KafkaProducer<byte[], byte[]> producer;

    private RouterFixture(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        this.producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static RouterFixture start() {
        return new RouterFixture(new EmbeddedKafkaBroker(0, Optional.empty()).start());
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Returns topic names with a prefix, so that several tests can share one broker. */
    static Topics topics(String prefix) {
        return new Topics(List.of(prefix + ".input"), prefix + ".spam", prefix + ".alert", prefix + ".pass",
                prefix + ".dead-letter");
    }

    /**
     * Creates every topic of {@code topics} with {@code partitions} partitions.
     *
     * @param topicSettings topic settings such as {@code max.message.bytes}, by topic name
     */
    void createTopics(Topics topics, int partitions, Map<String, Map<String, String>> topicSettings) throws Exception {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics.all()) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1).configs(topicSettings.getOrDefault(topic, Map.of())));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(newTopics).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Returns the service settings for {@code topics} on this broker, with the topology test models. */
    Map<String, String> routerSettings(Topics topics) {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        settings.put("application.id", topics.inputs().get(0).replace('.', '-') + "-" + System.nanoTime());
        settings.put("scoring.embedded", "off");
        settings.put("scoring.http.host", "127.0.0.1");
        settings.put("scoring.http.port", "0");
        settings.put("scoring.models", modelsDir().toString());
        settings.put("scoring.topic.input", topics.inputs().get(0));
        settings.put("scoring.topic.spam", topics.spam());
        settings.put("scoring.topic.alert", topics.alert());
        settings.put("scoring.topic.pass", topics.pass());
        settings.put("scoring.topic.dead-letter", topics.deadLetter());
        // Commits every 30 s under at_least_once would make a failed send surface late.
        settings.put("commit.interval.ms", "500");
        return settings;
    }

    /** Starts the service and waits until Kafka Streams is RUNNING. */
    static LogitRouter startRouter(Map<String, String> settings) throws InterruptedException {
        LogitRouter router = LogitRouter.start(RouterConfig.of(settings));
        awaitReady(router);
        return router;
    }

    static void awaitReady(LogitRouter router) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!router.health().isReady()) {
            if (System.nanoTime() > deadline) {
                fail("the service did not become ready within " + WAIT + "; state " + router.health().state());
            }
            Thread.sleep(50);
        }
    }

    /** Four models: email-spam and tumor-screening with weights, moderation and triage without. */
    static Path modelsDir() {
        try {
            return Path.of(RouterFixture.class.getResource("/topology-models").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends one record and waits for the broker's acknowledgement. */
    RecordMetadata send(ProducerRecord<byte[], byte[]> record) throws Exception {
        return producer.send(record).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends one record without waiting; {@link #flush} waits for every record sent so far. */
    void sendAsync(ProducerRecord<byte[], byte[]> record) {
        producer.send(record);
    }

    void flush() {
        producer.flush();
    }

    /**
     * Reads {@code topics} from the beginning with {@code read_committed} until {@code done}
     * holds for everything read so far, then reads for {@code settle} longer to catch records
     * that should not be there, such as duplicates.
     */
    List<ConsumerRecord<byte[], byte[]>> readUntil(Collection<String> topics,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration settle) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        try (var consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            long settleEnd = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleEnd) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Returns the keys of the records as text, in the order read, leaving out probe records. */
    static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(record -> text(record.key())).filter(key -> !PROBE_KEY.equals(key)).toList();
    }

    /** Returns the keys of the records on one topic as text, in the order read. */
    static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records, String topic) {
        return keys(records.stream().filter(record -> record.topic().equals(topic)).toList());
    }

    /** Returns the one record on {@code topic}, failing if there are none or several. */
    static ConsumerRecord<byte[], byte[]> only(List<ConsumerRecord<byte[], byte[]>> records, String topic) {
        List<ConsumerRecord<byte[], byte[]>> matching = records.stream()
                .filter(record -> record.topic().equals(topic)).toList();
        assertEquals(1, matching.size(), "records on " + topic);
        return matching.get(0);
    }

    /** Returns the last value of a header as UTF-8 text, or null if the record has no such header. */
    static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        broker.close();
    }
}
