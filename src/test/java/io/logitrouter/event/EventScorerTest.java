package io.logitrouter.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logitrouter.errors.DeadLetterReason;
import io.logitrouter.errors.ScoringException;
import io.logitrouter.model.Model;
import io.logitrouter.model.ModelLoader;
import io.logitrouter.model.ModelRegistry;
import io.logitrouter.scoring.Route;
import io.logitrouter.scoring.Sigmoid;
import io.logitrouter.scoring.Softmax;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventScorerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final ModelRegistry BUNDLED = ModelLoader.loadBundled(Optional.empty());
    private static final Model EMAIL = BUNDLED.find("email-spam").orElseThrow();
    private static final Model TUMOR = BUNDLED.find("tumor-screening").orElseThrow();

    /** Two independent labels: spam routes to spam, urgent to alert. */
    private static final Model PAIR = model("{'model': 'pair', 'version': 'v2', 'labels': {"
            + "'spam': {'threshold': 0.5, 'route': 'spam', 'weights': {'x': 1}},"
            + "'urgent': {'threshold': 0.5, 'route': 'alert', 'weights': {'y': 1}}}}");

    /** Three mutually exclusive labels. */
    private static final Model TRIO = model("{'model': 'trio', 'version': '3', 'activation': 'softmax', 'labels': {"
            + "'a': {'threshold': 0.05, 'route': 'spam'},"
            + "'b': {'threshold': 0.5, 'route': 'alert'},"
            + "'c': {'threshold': 0.6, 'route': 'spam'}}}");

    private static final Model LOGIT_ONLY = model("{'model': 'logit-only', 'version': '1', 'labels': {"
            + "'spam': {'threshold': 0.5, 'route': 'spam', 'bias': 2}}}");

    private static final Model HUGE_WEIGHTS = model("{'model': 'huge', 'version': '1', 'labels': {"
            + "'spam': {'threshold': 0.5, 'route': 'spam', 'weights': {'a': 1e308, 'b': -1e308}}}}");

    private static final Model EDGES = model("{'model': 'edges', 'version': '1', 'labels': {"
            + "'near-one': {'threshold': 0.9999999999999999, 'route': 'spam'},"
            + "'point-three': {'threshold': 0.3, 'route': 'alert'}}}");

    private static final ModelRegistry ALL = ModelRegistry.of(
            List.of(EMAIL, TUMOR, PAIR, TRIO, LOGIT_ONLY, HUGE_WEIGHTS, EDGES), Optional.empty());

    private final EventScorer scorer = new EventScorer(ALL, EventLimits.defaults());

    private static Model model(String json) {
        return ModelLoader.parse("test", json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private ScoredEvent score(String json) {
        return scorer.score(utf8(json));
    }

    private ScoringException reject(String json) {
        return reject(utf8(json));
    }

    private ScoringException reject(byte[] value) {
        return assertThrows(ScoringException.class, () -> scorer.score(value));
    }

    private static JsonNode parse(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    // Output values

    @Test
    void scoreLogitEventExactOutput() {
        ScoredEvent event = score("{\"id\":\"m1\",\"model\":\"email-spam\",\"logits\":{\"spam\":0}}");

        assertEquals("{\"id\":\"m1\",\"model\":\"email-spam\",\"logits\":{\"spam\":0},\"scoring\":{"
                + "\"model\":\"email-spam\",\"version\":\"2026-12-04\",\"probabilities\":{\"spam\":0.5},"
                + "\"fired\":[],\"route\":\"pass\"}}", text(event.value()));
        assertEquals(Route.PASS, event.route());
    }

    @Test
    void scoreFiringLogitEventExactOutput() {
        ScoredEvent event = score("{\"id\":\"m2\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}");

        assertEquals("{\"id\":\"m2\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"scoring\":{"
                + "\"model\":\"email-spam\",\"version\":\"2026-12-04\",\"probabilities\":{\"spam\":0.7310585786300049},"
                + "\"fired\":[\"spam\"],\"route\":\"spam\"}}", text(event.value()));
        assertEquals(Route.SPAM, event.route());
    }

    @Test
    void scoreFeatureEventExactOutput() {
        ScoredEvent event = score("{\"id\":\"f1\",\"model\":\"pair\",\"features\":{\"x\":0,\"other\":5}}");

        assertEquals("{\"id\":\"f1\",\"model\":\"pair\",\"features\":{\"x\":0,\"other\":5},\"scoring\":{"
                + "\"model\":\"pair\",\"version\":\"v2\",\"probabilities\":{\"spam\":0.5,\"urgent\":0.5},"
                + "\"fired\":[],\"route\":\"pass\"}}", text(event.value()));
        assertEquals(1, event.ignoredEntries());
    }

    @Test
    void scoreSubnormalProbabilityExactOutput() {
        ScoredEvent event = score("{\"id\":\"low\",\"model\":\"email-spam\",\"logits\":{\"spam\":-710}}");

        assertTrue(text(event.value()).contains("\"probabilities\":{\"spam\":4.47628622567513E-309}"),
                text(event.value()));
        assertEquals(Sigmoid.apply(-710), event.probability(0));
    }

    @ParameterizedTest(name = "logit {0}")
    @ValueSource(doubles = {-745, -710, -40, -12.5, -1e-10, 1e-10, 0.3, 17, 36.5, 40})
    void scoreWritesProbabilitiesThatParseBack(double logit) throws IOException {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":" + logit + "}}");

        double written = parse(event.value()).get("scoring").get("probabilities").get("spam").doubleValue();

        assertEquals(Sigmoid.apply(logit), event.probability(0));
        assertEquals(event.probability(0), written);
    }

    @Test
    void scoreKeepsCarriedFieldBytes() {
        String input = "  {\"id\":\"a\",\"n\":1.50,\"e\":1E+2,\"neg\":-0.0,\"big\":123456789012345678901234567890,"
                + "\"s\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\/\",\"raw\":\"café 😀\","
                + "\"nested\":{\"x\":[1,2,{\"y\":null}],\"t\":true,\"scoring\":\"nested is fine\"},"
                + "\"model\":\"email-spam\",\"logits\":{\"spam\":0, \"extra\":2.50}} \n\t";
        String prefix = input.substring(0, input.lastIndexOf('}'));

        ScoredEvent event = score(input);

        assertEquals(prefix + ",\"scoring\":{\"model\":\"email-spam\",\"version\":\"2026-12-04\","
                + "\"probabilities\":{\"spam\":0.5},\"fired\":[],\"route\":\"pass\"}}", text(event.value()));
    }

    @Test
    void scoreKeepsWhitespaceBeforeClosingBrace() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":0} \n }");

        assertTrue(text(event.value()).startsWith("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":0} \n ,"
                + "\"scoring\":{"), text(event.value()));
    }

    @Test
    void scoreOutputIsValidJson() throws IOException {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"pair\",\"logits\":{\"spam\":3,\"urgent\":-3},"
                + "\"meta\":{\"k\":[1,{\"v\":\"\\u0000\"}]}}");

        JsonNode output = parse(event.value());

        assertEquals("pair", output.get("scoring").get("model").asText());
        assertEquals("v2", output.get("scoring").get("version").asText());
        assertEquals("spam", output.get("scoring").get("route").asText());
        assertEquals("\u0000", output.get("meta").get("k").get(1).get("v").asText());
    }

    @Test
    void scoreEscapesModelAndLabelNames() throws IOException {
        Model quoted = model("{'model': 'q\\\"m\\\\', 'version': 'v\\n1', 'labels': {"
                + "'l\\\"1': {'threshold': 0, 'route': 'spam'}}}");
        EventScorer quotedScorer = new EventScorer(ModelRegistry.of(List.of(quoted), Optional.empty()),
                EventLimits.defaults());

        ScoredEvent event = quotedScorer.score(utf8("{\"id\":\"a\",\"logits\":{\"l\\\"1\":0}}"));
        JsonNode scoring = parse(event.value()).get("scoring");

        assertEquals("q\"m\\", scoring.get("model").asText());
        assertEquals("v\n1", scoring.get("version").asText());
        assertEquals(0.5, scoring.get("probabilities").get("l\"1").asDouble());
        assertEquals("l\"1", scoring.get("fired").get(0).asText());
    }

    // Routing and probabilities

    @Test
    void scoreBothLabelsFireRoutesAlert() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"pair\",\"logits\":{\"spam\":3,\"urgent\":3}}");

        assertEquals(Route.ALERT, event.route());
        assertTrue(event.fired(0));
        assertTrue(event.fired(1));
        assertEquals(List.of(PAIR.labels().get(0), PAIR.labels().get(1)), event.firedLabels());
        assertTrue(text(event.value()).contains("\"fired\":[\"spam\",\"urgent\"],\"route\":\"alert\"}"));
    }

    @Test
    void scoreOnlySpamFiresRoutesSpam() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"pair\",\"features\":{\"x\":3,\"y\":-3}}");

        assertEquals(Route.SPAM, event.route());
        assertTrue(event.fired(0));
        assertFalse(event.fired(1));
        assertEquals(EventKind.FEATURES, event.kind());
    }

    @Test
    void scoreOnlyAlertFiresRoutesAlert() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"pair\",\"features\":{\"y\":0.25}}");

        assertEquals(Route.ALERT, event.route());
        assertFalse(event.fired(0));
        assertTrue(event.fired(1));
        assertEquals(Sigmoid.apply(0.25), event.probability(1));
    }

    @Test
    void scoreSoftmaxThreeLabels() throws IOException {
        double[] expected = new double[3];
        Softmax.apply(new double[] {1, 2, 3}, expected);

        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"trio\",\"logits\":{\"a\":1,\"b\":2,\"c\":3}}");
        JsonNode probabilities = parse(event.value()).get("scoring").get("probabilities");

        assertArrayEquals(expected, event.probabilities());
        assertEquals(expected[0], probabilities.get("a").asDouble());
        assertEquals(expected[1], probabilities.get("b").asDouble());
        assertEquals(expected[2], probabilities.get("c").asDouble());
        assertTrue(event.fired(0), "a: 0.090 > 0.05");
        assertFalse(event.fired(1), "b: 0.245 <= 0.5");
        assertTrue(event.fired(2), "c: 0.665 > 0.6");
        assertEquals(Route.SPAM, event.route());
        assertTrue(text(event.value()).contains("\"fired\":[\"a\",\"c\"],\"route\":\"spam\"}"));
    }

    @Test
    void scoreFiresAt37BelowOne() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"edges\",\"logits\":{\"near-one\":37,\"point-three\":-50}}");

        assertEquals(1.0, event.probability(0));
        assertTrue(event.fired(0));
        assertEquals(Route.SPAM, event.route());
    }

    @Test
    void scoreFiresWhereProbabilityRoundsToThreshold() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"edges\","
                + "\"logits\":{\"near-one\":0,\"point-three\":-0.8472978603872036}}");

        assertEquals(0.3, event.probability(1));
        assertTrue(event.fired(1));
        assertEquals(Route.ALERT, event.route());
    }

    @Test
    void scoreDoesNotFireJustBelowBoundary() {
        double belowBoundary = Math.nextDown(-0.8472978603872036);

        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"edges\","
                + "\"logits\":{\"near-one\":0,\"point-three\":" + belowBoundary + "}}");

        assertFalse(event.fired(1));
        assertEquals(Route.PASS, event.route());
    }

    @Test
    void scoreZeroLogitDoesNotFireAtHalf() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":-0.0}}");

        assertEquals(0.5, event.probability(0));
        assertFalse(event.fired(0));
    }

    @Test
    void scoreEmptyFeaturesUsesBias() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"email-spam\",\"features\":{}}");

        assertEquals(Sigmoid.apply(EMAIL.labels().get(0).bias()), event.probability(0));
        assertEquals(0, event.ignoredEntries());
        assertEquals(Route.PASS, event.route());
    }

    @Test
    void scoreUnderflowingNumberReadsAsZero() {
        ScoredEvent logits = score("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1e-400}}");
        ScoredEvent features = score("{\"id\":\"a\",\"model\":\"pair\",\"features\":{\"x\":-1e-400,\"y\":1E-400}}");

        assertEquals(0.5, logits.probability(0));
        assertFalse(logits.fired(0));
        assertEquals(0.5, features.probability(0));
        assertEquals(0.5, features.probability(1));
    }

    @Test
    void scoreCountsIgnoredEntries() {
        ScoredEvent features = score("{\"id\":\"a\",\"model\":\"pair\",\"features\":{\"x\":1,\"p\":1,\"q\":2,\"r\":3}}");
        ScoredEvent logits = score("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"ham\":1,\"spam\":2}}");

        assertEquals(3, features.ignoredEntries());
        assertEquals(1, logits.ignoredEntries());
        assertEquals(EventKind.LOGITS, logits.kind());
    }

    @Test
    void scoreReportsModelAndLabelCount() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"trio\",\"logits\":{\"a\":0,\"b\":0,\"c\":0}}");

        assertEquals(TRIO, event.model());
        assertEquals(3, event.labelCount());
    }

    @Test
    void scoreAcceptsFieldsInAnyOrder() {
        ScoredEvent event = score("{\"logits\":{\"spam\":1},\"extra\":[],\"model\":\"email-spam\",\"id\":\"last\"}");

        assertEquals(Route.SPAM, event.route());
    }

    // Model resolution

    @Test
    void scoreModelOmittedWithSingleModel() {
        EventScorer single = new EventScorer(ModelRegistry.of(List.of(EMAIL), Optional.empty()), EventLimits.defaults());

        ScoredEvent event = single.score(utf8("{\"id\":\"a\",\"logits\":{\"spam\":1}}"));

        assertEquals(EMAIL, event.model());
        assertTrue(text(event.value()).contains("\"scoring\":{\"model\":\"email-spam\""));
    }

    @Test
    void scoreModelOmittedWithDefaultModel() {
        EventScorer withDefault = new EventScorer(
                ModelRegistry.of(List.of(EMAIL, TUMOR), Optional.of("tumor-screening")), EventLimits.defaults());

        ScoredEvent event = withDefault.score(utf8("{\"id\":\"a\",\"logits\":{\"malignant\":0}}"));

        assertEquals(TUMOR, event.model());
        assertTrue(event.fired(0), "0.5 > 0.3");
        assertEquals(Route.ALERT, event.route());
    }

    @Test
    void scoreModelOmittedWithSeveralModels() {
        ScoringException error = reject("{\"id\":\"a\",\"logits\":{\"spam\":1}}");

        assertEquals(DeadLetterReason.UNKNOWN_MODEL, error.reason());
        assertTrue(error.getMessage().contains("no default model"), error.getMessage());
    }

    @Test
    void scoreExplicitModelOverridesDefault() {
        EventScorer withDefault = new EventScorer(
                ModelRegistry.of(List.of(EMAIL, TUMOR), Optional.of("tumor-screening")), EventLimits.defaults());

        ScoredEvent event = withDefault.score(utf8("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}"));

        assertEquals(EMAIL, event.model());
    }

    // Dead-letter reasons

    @Test
    void rejectNullAsEmptyValue() {
        assertEquals(DeadLetterReason.EMPTY_VALUE, reject((byte[]) null).reason());
    }

    @Test
    void rejectZeroBytesAsEmptyValue() {
        assertEquals(DeadLetterReason.EMPTY_VALUE, reject(new byte[0]).reason());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}} x",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}{}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}} 2",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":NaN}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":Infinity}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":-Infinity}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"other\":NaN}",
        "{'id':'a','model':'email-spam','logits':{'spam':1}}",
        "{\"id\":\"a\",/* note */\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":01}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1,}}",
        "{\"id\":\"a\tb\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
        "   ",
        "1 2",
        "}",
    })
    void rejectMalformedJsonAsInvalidJson(String json) {
        assertEquals(DeadLetterReason.INVALID_JSON, reject(json).reason());
    }

    @ParameterizedTest(name = "bytes {0}")
    @CsvSource({
        "C0 80",       // overlong NUL
        "C0 AF",       // overlong slash
        "ED A0 80",    // encoded surrogate
        "F4 90 80 80", // above U+10FFFF
        "FF",          // never used
        "80",          // continuation without lead
        "E2 82",       // truncated sequence
    })
    void rejectInvalidUtf8InSkippedString(String hex) {
        byte[] value = concat(utf8("{\"id\":\"a\",\"note\":\"x"), HexFormat.of().parseHex(hex.replace(" ", "")),
                utf8("y\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}"));

        ScoringException error = reject(value);

        assertEquals(DeadLetterReason.INVALID_JSON, error.reason());
        assertTrue(error.getMessage().contains("UTF-8"), error.getMessage());
    }

    @Test
    void rejectInvalidUtf8InFieldName() {
        byte[] value = concat(utf8("{\"id\":\"a\",\"no"), new byte[] {(byte) 0xED, (byte) 0xB0, (byte) 0x80},
                utf8("te\":1,\"model\":\"email-spam\",\"logits\":{\"spam\":1}}"));

        assertEquals(DeadLetterReason.INVALID_JSON, reject(value).reason());
    }

    @Test
    void rejectByteOrderMarkAsInvalidJson() {
        byte[] value = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                utf8("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}"));

        ScoringException error = reject(value);

        assertEquals(DeadLetterReason.INVALID_JSON, error.reason());
        assertTrue(error.getMessage().contains("byte-order mark"), error.getMessage());
    }

    @Test
    void rejectUtf16AsInvalidJson() {
        byte[] littleEndian = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}"
                .getBytes(StandardCharsets.UTF_16LE);
        byte[] bigEndian = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}"
                .getBytes(StandardCharsets.UTF_16BE);

        assertEquals(DeadLetterReason.INVALID_JSON, reject(littleEndian).reason());
        assertEquals(DeadLetterReason.INVALID_JSON, reject(bigEndian).reason());
    }

    @Test
    void rejectNulByteAsInvalidJson() {
        byte[] value = utf8("{\"id\":\"a\u0000\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}");

        assertEquals(DeadLetterReason.INVALID_JSON, reject(value).reason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"id\":\"a\",\"id\":\"b\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1,\"spam\":2}}",
        "{\"id\":\"a\",\"model\":\"pair\",\"features\":{\"x\":1,\"q\":2,\"q\":2}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"meta\":{\"k\":1,\"k\":1}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"list\":[{\"k\":[{\"j\":1,\"j\":2}]}]}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"model\":\"email-spam\"}",
        "[{\"k\":1,\"k\":2}]",
    })
    void rejectDuplicateKeysAsInvalidJson(String json) {
        ScoringException error = reject(json);

        assertEquals(DeadLetterReason.INVALID_JSON, error.reason());
        assertTrue(error.getMessage().contains("twice"), error.getMessage());
    }

    @Test
    void scoreAcceptsSameKeyInDifferentObjects() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},"
                + "\"list\":[{\"id\":1},{\"id\":2}],\"nested\":{\"nested\":{\"spam\":3}},\"spam\":4}");

        assertEquals(Route.SPAM, event.route());
    }

    @Test
    void rejectDuplicateAmongManyKeys() {
        StringBuilder json = new StringBuilder("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}");
        for (int i = 0; i < 5000; i++) {
            json.append(",\"key").append(i).append("\":").append(i);
        }
        String distinct = json + "}";
        String duplicated = json + ",\"key4321\":0}";

        assertEquals(Route.SPAM, score(distinct).route());
        assertEquals(DeadLetterReason.INVALID_JSON, reject(duplicated).reason());
        assertEquals(Route.SPAM, score(distinct).route());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"id\":\"\\ud800\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"note\":\"x\\udc00y\"}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1,\"\\ud800\":2}}",
        "{\"id\":\"a\",\"model\":\"\\ud800\",\"logits\":{\"spam\":1}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"n\":[\"\\ud83d\\u0041\"]}",
        "\"\\ud800\"",
    })
    void rejectLoneSurrogateEscapeAsInvalidJson(String json) {
        assertEquals(DeadLetterReason.INVALID_JSON, reject(json).reason());
    }

    @Test
    void scoreAcceptsSurrogatePairAndEscapedBackslash() {
        String json = "{\"id\":\"\\ud83d\\ude00\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},"
                + "\"path\":\"C:\\\\ud800\"}";

        assertEquals(Route.SPAM, score(json).route());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"null", "[]", "[1, {\"id\": \"a\"}]", "\"text\"", "42", "-1.5e3", "true", " false "})
    void rejectOtherJsonValuesAsNotAnObject(String json) {
        assertEquals(DeadLetterReason.NOT_AN_OBJECT, reject(json).reason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
        "{\"id\":\"\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
        "{\"id\":5,\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
        "{\"id\":null,\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
        "{\"id\":[\"a\"],\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
        "{\"id\":{\"v\":\"a\"},\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
    })
    void rejectBadIdAsInvalidId(String json) {
        assertEquals(DeadLetterReason.INVALID_ID, reject(json).reason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"id\":\"a\",\"model\":\"nope\",\"logits\":{\"spam\":1}}",
        "{\"id\":\"a\",\"model\":\"EMAIL-SPAM\",\"logits\":{\"spam\":1}}",
        "{\"id\":\"a\",\"model\":\"\",\"logits\":{\"spam\":1}}",
        "{\"id\":\"a\",\"model\":5,\"logits\":{\"spam\":1}}",
        "{\"id\":\"a\",\"model\":null,\"logits\":{\"spam\":1}}",
        "{\"id\":\"a\",\"logits\":{\"spam\":1}}",
    })
    void rejectUnresolvedModelAsUnknownModel(String json) {
        assertEquals(DeadLetterReason.UNKNOWN_MODEL, reject(json).reason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"id\":\"a\",\"model\":\"email-spam\"}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":5}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":[1]}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"features\":null}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"features\":\"x=1\"}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"scores\":{\"spam\":1}}",
    })
    void rejectMissingScoresObjectAsMissingScores(String json) {
        assertEquals(DeadLetterReason.MISSING_SCORES, reject(json).reason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"features\":{}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"features\":{},\"logits\":{\"spam\":1}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"features\":null}",
    })
    void rejectBothScoresAsAmbiguousScores(String json) {
        assertEquals(DeadLetterReason.AMBIGUOUS_SCORES, reject(json).reason());
    }

    @Test
    void rejectAbsentLabelAsMissingLabel() {
        ScoringException error = reject("{\"id\":\"a\",\"model\":\"pair\",\"logits\":{\"spam\":1,\"extra\":2}}");

        assertEquals(DeadLetterReason.MISSING_LABEL, error.reason());
        assertTrue(error.getMessage().contains("\"urgent\""), error.getMessage());
    }

    @Test
    void rejectEmptyLogitsAsMissingLabel() {
        assertEquals(DeadLetterReason.MISSING_LABEL,
                reject("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{}}").reason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":\"3.0\"}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":true}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":null}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":[1]}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":{\"v\":1}}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1,\"unused\":\"x\"}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"features\":{\"unused\":false}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"features\":{\"word_freq_make\":\"0.1\"}}",
    })
    void rejectNonNumberAsNonNumericValue(String json) {
        assertEquals(DeadLetterReason.NON_NUMERIC_VALUE, reject(json).reason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1e400}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":-1e400}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1.8e308}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1,\"unused\":1E400}}",
        "{\"id\":\"a\",\"model\":\"email-spam\",\"features\":{\"unused\":-1e400}}",
    })
    void rejectOverflowingNumberAsNonFiniteValue(String json) {
        assertEquals(DeadLetterReason.NON_FINITE_VALUE, reject(json).reason());
    }

    @Test
    void rejectHugeIntegerAsNonFiniteValue() {
        String json = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1" + "0".repeat(400) + "}}";

        assertEquals(DeadLetterReason.NON_FINITE_VALUE, reject(json).reason());
    }

    @Test
    void scoreAcceptsLargestFiniteNumber() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1.7976931348623157e308}}");

        assertEquals(1.0, event.probability(0));
    }

    @Test
    void rejectOverflowingSumAsNonFiniteScore() {
        assertEquals(DeadLetterReason.NON_FINITE_SCORE,
                reject("{\"id\":\"a\",\"model\":\"huge\",\"features\":{\"a\":10}}").reason());
    }

    @Test
    void rejectInfinityMinusInfinityAsNonFiniteScore() {
        ScoringException error = reject("{\"id\":\"a\",\"model\":\"huge\",\"features\":{\"a\":1e300,\"b\":1e300}}");

        assertEquals(DeadLetterReason.NON_FINITE_SCORE, error.reason());
        assertTrue(error.getMessage().contains("NaN"), error.getMessage());
    }

    @Test
    void scoreLargeFiniteSum() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"huge\",\"features\":{\"a\":1,\"b\":0.5}}");

        assertEquals(1.0, event.probability(0));
    }

    @Test
    void rejectFeaturesWithoutWeightsAsNoWeights() {
        assertEquals(DeadLetterReason.NO_WEIGHTS,
                reject("{\"id\":\"a\",\"model\":\"logit-only\",\"features\":{\"x\":1}}").reason());
        assertEquals(DeadLetterReason.NO_WEIGHTS,
                reject("{\"id\":\"a\",\"model\":\"logit-only\",\"features\":{}}").reason());
    }

    @Test
    void scoreLogitEventForLogitModel() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"logit-only\",\"logits\":{\"spam\":0}}");

        // The bias applies only to feature events.
        assertEquals(0.5, event.probability(0));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"scoring\":{}}",
        "{\"scoring\":null,\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}",
    })
    void rejectTopLevelScoringAsReservedField(String json) {
        assertEquals(DeadLetterReason.RESERVED_FIELD, reject(json).reason());
    }

    @Test
    void rejectOverSizeAsTooLarge() {
        EventScorer small = new EventScorer(ALL, new EventLimits(60, 64));
        String fits = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1}}";
        String padded = fits.replace("\"id\":\"a\"", "\"id\":\"" + "a".repeat(60 - fits.length() + 1) + "\"");

        assertEquals(60, padded.length());
        assertEquals(Route.SPAM, small.score(utf8(padded)).route());
        ScoringException error = assertThrows(ScoringException.class, () -> small.score(utf8(padded + " ")));
        assertEquals(DeadLetterReason.TOO_LARGE, error.reason());
        assertTrue(error.getMessage().contains("61 bytes"), error.getMessage());
    }

    @Test
    void rejectDefaultOverSizeAsTooLarge() {
        String json = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"pad\":\""
                + "x".repeat(EventLimits.DEFAULT_MAX_EVENT_BYTES) + "\"}";

        assertEquals(DeadLetterReason.TOO_LARGE, reject(json).reason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[", "{\"a\":"})
    void rejectDeepNestingAsTooLarge(String opener) {
        String json = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"deep\":"
                + opener.repeat(100_000) + "}";

        assertEquals(DeadLetterReason.TOO_LARGE, reject(json).reason());
    }

    @Test
    void rejectDeepTopLevelArrayAsTooLarge() {
        assertEquals(DeadLetterReason.TOO_LARGE, reject("[".repeat(100_000) + "]".repeat(100_000)).reason());
    }

    @Test
    void scoreNestingAtLimit() {
        // The event object is level 1, so 63 nested arrays reach the limit of 64.
        String atLimit = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"deep\":"
                + "[".repeat(63) + "]".repeat(63) + "}";
        String overLimit = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"deep\":"
                + "[".repeat(64) + "]".repeat(64) + "}";

        assertEquals(Route.SPAM, score(atLimit).route());
        assertEquals(DeadLetterReason.TOO_LARGE, reject(overLimit).reason());
    }

    @Test
    void scoreDeepNestingUnderRaisedLimit() {
        EventScorer deep = new EventScorer(ALL, new EventLimits(EventLimits.DEFAULT_MAX_EVENT_BYTES, 100_001));
        String json = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"deep\":"
                + "[{\"k\":".repeat(50_000) + "1" + "}]".repeat(50_000) + "}";

        assertEquals(Route.SPAM, deep.score(utf8(json)).route());
    }

    @Test
    void rejectOverlongNumberAsTooLarge() {
        String json = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\"n\":1" + "0".repeat(1000) + "}";

        assertEquals(DeadLetterReason.TOO_LARGE, reject(json).reason());
    }

    @Test
    void rejectOverlongKeyAsTooLarge() {
        String atLimit = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\""
                + "k".repeat(50_000) + "\":1}";
        String overLimit = "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1},\""
                + "k".repeat(50_001) + "\":1}";

        assertEquals(Route.SPAM, score(atLimit).route());
        assertEquals(DeadLetterReason.TOO_LARGE, reject(overLimit).reason());
    }

    // Precedence and messages

    @Test
    void precedenceSyntaxErrorBeatsContentProblems() {
        assertEquals(DeadLetterReason.INVALID_JSON,
                reject("{\"scoring\":1,\"id\":5,\"model\":\"nope\",\"logits\":{\"spam\":\"x\"}").reason());
        assertEquals(DeadLetterReason.INVALID_JSON,
                reject("{\"scoring\":1,\"id\":5,\"logits\":{\"spam\":\"x\"}} trailing").reason());
    }

    @Test
    void precedenceInvalidUtf8BeatsDeepNesting() {
        byte[] value = concat(utf8("{\"deep\":" + "[".repeat(100) + "\""), new byte[] {(byte) 0xFF}, utf8("\"}"));

        assertEquals(DeadLetterReason.INVALID_JSON, reject(value).reason());
    }

    @Test
    void precedenceDeepNestingBeforeLaterSyntaxError() {
        assertEquals(DeadLetterReason.TOO_LARGE, reject("{\"deep\":" + "[".repeat(100) + "x").reason());
        assertEquals(DeadLetterReason.INVALID_JSON, reject("{\"bad\":x,\"deep\":" + "[".repeat(100)).reason());
    }

    @Test
    void precedenceFollowsReasonOrder() {
        assertEquals(DeadLetterReason.RESERVED_FIELD,
                reject("{\"id\":5,\"scoring\":1,\"model\":\"nope\",\"logits\":5,\"features\":{}}").reason());
        assertEquals(DeadLetterReason.INVALID_ID,
                reject("{\"model\":\"nope\",\"logits\":5,\"features\":{},\"id\":5}").reason());
        assertEquals(DeadLetterReason.AMBIGUOUS_SCORES,
                reject("{\"id\":\"a\",\"model\":\"nope\",\"logits\":5,\"features\":{}}").reason());
        assertEquals(DeadLetterReason.MISSING_SCORES,
                reject("{\"id\":\"a\",\"model\":\"nope\",\"logits\":5}").reason());
        assertEquals(DeadLetterReason.UNKNOWN_MODEL,
                reject("{\"id\":\"a\",\"model\":\"nope\",\"logits\":{\"spam\":\"x\"}}").reason());
        assertEquals(DeadLetterReason.NO_WEIGHTS,
                reject("{\"id\":\"a\",\"model\":\"logit-only\",\"features\":{\"x\":\"y\"}}").reason());
        assertEquals(DeadLetterReason.NON_NUMERIC_VALUE,
                reject("{\"id\":\"a\",\"model\":\"pair\",\"logits\":{\"x\":1e999,\"spam\":\"1\"}}").reason());
        assertEquals(DeadLetterReason.NON_FINITE_VALUE,
                reject("{\"id\":\"a\",\"model\":\"pair\",\"logits\":{\"spam\":1e999}}").reason());
        assertEquals(DeadLetterReason.NON_FINITE_VALUE,
                reject("{\"id\":\"a\",\"model\":\"huge\",\"features\":{\"a\":1e999,\"b\":1e300}}").reason());
    }

    @Test
    void messageNamesFirstProblemOfReason() {
        ScoringException error = reject("{\"id\":\"a\",\"model\":\"pair\",\"features\":{\"first\":\"1\",\"second\":null}}");

        assertEquals(DeadLetterReason.NON_NUMERIC_VALUE, error.reason());
        assertTrue(error.getMessage().contains("features.first is a string"), error.getMessage());
        assertFalse(error.getMessage().contains("second"), error.getMessage());
    }

    @Test
    void messageTruncatesLongContent() {
        String longName = "n".repeat(1000);

        ScoringException nonNumeric = reject("{\"id\":\"a\",\"model\":\"pair\",\"features\":{\"" + longName + "\":\"1\"}}");
        ScoringException unknown = reject("{\"id\":\"a\",\"model\":\"" + longName + "\",\"logits\":{}}");
        ScoringException duplicate = reject("{\"id\":\"a\",\"" + longName + "\":1,\"" + longName + "\":2}");

        for (ScoringException error : List.of(nonNumeric, unknown, duplicate)) {
            assertTrue(error.getMessage().contains("n".repeat(64) + "..."), error.getMessage());
            assertFalse(error.getMessage().contains("n".repeat(65)), error.getMessage());
        }
    }

    @Test
    void messageEscapesControlCharacters() {
        ScoringException error = reject("{\"id\":\"a\",\"model\":\"pair\",\"features\":{\"line\\nbreak\":\"1\"}}");

        assertTrue(error.getMessage().contains("line\\u000abreak"), error.getMessage());
        assertFalse(error.getMessage().contains("\n"), error.getMessage());
    }

    @Test
    void messageOfNonFiniteValueQuotesNumber() {
        ScoringException error = reject("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":-1e400}}");

        assertTrue(error.getMessage().contains("logits.spam is -1e400"), error.getMessage());
    }

    // Instance reuse

    @Test
    void scoreAfterRejectedRecordStartsClean() {
        reject("{\"id\":\"a\",\"model\":\"pair\",\"features\":{\"x\":\"1\"},\"scoring\":1}");
        reject("{\"id\":\"a\",\"model\":\"pair\",\"logits\":{\"spam\":1}}");

        ScoredEvent event = score("{\"id\":\"b\",\"model\":\"pair\",\"logits\":{\"spam\":-1,\"urgent\":-1}}");

        assertEquals(Route.PASS, event.route());
        assertEquals(0, event.ignoredEntries());
    }

    @Test
    void scoreManyEntriesThenFewer() {
        StringBuilder many = new StringBuilder("{\"id\":\"a\",\"model\":\"pair\",\"features\":{\"x\":5");
        for (int i = 0; i < 1000; i++) {
            many.append(",\"f").append(i).append("\":1");
        }
        many.append("}}");

        ScoredEvent first = score(many.toString());
        ScoredEvent second = score("{\"id\":\"b\",\"model\":\"pair\",\"features\":{\"y\":1}}");

        assertEquals(1000, first.ignoredEntries());
        assertEquals(Sigmoid.apply(5), first.probability(0));
        assertEquals(0, second.ignoredEntries());
        assertEquals(0.5, second.probability(0), "x from the previous event must not leak");
    }

    @Test
    void scoredEventProbabilitiesAreCopies() {
        ScoredEvent event = score("{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":0}}");

        event.probabilities()[0] = 7.0;

        assertEquals(0.5, event.probability(0));
    }

    @Test
    void eventLimitsRejectTooSmallValues() {
        assertThrows(IllegalArgumentException.class, () -> new EventLimits(1, 64));
        assertThrows(IllegalArgumentException.class, () -> new EventLimits(1024, 1));
        assertEquals(new EventLimits(1024 * 1024, 64), EventLimits.defaults());
    }

    @Test
    void everyInputReasonIsProduced() {
        List<DeadLetterReason> produced = new ArrayList<>();
        String[] samples = {
            "", "[]", "{", "{\"logits\":{}}", "{\"id\":\"a\",\"model\":\"x\",\"logits\":{}}",
            "{\"id\":\"a\",\"model\":\"email-spam\"}", "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{},\"features\":{}}",
            "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{}}", "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":\"1\"}}",
            "{\"id\":\"a\",\"model\":\"email-spam\",\"logits\":{\"spam\":1e999}}", "{\"id\":\"a\",\"model\":\"huge\",\"features\":{\"a\":10}}",
            "{\"id\":\"a\",\"model\":\"logit-only\",\"features\":{}}", "{\"id\":\"a\",\"scoring\":1}", "[".repeat(100),
        };
        for (String sample : samples) {
            produced.add(reject(sample).reason());
        }

        for (DeadLetterReason reason : DeadLetterReason.values()) {
            // The Kafka side assigns the two reasons that are not about the input bytes.
            if (reason != DeadLetterReason.OUTPUT_TOO_LARGE && reason != DeadLetterReason.INTERNAL_ERROR) {
                assertTrue(produced.contains(reason), reason.code());
            }
        }
    }
}
