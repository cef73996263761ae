package io.logitrouter.e2e;

import static io.logitrouter.e2e.RouterFixture.header;
import static io.logitrouter.e2e.RouterFixture.keys;
import static io.logitrouter.e2e.RouterFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logitrouter.LogitRouter;
import io.logitrouter.errors.DeadLetters;
import io.logitrouter.redrive.DeadLetterRedrive;
import io.logitrouter.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Re-drives dead letters after their cause is fixed: events without a model are dead-lettered
 * while several models are loaded and none is the default, the service restarts with a
 * default model, and the {@code redrive} command sends them back to the input topic.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RedriveIT {

    private static final Topics TOPICS = RouterFixture.topics("redrive");
    private static final List<String> FIXABLE = List.of("fixable-1", "fixable-2", "fixable-3");

    private static RouterFixture fixture;

    @BeforeAll
    static void startBroker() throws Exception {
        fixture = RouterFixture.start();
        fixture.createTopics(TOPICS, 1, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        fixture.close();
    }

    @Test
    void fixedDeadLettersAreScoredAfterRedrive() throws Exception {
        Map<String, String> settings = fixture.routerSettings(TOPICS);
        settings.put("session.timeout.ms", "6000");
        settings.put("heartbeat.interval.ms", "2000");
        try (LogitRouter router = RouterFixture.startRouter(settings)) {
            send("fixable-1", "{\"id\":\"fixable-1\",\"logits\":{\"spam\":3}}");
            send("broken", "{\"id\":\"broken\",");
            send("fixable-2", "{\"id\":\"fixable-2\",\"logits\":{\"spam\":-3}}");
            send("valid", "{\"id\":\"valid\",\"model\":\"email-spam\",\"logits\":{\"spam\":3}}");
            send("fixable-3", "{\"id\":\"fixable-3\",\"logits\":{\"spam\":4}}");
            List<ConsumerRecord<byte[], byte[]>> letters = fixture.readUntil(List.of(TOPICS.deadLetter()),
                    read -> read.size() >= 4, Duration.ZERO);
            assertEquals(List.of("fixable-1", "broken", "fixable-2", "fixable-3"), keys(letters));
        }

        settings.put("scoring.default.model", "email-spam");
        try (LogitRouter router = RouterFixture.startRouter(settings)) {
            Run first = redrive(TOPICS, settings, "--reason", "unknown-model");
            assertEquals(0, first.exitCode(), first.output());
            assertTrue(first.output().contains("Re-drove 3 dead letters from redrive.dead-letter to redrive.input "
                    + "(consumer group " + settings.get("application.id") + "-redrive)"), first.output());
            assertTrue(first.output().matches("(?s).*\\n  unknown-model +3\\n.*"), first.output());
            assertTrue(first.output().contains("Skipped 1 dead letters with other reasons"), first.output());

            List<ConsumerRecord<byte[], byte[]>> scored = readScored(4);
            assertEquals(List.of("fixable-1", "fixable-3", "valid"), sortedKeys(scored, TOPICS.spam()));
            assertEquals(List.of("fixable-2"), sortedKeys(scored, TOPICS.pass()));
            for (ConsumerRecord<byte[], byte[]> record : scored) {
                String key = RouterFixture.text(record.key());
                assertEquals(List.of("trace-id"), headerKeys(record), key);
                assertArrayEquals(utf8("trace-" + key), record.headers().lastHeader("trace-id").value(), key);
            }

            Run again = redrive(TOPICS, settings, "--reason", "unknown-model");
            assertEquals(0, again.exitCode(), again.output());
            assertTrue(again.output().startsWith("Re-drove 0 dead letters"), again.output());

            Run limited = redrive(TOPICS, settings, "--from-beginning", "--reason=unknown-model", "--limit", "2");
            assertEquals(0, limited.exitCode(), limited.output());
            assertTrue(limited.output().startsWith("Re-drove 2 dead letters"), limited.output());
            Run rest = redrive(TOPICS, settings, "--reason", "unknown-model");
            assertTrue(rest.output().startsWith("Re-drove 1 dead letters"), rest.output());
            assertEquals(List.of("fixable-1", "fixable-1", "fixable-2", "fixable-2", "fixable-3", "fixable-3", "valid"),
                    sortedKeys(readScored(7), null));

            Run dryRun = redrive(TOPICS, settings, "--from-beginning", "--reason", "invalid-json", "--dry-run");
            assertTrue(dryRun.output().startsWith("Would re-drive 1 dead letters"), dryRun.output());
            assertTrue(dryRun.output().matches("(?s).*\\n  invalid-json +1\\n.*"), dryRun.output());
            // 5 original records, then 3 + 2 + 1 re-driven ones; the dry run sent none.
            int inputRecords = 5 + 3 + 2 + 1;
            assertEquals(inputRecords, fixture.readUntil(List.of(TOPICS.inputs().get(0)),
                    read -> read.size() >= inputRecords, Duration.ofSeconds(1)).size());
        }
    }

    @Test
    void redriveOfStillBadRecordHasFreshHeaders() throws Exception {
        Topics topics = RouterFixture.topics("redrive-again");
        fixture.createTopics(topics, 1, Map.of());
        Map<String, String> settings = fixture.routerSettings(topics);
        try (LogitRouter router = RouterFixture.startRouter(settings)) {
            fixture.send(record(topics, "broken", "{\"id\":\"broken\","));
            fixture.readUntil(List.of(topics.deadLetter()), read -> read.size() >= 1, Duration.ZERO);

            Run run = redrive(topics, settings, "--reason", "invalid-json");
            assertEquals(0, run.exitCode(), run.output());

            List<ConsumerRecord<byte[], byte[]>> letters = fixture.readUntil(List.of(topics.deadLetter()),
                    read -> read.size() >= 2, Duration.ofSeconds(1));
            assertEquals(2, letters.size());
            ConsumerRecord<byte[], byte[]> second = letters.get(1);
            assertArrayEquals(utf8("{\"id\":\"broken\","), second.value());
            assertEquals(1, count(second, "trace-id"));
            assertEquals(1, count(second, DeadLetters.REASON_HEADER));
            assertEquals(1, count(second, "__streams.errors.offset"));
            assertEquals("1", header(second.headers(), "__streams.errors.offset"));
        }
    }

    @Test
    void invalidReasonExitsWithTwo() {
        Run run = redrive("--reason", "no-such-reason");

        assertEquals(2, run.exitCode());
        assertTrue(run.error().contains("Invalid --reason value 'no-such-reason'"), run.error());
    }

    @Test
    void missingTopicExitsWithOne() {
        Run run = redrive(RouterFixture.topics("no-such-topics"), Map.of("application.id", "missing"));

        assertEquals(1, run.exitCode());
        assertTrue(run.error().contains("dead-letter topic no-such-topics.dead-letter not found"), run.error());
    }

    /** The exit code and printed text of one command run. */
    record Run(int exitCode, String output, String error) {
    }

    private static Run redrive(String... options) {
        return redrive(TOPICS, Map.of("application.id", "redrive-test"), options);
    }

    private static Run redrive(Topics topics, Map<String, String> settings, String... options) {
        List<String> args = new ArrayList<>(Arrays.asList(options));
        args.add("bootstrap.servers=" + fixture.bootstrapServers());
        args.add("application.id=" + settings.get("application.id"));
        args.add("scoring.embedded=off");
        args.add("scoring.topic.input=" + topics.inputs().get(0));
        args.add("scoring.topic.dead-letter=" + topics.deadLetter());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        int exitCode;
        try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(errStream);
            exitCode = DeadLetterRedrive.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8));
        } finally {
            System.setErr(originalErr);
        }
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void send(String key, String value) throws Exception {
        fixture.send(record(TOPICS, key, value));
    }

    private static ProducerRecord<byte[], byte[]> record(Topics topics, String key, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", utf8("trace-" + key));
        return new ProducerRecord<>(topics.inputs().get(0), null, utf8(key), utf8(value), headers);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readScored(int expected) {
        return fixture.readUntil(List.of(TOPICS.spam(), TOPICS.alert(), TOPICS.pass()),
                read -> read.size() >= expected, Duration.ofSeconds(1));
    }

    private static List<String> sortedKeys(List<ConsumerRecord<byte[], byte[]>> records, String topic) {
        List<ConsumerRecord<byte[], byte[]>> selected = topic == null ? records
                : records.stream().filter(record -> record.topic().equals(topic)).toList();
        return keys(selected).stream().sorted().toList();
    }

    private static List<String> headerKeys(ConsumerRecord<byte[], byte[]> record) {
        return Arrays.stream(record.headers().toArray()).map(Header::key).toList();
    }

    private static int count(ConsumerRecord<byte[], byte[]> record, String name) {
        int count = 0;
        for (Header header : record.headers().headers(name)) {
            count++;
        }
        return count;
    }
}
