package io.logitrouter.lifecycle;

import io.logitrouter.http.StreamsHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs the Kafka Streams client on a thread of its own, so that the service starts and serves
 * its health endpoints whether or not Kafka is there.
 *
 * <p>The thread waits with {@link KafkaAvailability} until the cluster is reachable and the topics
 * exist, then creates and starts a client. A client ends in one of three ways:
 * <ul>
 *   <li>the service stops, and {@link #close()} closes the client;
 *   <li>a source topic goes missing. When a rebalance finds it missing, Kafka Streams 4.4 raises
 *       {@link MissingSourceTopicException} and shuts the client down. When it is deleted while
 *       the client runs, Kafka Streams keeps retrying it without failing, so the thread also
 *       checks every {@link #TOPIC_CHECK_INTERVAL} that the input topics exist. Either way the
 *       thread closes that client, waits for the topics again and starts a new client, so the
 *       process stays live and is not ready in between, instead of exiting and being restarted
 *       in a loop;
 *   <li>any other error stops processing: the health turns failed and {@link #awaitFailure}
 *       returns true, so the process exits with a failure code.
 * </ul>
 */
public final class StreamsSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsSupervisor.class);
    private static final Duration THREAD_JOIN_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How often the thread checks that the input topics still exist while a client runs.
     * NOTE: output topics are not checked; sends to a deleted one time out in the producer.
     */
    static final Duration TOPIC_CHECK_INTERVAL = Duration.ofSeconds(5);
    /** Consecutive checks that must find an input topic missing before the client is closed. */
    static final int MISSING_TOPIC_CHECKS = 2;

    private enum Outcome { MISSING_SOURCE_TOPIC, FAILED, STOPPED }

    private final Supplier<KafkaStreams> clientFactory;
    private final KafkaAvailability availability;
    private final StreamsHealth health;
    private final MeterRegistry registry;
    private final Duration closeTimeout;
    private final List<String> inputTopics;
    private final CountDownLatch failed = new CountDownLatch(1);
    private final Thread thread;

    // Guarded by this.
    private boolean stopping;
    private boolean waitingForKafka;
    private KafkaStreams client;
    private KafkaStreamsMetrics clientMetrics;
    private CompletableFuture<Outcome> clientOutcome;

    /**
     * Creates a supervisor whose thread is not started yet.
     *
     * @param clientFactory creates a new, unstarted Kafka Streams client at each call
     * @param availability the wait for Kafka and the topics before each client starts
     * @param health receives the state of the current client
     * @param registry where each client's Kafka Streams metrics are bound
     * @param closeTimeout how long closing a client may take
     * @param inputTopics the source topics, named in log lines
     */
    public StreamsSupervisor(Supplier<KafkaStreams> clientFactory, KafkaAvailability availability,
            StreamsHealth health, MeterRegistry registry, Duration closeTimeout, List<String> inputTopics) {
        this.clientFactory = clientFactory;
        this.availability = availability;
        this.health = health;
        this.registry = registry;
        this.closeTimeout = closeTimeout;
        this.inputTopics = List.copyOf(inputTopics);
        this.thread = new Thread(this::run, "streams-supervisor");
        this.thread.setDaemon(true);
    }

    /** Starts the thread that waits for Kafka and then runs Kafka Streams; returns at once. */
    public void start() {
        thread.start();
    }

    /**
     * Blocks until Kafka Streams fails for a reason other than a missing source topic, or until
     * the timeout elapses.
     *
     * @return true if it failed
     */
    public boolean awaitFailure(long timeout, TimeUnit unit) throws InterruptedException {
        return failed.await(timeout, unit);
    }

    private void run() {
        try {
            while (true) {
                if (!setWaitingForKafka(true)) {
                    return;
                }
                availability.await();
                if (!setWaitingForKafka(false)) {
                    return;
                }
                Outcome outcome = runClient();
                if (outcome == Outcome.STOPPED) {
                    return;
                }
                if (outcome == Outcome.FAILED) {
                    health.markFailed();
                    failed.countDown();
                    return;
                }
                closeClient();
            }
        } catch (InterruptedException e) {
            // close() interrupts the wait for Kafka; nothing else is running yet.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Kafka Streams could not be started; the service will exit", e);
            health.markFailed();
            failed.countDown();
        }
    }

    /** Records whether the thread may be interrupted; returns false once the service stops. */
    private synchronized boolean setWaitingForKafka(boolean waiting) {
        waitingForKafka = waiting && !stopping;
        return !stopping;
    }

    /** Creates and starts a client, then blocks until it ends and returns how it ended. */
    private Outcome runClient() throws InterruptedException {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        KafkaStreams streams = clientFactory.get();
        streams.setStateListener((newState, oldState) -> {
            // After a missing source topic the client goes to ERROR on purpose, and the health
            // shows the wait for the topic instead, so that the liveness probe stays up.
            if (outcome.getNow(null) != Outcome.MISSING_SOURCE_TOPIC) {
                health.onChange(newState, oldState);
            }
            if (newState == KafkaStreams.State.ERROR && outcome.complete(Outcome.FAILED)) {
                log.error("Kafka Streams went to state ERROR; the service will exit");
            }
        });
        streams.setUncaughtExceptionHandler(exception -> handle(exception, outcome));

        synchronized (this) {
            if (stopping) {
                streams.close(Duration.ZERO);
                return Outcome.STOPPED;
            }
            client = streams;
            clientOutcome = outcome;
            clientMetrics = new KafkaStreamsMetrics(streams);
            clientMetrics.bindTo(registry);
            streams.start();
        }
        log.info("Kafka Streams started on input topics {}", inputTopics);

        int missingChecks = 0;
        while (true) {
            try {
                return outcome.get(TOPIC_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the outcome of a Kafka Streams client is never completed exceptionally", e);
            } catch (TimeoutException e) {
                List<String> missing = availability.missingTopics(inputTopics);
                missingChecks = missing.isEmpty() ? 0 : missingChecks + 1;
                if (missingChecks >= MISSING_TOPIC_CHECKS && outcome.complete(Outcome.MISSING_SOURCE_TOPIC)) {
                    health.markWaiting("input topic " + String.join(", ", missing) + " is missing");
                    log.warn("Input topic {} no longer exists; stopping Kafka Streams, which retries a deleted topic"
                            + " without failing, and starting it again once the topic exists", String.join(", ", missing));
                }
            }
        }
    }

    private StreamThreadExceptionResponse handle(Throwable exception, CompletableFuture<Outcome> outcome) {
        if (isCausedBy(exception, MissingSourceTopicException.class)) {
            if (outcome.complete(Outcome.MISSING_SOURCE_TOPIC)) {
                health.markWaiting("an input topic is missing");
                log.warn("Kafka Streams stopped because an input topic is missing ({}); the service keeps running, "
                        + "not ready, and starts Kafka Streams again once the topics {} exist",
                        exception.getMessage(), inputTopics);
            }
        } else if (outcome.complete(Outcome.FAILED)) {
            log.error("Kafka Streams stopped processing after an unexpected error; the service will exit", exception);
        } else {
            log.warn("Kafka Streams reported another error while its client shuts down: {}", exception.toString());
        }
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static boolean isCausedBy(Throwable exception, Class<? extends Throwable> type) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** Closes the current client within the close timeout; returns whether it stopped in time. */
    private synchronized boolean closeClient() {
        if (client == null) {
            return true;
        }
        log.info("Stopping Kafka Streams (waiting at most {})", closeTimeout);
        // Leaving the group hands this instance's partitions to the others at once, instead
        // of after the session timeout (45 s by default), which matters in a rolling update.
        boolean clean = client.close(CloseOptions.timeout(closeTimeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (!clean) {
            log.warn("Kafka Streams did not stop within {}; its threads are left to the JVM exit", closeTimeout);
        }
        clientMetrics.close();
        client = null;
        clientMetrics = null;
        clientOutcome = null;
        return clean;
    }

    /**
     * Stops the thread and closes the running client, if any, within the close timeout. Kafka
     * Streams commits the offsets of what it processed before its client closes.
     */
    @Override
    public void close() {
        synchronized (this) {
            stopping = true;
            if (waitingForKafka) {
                thread.interrupt();
            }
            if (clientOutcome != null) {
                clientOutcome.complete(Outcome.STOPPED);
            }
        }
        closeClient();
        try {
            thread.join(THREAD_JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        availability.close();
    }
}
