package io.logitrouter.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logitrouter.config.RouterConfig;
import io.logitrouter.errors.DeadLetterLog;
import io.logitrouter.errors.DeadLetterReason;
import io.logitrouter.errors.DeadLetters;
import io.logitrouter.errors.RecordSizeLimits;
import io.logitrouter.event.EventLimits;
import io.logitrouter.event.EventScorer;
import io.logitrouter.metrics.ScoringMetrics;
import io.logitrouter.model.ModelLoader;
import io.logitrouter.model.ModelRegistry;
import io.logitrouter.scoring.Route;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.Header;
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

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Feeds byte-level mutations of the real evaluation events through the production topology and
 * checks that every input lands on exactly one of the four output topics, unchanged on the
 * dead-letter topic or as valid JSON with a {@code scoring} field spliced after its own bytes.
 *
 * <p>The mutations are seeded, so a failure names an iteration that reproduces.
 */
class BadInputFuzzTest {

    private static final long SEED = 0x5EED_2026_1204L;
    private static final int ITERATIONS = 20_000;
    private static final Topics TOPICS = new Topics(List.of("fuzz.in"), "fuzz.spam", "fuzz.alert", "fuzz.pass",
            "fuzz.dead-letter");
    private static final byte[] SCORING_FIELD = ",\"scoring\":{\"model\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STRUCTURAL = "{}[]\",:.-+eE0123456789 \ntfnul\\".getBytes(StandardCharsets.US_ASCII);
    /** Extreme numbers and values of other types that replace a number of the event. */
    private static final String[] NUMBER_REPLACEMENTS = {
        "1e400", "-1e400", "1e-400", "-0", "0.1e1", "12345678901234567890123", "-9007199254740993",
        "1.7976931348623157e308", "4.9e-324", "0e0", "1" + "0".repeat(400), "0." + "0".repeat(1200) + "1",
        "\"3.0\"", "true", "null", "[1]", "{\"v\":1}", "NaN", "Infinity",
    };
    private static final byte[][] INVALID_UTF8 = {
        {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {0},
    };
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    /** Rejects what a lenient reader would accept, so a valid output is valid strictly. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private Map<Route, TestOutputTopic<byte[], byte[]>> routeTopics;
    private TestOutputTopic<byte[], byte[]> deadLetter;

    @BeforeEach
    void startDriver() throws URISyntaxException {
        ModelRegistry models = ModelLoader.load(Path.of(BadInputFuzzTest.class.getResource("/data/models").toURI()),
                Optional.empty());
        ScoringMetrics metrics = new ScoringMetrics(new SimpleMeterRegistry(), models);
        EventLimits limits = EventLimits.defaults();
        RouterConfig config = RouterConfig.of(Map.of(
                "application.id", "fuzz-test",
                "bootstrap.servers", "unused:9092",
                "scoring.topic.input", TOPICS.inputs().get(0),
                "scoring.topic.spam", TOPICS.spam(),
                "scoring.topic.alert", TOPICS.alert(),
                "scoring.topic.pass", TOPICS.pass(),
                "scoring.topic.dead-letter", TOPICS.deadLetter()));
        Properties properties = new Properties();
        properties.putAll(StreamsSettings.build(config, TOPICS, new DeadLetterLog(TOPICS.deadLetter(), metrics)));
        properties.put(RecordSizeLimits.CONFIG, RecordSizeLimits.fixed(1 << 20, Map.of()));

        driver = new TopologyTestDriver(
                ScoringTopology.build(TOPICS, () -> new EventScorer(models, limits), metrics), properties);
        input = driver.createInputTopic(TOPICS.inputs().get(0), new ByteArraySerializer(), new ByteArraySerializer());
        routeTopics = new EnumMap<>(Route.class);
        for (Route route : Route.values()) {
            routeTopics.put(route, output(TOPICS.forRoute(route)));
        }
        deadLetter = output(TOPICS.deadLetter());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void mutatedEventsLandOnExactlyOneTopic() throws IOException {
        List<byte[]> events = new ArrayList<>();
        events.addAll(lines("/data/eval/feature-events.jsonl"));
        events.addAll(lines("/data/eval/logit-events.jsonl"));
        assertEquals(2 * 1308, events.size());

        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] value = mutate(random, events);
            String key = "fuzz-" + i;
            input.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(), T0.plusMillis(i)));
            String outcome = checkOutputs(i, key, value);
            outcomes.merge(outcome, 1, Integer::sum);
        }

        System.out.println("Fuzz outcomes for seed " + Long.toHexString(SEED) + ": " + outcomes);
        assertEquals(ITERATIONS, outcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(outcomes.keySet().containsAll(Set.of("route:spam", "route:pass", "route:alert",
                "invalid-json", "too-large", "non-finite-value", "non-numeric-value", "not-an-object")),
                "outcomes " + outcomes);
        assertTrue(outcomes.get("invalid-json") > ITERATIONS / 10, "outcomes " + outcomes);
        assertTrue(outcomes.get("route:pass") + outcomes.get("route:spam") > ITERATIONS / 10, "outcomes " + outcomes);
    }

    /** Checks the one output of input {@code iteration} and returns its route or dead-letter reason. */
    private String checkOutputs(int iteration, String key, byte[] value) {
        List<String> where = new ArrayList<>();
        String outcome = null;
        for (Map.Entry<Route, TestOutputTopic<byte[], byte[]>> topic : routeTopics.entrySet()) {
            for (TestRecord<byte[], byte[]> output : topic.getValue().readRecordsToList()) {
                where.add(topic.getKey().code());
                checkScored(iteration, key, value, topic.getKey(), output);
                outcome = "route:" + topic.getKey().code();
            }
        }
        for (TestRecord<byte[], byte[]> letter : deadLetter.readRecordsToList()) {
            where.add("dead-letter");
            outcome = checkDeadLetter(iteration, key, value, letter);
        }
        assertEquals(1, where.size(), () -> describe(iteration, value) + " landed on " + where);
        return outcome;
    }

    private static void checkScored(int iteration, String key, byte[] value, Route route,
            TestRecord<byte[], byte[]> output) {
        assertEquals(key, new String(output.key(), StandardCharsets.UTF_8));
        byte[] scored = output.value();
        assertStrictUtf8(iteration, scored);
        JsonNode tree;
        try {
            tree = STRICT.readTree(scored);
        } catch (IOException e) {
            throw new AssertionError(describe(iteration, value) + " gave invalid JSON output: " + e.getMessage(), e);
        }
        assertTrue(tree.isObject(), () -> describe(iteration, value));
        JsonNode scoring = tree.get("scoring");
        assertNotNull(scoring, () -> describe(iteration, value));
        assertEquals(route.code(), scoring.path("route").asText(), () -> describe(iteration, value));

        int splice = lastIndexOf(scored, SCORING_FIELD);
        assertTrue(splice > 0, () -> describe(iteration, value));
        assertArrayEquals(Arrays.copyOf(value, splice), Arrays.copyOf(scored, splice),
                () -> describe(iteration, value) + ": the output does not start with the input bytes");
        assertEquals('}', value[splice], () -> describe(iteration, value));
        for (int i = splice + 1; i < value.length; i++) {
            byte b = value[i];
            assertTrue(b == ' ' || b == '\n' || b == '\r' || b == '\t',
                    () -> describe(iteration, value) + ": input continues after the spliced brace");
        }
    }

    private static String checkDeadLetter(int iteration, String key, byte[] value, TestRecord<byte[], byte[]> letter) {
        assertEquals(key, new String(letter.key(), StandardCharsets.UTF_8));
        assertArrayEquals(value, letter.value(), () -> describe(iteration, value) + ": dead letter changed the value");
        String reason = header(letter, DeadLetters.REASON_HEADER);
        Set<String> codes = Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::code)
                .collect(Collectors.toSet());
        assertTrue(codes.contains(reason), () -> describe(iteration, value) + ": reason " + reason);
        assertNotEquals(DeadLetterReason.INTERNAL_ERROR.code(), reason,
                () -> describe(iteration, value) + ": " + header(letter, DeadLetters.MESSAGE_HEADER));
        assertNotNull(header(letter, DeadLetters.MESSAGE_HEADER), () -> describe(iteration, value));
        return reason;
    }

