package io.logitrouter.crash;

import io.logitrouter.crash.LoadEvents.Event;
import io.logitrouter.crash.OutputTally.Counts;
import io.logitrouter.topology.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Crash test of the packaged service, with the broker and the service in JVMs of their own.
 * The service is killed with SIGKILL at seeded points while it has unprocessed input and started
 * again each time, until every input event has reached an output topic.
 *
 * <p>All input is produced before the service starts. Kill point {@code k} of {@code K} is a
 * number of processed events, drawn from the seed in the {@code k}-th of {@code K} equal slices
 * of 10 % to 85 % of the input. Right after each kill the harness records
 * the consumer-group lag (end offsets minus committed offsets of the input topic), which must be
 * above 0. After the last restart the service runs until every id arrived, then stops with
 * SIGTERM, and a {@code read_committed} consumer counts every output record by key.
 *
 * <p>{@link #main} runs it from the command line, for example on the 100,000-event load file:
 * <pre>{@code
 * mvn -B package -DskipTests
 * java -cp target/test-classes:target/logit-router.jar io.logitrouter.crash.CrashHarness \
 *     --events feature-events-100k.jsonl.gz
 * }</pre>
 */
public final class CrashHarness {

    static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(240);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

    /** Start and end of the share of the input over which kill points are drawn. */
    private static final double FIRST_KILL_SHARE = 0.10;
    private static final double LAST_KILL_SHARE = 0.85;

    private final BrokerProcess broker;
    private final Path workDir;

    CrashHarness(BrokerProcess broker, Path workDir) {
        this.broker = broker;
        this.workDir = workDir;
    }

    /**
     * Outcome of one crash run.
     *
     * @param sent input events produced
     * @param received output records seen by a {@code read_committed} consumer, duplicates included
     * @param missing input ids that reached no output topic
     * @param duplicates output records beyond the first for each id
     * @param unexpected output records whose key is no input id
     * @param lagAtKills the consumer-group lag right after each kill
     * @param elapsed from the first produced event to the final count
     */
    record Result(String guarantee, int sent, long received, int missing, long duplicates, long unexpected,
            List<Long> lagAtKills, Duration elapsed) {

        String line() {
            return String.format("crash test, processing.guarantee=%s: sent %d, received %d, missing %d, duplicates %d"
                            + " (%d kills, lag at kills %s, %d s)", guarantee, sent, received, missing, duplicates,
                    lagAtKills.size(), lagAtKills, elapsed.toSeconds());
        }

        /** Returns the expectations this run broke; empty when it passed. */
        List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (missing > 0) {
                problems.add(missing + " ids missing");
            }
            if (unexpected > 0) {
                problems.add(unexpected + " output records with an unknown key");
            }
            if (guarantee.startsWith("exactly_once") && duplicates > 0) {
                problems.add(duplicates + " duplicates under " + guarantee);
            }
            if (lagAtKills.stream().anyMatch(lag -> lag <= 0)) {
                problems.add("a kill found no unprocessed input: lag " + lagAtKills);
            }
            return problems;
        }
    }

    /** Returns the topics of one run: {@code <name>.input}, {@code <name>.spam} and so on. */
    static Topics topics(String name) {
        return new Topics(List.of(name + ".input"), name + ".spam", name + ".alert", name + ".pass",
                name + ".dead-letter");
    }

    /**
     * Returns the service settings of one run. A killed member stays in the consumer group until
     * its session times out, and the restarted service waits for that, so the session timeout is
     * the broker's minimum of 6 s instead of the default 45 s.
     */
    static Map<String, String> serviceSettings(String bootstrapServers, Topics topics, String applicationId,
            String guarantee, Path stateDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrapServers);
        settings.put("scoring.embedded", "off");
        settings.put("scoring.models", LoadEvents.modelsDir().toString());
        settings.put("scoring.topic.input", topics.inputs().get(0));
        settings.put("scoring.topic.spam", topics.spam());
        settings.put("scoring.topic.alert", topics.alert());
        settings.put("scoring.topic.pass", topics.pass());
        settings.put("scoring.topic.dead-letter", topics.deadLetter());
        settings.put("application.id", applicationId);
        settings.put("processing.guarantee", guarantee);
        settings.put("state.dir", stateDir.toString());
        settings.put("session.timeout.ms", "6000");
        settings.put("heartbeat.interval.ms", "1500");
        return settings;
    }

    /**
     * Runs the crash test once.
     *
     * @param guarantee the service's {@code processing.guarantee}
     * @param kills how many times to kill the service
     * @param seed picks the kill points
     */
    Result run(String guarantee, List<Event> events, int kills, long seed) {
        long started = System.nanoTime();
        String name = "crash-" + guarantee.replace('_', '-');
        Topics topics = topics(name);
        Path runDir = workDir.resolve(name);
        List<Long> lagAtKills = new ArrayList<>();
        try (KafkaProbe probe = new KafkaProbe(broker.bootstrapServers())) {
            probe.createTopics(topics.all());
            LoadEvents.produce(broker.bootstrapServers(), topics.inputs().get(0), events);
            Map<String, String> settings = serviceSettings(broker.bootstrapServers(), topics, name, guarantee,
                    runDir.resolve("state"));

            Random random = new Random(seed);
            try (OutputTally tally = OutputTally.follow(broker.bootstrapServers(), topics.outputs())) {
                ServiceProcess service = ServiceProcess.start(runDir.resolve("service-1.log"), settings);
                try {
                    for (int kill = 1; kill <= kills; kill++) {
                        int target = killPoint(events.size(), kills, kill, random);
                        awaitProgress(target, tally, probe, name, topics, service);
                        long pid = service.process().pid();
                        service.process().kill();
                        long lag = probe.lag(name, topics.inputs());
                        lagAtKills.add(lag);
                        System.out.printf("%s: killed the service (pid %d) with SIGKILL at progress %d of %d;"
                                + " consumer-group lag %d%n", guarantee, pid, target, events.size(), lag);
                        service = ServiceProcess.start(runDir.resolve("service-" + (kill + 1) + ".log"), settings);
                    }
                    awaitDistinct(tally, events.size(), service);
                    service.process().terminate();
                    int exitCode = service.process().awaitExit(STOP_TIMEOUT);
                    if (exitCode != 0) {
                        throw new IllegalStateException("the service exited with code " + exitCode
                                + " after SIGTERM; last log lines:\n" + service.process().logTail(40));
                    }
                } finally {
                    service.close();
                }
            }
        }
        Counts counts = OutputTally.readAll(broker.bootstrapServers(), topics.outputs(), READ_TIMEOUT);
        return tally(guarantee, events, counts, lagAtKills, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Returns kill point {@code kill} of {@code kills}, as a number of distinct outputs. */
    static int killPoint(int events, int kills, int kill, Random random) {
        double slice = (LAST_KILL_SHARE - FIRST_KILL_SHARE) / kills;
        double share = FIRST_KILL_SHARE + slice * (kill - 1 + 0.1 + 0.8 * random.nextDouble());
        return (int) (events * share);
    }

    /**
     * Waits until the service got to the kill point: the distinct ids on the outputs or the
     * group's committed offsets, whichever is further, reach {@code target}. The committed
     * offsets move every 100 ms under exactly-once and are ahead of the output consumer, while
     * under at-least-once they move only every 30 s, so the outputs tell the progress there.
     */
    static void awaitProgress(int target, OutputTally tally, KafkaProbe probe, String groupId, Topics topics,
            ServiceProcess service) {
        Waits.until("progress " + target + " of the service", PROGRESS_TIMEOUT, () -> {
            service.requireAlive();
            return tally.distinct() >= target || probe.committedTotal(groupId, topics.inputs()) >= target;
        }, () -> "distinct ids so far: " + tally.distinct() + "; last service log lines:\n"
                + service.process().logTail(40));
    }

    static void awaitDistinct(OutputTally tally, int target, ServiceProcess service) {
        Waits.until(target + " distinct ids on the output topics", PROGRESS_TIMEOUT, () -> {
            service.requireAlive();
            return tally.distinct() >= target;
        }, () -> "distinct ids so far: " + tally.distinct() + "; last service log lines:\n"
                + service.process().logTail(40));
    }

    static Result tally(String guarantee, List<Event> events, Counts counts, List<Long> lagAtKills, Duration elapsed) {
        int missing = 0;
        long duplicates = 0;
        long expectedRecords = 0;
        for (Event event : events) {
            int count = counts.byKey().getOrDefault(event.id(), 0);
            if (count == 0) {
                missing++;
            } else {
                duplicates += count - 1;
                expectedRecords += count;
            }
        }
        long unexpected = counts.received() - expectedRecords;
        return new Result(guarantee, events.size(), counts.received(), missing, duplicates, unexpected,
                List.copyOf(lagAtKills), elapsed);
    }

    /**
     * Runs the crash test from the command line and prints one result line per guarantee.
     * Exits 0 when every run met its expectations, 1 otherwise, and 2 on invalid arguments.
     *
     * <p>Options: {@code --events FILE} (JSON lines, optionally gzip-compressed; default: 20,000
     * events cycled from the evaluation set), {@code --count N} (events cycled from the
     * evaluation set), {@code --guarantees LIST} (default
     * {@code at_least_once,exactly_once_v2}), {@code --kills N} (default 3), {@code --seed N}
     * (default 42), {@code --work-dir DIR} (default: a new temporary directory).
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("Invalid arguments " + Arrays.toString(args) + "; expected --option value pairs");
                System.exit(2);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        List<Event> events = options.containsKey("events") ? LoadEvents.fromFile(Path.of(options.get("events")))
                : LoadEvents.fromEvalSet(Integer.parseInt(options.getOrDefault("count", "20000")));
        List<String> guarantees = List.of(options.getOrDefault("guarantees", "at_least_once,exactly_once_v2").split(","));
        int kills = Integer.parseInt(options.getOrDefault("kills", "3"));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        Path workDir = options.containsKey("work-dir") ? Files.createDirectories(Path.of(options.get("work-dir")))
                : Files.createTempDirectory("logit-router-crash-");
        System.out.printf("crash test: %d events, %d kills, seed %d, guarantees %s, logs in %s%n",
                events.size(), kills, seed, guarantees, workDir);

        List<Result> results = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(workDir)) {
            CrashHarness harness = new CrashHarness(broker, workDir);
            for (String guarantee : guarantees) {
                Result result = harness.run(guarantee, events, kills, seed);
                System.out.println(result.line());
                results.add(result);
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            System.err.println("crash test failed: " + e.getMessage());
            System.exit(1);
        }
        boolean passed = true;
        for (Result result : results) {
            for (String problem : result.problems()) {
                System.out.println("FAILED: " + result.guarantee() + ": " + problem);
                passed = false;
            }
        }
        System.exit(passed ? 0 : 1);
    }
}
