package io.logitrouter.topology;

import io.logitrouter.config.RouterConfig;
import io.logitrouter.errors.DeadLetterLog;
import io.logitrouter.errors.DeadLetters;
import io.logitrouter.errors.RecordSizeLimits;
import io.logitrouter.metrics.ScoringMetrics;
import io.logitrouter.model.ModelLoader;
import io.logitrouter.model.ModelRegistry;
import io.logitrouter.event.EventLimits;
import io.logitrouter.event.EventScorer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives the production topology with TopologyTestDriver and checks every output topic. */
class ScoringTopologyTest {

    private static final Topics TOPICS = new Topics(List.of("events.in"), "events.spam", "events.alert",
            "events.pass", "events.dead-letter");
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private TopologyTestDriver driver;
    private SimpleMeterRegistry meters;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<byte[], byte[]> spam;
    private TestOutputTopic<byte[], byte[]> alert;
    private TestOutputTopic<byte[], byte[]> pass;
    private TestOutputTopic<byte[], byte[]> deadLetter;

    @BeforeEach
    void startDriver() throws URISyntaxException {
        Path modelDir = Path.of(ScoringTopologyTest.class.getResource("/topology-models").toURI());
        ModelRegistry models = ModelLoader.load(modelDir, Optional.empty());
        meters = new SimpleMeterRegistry();
        ScoringMetrics metrics = new ScoringMetrics(meters, models);
        EventLimits limits = new EventLimits(1 << 20, 64);

        RouterConfig config = RouterConfig.of(Map.of(
                "application.id", "topology-test",
                "bootstrap.servers", "unused:9092",
                "scoring.topic.input", "events.in",
                "scoring.topic.spam", "events.spam",
                "scoring.topic.alert", "events.alert",
                "scoring.topic.pass", "events.pass",
                "scoring.topic.dead-letter", "events.dead-letter"));
        Properties properties = new Properties();
        properties.putAll(StreamsSettings.build(config, TOPICS, new DeadLetterLog(TOPICS.deadLetter(), metrics)));
        properties.put(RecordSizeLimits.CONFIG, RecordSizeLimits.fixed(1 << 20, Map.of()));

        driver = new TopologyTestDriver(
                ScoringTopology.build(TOPICS, () -> new EventScorer(models, limits), metrics), properties);
        input = driver.createInputTopic("events.in", new ByteArraySerializer(), new ByteArraySerializer());
        spam = output(TOPICS.spam());
        alert = output(TOPICS.alert());
        pass = output(TOPICS.pass());
        deadLetter = output(TOPICS.deadLetter());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void mixedBatchLandsOnExactTopics() {
        pipe("k1", "{\"id\":\"e1\",\"model\":\"email-spam\",\"logits\":{\"spam\":1.5152417474322548}}", 0);
        pipe("k2", "{\"id\":\"e2\",\"model\":\"tumor-screening\",\"logits\":{\"malignant\":2.0}}", 1);
        pipe("k3", "{\"id\":\"e3\",\"model\":\"moderation\",\"logits\":{\"spam\":1.5,\"abuse\":3}}", 2);
        pipe("k4", "{\"id\":\"e4\",\"model\":\"triage\",\"logits\":{\"phishing\":0,\"promotion\":0,\"personal\":0}}", 3);
        pipe("k5", "{\"id\":\"e5\",\"model\":\"email-spam\",\"logits\":{\"spam\":-2.0,\"unknown\":5}}", 4);
        pipe("k6", "{\"id\":\"e6\",\"meta\":{\"source\":\"mta-7\",\"score\":1.50,\"tags\":[\"a\",\"b\"]},"
                + "\"model\":\"email-spam\",\"logits\":{\"spam\":0},\"n\":1E+2,\"s\":\"caf\\u00e9\"}", 5);
        pipe(null, "{\"id\":\"e7\",\"model\":\"moderation\",\"logits\":{\"spam\":0.5,\"abuse\":0.5}}", 6);

        assertEquals(List.of(
                expected("k1", "{\"id\":\"e1\",\"model\":\"email-spam\",\"logits\":{\"spam\":1.5152417474322548},"
                        + "\"scoring\":{\"model\":\"email-spam\",\"version\":\"2026-12-04\","
                        + "\"probabilities\":{\"spam\":0.8198367347375466},\"fired\":[\"spam\"],\"route\":\"spam\"}}", 0),
                expected(null, "{\"id\":\"e7\",\"model\":\"moderation\",\"logits\":{\"spam\":0.5,\"abuse\":0.5},"
                        + "\"scoring\":{\"model\":\"moderation\",\"version\":\"7\","
                        + "\"probabilities\":{\"spam\":0.6224593312018546,\"abuse\":0.6224593312018546},"
                        + "\"fired\":[\"spam\"],\"route\":\"spam\"}}", 6)),
                read(spam));
        assertEquals(List.of(
                expected("k2", "{\"id\":\"e2\",\"model\":\"tumor-screening\",\"logits\":{\"malignant\":2.0},"
                        + "\"scoring\":{\"model\":\"tumor-screening\",\"version\":\"2026-12-04\","
                        + "\"probabilities\":{\"malignant\":0.8807970779778823},\"fired\":[\"malignant\"],"
                        + "\"route\":\"alert\"}}", 1),
                expected("k3", "{\"id\":\"e3\",\"model\":\"moderation\",\"logits\":{\"spam\":1.5,\"abuse\":3},"
                        + "\"scoring\":{\"model\":\"moderation\",\"version\":\"7\","
                        + "\"probabilities\":{\"spam\":0.8175744761936437,\"abuse\":0.9525741268224334},"
                        + "\"fired\":[\"spam\",\"abuse\"],\"route\":\"alert\"}}", 2),
                expected("k4", "{\"id\":\"e4\",\"model\":\"triage\",\"logits\":{\"phishing\":0,\"promotion\":0,\"personal\":0},"
                        + "\"scoring\":{\"model\":\"triage\",\"version\":\"2026-01\","
                        + "\"probabilities\":{\"phishing\":0.3333333333333333,\"promotion\":0.3333333333333333,"
                        + "\"personal\":0.3333333333333333},\"fired\":[\"phishing\"],\"route\":\"alert\"}}", 3)),
                read(alert));
        assertEquals(List.of(
                expected("k5", "{\"id\":\"e5\",\"model\":\"email-spam\",\"logits\":{\"spam\":-2.0,\"unknown\":5},"
                        + "\"scoring\":{\"model\":\"email-spam\",\"version\":\"2026-12-04\","
                        + "\"probabilities\":{\"spam\":0.11920292202211755},\"fired\":[],\"route\":\"pass\"}}", 4),
                expected("k6", "{\"id\":\"e6\",\"meta\":{\"source\":\"mta-7\",\"score\":1.50,\"tags\":[\"a\",\"b\"]},"
                        + "\"model\":\"email-spam\",\"logits\":{\"spam\":0},\"n\":1E+2,\"s\":\"caf\\u00e9\","
                        + "\"scoring\":{\"model\":\"email-spam\",\"version\":\"2026-12-04\","
                        + "\"probabilities\":{\"spam\":0.5},\"fired\":[],\"route\":\"pass\"}}", 5)),
                read(pass));
        assertTrue(deadLetter.isEmpty());
    }

    @Test
    void softmaxProbabilitiesFollowLogitOrder() {
        pipe("k", "{\"id\":\"s1\",\"model\":\"triage\",\"logits\":{\"personal\":0.0,\"promotion\":1.0,\"phishing\":2.0}}", 0);

        List<Output> alerts = read(alert);
        assertEquals(1, alerts.size());
        String value = alerts.get(0).value();
        assertTrue(value.contains("\"fired\":[\"phishing\"],\"route\":\"alert\""), value);
        assertTrue(value.contains("\"probabilities\":{\"phishing\":"), value);
        assertTrue(spam.isEmpty());
        assertTrue(pass.isEmpty());
        assertTrue(deadLetter.isEmpty());
    }

    @Test
    void featureEventIgnoresUnknownFeatures() {
        pipe("f1", "{\"id\":\"f1\",\"model\":\"email-spam\",\"features\":{\"word_freq_free\":10,\"no_such_feature\":99}}", 0);

        List<Output> outputs = new ArrayList<>();
        outputs.addAll(read(spam));
        outputs.addAll(read(pass));
        assertEquals(1, outputs.size());
        assertTrue(outputs.get(0).value().startsWith(
                "{\"id\":\"f1\",\"model\":\"email-spam\",\"features\":{\"word_freq_free\":10,\"no_such_feature\":99},"
                        + "\"scoring\":{"), outputs.get(0).value());
        assertTrue(alert.isEmpty());
        assertTrue(deadLetter.isEmpty());
        assertEquals(1.0, meters.get("scoring.ignored.entries").tags("model", "email-spam", "kind", "feature").counter().count());
    }

    @Test
    void poisonPillIsDeadLettered() {
        Headers poisonHeaders = new RecordHeaders().add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        byte[] poison = {'{', '"', 'i', 'd', '"', ':', (byte) 0xC3, (byte) 0x28};

        pipe("k1", "{\"id\":\"before\",\"model\":\"email-spam\",\"logits\":{\"spam\":5}}", 0);
        input.pipeInput(new TestRecord<>("bad".getBytes(StandardCharsets.UTF_8), poison, poisonHeaders, T0.plusMillis(1)));
        pipe("k3", "{\"id\":\"after\",\"model\":\"email-spam\",\"logits\":{\"spam\":-5}}", 2);

        assertEquals(1, read(spam).size());
        assertEquals(1, read(pass).size());
        assertTrue(alert.isEmpty());

        List<TestRecord<byte[], byte[]>> dead = deadLetter.readRecordsToList();
        assertEquals(1, dead.size());
        TestRecord<byte[], byte[]> letter = dead.get(0);
        assertArrayEquals("bad".getBytes(StandardCharsets.UTF_8), letter.key());
        assertArrayEquals(poison, letter.value());
        assertEquals("abc", header(letter.headers(), "trace-id"));
        assertEquals("invalid-json", header(letter.headers(), DeadLetters.REASON_HEADER));
        assertNotNull(header(letter.headers(), DeadLetters.MESSAGE_HEADER));
        assertEquals("events.in", header(letter.headers(), "__streams.errors.topic"));
        assertEquals("0", header(letter.headers(), "__streams.errors.partition"));
        assertEquals("1", header(letter.headers(), "__streams.errors.offset"));
        assertEquals(io.logitrouter.errors.ScoringException.class.getName(),
                header(letter.headers(), "__streams.errors.exception"));
        assertEquals(1.0, meters.get("scoring.dead.letter").tag("reason", "invalid-json").counter().count());
    }

    @Test
    void eventCountersMatchRoutes() {
        pipe("a", "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":3}}", 0);
        pipe("b", "{\"id\":\"b\",\"model\":\"email-spam\",\"logits\":{\"spam\":-3}}", 1);
        pipe("c", "{\"id\":\"c\",\"model\":\"email-spam\",\"logits\":{\"spam\":-4}}", 2);

        assertEquals(1.0, meters.get("scoring.events").tags("model", "email-spam", "route", "spam").counter().count());
        assertEquals(2.0, meters.get("scoring.events").tags("model", "email-spam", "route", "pass").counter().count());
        assertEquals(0.0, meters.get("scoring.events").tags("model", "email-spam", "route", "alert").counter().count());
        assertEquals(1.0, meters.get("scoring.label.fired").tags("model", "email-spam", "label", "spam").counter().count());
        assertEquals(3L, meters.get("scoring.processing").timer().count());
        assertEquals(3L, meters.get("scoring.end.to.end").timer().count());
    }

    private void pipe(String key, String value, long offsetMillis) {
        Headers headers = new RecordHeaders().add("origin", "test".getBytes(StandardCharsets.UTF_8));
        input.pipeInput(new TestRecord<>(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8), headers, T0.plusMillis(offsetMillis)));
    }

    private TestOutputTopic<byte[], byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** An output record in comparable form: key and value as text, headers as name=value text. */
    record Output(String key, String value, List<String> headers, Instant timestamp) {
    }

    private static Output expected(String key, String value, long offsetMillis) {
        return new Output(key, value, List.of("origin=test"), T0.plusMillis(offsetMillis));
    }

    private static List<Output> read(TestOutputTopic<byte[], byte[]> topic) {
        List<Output> outputs = new ArrayList<>();
        for (TestRecord<byte[], byte[]> record : topic.readRecordsToList()) {
            List<String> headers = new ArrayList<>();
            for (Header header : record.headers()) {
                headers.add(header.key() + "=" + new String(header.value(), StandardCharsets.UTF_8));
            }
            outputs.add(new Output(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                    new String(record.value(), StandardCharsets.UTF_8), headers, record.getRecordTime()));
        }
        return outputs;
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
