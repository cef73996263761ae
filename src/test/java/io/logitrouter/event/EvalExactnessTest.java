package io.logitrouter.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logitrouter.model.ModelLoader;
import io.logitrouter.model.ModelRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scores every evaluation event with the evaluation models and compares the output with the
 * expected results, which were computed in float64 with the same summation order.
 */
class EvalExactnessTest {

    private static final int EVENT_COUNT = 1308;
    private static final double TOLERANCE = 1e-12;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ModelRegistry models;
    private static List<JsonNode> expected;

    @BeforeAll
    static void loadModelsAndAnswers() throws IOException, URISyntaxException {
        models = ModelLoader.load(Path.of(EvalExactnessTest.class.getResource("/data/models").toURI()),
                Optional.empty());
        expected = new ArrayList<>();
        for (String line : readLines("/data/eval/expected.jsonl")) {
            expected.add(MAPPER.readTree(line));
        }
    }

    private static List<String> readLines(String resource) throws IOException {
        List<String> lines = new ArrayList<>();
        try (InputStream in = EvalExactnessTest.class.getResourceAsStream(resource);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.asText()));
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/data/eval/feature-events.jsonl", "/data/eval/logit-events.jsonl"})
    void scoreMatchesReferenceAnswers(String resource) throws IOException {
        EventScorer scorer = new EventScorer(models, EventLimits.defaults());
        List<String> lines = readLines(resource);
        Map<String, Integer> routeCounts = new HashMap<>();

        assertEquals(EVENT_COUNT, lines.size());
        assertEquals(EVENT_COUNT, expected.size());
        for (int i = 0; i < lines.size(); i++) {
            byte[] input = lines.get(i).getBytes(StandardCharsets.UTF_8);
            JsonNode answer = expected.get(i);
            String id = answer.get("id").asText();

            ScoredEvent event = scorer.score(input);
            JsonNode output = MAPPER.readTree(event.value());
            JsonNode scoring = output.get("scoring");
            String label = event.model().labels().get(0).name();
            double probability = scoring.get("probabilities").get(label).asDouble();

            assertEquals(id, output.get("id").asText());
            assertEquals(answer.get("model").asText(), scoring.get("model").asText(), id);
            assertEquals(event.model().version(), scoring.get("version").asText(), id);
            assertEquals(answer.get("route").asText(), scoring.get("route").asText(), id);
            assertEquals(answer.get("route").asText(), event.route().code(), id);
            assertEquals(names(answer.get("fired")), names(scoring.get("fired")), id);
            assertTrue(Math.abs(probability - answer.get("probability").asDouble()) <= TOLERANCE,
                    () -> id + ": " + probability + " vs " + answer.get("probability"));
            assertEquals(event.probability(0), probability, id + ": written probability must parse back exactly");

            // Everything except the appended field is the input, byte for byte.
            ObjectNode withoutScoring = ((ObjectNode) output).deepCopy();
            withoutScoring.remove("scoring");
            assertEquals(MAPPER.readTree(input), withoutScoring, id);
            byte[] prefix = lines.get(i).substring(0, lines.get(i).lastIndexOf('}')).getBytes(StandardCharsets.UTF_8);
            byte[] outputPrefix = new byte[prefix.length];
            System.arraycopy(event.value(), 0, outputPrefix, 0, prefix.length);
            assertArrayEquals(prefix, outputPrefix, id);

            routeCounts.merge(answer.get("model").asText() + "/" + event.route().code(), 1, Integer::sum);
        }

        assertEquals(Map.of("email-spam/spam", 359, "email-spam/pass", 839,
                "tumor-screening/alert", 39, "tumor-screening/pass", 71), routeCounts);
    }
}
