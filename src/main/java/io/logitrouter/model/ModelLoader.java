package io.logitrouter.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.logitrouter.errors.SafeText;
import io.logitrouter.scoring.Activation;
import io.logitrouter.scoring.Route;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads and validates model files into a {@link ModelRegistry}.
 *
 * <p>A model file is one JSON object:
 *
 * <pre>{@code
 * {"model": "email-spam", "version": "2026-12-04", "activation": "sigmoid",
 *  "labels": {"spam": {"threshold": 0.5, "route": "spam", "bias": -5.2,
 *                      "weights": {"word_freq_free": 0.8}}}}
 * }</pre>
 *
 * <p>{@code model} is a non-empty string, {@code version} a string, {@code activation} is
 * {@code sigmoid} (the default) or {@code softmax}, and {@code labels} a non-empty object. Each
 * label has a {@code threshold} number in [0, 1], a {@code route} of {@code spam} or
 * {@code alert}, an optional finite {@code bias} (default 0) and optional finite
 * {@code weights} by feature name. Unknown fields, duplicate keys and trailing content are
 * rejected, so a misspelt field cannot silently fall back to a default.
 *
 * <p>Every error is a {@link ModelException} naming the file, the field path, the value, the
 * rule and the fix. Loading is all or nothing: no registry is returned unless every file is
 * valid.
 */
public final class ModelLoader {

    /** Model files bundled in the jar, used when no model path is configured. */
    public static final List<String> BUNDLED_RESOURCES =
            List.of("/models/email-spam.json", "/models/tumor-screening.json");

    private static final Set<String> MODEL_FIELDS = Set.of("model", "version", "activation", "labels");
    private static final Set<String> LABEL_FIELDS = Set.of("threshold", "route", "bias", "weights");
    private static final int MAX_QUOTED_LENGTH = 64;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ModelLoader() {
    }

    /**
     * Loads one model file, or every model file of a directory.
     *
     * <p>A directory contributes its regular files (symbolic links to regular files included)
     * whose names end in {@code .json}, in name order. Names starting with {@code .} are skipped,
     * so the {@code ..data} links of a Kubernetes ConfigMap volume are not loaded twice.
     * Subdirectories are not searched.
     *
     * @param path a model file or a directory of model files
     * @param defaultModelName the model for events without {@code model}, if configured
     * @throws ModelException if the path is missing, a directory has no model file, a file is
     *     unreadable or invalid, two files define the same model name, or the default model is
     *     not loaded
     */
    public static ModelRegistry load(Path path, Optional<String> defaultModelName) {
        List<Path> files = modelFiles(path);
        List<Model> models = new ArrayList<>();
        Map<String, Path> sources = new HashMap<>();
        for (Path file : files) {
            Model model = parse(file.toString(), readFile(file));
            Path previous = sources.putIfAbsent(model.name(), file);
            if (previous != null) {
                throw new ModelException("Model name \"" + quote(model.name()) + "\" is defined in both "
                        + previous + " and " + file + ". Give each model a unique name or remove one file.");
            }
            models.add(model);
        }
        return ModelRegistry.of(models, defaultModelName);
    }

