package io.logitrouter.crash;

import io.logitrouter.crash.CrashHarness.Result;
import io.logitrouter.crash.LoadEvents.Event;
import io.logitrouter.crash.OutputTally.Counts;
import io.logitrouter.topology.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sends SIGTERM to the service while it has unprocessed input, under the default at-least-once
 * guarantee, and checks that it exits 0 within {@code scoring.close.timeout.ms} after committing
 * the offsets of exactly the records it wrote, so that a restart neither loses nor repeats one.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GracefulStopIT {

    private static final int EVENTS = 20_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path workDir;

    @Test
    void sigtermCommitsAndExitsZero() {
        List<Event> events = LoadEvents.fromEvalSet(EVENTS);
        String name = "sigterm";
        Topics topics = CrashHarness.topics(name);

        try (BrokerProcess broker = BrokerProcess.start(workDir);
             KafkaProbe probe = new KafkaProbe(broker.bootstrapServers())) {
            probe.createTopics(topics.all());
            LoadEvents.produce(broker.bootstrapServers(), topics.inputs().get(0), events);
            Map<String, String> settings = new java.util.LinkedHashMap<>(CrashHarness.serviceSettings(
                    broker.bootstrapServers(), topics, name, "at_least_once", workDir.resolve("state")));
            settings.put("scoring.close.timeout.ms", String.valueOf(CLOSE_TIMEOUT.toMillis()));

            long stopMillis;
            int exitCode;
            try (ServiceProcess service = ServiceProcess.start(workDir.resolve("service-1.log"), settings);
                 OutputTally tally = OutputTally.follow(broker.bootstrapServers(), topics.outputs())) {
                CrashHarness.awaitDistinct(tally, EVENTS / 10, service);
                long started = System.nanoTime();
                service.process().terminate();
                exitCode = service.process().awaitExit(CrashHarness.STOP_TIMEOUT);
                stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            }
            long lagAfterStop = probe.lag(name, topics.inputs());
            long committed = probe.committedTotal(name, topics.inputs());
            Counts firstRun = OutputTally.readAll(broker.bootstrapServers(), topics.outputs(), CrashHarness.READ_TIMEOUT);
            System.out.printf("SIGTERM under load: exit code %d after %d ms; %d records written, %d offsets committed,"
                    + " lag %d%n", exitCode, stopMillis, firstRun.received(), committed, lagAfterStop);

            assertEquals(0, exitCode, "exit code after SIGTERM");
            assertTrue(stopMillis <= CLOSE_TIMEOUT.toMillis(),
                    "stopped in " + stopMillis + " ms, more than scoring.close.timeout.ms=" + CLOSE_TIMEOUT.toMillis());
            assertTrue(lagAfterStop > 0, "SIGTERM arrived while input was unprocessed");
            assertTrue(committed > 0, "offsets were committed on stop");
            assertEquals(firstRun.received(), committed, "records written equal offsets committed");

            try (ServiceProcess service = ServiceProcess.start(workDir.resolve("service-2.log"), settings);
                 OutputTally tally = OutputTally.follow(broker.bootstrapServers(), topics.outputs())) {
                CrashHarness.awaitDistinct(tally, EVENTS, service);
                service.process().terminate();
                assertEquals(0, service.process().awaitExit(CrashHarness.STOP_TIMEOUT), "exit code after restart");
            }
            Counts all = OutputTally.readAll(broker.bootstrapServers(), topics.outputs(), CrashHarness.READ_TIMEOUT);
            Result result = CrashHarness.tally("at_least_once", events, all, List.of(), Duration.ZERO);
            assertEquals(0, result.missing(), "missing ids after the restart");
            assertEquals(0, result.duplicates(), "duplicates after a graceful stop and restart");
            assertEquals(0, result.unexpected(), "records with unknown keys");
        }
    }
}
