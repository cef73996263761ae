package io.logitrouter.crash;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the records on the output topics by key with a {@code read_committed} consumer, so
 * records of aborted transactions are never counted.
 *
 * <p>{@link #follow} counts in the background while the service runs, to tell how far it got.
 * {@link #readAll} reads every output from the start to the end offsets for the final count.
 */
final class OutputTally implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Integer> countsByKey = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile RuntimeException failure;

    private OutputTally(String bootstrapServers, Collection<String> topics) {
        consumer = newConsumer(bootstrapServers);
        consumer.assign(partitions(consumer, topics));
        consumer.seekToBeginning(consumer.assignment());
        thread = new Thread(this::pollUntilClosed, "output-tally");
        thread.setDaemon(true);
    }

    /** Starts counting the records of the topics, from their start, in the background. */
    static OutputTally follow(String bootstrapServers, Collection<String> topics) {
        OutputTally tally = new OutputTally(bootstrapServers, topics);
        tally.thread.start();
        return tally;
    }

    /** Returns the number of distinct keys seen so far. */
    int distinct() {
        if (failure != null) {
            throw failure;
        }
        return countsByKey.size();
    }

    private void pollUntilClosed() {
        try {
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    countsByKey.merge(String.valueOf(record.key()), 1, Integer::sum);
                }
            }
        } catch (WakeupException e) {
            // close() stops the loop.
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Count of each key on the output topics, and the number of records in all. */
    record Counts(Map<String, Integer> byKey, long received) {
    }

    /**
     * Reads every record of the topics from their start up to the current end offsets
     * (the last stable offsets, for {@code read_committed}).
     */
    static Counts readAll(String bootstrapServers, Collection<String> topics, Duration timeout) {
        Map<String, Integer> counts = new HashMap<>();
        long received = 0;
        try (KafkaConsumer<String, String> consumer = newConsumer(bootstrapServers)) {
            List<TopicPartition> partitions = partitions(consumer, topics);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out after " + timeout + " reading the outputs " + topics);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    counts.merge(String.valueOf(record.key()), 1, Integer::sum);
                    received++;
                }
            }
        }
        return new Counts(counts, received);
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (var entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static KafkaConsumer<String, String> newConsumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new StringDeserializer());
    }

    /** Returns the partitions of the topics, waiting while a topic created a moment ago has none yet. */
    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, Collection<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = new ArrayList<>();
            Waits.until("partitions of topic " + topic, Duration.ofSeconds(60), () -> {
                infos.clear();
                infos.addAll(consumer.partitionsFor(topic, Duration.ofSeconds(10)));
                return !infos.isEmpty();
            }, () -> "");
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return partitions;
    }
}
