package io.logitrouter.e2e;

import static io.logitrouter.e2e.RouterFixture.header;
import static io.logitrouter.e2e.RouterFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logitrouter.LogitRouter;
import io.logitrouter.errors.DeadLetters;
import io.logitrouter.errors.ScoringException;
import io.logitrouter.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Sends one record of every kind of bad input through a running service on a real broker, each
 * followed by a valid record on the same partition. Each dead letter is checked on its own: key,
 * value bytes, headers, error headers, reason and metric. The valid record after it must still
 * be scored.
 *
 * <p>All cases are sent in one batch before the first check, so the service starts once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BadInputIT {

    private static final Topics TOPICS = RouterFixture.topics("bad-input");
    private static final int PARTITIONS = 4;
    private static final int MAX_EVENT_BYTES = 1024 * 1024;
    /** Topic limit for the input and dead-letter topics, large enough for the oversized case. */
    private static final int LARGE_TOPIC_BYTES = 2 * 1024 * 1024;
    private static final byte[] BINARY_HEADER = {0, 1, (byte) 0xFF, (byte) 0xC3, 0x28};
    private static final String CASE_HEADER = "case";

    private static RouterFixture fixture;
    private static LogitRouter router;
    private static final Map<String, RecordMetadata> sent = new HashMap<>();
    private static final Map<String, List<ConsumerRecord<byte[], byte[]>>> outputsByCase = new HashMap<>();
    private static Map<String, Double> metricsAfterBatch;

    /**
     * One kind of bad input.
     *
     * @param name the case name, sent as the key and in the {@code case} header
     * @param value the record value, null for a tombstone
     * @param reason the expected {@code scoring.error.reason}
     * @param messagePart text that {@code scoring.error.message} must contain
     */
    record Case(String name, byte[] value, String reason, String messagePart) {

        @Override
        public String toString() {
            return name + " -> " + reason;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("empty-value", new byte[0], "empty-value", "value is empty"));
        cases.add(new Case("tombstone", null, "empty-value", "null (a tombstone)"));
        cases.add(json("json-null", "null", "not-an-object", "value is null"));
        cases.add(json("top-level-array", "[{\"id\":\"a\"}]", "not-an-object", "an array"));
        cases.add(json("top-level-string", "\"spam\"", "not-an-object", "a string"));
        cases.add(json("top-level-number", "42", "not-an-object", "a number"));

        cases.add(json("invalid-json", "{id: 'a'}", "invalid-json", "not valid JSON"));
        cases.add(json("truncated-json", "{\"id\":\"t\",\"model\":\"email-spam\",\"logits\":{\"spam\":1.0",
                "invalid-json", "end-of-input"));
        cases.add(json("trailing-object", logits("t", "email-spam", "\"spam\":1") + " {\"id\":\"u\"}",
                "invalid-json", "more data follows"));
        cases.add(json("trailing-garbage", logits("t", "email-spam", "\"spam\":1") + "x", "invalid-json",
                "not valid JSON"));

        cases.add(bytes("invalid-utf8-byte", "7B226964223A22C328227D", "invalid-json", "not valid UTF-8"));
        cases.add(bytes("overlong-utf8", "7B226964223A22C0AF227D", "invalid-json", "invalid byte 0xC0"));
        cases.add(bytes("encoded-surrogate", "7B226964223A22EDA080227D", "invalid-json", "invalid byte 0xED"));
        cases.add(bytes("lone-continuation", "7B226964223A2280227D", "invalid-json", "invalid byte 0x80"));
        cases.add(json("lone-surrogate-escape", "{\"id\":\"\\ud800\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
                "invalid-json", "lone surrogate"));
        cases.add(new Case("byte-order-mark", concat(HexFormat.of().parseHex("EFBBBF"),
                utf8(logits("b", "email-spam", "\"spam\":1"))), "invalid-json", "byte-order mark"));

        cases.add(json("id-missing", "{\"model\":\"email-spam\",\"logits\":{\"spam\":1}}", "invalid-id",
                "id is missing"));
        cases.add(json("id-empty", logits("", "email-spam", "\"spam\":1"), "invalid-id", "empty string"));
        cases.add(json("id-number", "{\"id\":7,\"model\":\"email-spam\",\"logits\":{\"spam\":1}}", "invalid-id",
                "id is a number"));
        cases.add(json("id-null", "{\"id\":null,\"model\":\"email-spam\",\"logits\":{\"spam\":1}}", "invalid-id",
                "id is null"));
        cases.add(json("unknown-model", logits("m", "no-such-model", "\"spam\":1"), "unknown-model",
                "\"no-such-model\" is not loaded"));
        cases.add(json("model-omitted", "{\"id\":\"m\",\"logits\":{\"spam\":1}}", "unknown-model",
                "no default model"));
        cases.add(json("model-number", "{\"id\":\"m\",\"model\":3,\"logits\":{\"spam\":1}}", "unknown-model",
                "model is a number"));

        cases.add(json("neither-scores", "{\"id\":\"n\",\"model\":\"email-spam\"}", "missing-scores",
                "neither logits nor features"));
        cases.add(json("logits-not-object", "{\"id\":\"n\",\"model\":\"email-spam\",\"logits\":[1]}",
                "missing-scores", "logits is an array"));
        cases.add(json("both-scores", "{\"id\":\"b\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},"
                + "\"features\":{}}", "ambiguous-scores", "both logits and features"));
        cases.add(json("missing-label", logits("l", "moderation", "\"spam\":1"), "missing-label",
                "no value for label \"abuse\""));
        cases.add(json("no-weights", "{\"id\":\"w\",\"model\":\"moderation\",\"features\":{\"x\":1}}",
                "no-weights", "has no weights"));
        cases.add(json("scoring-field", "{\"id\":\"s\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},"
                + "\"scoring\":{\"route\":\"pass\"}}", "reserved-field", "reserved for the output"));

        cases.add(json("value-string", logits("v", "email-spam", "\"spam\":\"3.0\""), "non-numeric-value",
                "logits.spam is a string"));
        cases.add(json("value-boolean", logits("v", "email-spam", "\"spam\":true"), "non-numeric-value",
                "logits.spam is a boolean"));
        cases.add(json("value-null", logits("v", "email-spam", "\"spam\":null"), "non-numeric-value",
                "logits.spam is null"));
        cases.add(json("value-array", logits("v", "email-spam", "\"spam\":[1]"), "non-numeric-value",
                "logits.spam is an array"));
        cases.add(json("value-object", logits("v", "email-spam", "\"spam\":{\"v\":1}"), "non-numeric-value",
                "logits.spam is an object"));
        cases.add(json("ignored-label-string", logits("v", "email-spam", "\"spam\":1,\"extra\":\"3.0\""),
                "non-numeric-value", "logits.extra is a string"));
        cases.add(json("ignored-feature-boolean", "{\"id\":\"v\",\"model\":\"email-spam\","
                + "\"features\":{\"no_such_feature\":false}}", "non-numeric-value", "features.no_such_feature"));

        cases.add(json("nan-token", logits("v", "email-spam", "\"spam\":NaN"), "invalid-json", "NaN"));
        cases.add(json("infinity-token", logits("v", "email-spam", "\"spam\":Infinity"), "invalid-json",
                "Infinity"));
        cases.add(json("minus-infinity-token", logits("v", "email-spam", "\"spam\":-Infinity"), "invalid-json",
                "Infinity"));
        cases.add(json("overflow-positive", logits("v", "email-spam", "\"spam\":1e400"), "non-finite-value",
                "logits.spam is 1e400"));
        cases.add(json("overflow-negative", logits("v", "email-spam", "\"spam\":-1e400"), "non-finite-value",
                "logits.spam is -1e400"));
        cases.add(json("overflow-ignored-feature", "{\"id\":\"v\",\"model\":\"email-spam\","
                + "\"features\":{\"no_such_feature\":1e400}}", "non-finite-value", "features.no_such_feature"));
        cases.add(json("non-finite-sum", "{\"id\":\"v\",\"model\":\"email-spam\","
                + "\"features\":{\"word_freq_our\":1e308,\"word_freq_remove\":1e308}}", "non-finite-score",
                "weighted sum for label \"spam\" is Infinity"));

        cases.add(json("duplicate-top-level-key", "{\"id\":\"a\",\"id\":\"b\",\"model\":\"email-spam\","
                + "\"logits\":{\"spam\":1}}", "invalid-json", "the key \"id\" twice"));
        cases.add(json("duplicate-logit", logits("d", "email-spam", "\"spam\":1,\"spam\":2"), "invalid-json",
                "the key \"spam\" twice"));
        cases.add(json("duplicate-in-carried-field", "{\"id\":\"d\",\"model\":\"email-spam\","
                + "\"logits\":{\"spam\":1},\"meta\":{\"k\":[{\"x\":1,\"x\":1}]}}", "invalid-json",
                "the key \"x\" twice"));

        cases.add(json("deep-nesting-carried", "{\"id\":\"n\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},"
                + "\"deep\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", "too-large", "nesting depth"));
        cases.add(json("deep-nesting-top-level", "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000),
                "too-large", "nesting depth"));
        cases.add(json("over-max-event-bytes", "{\"id\":\"big\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},"
                + "\"note\":\"" + "x".repeat(MAX_EVENT_BYTES) + "\"}", "too-large",
                "more than the limit of " + MAX_EVENT_BYTES + " bytes"));
        return cases;
    }

    @BeforeAll
    static void sendAllCases() throws Exception {
        fixture = RouterFixture.start();
        Map<String, String> largeTopic = Map.of("max.message.bytes", "" + LARGE_TOPIC_BYTES);
        fixture.createTopics(TOPICS, PARTITIONS, Map.of(TOPICS.inputs().get(0), largeTopic,
                TOPICS.deadLetter(), largeTopic));
        Map<String, String> settings = fixture.routerSettings(TOPICS);
        settings.put("scoring.max.event.bytes", "" + MAX_EVENT_BYTES);
        settings.put("producer.max.request.size", "" + 2 * LARGE_TOPIC_BYTES);
        router = RouterFixture.startRouter(settings);

        List<Case> cases = cases();
        for (int i = 0; i < cases.size(); i++) {
            Case badCase = cases.get(i);
            int partition = i % PARTITIONS;
            sent.put(badCase.name(), sendCase(badCase.name(), badCase.value(), partition));
            sendCase(afterName(badCase), utf8(logits(afterName(badCase), "email-spam", "\"spam\":3")), partition);
        }

        int expected = 2 * cases.size();
        List<ConsumerRecord<byte[], byte[]>> outputs = fixture.readUntil(TOPICS.outputs(),
                read -> read.size() >= expected, Duration.ofSeconds(2));
        for (ConsumerRecord<byte[], byte[]> output : outputs) {
            outputsByCase.computeIfAbsent(header(output.headers(), CASE_HEADER), name -> new ArrayList<>()).add(output);
        }
        metricsAfterBatch = EndToEndTestBase.scrapeMetrics(router.httpPort());
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        fixture.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badRecordIsDeadLetteredIntact(Case badCase) {
        ConsumerRecord<byte[], byte[]> letter = onlyOutput(badCase.name());

        assertEquals(TOPICS.deadLetter(), letter.topic());
        assertArrayEquals(utf8(badCase.name()), letter.key());
        if (badCase.value() == null) {
            assertNull(letter.value());
        } else {
            assertArrayEquals(badCase.value(), letter.value());
        }
        assertEquals(badCase.reason(), header(letter.headers(), DeadLetters.REASON_HEADER));
        String message = header(letter.headers(), DeadLetters.MESSAGE_HEADER);
        assertNotNull(message);
        assertTrue(message.contains(badCase.messagePart()), "message: " + message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badRecordKeepsOriginalHeaders(Case badCase) {
        Headers headers = onlyOutput(badCase.name()).headers();
        Header[] all = headers.toArray();

        assertEquals(CASE_HEADER, all[0].key());
        assertArrayEquals(utf8(badCase.name()), all[0].value());
        assertEquals("binary", all[1].key());
        assertArrayEquals(BINARY_HEADER, all[1].value());
        assertEquals(1, count(headers, CASE_HEADER));
        assertEquals(1, count(headers, "binary"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badRecordHasStreamsErrorHeaders(Case badCase) {
        Headers headers = onlyOutput(badCase.name()).headers();
        RecordMetadata source = sent.get(badCase.name());

        assertEquals(ScoringException.class.getName(), header(headers, "__streams.errors.exception"));
        assertEquals(header(headers, DeadLetters.MESSAGE_HEADER), header(headers, "__streams.errors.message"));
        assertNotNull(header(headers, "__streams.errors.stacktrace"));
        assertEquals(TOPICS.inputs().get(0), header(headers, "__streams.errors.topic"));
        assertEquals("" + source.partition(), header(headers, "__streams.errors.partition"));
        assertEquals("" + source.offset(), header(headers, "__streams.errors.offset"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badRecordIsCountedByReason(Case badCase) {
        long casesWithReason = cases().stream().filter(other -> other.reason().equals(badCase.reason())).count();

        assertEquals((double) casesWithReason,
                metricsAfterBatch.get("scoring_dead_letter_total{reason=\"" + badCase.reason() + "\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validRecordAfterBadOneIsScored(Case badCase) {
        ConsumerRecord<byte[], byte[]> after = onlyOutput(afterName(badCase));

        assertEquals(TOPICS.spam(), after.topic());
        assertTrue(RouterFixture.text(after.value()).contains("\"route\":\"spam\""), RouterFixture.text(after.value()));
    }

    @Test
    void everyCaseArrivesOnce() throws InterruptedException {
        Map<String, Integer> counts = new TreeMap<>();
        outputsByCase.forEach((name, outputs) -> counts.put(name, outputs.size()));
        Map<String, Integer> expected = new TreeMap<>();
        for (Case badCase : cases()) {
            expected.put(badCase.name(), 1);
            expected.put(afterName(badCase), 1);
        }

        assertEquals(expected, counts);
        assertFalse(router.awaitFailure(0, TimeUnit.MILLISECONDS), "the stream thread failed");
        assertTrue(router.health().isReady(), "state " + router.health().state());
    }

    @Test
    void eventCountersCountOnlyScoredRecords() {
        assertEquals((double) cases().size(),
                metricsAfterBatch.get("scoring_events_total{model=\"email-spam\",route=\"spam\"}"));
        double routed = metricsAfterBatch.entrySet().stream()
                .filter(sample -> sample.getKey().startsWith("scoring_events_total{"))
                .mapToDouble(Map.Entry::getValue).sum();
        assertEquals((double) cases().size(), routed);
    }

    @Test
    void badRecordsAddNoMetricSeries() throws Exception {
        Map<String, Double> before = EndToEndTestBase.scrapeMetrics(router.httpPort());
        double deadLettersBefore = deadLetterTotal(before);
        int records = 1_000;

        for (int i = 0; i < records; i++) {
            String value = switch (i % 4) {
                case 0 -> logits("card-" + i, "model-" + i, "\"spam\":1");
                case 1 -> logits("card-" + i, "email-spam", "\"label-" + i + "\":\"text-" + i + "\"");
                case 2 -> "{\"id\":\"card-" + i + "\",\"error-" + i + "\":";
                default -> logits("card-" + i, "email-spam", "\"spam\":1e4" + (i % 10) + "0");
            };
            fixture.sendAsync(new ProducerRecord<>(TOPICS.inputs().get(0), utf8("card-" + i), utf8(value)));
        }
        fixture.flush();
        long deadline = System.nanoTime() + RouterFixture.WAIT.toNanos();
        Map<String, Double> after = EndToEndTestBase.scrapeMetrics(router.httpPort());
        while (deadLetterTotal(after) < deadLettersBefore + records && System.nanoTime() < deadline) {
            Thread.sleep(200);
            after = EndToEndTestBase.scrapeMetrics(router.httpPort());
        }

        assertEquals(deadLettersBefore + records, deadLetterTotal(after));
        assertEquals(scoringSeries(before), scoringSeries(after));
        assertTrue(scoringSeries(after).size() > 20, "series " + scoringSeries(after));
        assertFalse(scoringSeries(after).stream().anyMatch(series -> series.contains("card-")
                || series.contains("model-") || series.contains("label-")), "series from event content");
    }

    private static RecordMetadata sendCase(String name, byte[] value, int partition) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CASE_HEADER, utf8(name));
        headers.add("binary", BINARY_HEADER);
        return fixture.send(new ProducerRecord<>(TOPICS.inputs().get(0), partition, utf8(name), value, headers));
    }

    private static ConsumerRecord<byte[], byte[]> onlyOutput(String name) {
        List<ConsumerRecord<byte[], byte[]>> outputs = outputsByCase.getOrDefault(name, List.of());
        assertEquals(1, outputs.size(), "outputs for " + name + " on " + outputs.stream()
                .map(ConsumerRecord::topic).collect(Collectors.toList()));
        return outputs.get(0);
    }

    private static String afterName(Case badCase) {
        return badCase.name() + "/after";
    }

    private static double deadLetterTotal(Map<String, Double> metrics) {
        return metrics.entrySet().stream()
                .filter(sample -> sample.getKey().startsWith("scoring_dead_letter_total{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Returns the names and tags of every {@code scoring_*} series, without values. */
    private static List<String> scoringSeries(Map<String, Double> metrics) {
        return metrics.keySet().stream().filter(series -> series.startsWith("scoring_")).sorted().toList();
    }

    private static int count(Headers headers, String name) {
        int count = 0;
        for (Header header : headers.headers(name)) {
            count++;
        }
        return count;
    }

    private static String logits(String id, String model, String entries) {
        return "{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"logits\":{" + entries + "}}";
    }

    private static Case json(String name, String json, String reason, String messagePart) {
        return new Case(name, utf8(json), reason, messagePart);
    }

    private static Case bytes(String name, String hex, String reason, String messagePart) {
        return new Case(name, HexFormat.of().parseHex(hex), reason, messagePart);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }
}
