package io.logitrouter.lifecycle;

import io.logitrouter.http.StreamsHealth;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits until the Kafka cluster is reachable and every topic the service uses exists.
 *
 * <p>Each attempt requests the cluster's nodes and describes the topics with an Admin client,
 * and gives up after {@link #ATTEMPT_TIMEOUT}. After a failed attempt it logs one WARN line
 * with the cause, marks the health as waiting, and retries after a delay that doubles from
 * {@link #FIRST_DELAY} to {@link #MAX_DELAY}. Kafka Streams is started only after this returns,
 * because a Kafka Streams 4.4 client whose source topic is missing stops with a
 * {@code MissingSourceTopicException} instead of waiting for the topic.
 */
public final class KafkaAvailability implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaAvailability.class);

    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final Map<String, Object> adminConfig;
    private final String bootstrapServers;
    private final List<String> topics;
    private final StreamsHealth health;
    private Admin admin;

    /**
     * Creates a waiter that has not contacted Kafka yet.
     *
     * @param adminConfig the Admin client configuration, with the service's security settings
     * @param topics every topic that must exist, inputs first
     * @param health where the waiting reason is shown
     */
    public KafkaAvailability(Map<String, Object> adminConfig, List<String> topics, StreamsHealth health) {
        this.adminConfig = new HashMap<>(adminConfig);
        this.adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis());
        this.adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis());
        this.bootstrapServers = String.valueOf(adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.topics = List.copyOf(topics);
        this.health = health;
    }

    /**
     * Blocks until the cluster is reachable and every topic exists.
     *
     * @throws InterruptedException if the thread is interrupted, as when the service stops
     */
    public void await() throws InterruptedException {
        long started = System.nanoTime();
        Duration delay = FIRST_DELAY;
        int failedAttempts = 0;
        try {
            Optional<String> problem = findProblem();
            while (problem.isPresent()) {
                failedAttempts++;
                health.markWaiting(problem.get());
                log.warn("{}; retrying in {} s (attempt {})", problem.get(), delay.toSeconds(), failedAttempts);
                TimeUnit.MILLISECONDS.sleep(delay.toMillis());
                delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
                problem = findProblem();
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        if (failedAttempts > 0) {
            log.info("Kafka at {} is reachable and the topics {} exist after {} s of waiting; starting Kafka Streams",
                    bootstrapServers, topics, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        }
    }

    /** Returns why the service cannot start Kafka Streams yet, or empty when it can. */
    private Optional<String> findProblem() throws InterruptedException {
        try {
            if (admin == null) {
                admin = Admin.create(adminConfig);
            }
            get(admin.describeCluster(new DescribeClusterOptions()).nodes());
        } catch (KafkaException | ExecutionException | TimeoutException e) {
            return Optional.of("Waiting for Kafka at " + bootstrapServers + ": " + describe(e));
        }

        List<String> missing = new ArrayList<>();
        Map<String, KafkaFuture<?>> descriptions = new HashMap<>(
                admin.describeTopics(topics, new DescribeTopicsOptions()).topicNameValues());
        for (String topic : topics) {
            try {
                get(descriptions.get(topic));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    return Optional.of("Waiting for Kafka at " + bootstrapServers + " to describe topic " + topic
                            + ": " + describe(e));
                }
                missing.add(topic);
            } catch (TimeoutException e) {
                return Optional.of("Waiting for Kafka at " + bootstrapServers + " to describe topic " + topic
                        + ": " + describe(e));
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("Waiting for topic" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + " to exist on Kafka at " + bootstrapServers
                    + ": create " + (missing.size() == 1 ? "it" : "them") + " or change the scoring.topic.* settings");
        }
        return Optional.empty();
    }

    /**
     * Returns the topics of the list that Kafka reports as nonexistent. A topic whose state is
     * unknown, because Kafka did not respond in time or failed otherwise, is not listed.
     */
    public List<String> missingTopics(List<String> names) throws InterruptedException {
        List<String> missing = new ArrayList<>();
        try {
            if (admin == null) {
                admin = Admin.create(adminConfig);
            }
            Map<String, KafkaFuture<?>> descriptions = new HashMap<>(
                    admin.describeTopics(names, new DescribeTopicsOptions()).topicNameValues());
            for (String topic : names) {
                try {
                    get(descriptions.get(topic));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        missing.add(topic);
                    }
                }
            }
        } catch (KafkaException | TimeoutException e) {
            log.debug("Could not check whether the topics {} exist: {}", names, e.toString());
        }
        return missing;
    }

    private static void get(KafkaFuture<?> future) throws ExecutionException, TimeoutException, InterruptedException {
        future.get(ATTEMPT_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException) {
            return "no answer within " + ATTEMPT_TIMEOUT.toSeconds() + " s";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Closes the Admin client, if one is open. */
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