    /** Applies one to three random mutations to a random event. */
    private static byte[] mutate(SplittableRandom random, List<byte[]> events) {
        byte[] value = events.get(random.nextInt(events.size()));
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            value = mutateOnce(random, value, events);
        }
        return value;
    }

    private static byte[] mutateOnce(SplittableRandom random, byte[] value, List<byte[]> events) {
        int at = value.length == 0 ? 0 : random.nextInt(value.length);
        switch (random.nextInt(12)) {
            case 0: {
                byte[] copy = value.clone();
                if (copy.length > 0) {
                    copy[at] ^= (byte) (1 << random.nextInt(8));
                }
                return copy;
            }
            case 1:
                return insert(value, at, new byte[] {STRUCTURAL[random.nextInt(STRUCTURAL.length)]});
            case 2:
                return insert(value, at, new byte[] {(byte) random.nextInt(256)});
            case 3: {
                int end = Math.min(value.length, at + 1 + random.nextInt(8));
                return concat(Arrays.copyOf(value, at), Arrays.copyOfRange(value, end, value.length));
            }
            case 4: {
                int end = Math.min(value.length, at + 1 + random.nextInt(16));
                return insert(value, at, Arrays.copyOfRange(value, at, end));
            }
            case 5:
                return Arrays.copyOf(value, at);
            case 6: {
                byte[] other = events.get(random.nextInt(events.size()));
                int otherAt = random.nextInt(other.length);
                return concat(Arrays.copyOf(value, at), Arrays.copyOfRange(other, otherAt, other.length));
            }
            case 7: {
                int depth = random.nextInt(4) == 0 ? 1 + random.nextInt(20_000) : 1 + random.nextInt(80);
                String nested = ",\"deep\":" + "[".repeat(depth) + "]".repeat(depth);
                int brace = lastIndexOf(value, new byte[] {'}'});
                return insert(value, brace < 0 ? at : brace, nested.getBytes(StandardCharsets.US_ASCII));
            }
            case 8:
                return replaceNumber(random, value);
            case 9:
                return insert(value, at, INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
            case 10: {
                String[] fields = {"\"id\":\"dup\",", "\"scoring\":{},", "\"model\":\"email-spam\",", "\"logits\":{},",
                    "\"features\":{},", "\"note\":\"\\ud800\",", "\"s\":\"" + "x".repeat(5_000) + "\","};
                byte[] field = fields[random.nextInt(fields.length)].getBytes(StandardCharsets.UTF_8);
                return insert(value, Math.min(1, value.length), field);
            }
            default: {
                int end = Math.min(value.length, at + 1 + random.nextInt(40));
                return concat(Arrays.copyOf(value, at), Arrays.copyOfRange(value, end, value.length));
            }
        }
    }

    /** Replaces the number that starts at or after a random position with an extreme number or another value. */
    private static byte[] replaceNumber(SplittableRandom random, byte[] value) {
        int start = value.length == 0 ? 0 : random.nextInt(value.length);
        while (start < value.length && !(value[start] == '-' || (value[start] >= '0' && value[start] <= '9'))) {
            start++;
        }
        int end = start;
        while (end < value.length && "+-.eE0123456789".indexOf(value[end]) >= 0) {
            end++;
        }
        byte[] number = NUMBER_REPLACEMENTS[random.nextInt(NUMBER_REPLACEMENTS.length)].getBytes(StandardCharsets.US_ASCII);
        return concat(concat(Arrays.copyOf(value, start), number), Arrays.copyOfRange(value, end, value.length));
    }

    private static byte[] insert(byte[] value, int at, byte[] inserted) {
        return concat(concat(Arrays.copyOf(value, at), inserted), Arrays.copyOfRange(value, at, value.length));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(first.length + second.length);
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static void assertStrictUtf8(int iteration, byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            fail("iteration " + iteration + " gave an output that is not valid UTF-8: " + e);
        }
    }

    private static String describe(int iteration, byte[] value) {
        String text = new String(value, 0, Math.min(value.length, 300), StandardCharsets.UTF_8);
        return "iteration " + iteration + " (seed " + Long.toHexString(SEED) + ", " + value.length + " bytes: " + text
                + (value.length > 300 ? "..." : "") + ")";
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private TestOutputTopic<byte[], byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<byte[]> lines(String resource) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        try (InputStream in = BadInputFuzzTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return lines;
    }
}
