package io.logitrouter.e2e;

import static io.logitrouter.e2e.RouterFixture.header;
import static io.logitrouter.e2e.RouterFixture.keys;
import static io.logitrouter.e2e.RouterFixture.only;
import static io.logitrouter.e2e.RouterFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logitrouter.LogitRouter;
import io.logitrouter.errors.DeadLetters;
import io.logitrouter.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks outputs and dead letters that are larger than their topic accepts, under both
 * processing guarantees, on a real broker whose topics have a small {@code max.message.bytes}.
 *
 * <p>An output over the limit must send its input to the dead-letter topic with reason
 * {@code output-too-large}, exactly once, while the stream keeps running and later records are
 * still scored. Under {@code exactly_once_v2} a rejected send would poison the transaction,
 * which is why the processor checks the size before it sends.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OutputTooLargeIT {

    private static final int SMALL_TOPIC_BYTES = 1000;

    private static RouterFixture fixture;

    @BeforeAll
    static void startBroker() {
        fixture = RouterFixture.start();
    }

    @AfterAll
    static void stopBroker() {
        fixture.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
    void outputOverTopicLimitIsDeadLettered(String guarantee) throws Exception {
        Topics topics = RouterFixture.topics("small-" + guarantee.replace('_', '-'));
        fixture.createTopics(topics, 1, Map.of(topics.spam(), Map.of("max.message.bytes", "" + SMALL_TOPIC_BYTES)));
        Map<String, String> settings = fixture.routerSettings(topics);
        settings.put("processing.guarantee", guarantee);

        try (LogitRouter router = RouterFixture.startRouter(settings)) {
            byte[] big = spamEvent("big", 2 * SMALL_TOPIC_BYTES);
            send(topics, "before", spamEvent("before", 0));
            RecordMetadata bigSent = send(topics, "big", big);
            send(topics, "after", spamEvent("after", 0));

            List<ConsumerRecord<byte[], byte[]>> records = fixture.readUntil(List.of(topics.spam(), topics.deadLetter()),
                    read -> keys(read).containsAll(List.of("before", "big", "after")), Duration.ofSeconds(2));

            assertEquals(List.of("before", "after"), keys(records, topics.spam()));
            assertEquals(List.of("big"), keys(records, topics.deadLetter()));
            ConsumerRecord<byte[], byte[]> letter = only(records, topics.deadLetter());
            assertArrayEquals(big, letter.value());
            assertEquals("output-too-large", header(letter.headers(), DeadLetters.REASON_HEADER));
            assertTrue(header(letter.headers(), DeadLetters.MESSAGE_HEADER).contains(topics.spam()),
                    header(letter.headers(), DeadLetters.MESSAGE_HEADER));
            assertEquals(topics.inputs().get(0), header(letter.headers(), "__streams.errors.topic"));
            assertEquals("" + bigSent.partition(), header(letter.headers(), "__streams.errors.partition"));
            assertEquals("" + bigSent.offset(), header(letter.headers(), "__streams.errors.offset"));
            assertEquals("trace-big", header(letter.headers(), "trace-id"));
            assertNull(letter.headers().lastHeader(DeadLetters.VALUE_TRUNCATED_HEADER));

            assertFalse(router.awaitFailure(0, TimeUnit.MILLISECONDS), "the stream thread failed");
            assertTrue(router.health().isReady(), "state " + router.health().state());
            Map<String, Double> metrics = EndToEndTestBase.scrapeMetrics(router.httpPort());
            assertEquals(2.0, metrics.get("scoring_events_total{model=\"email-spam\",route=\"spam\"}"));
            assertEquals(1.0, metrics.get("scoring_dead_letter_total{reason=\"output-too-large\"}"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
    void deadLetterOverTopicLimitKeepsPrefix(String guarantee) throws Exception {
        Topics topics = RouterFixture.topics("small-dead-letter-" + guarantee.replace('_', '-'));
        // The error headers of a dead letter take about 1000 bytes, so the topic needs more room.
        int deadLetterBytes = 4 * SMALL_TOPIC_BYTES;
        fixture.createTopics(topics, 1, Map.of(topics.deadLetter(), Map.of("max.message.bytes", "" + deadLetterBytes)));
        Map<String, String> settings = fixture.routerSettings(topics);
        settings.put("processing.guarantee", guarantee);

        try (LogitRouter router = RouterFixture.startRouter(settings)) {
            byte[] bad = utf8("{\"id\":\"bad\",\"note\":\"" + "y".repeat(3 * deadLetterBytes) + "\"");
            send(topics, "bad", bad);
            send(topics, "after", spamEvent("after", 0));

            List<ConsumerRecord<byte[], byte[]>> records = fixture.readUntil(List.of(topics.spam(), topics.deadLetter()),
                    read -> keys(read).containsAll(List.of("bad", "after")), Duration.ofSeconds(2));

            assertEquals(List.of("after"), keys(records, topics.spam()));
            ConsumerRecord<byte[], byte[]> letter = only(records, topics.deadLetter());
            assertEquals("invalid-json", header(letter.headers(), DeadLetters.REASON_HEADER));
            assertEquals("" + bad.length, header(letter.headers(), DeadLetters.VALUE_TRUNCATED_HEADER));
            assertTrue(letter.value().length < deadLetterBytes, "kept " + letter.value().length + " bytes");
            assertTrue(letter.value().length > deadLetterBytes / 2, "kept " + letter.value().length + " bytes");
            assertArrayEquals(Arrays.copyOf(bad, letter.value().length), letter.value());
            assertEquals("trace-bad", header(letter.headers(), "trace-id"));
            assertFalse(router.awaitFailure(0, TimeUnit.MILLISECONDS), "the stream thread failed");
            assertTrue(router.health().isReady(), "state " + router.health().state());
        }
    }

    private static RecordMetadata send(Topics topics, String key, byte[] value) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", utf8("trace-" + key));
        return fixture.send(new ProducerRecord<>(topics.inputs().get(0), null, utf8(key), value, headers));
    }

    /** Returns an event that routes to spam, with a carried-through field of {@code padding} bytes. */
    private static byte[] spamEvent(String id, int padding) {
        return utf8("{\"id\":\"" + id + "\",\"model\":\"email-spam\",\"logits\":{\"spam\":3},\"note\":\""
                + "x".repeat(padding) + "\"}");
    }
}
