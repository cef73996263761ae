package io.logitrouter.crash;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Admin client calls the tests need: topics, end offsets, committed offsets and lag. */
final class KafkaProbe implements AutoCloseable {

    static final int PARTITIONS = 4;
    private static final long TIMEOUT_SECONDS = 60;

    private final Admin admin;

    KafkaProbe(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Creates each topic with {@link #PARTITIONS} partitions; an existing topic is left as it is. */
    void createTopics(Collection<String> topics) {
        List<NewTopic> newTopics = topics.stream().map(topic -> new NewTopic(topic, PARTITIONS, (short) 1)).toList();
        for (var future : admin.createTopics(newTopics).values().values()) {
            try {
                future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("failed to create topics " + topics, e.getCause());
                }
            } catch (Exception e) {
                throw new IllegalStateException("failed to create topics " + topics, e);
            }
        }
    }

    void deleteTopic(String topic) {
        try {
            admin.deleteTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("failed to delete topic " + topic, e);
        }
    }

    /** Returns the latest offset of every partition of the topics. */
    Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(partition ->
                            request.put(new TopicPartition(name, partition.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets =
                    admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((partition, info) -> result.put(partition, info.offset()));
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("failed to read the end offsets of " + topics, e);
        }
    }

    /** Returns the group's committed offset of each partition that has one. */
    Map<TopicPartition, Long> committedOffsets(String groupId) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new HashMap<>();
            committed.forEach((partition, offset) -> {
                if (offset != null) {
                    result.put(partition, offset.offset());
                }
            });
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("failed to read the committed offsets of group " + groupId, e);
        }
    }

    /** Returns the sum of the group's committed offsets on the topics' partitions. */
    long committedTotal(String groupId, Collection<String> topics) {
        return committedOffsets(groupId).entrySet().stream()
                .filter(entry -> topics.contains(entry.getKey().topic()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * Returns the consumer-group lag: the records of the topics after the group's committed
     * offsets, counting a partition without a committed offset from its start.
     */
    long lag(String groupId, Collection<String> topics) {
        Map<TopicPartition, Long> committed = committedOffsets(groupId);
        long lag = 0;
        for (var entry : endOffsets(topics).entrySet()) {
            lag += entry.getValue() - committed.getOrDefault(entry.getKey(), 0L);
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close();
    }
}
