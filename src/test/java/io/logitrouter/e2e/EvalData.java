package io.logitrouter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation set in the test resources: real SpamAssassin and Wisconsin breast-cancer events
 * with their reference results, which were computed independently of this project.
 */
public final class EvalData {

    public static final String FEATURE_EVENTS = "/data/eval/feature-events.jsonl";
    public static final String LOGIT_EVENTS = "/data/eval/logit-events.jsonl";
    static final String EXPECTED = "/data/eval/expected.jsonl";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EvalData() {
    }

    /** Returns the model directory the reference results were computed with. */
    static Path modelsDir() {
        try {
            return Path.of(EvalData.class.getResource("/data/models").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the lines of a resource file, each as it is in the file. */
    public static List<String> lines(String resource) {
        List<String> lines = new ArrayList<>();
        try (InputStream in = EvalData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** Returns the reference results by event id, in file order. */
    static Map<String, JsonNode> expectedById() {
        Map<String, JsonNode> expected = new LinkedHashMap<>();
        for (String line : lines(EXPECTED)) {
            JsonNode answer = parse(line);
            expected.put(answer.get("id").asText(), answer);
        }
        return expected;
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("invalid JSON: " + json, e);
        }
    }

    static JsonNode parse(byte[] json) {
        return parse(new String(json, StandardCharsets.UTF_8));
    }
}
