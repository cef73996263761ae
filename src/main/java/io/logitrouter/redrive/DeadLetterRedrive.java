package io.logitrouter.redrive;

import io.logitrouter.config.RouterConfig;
import io.logitrouter.errors.DeadLetters;
import io.logitrouter.topology.StreamsSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The {@code redrive} command: sends dead letters back to the input topic once their cause is
 * fixed, for example after loading a missing model.
 *
 * <p>It reads the dead-letter topic with {@code isolation.level=read_committed} up to the end
 * offsets it reads at start, keeps the records whose {@code scoring.error.reason} matches
 * {@code --reason}, and produces each to the first input topic with its original key, value
 * and headers. The error headers ({@code __streams.errors.*} and {@code scoring.error.*}) are
 * removed, and the record gets a new timestamp. Dead letters whose value was cut to fit the
 * dead-letter topic are skipped, since their original value is lost.
 *
 * <p>Progress is committed, after every sent record is acknowledged, in the consumer group
 * {@code <application.id>-redrive}. A later run starts where the last one stopped, whatever
 * its {@code --reason}, so records skipped by a filter are read again only with
 * {@code --from-beginning}. A failure between sending and committing makes the next run send
 * those records again.
 */
public final class DeadLetterRedrive {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRedrive.class);

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_INVALID_CONFIGURATION = 2;

    /** How long the command waits for a poll to make progress before it gives up. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private final RouterConfig config;
    private final RedriveOptions options;
    private final PrintStream out;

    DeadLetterRedrive(RouterConfig config, RedriveOptions options, PrintStream out) {
        this.config = config;
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the command with the arguments that follow {@code redrive}.
     *
     * @return 0 on success, 1 if Kafka failed, 2 if an argument or setting is invalid
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out) {
        try {
            RedriveOptions options = RedriveOptions.parse(args);
            RouterConfig config = RouterConfig.load(options.configArguments(), env);
            return new DeadLetterRedrive(config, options, out).redrive().print(out);
        } catch (ConfigException e) {
            System.err.println("logit-router redrive cannot start: " + e.getMessage());
            return EXIT_INVALID_CONFIGURATION;
        } catch (KafkaException | RedriveException e) {
            log.error("Re-driving dead letters failed", e);
            System.err.println("logit-router redrive failed: " + e.getMessage());
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        }
    }

    /** Reads, filters and re-sends the dead letters, then commits how far it read. */
    RedriveSummary redrive() throws InterruptedException {
        String deadLetterTopic = config.deadLetterTopic();
        String inputTopic = config.inputTopics().get(0);
        String group = applicationId() + "-redrive";
        RedriveSummary summary = new RedriveSummary(deadLetterTopic, inputTopic, group, options);

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings(group),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(group),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = partitions(consumer, deadLetterTopic);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> next = startOffsets(consumer, partitions);
            next.forEach(consumer::seek);

            List<Future<RecordMetadata>> sends = new ArrayList<>();
            boolean limitReached = false;
            long lastProgress = System.nanoTime();
            while (!limitReached && !allRead(consumer, partitions, end)) {
                if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                    throw new RedriveException("no progress reading " + deadLetterTopic + " for "
                            + STALL_TIMEOUT.toSeconds() + " s; positions " + positions(consumer, partitions)
                            + ", end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    lastProgress = System.nanoTime();
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue;
                    }
                    if (summary.sent() >= options.limit()) {
                        limitReached = true;
                        break;
                    }
                    examine(record, producer, inputTopic, sends, summary);
                    next.put(partition, record.offset() + 1);
                }
            }
            if (!limitReached) {
                // Read to the end: commit the end offsets, which may lie past transaction markers.
                for (TopicPartition partition : partitions) {
                    next.put(partition, Math.max(next.get(partition), end.get(partition)));
                }
            }

            producer.flush();
            awaitAcknowledged(sends);
            if (!options.dryRun()) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                next.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
                consumer.commitSync(offsets);
            }
        }
        return summary;
    }

    private void examine(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> producer,
            String inputTopic, List<Future<RecordMetadata>> sends, RedriveSummary summary) {
        String reason = headerText(record, DeadLetters.REASON_HEADER);
        if (!options.matches(reason)) {
            summary.skippedByReason();
            return;
        }
        if (record.headers().lastHeader(DeadLetters.VALUE_TRUNCATED_HEADER) != null) {
            summary.skippedTruncated();
            return;
        }
        if (!options.dryRun()) {
            sends.add(producer.send(new ProducerRecord<>(inputTopic, null, null, record.key(), record.value(),
                    originalHeaders(record))));
        }
        summary.sent(reason);
    }

    /** Returns the record's headers without the error headers that Kafka Streams and the service added. */
    static RecordHeaders originalHeaders(ConsumerRecord<byte[], byte[]> record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(DeadLetters.STREAMS_HEADER_PREFIX)
                    && !header.key().startsWith(DeadLetters.SCORING_HEADER_PREFIX)) {
                headers.add(header);
            }
        }
        return headers;
    }

    private Map<TopicPartition, Long> startOffsets(KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions) {
        Map<TopicPartition, Long> start = new HashMap<>(consumer.beginningOffsets(partitions));
        if (!options.fromBeginning()) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
            committed.forEach((partition, offset) -> {
                if (offset != null) {
                    start.put(partition, Math.max(start.get(partition), offset.offset()));
                }
            });
        }
        return start;
    }

    private static boolean allRead(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
    }

    private static Map<TopicPartition, Long> positions(KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
        return positions;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new RedriveException("dead-letter topic " + topic + " not found; check scoring.topic.dead-letter "
                    + "and bootstrap.servers");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static void awaitAcknowledged(List<Future<RecordMetadata>> sends) throws InterruptedException {
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                throw new RedriveException("sending a record to the input topic failed, so no progress was "
                        + "committed and the next run sends this batch again: " + e.getCause(), e.getCause());
            }
        }
    }

    private Map<String, Object> consumerSettings(String group) {
        Map<String, Object> settings = clientSettings(ConsumerConfig.configNames(), "consumer.");
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-consumer");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return settings;
    }

    private Map<String, Object> producerSettings(String group) {
        Map<String, Object> settings = clientSettings(ProducerConfig.configNames(), "producer.");
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, group + "-producer");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return settings;
    }

    /**
     * Returns the pass-through Kafka settings that a client of this type accepts, with
     * {@code prefix}ed keys overriding plain ones, as Kafka Streams applies them.
     */
    private Map<String, Object> clientSettings(Set<String> names, String prefix) {
        Map<String, Object> kafka = config.kafkaProperties();
        Map<String, Object> settings = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (names.contains(key)) {
                settings.put(key, value);
            }
        });
        kafka.forEach((key, value) -> {
            if (key.startsWith(prefix) && names.contains(key.substring(prefix.length()))) {
                settings.put(key.substring(prefix.length()), value);
            }
        });
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return settings;
    }

    /**
     * Returns {@code bootstrap.servers}, or, without it, the embedded broker that a service in
     * development mode runs on this machine.
     */
    private String bootstrapServers() {
        if (config.hasBootstrapServers()) {
            return String.valueOf(config.kafkaProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        }
        // Throws for scoring.embedded=off, the only mode in which no broker is known.
        config.requireBrokerOrEmbedded();
        return "127.0.0.1:" + config.embeddedPort();
    }

    private String applicationId() {
        Object applicationId = config.kafkaProperties().get("application.id");
        return applicationId == null ? StreamsSettings.DEFAULT_APPLICATION_ID : applicationId.toString();
    }

    private static String headerText(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A failure of the command that is not a configuration error. */
    static final class RedriveException extends RuntimeException {

        RedriveException(String message) {
            super(message);
        }

        RedriveException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
