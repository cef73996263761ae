package io.logitrouter.errors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The largest record, in bytes, that the service can write to each of its output topics.
 *
 * <p>A record is too large when its single-record batch exceeds the topic's
 * {@code max.message.bytes} (the broker rejects it) or the producer's {@code max.request.size}
 * or {@code buffer.memory} (the producer rejects it). Under {@code exactly_once_v2} either
 * rejection puts the producer's transaction into an abortable error state, and Kafka Streams
 * 4.4 then fails the stream thread. The processor therefore compares each output with these
 * limits before it sends it, and dead-letters the input as {@code output-too-large} instead.
 *
 * <p>The topic limits are read from the broker with the Admin API when the first record is
 * checked, on a stream thread; this needs the {@code DESCRIBE_CONFIGS} permission on the output
 * topics. If that fails, only the producer limits apply until a retry 60 seconds later
 * succeeds. The limits are not read again while the service runs, unless a topic rejects a
 * record as too large ({@link #rejected}).
 *
 * <p>Thread-safe: every stream thread and the producer's I/O thread share one instance, found in
 * the Streams configuration under {@value #CONFIG}.
 */
public final class RecordSizeLimits {

    private static final Logger log = LoggerFactory.getLogger(RecordSizeLimits.class);

    /** Streams configuration key whose value is the {@link RecordSizeLimits} instance. */
    public static final String CONFIG = "logit-router.record-size-limits";

    /** Bytes of a record batch header with magic 2, which a single-record batch adds to its record. */
    static final int BATCH_OVERHEAD = 61;

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(60);

    private final Collection<String> topics;
    private final int producerLimit;
    private final TopicLimitSource source;
    private final LongSupplier nanoClock;
    private final Map<String, Integer> topicLimits = new ConcurrentHashMap<>();

    private volatile boolean stale;
    private volatile long nextAttemptNanos;

    /** Reads the topic limits of a Kafka cluster. */
    @FunctionalInterface
    interface TopicLimitSource {

        /**
         * Returns {@code max.message.bytes} for each topic that has it.
         *
         * @throws Exception if the limits cannot be read
         */
        Map<String, Integer> fetch(Collection<String> topics) throws Exception;
    }

    RecordSizeLimits(Collection<String> topics, int producerLimit, TopicLimitSource source, LongSupplier nanoClock) {
        this.topics = List.copyOf(topics);
        this.producerLimit = producerLimit;
        this.source = source;
        this.nanoClock = nanoClock;
        this.stale = source != null;
        this.nextAttemptNanos = nanoClock.getAsLong();
    }

    /**
     * Creates limits that read {@code max.message.bytes} of the topics from the cluster the
     * Streams settings point at, on first use.
     *
     * @param streamsSettings the Kafka Streams settings, with {@code bootstrap.servers} and any
     *     security settings; {@code admin.}-prefixed keys override plain ones for the Admin client
     * @param topics the topics the service writes to
     */
    public static RecordSizeLimits fromBroker(Map<String, Object> streamsSettings, Collection<String> topics) {
        Map<String, Object> adminSettings = adminSettings(streamsSettings);
        return new RecordSizeLimits(topics, producerLimit(streamsSettings), wanted -> fetchTopicLimits(adminSettings,
                wanted), System::nanoTime);
    }

    /**
     * Creates limits that never contact a broker, for tests.
     *
     * @param producerLimit the producer's {@code max.request.size}
     * @param topicLimits {@code max.message.bytes} by topic; topics not listed have no topic limit
     */
    public static RecordSizeLimits fixed(int producerLimit, Map<String, Integer> topicLimits) {
        RecordSizeLimits limits = new RecordSizeLimits(topicLimits.keySet(), producerLimit, null, System::nanoTime);
        limits.topicLimits.putAll(topicLimits);
        return limits;
    }

    /**
     * Returns the instance in a Streams configuration, or limits of the producer settings alone
     * if the configuration has none.
     */
    public static RecordSizeLimits from(Map<String, ?> configs) {
        if (configs.get(CONFIG) instanceof RecordSizeLimits limits) {
            return limits;
        }
        return fixed(producerLimit(configs), Map.of());
    }

    /**
     * Returns the largest record the service can write to {@code topic}, in bytes as counted by
     * {@link #recordBytes}. Reads the topic limits from the broker first if they are not known
     * yet or a topic rejected a record. Reading blocks for up to 5 seconds, so call this only
     * from a stream thread.
     */
    public int maxRecordBytes(String topic) {
        if (stale) {
            refresh();
        }
        return knownMaxRecordBytes(topic);
    }

    /** Returns the largest record for {@code topic} as known now, without contacting the broker. */
    public int knownMaxRecordBytes(String topic) {
        Integer topicLimit = topicLimits.get(topic);
        return topicLimit == null ? producerLimit : Math.min(producerLimit, topicLimit);
    }

    /**
     * Notes that {@code topic} rejected a record as too large, so that the next
     * {@link #maxRecordBytes} call reads the limits from the broker again. Never blocks, so the
     * producer's I/O thread may call it.
     */
    public void rejected(String topic) {
        if (source == null) {
            return;
        }
        nextAttemptNanos = nanoClock.getAsLong();
        stale = true;
        log.info("Reading the record size limits again on the next record, because topic {} rejected a record", topic);
    }

    private synchronized void refresh() {
        if (!stale || nanoClock.getAsLong() - nextAttemptNanos < 0) {
            return;
        }
        try {
            Map<String, Integer> fetched = source.fetch(topics);
            topicLimits.putAll(fetched);
            stale = false;
            log.info("Output record size limits: max.request.size or buffer.memory {} bytes, max.message.bytes {}",
                    producerLimit, new TreeMap<>(fetched));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            nextAttemptNanos = nanoClock.getAsLong() + RETRY_AFTER_FAILURE.toNanos();
        } catch (Exception e) {
            nextAttemptNanos = nanoClock.getAsLong() + RETRY_AFTER_FAILURE.toNanos();
            log.warn("Could not read max.message.bytes of topics {}, so output records are checked only against "
                    + "the producer limit of {} bytes until a retry in {} s succeeds: {}", topics, producerLimit,
                    RETRY_AFTER_FAILURE.toSeconds(), e.toString());
        }
    }

    /**
     * Returns the size of a batch holding only this record, as the producer estimates it before
     * sending: an upper bound at most 17 bytes above the size that the broker checks.
     *
     * @param key the serialized key, or null
     * @param value the serialized value, or null
     * @param headers the record headers
     */
    public static int recordBytes(byte[] key, byte[] value, Headers headers) {
        // Record format 2: attributes, then the largest offset and timestamp deltas the producer
        // assumes, then key, value and headers, each with a varint length.
        long body = 1 + 5 + 10;
        body += bytesWithLength(key);
        body += bytesWithLength(value);
        int headerCount = 0;
        for (Header header : headers) {
            headerCount++;
            byte[] name = header.key().getBytes(StandardCharsets.UTF_8);
            body += bytesWithLength(name) + bytesWithLength(header.value());
        }
        body += varintBytes(headerCount);
        // The producer also assumes the largest varint, 5 bytes, for the record's own length.
        long total = BATCH_OVERHEAD + 5 + body;
        return (int) Math.min(total, Integer.MAX_VALUE);
    }

    private static long bytesWithLength(byte[] bytes) {
        return bytes == null ? varintBytes(-1) : varintBytes(bytes.length) + (long) bytes.length;
    }

    /** Returns the length of a zig-zag encoded varint, as Kafka writes lengths and counts. */
    static int varintBytes(int value) {
        int zigZag = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((zigZag & 0xFFFFFF80) != 0) {
            zigZag >>>= 7;
            bytes++;
        }
        return bytes;
    }

    /** Returns the smallest of the producer's {@code max.request.size} and {@code buffer.memory}. */
    static int producerLimit(Map<String, ?> streamsSettings) {
        Map<String, Object> defaults = ProducerConfig.configDef().defaultValues();
        Object maxRequest = producerSetting(streamsSettings, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, defaults);
        Object bufferMemory = producerSetting(streamsSettings, ProducerConfig.BUFFER_MEMORY_CONFIG, defaults);
        int maxRequestSize = (Integer) ConfigDef.parseType(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequest,
                ConfigDef.Type.INT);
        long bufferMemoryBytes = (Long) ConfigDef.parseType(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferMemory,
                ConfigDef.Type.LONG);
        return (int) Math.min(maxRequestSize, bufferMemoryBytes);
    }

    private static Object producerSetting(Map<String, ?> settings, String key, Map<String, Object> defaults) {
        Object prefixed = settings.get(StreamsConfig.producerPrefix(key));
        if (prefixed != null) {
            return prefixed;
        }
        Object plain = settings.get(key);
        return plain != null ? plain : defaults.get(key);
    }

    /** Returns the Admin client settings in Streams settings, with {@code admin.} overrides applied. */
    static Map<String, Object> adminSettings(Map<String, Object> streamsSettings) {
        Map<String, Object> admin = new HashMap<>();
        for (Map.Entry<String, Object> entry : streamsSettings.entrySet()) {
            if (AdminClientConfig.configNames().contains(entry.getKey())) {
                admin.put(entry.getKey(), entry.getValue());
            }
        }
        for (Map.Entry<String, Object> entry : streamsSettings.entrySet()) {
            if (entry.getKey().startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
                admin.put(entry.getKey().substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), entry.getValue());
            }
        }
        Object applicationId = streamsSettings.get(StreamsConfig.APPLICATION_ID_CONFIG);
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, applicationId + "-record-size-limits");
        return admin;
    }

    private static Map<String, Integer> fetchTopicLimits(Map<String, Object> adminSettings, Collection<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .toList();
        Admin admin = Admin.create(adminSettings);
        try {
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                    .get(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Integer> limits = new HashMap<>();
            for (Map.Entry<ConfigResource, Config> entry : configs.entrySet()) {
                ConfigEntry maxMessageBytes = entry.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (maxMessageBytes != null && maxMessageBytes.value() != null) {
                    limits.put(entry.getKey().name(), Integer.parseInt(maxMessageBytes.value()));
                }
            }
            return limits;
        } finally {
            admin.close(FETCH_TIMEOUT);
        }
    }
}
