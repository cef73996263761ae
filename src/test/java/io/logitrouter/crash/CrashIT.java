package io.logitrouter.crash;

import io.logitrouter.crash.CrashHarness.Result;
import io.logitrouter.crash.LoadEvents.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills the packaged service with SIGKILL three times while it processes 20,000 events, under
 * each processing guarantee, with the broker in a JVM of its own. See {@link CrashHarness}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashIT {

    private static final int EVENTS = 20_000;
    private static final int KILLS = 3;
    private static final long SEED = 42;

    @TempDir
    static Path workDir;

    private static BrokerProcess broker;
    private static List<Event> events;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start(workDir);
        events = LoadEvents.fromEvalSet(EVENTS);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void exactlyOnceDeliversEachIdOnce() {
        Result result = new CrashHarness(broker, workDir).run("exactly_once_v2", events, KILLS, SEED);
        System.out.println(result.line());

        assertEquals(KILLS, result.lagAtKills().size());
        result.lagAtKills().forEach(lag -> assertTrue(lag > 0, "lag at a kill: " + result.lagAtKills()));
        assertEquals(0, result.missing(), "missing ids");
        assertEquals(0, result.duplicates(), "duplicates");
        assertEquals(0, result.unexpected(), "records with unknown keys");
        assertEquals(EVENTS, result.received(), "records received");
    }

    @Test
    void atLeastOnceLosesNoId() {
        Result result = new CrashHarness(broker, workDir).run("at_least_once", events, KILLS, SEED);
        System.out.println(result.line());

        assertEquals(KILLS, result.lagAtKills().size());
        result.lagAtKills().forEach(lag -> assertTrue(lag > 0, "lag at a kill: " + result.lagAtKills()));
        assertEquals(0, result.missing(), "missing ids");
        assertTrue(result.duplicates() >= 0, "duplicates are counted, not forbidden");
        assertEquals(0, result.unexpected(), "records with unknown keys");
        assertEquals(EVENTS + result.duplicates(), result.received(), "records received");
    }
}
