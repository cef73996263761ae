package io.logitrouter.e2e;

import static io.logitrouter.e2e.RouterFixture.header;
import static io.logitrouter.e2e.RouterFixture.keys;
import static io.logitrouter.e2e.RouterFixture.only;
import static io.logitrouter.e2e.RouterFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.logitrouter.LogitRouter;
import io.logitrouter.errors.DeadLetters;
import io.logitrouter.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Checks an output topic whose {@code max.message.bytes} is lowered while the service runs, so
 * that the limit the service read at start-up is out of date and the broker rejects an output.
 *
 * <p>Kafka Streams 4.4 cannot dead-letter the input safely from a send error, so the stream must
 * stop instead of skipping the record; after a restart the service reads the new limit and
 * dead-letters the input with its original bytes, exactly once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OutputLimitLoweredIT {

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
    void loweredLimitStopsThenDeadLetters(String guarantee) throws Exception {
        Topics topics = RouterFixture.topics("lowered-" + guarantee.replace('_', '-'));
        fixture.createTopics(topics, 1, Map.of());
        Map<String, String> settings = fixture.routerSettings(topics);
        settings.put("processing.guarantee", guarantee);
        // A failed client does not leave its consumer group, so the restarted one waits for
        // the old member's session to time out. The broker's minimum of 6 s keeps that short.
        settings.put("session.timeout.ms", "6000");
        settings.put("heartbeat.interval.ms", "2000");
        byte[] big = spamEvent("big", 2 * SMALL_TOPIC_BYTES);

        RecordMetadata bigSent;
        try (LogitRouter router = RouterFixture.startRouter(settings)) {
            send(topics, "warm-up", spamEvent("warm-up", 0));
            fixture.readUntil(List.of(topics.spam()), read -> keys(read).contains("warm-up"), Duration.ZERO);
            lowerMaxMessageBytes(topics.spam(), SMALL_TOPIC_BYTES);

            bigSent = send(topics, "big", big);
            send(topics, "after", spamEvent("after", 0));
            assertTrue(router.awaitFailure(RouterFixture.WAIT.toSeconds(), TimeUnit.SECONDS),
                    "the stream should stop rather than skip the rejected record");
        }

        // A restart reads the lowered limit, so the processor now dead-letters the input.
        try (LogitRouter router = RouterFixture.startRouter(settings)) {
            List<ConsumerRecord<byte[], byte[]>> records = fixture.readUntil(List.of(topics.spam(), topics.deadLetter()),
                    read -> keys(read).containsAll(List.of("big", "after")), Duration.ofSeconds(2));

            List<String> spamKeys = keys(records, topics.spam());
            if (guarantee.equals("exactly_once_v2")) {
                assertEquals(List.of("warm-up", "after"), spamKeys);
            } else {
                // At least once: "after" may have been written before the stream stopped.
                assertEquals(List.of("warm-up", "after"), spamKeys.stream().distinct().toList());
            }
            assertEquals(List.of("big"), keys(records, topics.deadLetter()));
            ConsumerRecord<byte[], byte[]> letter = only(records, topics.deadLetter());
            assertArrayEquals(big, letter.value());
            assertEquals("output-too-large", header(letter.headers(), DeadLetters.REASON_HEADER));
            assertEquals("trace-big", header(letter.headers(), "trace-id"));
            assertEquals("" + bigSent.offset(), header(letter.headers(), "__streams.errors.offset"));
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

    /** Lowers the limit and waits until the broker rejects a record above it. */
    private static void lowerMaxMessageBytes(String topic, int bytes) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "" + bytes), AlterConfigOp.OpType.SET))))
                    .all().get(RouterFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        long deadline = System.nanoTime() + RouterFixture.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                fixture.send(new ProducerRecord<>(topic, utf8(RouterFixture.PROBE_KEY), new byte[2 * bytes]));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException) {
                    return;
                }
                throw e;
            }
            Thread.sleep(100);
        }
        fail("topic " + topic + " still accepts records over " + bytes + " bytes");
    }
}
