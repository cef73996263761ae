package io.logitrouter.crash;

import io.logitrouter.crash.CrashHarness.Result;
import io.logitrouter.crash.LoadEvents.Event;
import io.logitrouter.crash.OutputTally.Counts;
import io.logitrouter.topology.Topics;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stops the broker JVM with SIGTERM while the service processes, starts it again on the same
 * port and data directory, and checks that the same service process carries on by itself.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BrokerRestartIT {

    private static final int EVENTS = 20_000;

    @TempDir
    Path workDir;

    @ParameterizedTest
    @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
    void serviceRecoversFromBrokerRestart(String guarantee) {
        long started = System.nanoTime();
        List<Event> events = LoadEvents.fromEvalSet(EVENTS);
        String name = "restart-" + guarantee.replace('_', '-');
        Topics topics = CrashHarness.topics(name);

        try (BrokerProcess broker = BrokerProcess.start(workDir)) {
            try (KafkaProbe probe = new KafkaProbe(broker.bootstrapServers())) {
                probe.createTopics(topics.all());
                LoadEvents.produce(broker.bootstrapServers(), topics.inputs().get(0), events);

                try (ServiceProcess service = ServiceProcess.start(workDir.resolve("service.log"),
                        CrashHarness.serviceSettings(broker.bootstrapServers(), topics, name, guarantee,
                                workDir.resolve("state")));
                     OutputTally tally = OutputTally.follow(broker.bootstrapServers(), topics.outputs())) {
                    CrashHarness.awaitProgress(EVENTS / 4, tally, probe, name, topics, service);
                    long lagAtStop = probe.lag(name, topics.inputs());

                    int brokerExitCode = broker.stop();
                    broker.start();

                    CrashHarness.awaitDistinct(tally, EVENTS, service);
                    assertTrue(lagAtStop > 0, "the broker stopped while input was unprocessed; lag " + lagAtStop);
                    assertEquals(0, brokerExitCode, "broker exit code after SIGTERM");
                    assertTrue(service.process().isAlive(), "the service process kept running");

                    service.process().terminate();
                    assertEquals(0, service.process().awaitExit(CrashHarness.STOP_TIMEOUT), "service exit code");
                }
            }

            Counts counts = OutputTally.readAll(broker.bootstrapServers(), topics.outputs(), CrashHarness.READ_TIMEOUT);
            Result result = CrashHarness.tally(guarantee, events, counts, List.of(),
                    Duration.ofNanos(System.nanoTime() - started));
            System.out.println("broker restart, processing.guarantee=" + guarantee + ": sent " + result.sent()
                    + ", received " + result.received() + ", missing " + result.missing()
                    + ", duplicates " + result.duplicates() + " (" + result.elapsed().toSeconds() + " s)");

            assertEquals(0, result.missing(), "missing ids");
            assertEquals(0, result.unexpected(), "records with unknown keys");
            if (guarantee.startsWith("exactly_once")) {
                assertEquals(0, result.duplicates(), "duplicates under " + guarantee);
            }
        }
    }
}
