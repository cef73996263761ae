package io.logitrouter.crash;

import io.logitrouter.crash.LoadEvents.Event;
import io.logitrouter.crash.OutputTally.Counts;
import io.logitrouter.topology.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up of the packaged service in a JVM of its own. An invalid model file exits 2 at once.
 * A broker or an input topic that is not there yet is waited for, with the process live and not
 * ready, and so is an input topic deleted while the service runs.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StartupIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(60);
    private static final int EVENTS = 2_616;

    @TempDir
    static Path workDir;

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start(workDir.resolve("shared-broker"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void invalidModelFileExitsWithCodeTwo() throws IOException {
        Path model = Files.writeString(workDir.resolve("broken-model.json"),
                "{\"model\": \"broken\", \"version\": \"1\","
                        + " \"labels\": {\"spam\": {\"threshold\": 1.5, \"route\": \"spam\"}}}");
        Map<String, String> settings = Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "scoring.embedded", "off",
                "scoring.models", model.toString());

        long started = System.nanoTime();
        try (ServiceProcess service = ServiceProcess.start(workDir.resolve("invalid-model.log"), settings)) {
            int exitCode = service.process().awaitExit(Duration.ofSeconds(60));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            String log = service.process().log();

            assertEquals(2, exitCode, "exit code; log:\n" + log);
            assertTrue(log.contains(model.toString()), "the message names the file; log:\n" + log);
            assertTrue(log.contains("threshold"), "the message names the field; log:\n" + log);
            assertFalse(log.contains("Kafka Streams started"), "Kafka Streams never started; log:\n" + log);
            assertTrue(seconds < 30, "exited after " + seconds + " s, including the JVM start");
        }
    }

    @Test
    void unreachableBrokerIsAwaited() {
        int port = BrokerProcess.freePort();
        String bootstrapServers = "127.0.0.1:" + port;
        Topics defaultTopics = CrashHarness.topics("scoring");
        Map<String, String> settings = settings(bootstrapServers, defaultTopics, "unreachable");

        try (ServiceProcess service = ServiceProcess.start(workDir.resolve("unreachable.log"), settings)) {
            service.awaitStatus("/health/live", 200, READY_TIMEOUT);
            String waitingLine = "Waiting for Kafka at " + bootstrapServers + ": ";
            awaitLogLines(service, waitingLine, 2);

            assertEquals(200, service.status("/health/live"), "live while waiting for Kafka");
            assertEquals(503, service.status("/health/ready"), "not ready while waiting for Kafka");
            assertTrue(service.process().log().contains("; retrying in "), "the waiting line says it retries");

            // The broker command creates the default topics, scoring.input and the outputs.
            try (BrokerProcess lateBroker = BrokerProcess.start(workDir.resolve("late-broker"), port)) {
                List<Event> events = LoadEvents.fromEvalSet(EVENTS);
                LoadEvents.produce(bootstrapServers, defaultTopics.inputs().get(0), events);
                service.awaitReady(READY_TIMEOUT);
                assertDelivered(service, bootstrapServers, defaultTopics, events);
            }
        }
    }

    @Test
    void missingInputTopicIsAwaited() {
        Topics topics = CrashHarness.topics("late");
        List<Event> events = LoadEvents.fromEvalSet(EVENTS);
        try (KafkaProbe probe = new KafkaProbe(broker.bootstrapServers());
             ServiceProcess service = createOutputsAndStart(probe, topics, "late")) {
            service.awaitStatus("/health/live", 200, READY_TIMEOUT);
            awaitLogLines(service, "Waiting for topic late.input to exist on Kafka at " + broker.bootstrapServers(), 2);

            assertEquals(200, service.status("/health/live"), "live while the input topic is missing");
            assertEquals(503, service.status("/health/ready"), "not ready while the input topic is missing");

            probe.createTopics(topics.inputs());
            service.awaitReady(READY_TIMEOUT);
            LoadEvents.produce(broker.bootstrapServers(), topics.inputs().get(0), events);
            assertDelivered(service, broker.bootstrapServers(), topics, events);
        }
    }

    @Test
    void deletedInputTopicIsAwaited() {
        Topics topics = CrashHarness.topics("deleted");
        List<Event> events = LoadEvents.fromEvalSet(2 * EVENTS);
        List<Event> before = events.subList(0, EVENTS);
        List<Event> after = events.subList(EVENTS, events.size());
        try (KafkaProbe probe = new KafkaProbe(broker.bootstrapServers())) {
            probe.createTopics(topics.inputs());
            try (ServiceProcess service = createOutputsAndStart(probe, topics, "deleted");
                 OutputTally tally = OutputTally.follow(broker.bootstrapServers(), topics.outputs())) {
                service.awaitReady(READY_TIMEOUT);
                LoadEvents.produce(broker.bootstrapServers(), topics.inputs().get(0), before);
                CrashHarness.awaitDistinct(tally, before.size(), service);

                probe.deleteTopic(topics.inputs().get(0));
                awaitLogLines(service, "Input topic deleted.input no longer exists", 1);
                awaitLogLines(service, "Waiting for topic deleted.input to exist", 1);
                assertTrue(service.process().isAlive(), "the service keeps running");
                assertEquals(200, service.status("/health/live"), "live while the input topic is missing");
                assertEquals(503, service.status("/health/ready"), "not ready while the input topic is missing");

                probe.createTopics(topics.inputs());
                service.awaitReady(READY_TIMEOUT);
                LoadEvents.produce(broker.bootstrapServers(), topics.inputs().get(0), after);
                CrashHarness.awaitDistinct(tally, events.size(), service);

                service.process().terminate();
                assertEquals(0, service.process().awaitExit(CrashHarness.STOP_TIMEOUT), "exit code after SIGTERM");
            }
        }
    }

    private static Map<String, String> settings(String bootstrapServers, Topics topics, String name) {
        return new LinkedHashMap<>(CrashHarness.serviceSettings(bootstrapServers, topics, "startup-" + name,
                "at_least_once", workDir.resolve(name + "-state")));
    }

    private static ServiceProcess createOutputsAndStart(KafkaProbe probe, Topics topics, String name) {
        probe.createTopics(topics.outputs());
        return ServiceProcess.start(workDir.resolve(name + ".log"), settings(broker.bootstrapServers(), topics, name));
    }

    /** Waits until the service has logged {@code count} lines containing {@code text}. */
    private static void awaitLogLines(ServiceProcess service, String text, int count) {
        Waits.until(count + " log lines containing '" + text + "'", LOG_TIMEOUT, () -> {
            service.requireAlive();
            return service.process().log().lines().filter(line -> line.contains(text)).count() >= count;
        }, () -> "last log lines:\n" + service.process().logTail(30));
    }

    /** Waits until every event reached an output, stops the service and checks that none is missing. */
    private static void assertDelivered(ServiceProcess service, String bootstrapServers, Topics topics,
            List<Event> events) {
        try (OutputTally tally = OutputTally.follow(bootstrapServers, topics.outputs())) {
            CrashHarness.awaitDistinct(tally, events.size(), service);
        }
        service.process().terminate();
        assertEquals(0, service.process().awaitExit(CrashHarness.STOP_TIMEOUT), "exit code after SIGTERM");

        Counts counts = OutputTally.readAll(bootstrapServers, topics.outputs(), CrashHarness.READ_TIMEOUT);
        CrashHarness.Result result = CrashHarness.tally("at_least_once", events, counts, List.of(), Duration.ZERO);
        assertEquals(0, result.missing(), "missing ids");
        assertEquals(0, result.unexpected(), "records with unknown keys");
    }
}