    /**
     * Loads the model files bundled in the jar ({@link #BUNDLED_RESOURCES}).
     *
     * @throws ModelException if a resource is missing or invalid, or the default model is not
     *     one of the bundled models
     */
    public static ModelRegistry loadBundled(Optional<String> defaultModelName) {
        List<Model> models = new ArrayList<>();
        for (String resource : BUNDLED_RESOURCES) {
            String source = "classpath:" + resource;
            try (InputStream in = ModelLoader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ModelException("Bundled model " + source + " is missing from the class path. "
                            + "Rebuild the jar or configure a model path.");
                }
                models.add(parse(source, in.readAllBytes()));
            } catch (IOException e) {
                throw new ModelException("Cannot read bundled model " + source + ": " + e.getMessage(), e);
            }
        }
        return ModelRegistry.of(models, defaultModelName);
    }

    /**
     * Parses and validates the bytes of one model file.
     *
     * @param source the file name or other origin, used only in error messages
     * @param json the UTF-8 JSON text of the file
     * @throws ModelException if the text is not valid JSON or breaks a rule of the format
     */
    public static Model parse(String source, byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelException(invalidJsonMessage(source, e), e);
        } catch (IOException e) {
            throw new ModelException("Cannot read model file " + source + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ModelException("Invalid model file " + source + ": the file is empty. "
                    + "Write one JSON object with the fields model, version, activation and labels.");
        }
        return new ModelFileValidator(source).readModel(root);
    }

    private static List<Path> modelFiles(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new ModelException("Model path " + path + " does not exist or is neither a file nor a directory. "
                    + "Point it at a model file or a directory of .json model files.");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".") && name.endsWith(".json") && Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        } catch (IOException e) {
            throw new ModelException("Cannot list model directory " + path + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new ModelException("Model directory " + path + " contains no .json model file. "
                    + "Add model files to it or point the model path at a file.");
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return files;
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelException("Cannot read model file " + file + ": " + e + ". "
                    + "Check that the file exists and is readable.", e);
        }
    }

    private static String invalidJsonMessage(String source, JsonProcessingException e) {
        StringBuilder message = new StringBuilder("Invalid model file ").append(source).append(": not valid JSON");
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message.append(" at line ").append(location.getLineNr())
                    .append(", column ").append(location.getColumnNr());
        }
        message.append(": ").append(SafeText.truncate(e.getOriginalMessage(), 200))
                .append(". Fix the syntax; duplicate keys, comments and NaN are not allowed.");
        return message.toString();
    }

    /** Truncates text for quoting in a message and escapes characters that would break a log line. */
    private static String quote(String text) {
        return SafeText.truncate(text, MAX_QUOTED_LENGTH);
    }

    /** Validator of one parsed model file, which keeps the file name for error messages. */
    private static final class ModelFileValidator {

        private final String source;

        ModelFileValidator(String source) {
            this.source = source;
        }

        Model readModel(JsonNode root) {
            if (!root.isObject()) {
                throw invalid(null, "the file contains " + describe(root) + ", but it must contain one JSON object",
                        "Write one object with the fields model, version, activation and labels.");
            }
            rejectUnknownFields(root, "", MODEL_FIELDS);

            String name = requireString(root, "model", "model",
                    "Add \"model\": \"<name>\", the name that events use to select this model.");
            if (name.isEmpty()) {
                throw invalid("model", "is an empty string, but it must name the model",
                        "Set it to the name that events use to select this model.");
            }
            String version = requireString(root, "version", "version",
                    "Add \"version\": \"<version>\", which is copied into every scored event.");
            requireWellFormed("model", name);
            requireWellFormed("version", version);
            Activation activation = readActivation(root.get("activation"));

            JsonNode labelsNode = root.get("labels");
            if (labelsNode == null) {
                throw invalid("labels", "is missing", "Add a labels object with at least one label.");
            }
            if (!labelsNode.isObject() || labelsNode.isEmpty()) {
                throw invalid("labels", "is " + describe(labelsNode) + ", but it must be a non-empty object",
                        "Map each label name to its threshold, route, bias and weights.");
            }
            List<Label> labels = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = labelsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                labels.add(readLabel(entry.getKey(), entry.getValue()));
            }
            if (activation == Activation.SOFTMAX && labels.size() < 2) {
                // Softmax over one label always gives 1, so the label would fire on every event.
                throw invalid("labels", "has one label, but a softmax model needs at least two",
                        "Use \"activation\": \"sigmoid\" for a single label, or add the other classes.");
            }
            return new Model(name, version, activation, labels);
        }

        private Activation readActivation(JsonNode node) {
            if (node == null) {
                return Activation.SIGMOID;
            }
            if (node.isTextual()) {
                for (Activation activation : Activation.values()) {
                    if (activation.code().equals(node.textValue())) {
                        return activation;
                    }
                }
            }
            throw invalid("activation", "is " + describe(node) + ", but it must be \"sigmoid\" or \"softmax\"",
                    "Use sigmoid for independent labels, softmax for mutually exclusive ones, or omit it for sigmoid.");
        }

        private Label readLabel(String name, JsonNode node) {
            String path = "labels." + name;
            if (name.isEmpty()) {
                throw invalid("labels", "contains a label with an empty name", "Give every label a non-empty name.");
            }
            requireWellFormed(path, name);
            if (!node.isObject()) {
                throw invalid(path, "is " + describe(node) + ", but it must be an object",
                        "Give the label a threshold, a route and optionally a bias and weights.");
            }
            rejectUnknownFields(node, path + ".", LABEL_FIELDS);

            JsonNode thresholdNode = node.get("threshold");
            if (thresholdNode == null) {
                throw invalid(path + ".threshold", "is missing",
                        "Add the probability above which the label fires, a number from 0 to 1.");
            }
            double threshold = thresholdNode.isNumber() ? thresholdNode.doubleValue() : Double.NaN;
            if (!(threshold >= 0.0 && threshold <= 1.0)) {
                throw invalid(path + ".threshold", "is " + describe(thresholdNode)
                                + ", but it must be a number from 0 to 1",
                        "Set the probability above which the label fires, for example 0.5.");
            }

            Route route = readRoute(path + ".route", node.get("route"));
            double bias = 0.0;
            JsonNode biasNode = node.get("bias");
            if (biasNode != null) {
                bias = requireFiniteNumber(path + ".bias", biasNode,
                        "Set the intercept of the label's logit, or omit it for 0.");
            }
            return new Label(name, threshold, route, bias, readWeights(path + ".weights", node.get("weights")));
        }

        private Route readRoute(String path, JsonNode node) {
            if (node == null) {
                throw invalid(path, "is missing", "Add \"route\": \"spam\" or \"route\": \"alert\".");
            }
            if (node.isTextual()) {
                if (node.textValue().equals(Route.SPAM.code())) {
                    return Route.SPAM;
                }
                if (node.textValue().equals(Route.ALERT.code())) {
                    return Route.ALERT;
                }
            }
            throw invalid(path, "is " + describe(node) + ", but it must be \"spam\" or \"alert\"",
                    "Choose the topic for events where this label fires; events where no label fires go to pass.");
        }

        private Map<String, Double> readWeights(String path, JsonNode node) {
            if (node == null) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw invalid(path, "is " + describe(node) + ", but it must be an object",
                        "Map each feature name to its weight, or omit weights for a logit-only model.");
            }
            Map<String, Double> weights = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getKey().isEmpty()) {
                    throw invalid(path, "contains a feature with an empty name", "Give every feature a non-empty name.");
                }
                weights.put(entry.getKey(), requireFiniteNumber(path + "." + entry.getKey(), entry.getValue(),
                        "Set the feature's weight to a finite number."));
            }
            return weights;
        }

        private String requireString(JsonNode parent, String field, String path, String fix) {
            JsonNode node = parent.get(field);
            if (node == null) {
                throw invalid(path, "is missing", fix);
            }
            if (!node.isTextual()) {
                throw invalid(path, "is " + describe(node) + ", but it must be a string", fix);
            }
            return node.textValue();
        }

        private double requireFiniteNumber(String path, JsonNode node, String fix) {
            double value = node.isNumber() ? node.doubleValue() : Double.NaN;
            if (!Double.isFinite(value)) {
                throw invalid(path, "is " + describe(node) + ", but it must be a finite number", fix);
            }
            return value;
        }

        /**
         * Rejects text that contains an unpaired surrogate (U+D800 to U+DFFF), which JSON can
         * escape but UTF-8 cannot encode, so it could not be written to output events.
         */
        private void requireWellFormed(String path, String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (paired) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw invalid(path, "contains an unpaired surrogate escape at character " + i,
                            "Use only complete Unicode characters in names and versions.");
                }
            }
        }

        private void rejectUnknownFields(JsonNode node, String pathPrefix, Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!allowed.contains(field)) {
                    throw invalid(pathPrefix + field, "is not a known field. The allowed fields are "
                                    + String.join(", ", allowed.stream().sorted().toList()),
                            "Remove it or correct its spelling.");
                }
            }
        }

        private ModelException invalid(String path, String problem, String fix) {
            String subject = path == null ? "" : quote(path) + " ";
            return new ModelException("Invalid model file " + source + ": " + subject + problem + ". " + fix);
        }

        /** Describes a JSON value for a message: numbers and strings with their (truncated) text. */
        private static String describe(JsonNode node) {
            JsonNodeType type = node.getNodeType();
            switch (type) {
                case NUMBER:
                    return node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())
                            ? "the number " + quote(node.asText()) + ", which overflows a double"
                            : "the number " + quote(node.asText());
                case STRING:
                    return "the string \"" + quote(node.textValue()) + "\"";
                case BOOLEAN:
                    return "the boolean " + node.booleanValue();
                case NULL:
                    return "null";
                case ARRAY:
                    return "an array";
                case OBJECT:
                    return node.isEmpty() ? "an empty object" : "an object";
                default:
                    return type.toString().toLowerCase();
            }
        }
    }
}
