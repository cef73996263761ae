package io.logitrouter.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logitrouter.scoring.Activation;
import io.logitrouter.scoring.Route;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelLoaderTest {

    private static final String VALID = "{\"model\": \"m\", \"version\": \"1\", \"labels\": "
            + "{\"spam\": {\"threshold\": 0.5, \"route\": \"spam\"}}}";

    @TempDir
    Path directory;

    private static Path testModels() throws URISyntaxException {
        return Path.of(ModelLoaderTest.class.getResource("/data/models").toURI());
    }

    private Path write(String fileName, String json) throws IOException {
        Path file = directory.resolve(fileName);
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    private static String model(String name) {
        return VALID.replace("\"model\": \"m\"", "\"model\": \"" + name + "\"");
    }

    @Test
    void loadBundledReadsBothModels() {
        ModelRegistry registry = ModelLoader.loadBundled(Optional.empty());

        assertEquals(List.of("email-spam", "tumor-screening"), registry.names());
        assertTrue(registry.defaultModel().isEmpty());
    }

    @Test
    void loadBundledEmailSpamContents() {
        Model model = ModelLoader.loadBundled(Optional.empty()).find("email-spam").orElseThrow();
        Label spam = model.labels().get(0);

        assertEquals("2026-12-04", model.version());
        assertEquals(Activation.SIGMOID, model.activation());
        assertEquals(1, model.labels().size());
        assertEquals("spam", spam.name());
        assertEquals(0.5, spam.threshold());
        assertEquals(Route.SPAM, spam.route());
        assertEquals(-5.212025675005697, spam.bias());
        assertEquals(56, spam.weights().size());
        assertEquals("word_freq_make", spam.weights().keySet().iterator().next());
        assertEquals(0.4055428060978905, spam.weights().get("word_freq_make"));
        assertEquals(56, model.featureNames().size());
        assertEquals(0, model.featureSlot("word_freq_make"));
        assertEquals(-1, model.featureSlot("word_freq_857"));
    }

    @Test
    void loadBundledTumorScreeningContents() {
        Model model = ModelLoader.loadBundled(Optional.empty()).find("tumor-screening").orElseThrow();
        Label malignant = model.labels().get(0);

        assertEquals("malignant", malignant.name());
        assertEquals(0.3, malignant.threshold());
        assertEquals(Route.ALERT, malignant.route());
        assertEquals(30, malignant.weights().size());
    }

    @Test
    void loadBundledWithDefaultModel() {
        ModelRegistry registry = ModelLoader.loadBundled(Optional.of("tumor-screening"));

        assertEquals("tumor-screening", registry.defaultModel().orElseThrow().name());
    }

    @Test
    void loadDirectoryReadsFilesInNameOrder() throws URISyntaxException {
        ModelRegistry registry = ModelLoader.load(testModels(), Optional.empty());

        assertEquals(List.of("email-spam", "tumor-screening"), registry.names());
        assertEquals(2, registry.models().size());
    }

    @Test
    void loadDirectorySortsByFileName() throws IOException {
        write("b.json", model("alpha"));
        write("a.json", model("beta"));

        ModelRegistry registry = ModelLoader.load(directory, Optional.empty());

        assertEquals(List.of("beta", "alpha"), registry.names());
    }

    @Test
    void loadSingleFile() throws IOException {
        Path file = write("only.json", VALID);

        ModelRegistry registry = ModelLoader.load(file, Optional.empty());

        assertEquals(List.of("m"), registry.names());
        assertEquals("m", registry.defaultModel().orElseThrow().name());
    }

    @Test
    void loadDirectorySkipsHiddenAndOtherFiles() throws IOException {
        write("model.json", VALID);
        write(".hidden.json", model("hidden"));
        write("notes.txt", "not a model");
        Files.createDirectory(directory.resolve("nested.json"));

        ModelRegistry registry = ModelLoader.load(directory, Optional.empty());

        assertEquals(List.of("m"), registry.names());
    }

    @Test
    void loadConfigMapLayoutReadsEachModelOnce() throws IOException {
        // A ConfigMap volume contains ..<timestamp>/ with the files, ..data linking to it, and
        // one top-level link per file pointing into ..data.
        Path timestamped = Files.createDirectory(directory.resolve("..2026_12_04_10_00_00.123"));
        Files.writeString(timestamped.resolve("spam.json"), model("spam-model"));
        Files.writeString(timestamped.resolve("tumor.json"), model("tumor-model"));
        Files.createSymbolicLink(directory.resolve("..data"), timestamped.getFileName());
        Files.createSymbolicLink(directory.resolve("spam.json"), Path.of("..data", "spam.json"));
        Files.createSymbolicLink(directory.resolve("tumor.json"), Path.of("..data", "tumor.json"));

        ModelRegistry registry = ModelLoader.load(directory, Optional.empty());

        assertEquals(List.of("spam-model", "tumor-model"), registry.names());
    }

    @Test
    void loadRejectsMissingPath() {
        Path missing = directory.resolve("absent");

        ModelException error = assertThrows(ModelException.class, () -> ModelLoader.load(missing, Optional.empty()));

        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
    }

    @Test
    void loadRejectsEmptyDirectory() {
        ModelException error =
                assertThrows(ModelException.class, () -> ModelLoader.load(directory, Optional.empty()));

        assertTrue(error.getMessage().contains(directory.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("contains no .json model file"), error.getMessage());
    }

    @Test
    void loadRejectsDuplicateModelNames() throws IOException {
        write("a.json", model("same"));
        write("b.json", model("same"));

        ModelException error =
                assertThrows(ModelException.class, () -> ModelLoader.load(directory, Optional.empty()));

        assertTrue(error.getMessage().contains("\"same\""), error.getMessage());
        assertTrue(error.getMessage().contains(directory.resolve("a.json").toString()), error.getMessage());
        assertTrue(error.getMessage().contains(directory.resolve("b.json").toString()), error.getMessage());
    }

    @Test
    void loadRejectsDirectoryWithInvalidFile() throws IOException {
        write("a.json", VALID);
        write("b.json", "{\"model\": \"broken\"}");

        ModelException error =
                assertThrows(ModelException.class, () -> ModelLoader.load(directory, Optional.empty()));

        assertTrue(error.getMessage().contains("b.json"), error.getMessage());
    }

    @Test
    void loadRejectsUnknownDefaultModel() throws IOException {
        write("a.json", VALID);

        ModelException error =
                assertThrows(ModelException.class, () -> ModelLoader.load(directory, Optional.of("nope")));

        assertTrue(error.getMessage().contains("\"nope\""), error.getMessage());
        assertTrue(error.getMessage().contains("loaded models are m"), error.getMessage());
    }

    @Test
    void parseDefaultsActivationAndBias() {
        Model model = ModelLoader.parse("test.json", VALID.getBytes(StandardCharsets.UTF_8));

        assertEquals(Activation.SIGMOID, model.activation());
        assertEquals(0.0, model.labels().get(0).bias());
        assertTrue(model.labels().get(0).weights().isEmpty());
        assertFalse(model.compiled().hasWeights());
    }

    @Test
    void parseSoftmaxKeepsLabelAndWeightOrder() {
        String json = "{\"model\": \"s\", \"version\": \"\", \"activation\": \"softmax\", \"labels\": {"
                + "\"zeta\": {\"threshold\": 0, \"route\": \"alert\", \"weights\": {\"b\": 1, \"a\": 2}},"
                + "\"alpha\": {\"threshold\": 1, \"route\": \"spam\", \"bias\": -1.5, \"weights\": {\"c\": 3, \"b\": 4}}}}";

        Model model = ModelLoader.parse("test.json", json.getBytes(StandardCharsets.UTF_8));

        assertEquals(Activation.SOFTMAX, model.activation());
        assertEquals("", model.version());
        assertEquals("zeta", model.labels().get(0).name());
        assertEquals("alpha", model.labels().get(1).name());
        assertEquals(List.of("b", "a"), List.copyOf(model.labels().get(0).weights().keySet()));
        assertEquals(List.of("b", "a", "c"), model.featureNames());
        assertEquals(-1.5, model.labels().get(1).bias());
        assertEquals(1, model.labelIndex("alpha"));
        assertEquals(-1, model.labelIndex("beta"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // case | model file | field path in the message | text in the message
        "model missing | {'version': '1', 'labels': {}} | model | is missing",
        "model empty | {'model': '', 'version': '1', 'labels': {'x': {'threshold': 0.5, 'route': 'spam'}}} | model | empty string",
        "model not string | {'model': 7, 'version': '1', 'labels': {}} | model | the number 7",
        "version missing | {'model': 'm', 'labels': {}} | version | is missing",
        "version not string | {'model': 'm', 'version': 2, 'labels': {}} | version | must be a string",
        "activation unknown | {'model': 'm', 'version': '1', 'activation': 'relu', 'labels': {}} | activation | \"relu\"",
        "activation not string | {'model': 'm', 'version': '1', 'activation': null, 'labels': {}} | activation | null",
        "labels missing | {'model': 'm', 'version': '1'} | labels | is missing",
        "labels empty | {'model': 'm', 'version': '1', 'labels': {}} | labels | an empty object",
        "labels array | {'model': 'm', 'version': '1', 'labels': []} | labels | an array",
        "label not object | {'model': 'm', 'version': '1', 'labels': {'spam': 0.5}} | labels.spam | must be an object",
        "label name empty | {'model': 'm', 'version': '1', 'labels': {'': {'threshold': 0.5, 'route': 'spam'}}} | labels | empty name",
        "threshold missing | {'model': 'm', 'version': '1', 'labels': {'spam': {'route': 'spam'}}} | labels.spam.threshold | is missing",
        "threshold above 1 | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': 1.5, 'route': 'spam'}}} | labels.spam.threshold | the number 1.5",
        "threshold below 0 | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': -0.1, 'route': 'spam'}}} | labels.spam.threshold | from 0 to 1",
        "threshold string | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': '0.5', 'route': 'spam'}}} | labels.spam.threshold | the string \"0.5\"",
        "route missing | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': 0.5}}} | labels.spam.route | is missing",
        "route pass | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': 0.5, 'route': 'pass'}}} | labels.spam.route | \"pass\"",
        "route unknown | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': 0.5, 'route': 'SPAM'}}} | labels.spam.route | \"SPAM\"",
        "bias string | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': 0.5, 'route': 'spam', 'bias': 'x'}}} | labels.spam.bias | finite number",
        "bias overflow | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': 0.5, 'route': 'spam', 'bias': 1e400}}} | labels.spam.bias | overflows",
        "weights array | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': 0.5, 'route': 'spam', 'weights': [1]}}} | labels.spam.weights | must be an object",
        "weight null | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': 0.5, 'route': 'spam', 'weights': {'f': null}}}} | labels.spam.weights.f | finite number",
        "weight overflow | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': 0.5, 'route': 'spam', 'weights': {'f': -1e400}}}} | labels.spam.weights.f | overflows",
        "feature name empty | {'model': 'm', 'version': '1', 'labels': {'spam': {'threshold': 0.5, 'route': 'spam', 'weights': {'': 1}}}} | labels.spam.weights | empty name",
        "unknown top-level field | {'model': 'm', 'version': '1', 'activaton': 'softmax', 'labels': {}} | activaton | not a known field",
        "unknown label field | {'model': 'm', 'version': '1', 'labels': {'spam': {'treshold': 0.5, 'route': 'spam'}}} | labels.spam.treshold | correct its spelling",
        "root not object | ['m'] | file contains an array | one JSON object",
        "softmax one label | {'model': 'm', 'version': '1', 'activation': 'softmax', 'labels': {'only': {'threshold': 0.5, 'route': 'alert'}}} | labels | at least two",
    })
    void parseRejectsInvalidField(String description, String json, String field, String problem) throws IOException {
        Path file = write("bad.json", json.replace('\'', '"'));

        ModelException error = assertThrows(ModelException.class, () -> ModelLoader.load(file, Optional.empty()));

        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains(field), error.getMessage());
        assertTrue(error.getMessage().contains(problem), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "syntax error | {\"model\": \"m\", | not valid JSON",
        "duplicate key | {\"model\": \"m\", \"model\": \"n\", \"version\": \"1\", \"labels\": {}} | 'model'",
        "trailing content | " + "{\"model\": \"m\", \"version\": \"1\", \"labels\": {\"spam\": {\"threshold\": 0.5, \"route\": \"spam\"}}} {} | not valid JSON",
        "NaN token | {\"model\": \"m\", \"version\": \"1\", \"labels\": {\"spam\": {\"threshold\": NaN, \"route\": \"spam\"}}} | not valid JSON",
        "comment | /* model */ {} | not valid JSON",
    })
    void parseRejectsInvalidJson(String description, String json, String problem) throws IOException {
        Path file = write("bad.json", json);

        ModelException error = assertThrows(ModelException.class, () -> ModelLoader.load(file, Optional.empty()));

        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains(problem), error.getMessage());
    }

    @Test
    void parseRejectsEmptyFile() throws IOException {
        Path file = write("empty.json", "");

        ModelException error = assertThrows(ModelException.class, () -> ModelLoader.load(file, Optional.empty()));

        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("empty"), error.getMessage());
    }

    @Test
    void parseRejectsUnpairedSurrogateInVersion() {
        String json = VALID.replace("\"version\": \"1\"", "\"version\": \"1\\ud800\"");

        ModelException error = assertThrows(ModelException.class,
                () -> ModelLoader.parse("test.json", json.getBytes(StandardCharsets.UTF_8)));

        assertTrue(error.getMessage().contains("unpaired surrogate"), error.getMessage());
    }

    @Test
    void parseQuotesLongValuesTruncated() {
        String longVersion = "v".repeat(500);
        String json = VALID.replace("\"version\": \"1\"", "\"version\": 1, \"" + longVersion + "\": 1");

        ModelException error = assertThrows(ModelException.class,
                () -> ModelLoader.parse("test.json", json.getBytes(StandardCharsets.UTF_8)));

        assertTrue(error.getMessage().contains("v".repeat(64) + "..."), error.getMessage());
        assertFalse(error.getMessage().contains("v".repeat(65)), error.getMessage());
    }
}
