package io.logitrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logitrouter.event.EventLimits;
import io.logitrouter.event.EventScorer;
import io.logitrouter.model.ModelLoader;
import io.logitrouter.model.ModelRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keeps the benchmark baseline honest: it must compute what the service computes. */
class TreeScorerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void baselineMatchesServiceOutput() throws IOException {
        ModelRegistry models = ModelLoader.loadBundled(Optional.empty());
        EventScorer service = new EventScorer(models, EventLimits.defaults());
        TreeScorer tree = new TreeScorer(models);
        String[] events = {
            "{\"id\":\"a\",\"model\":\"email-spam\",\"features\":{\"word_freq_free\":2.5,\"char_freq_bang\":0.4}}",
            "{\"id\":\"b\",\"model\":\"tumor-screening\",\"logits\":{\"malignant\":-0.75}}",
            "{\"id\":\"c\",\"model\":\"email-spam\",\"features\":{}}",
        };

        for (String event : events) {
            byte[] input = event.getBytes(StandardCharsets.UTF_8);
            JsonNode expected = MAPPER.readTree(service.score(input).value());
            JsonNode actual = MAPPER.readTree(tree.score(input));
            assertEquals(expected, actual, event);
        }
    }
}
