package io.logitrouter.event;

import static io.logitrouter.event.Messages.quote;

import io.logitrouter.errors.DeadLetterReason;
import io.logitrouter.errors.ScoringException;
import io.logitrouter.model.Model;
import io.logitrouter.model.ModelRegistry;
import io.logitrouter.scoring.CompiledModel;
import io.logitrouter.scoring.Route;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Scores one event value and builds its output value: the facade that the Kafka processor calls
 * once per record.
 *
 * <h2>Input</h2>
 *
 * <p>A UTF-8 JSON object with a non-empty string {@code id}, an optional string {@code model},
 * and exactly one of {@code logits} (label to number) or {@code features} (feature name to
 * number). Every value in the scores object must be a finite JSON number, even one the model
 * does not use. A number that underflows, such as {@code 1e-400}, reads as 0. A logit event
 * needs a logit for every label of its model and may carry extra ones, which are ignored and
 * counted. A feature event may omit features (they count as 0) and may carry features without
 * a weight, which are ignored and counted.
 *
 * <p>Duplicate keys anywhere in the value, at any depth, are {@code invalid-json}, because a
 * repeated {@code id} or logit makes the event ambiguous. A leading UTF-8 byte-order mark is
 * {@code invalid-json} as well, and so is an escaped lone surrogate such as <code>&#92;ud800</code>
 * in any string, because the string is not valid Unicode.
 *
 * <h2>Output</h2>
 *
 * <p>The input bytes up to the closing brace of the event object, followed by
 * {@code ,"scoring":{"model":…,"version":…,"probabilities":{…},"fired":[…],"route":…}} and the
 * closing brace. Every other field therefore keeps its exact bytes, numbers their digits.
 * Whitespace before the object is kept and whitespace after it is dropped.
 *
 * <h2>Errors</h2>
 *
 * <p>Bad input raises a {@link ScoringException} whose reason is the dead-letter code. When a
 * record has several problems, the reported reason is chosen in this order:
 *
 * <ol>
 *   <li>{@code empty-value}, then {@code too-large} for the byte size;
 *   <li>{@code invalid-json} for a byte-order mark, a NUL byte among the first four bytes (as
 *       in UTF-16 or UTF-32 text) or invalid UTF-8 anywhere;
 *   <li>{@code invalid-json} for a syntax error or duplicate key, or {@code too-large} for
 *       nesting deeper than the limit, a number longer than 1000 characters or a key longer
 *       than 50,000 characters, whichever the parser meets first;
 *   <li>{@code invalid-json} for an escaped lone surrogate;
 *   <li>{@code not-an-object};
 *   <li>then, for a well-formed object: {@code reserved-field}, {@code invalid-id},
 *       {@code ambiguous-scores}, {@code missing-scores}, {@code unknown-model},
 *       {@code no-weights}, {@code non-numeric-value}, {@code non-finite-value},
 *       {@code missing-label}, {@code non-finite-score}. Among problems with the same reason,
 *       the first one found gives the message.
 * </ol>
 *
 * <p>Messages name the field and quote at most 64 characters of event content.
 *
 * <h2>Threads</h2>
 *
 * <p>An instance reuses its buffers from one record to the next and is not thread-safe. Create
 * one per Kafka Streams processor; the model registry can be shared.
 */
public final class EventScorer {

    private final ModelRegistry models;
    private final Map<String, ModelState> states = new HashMap<>();
    private final ModelState defaultState;
    private final EventReader reader;
    private final ByteBuilder scoringField = new ByteBuilder();
    private final double[] featureValues;
    private final boolean[] labelPresent;

    /**
     * Creates a scorer for the models of a registry and escapes their names for the output once.
     *
     * @param models the loaded models, shared with other scorers
     * @param limits the size and nesting limits for input values
     */
    public EventScorer(ModelRegistry models, EventLimits limits) {
        this.models = Objects.requireNonNull(models, "models");
        this.reader = new EventReader(Objects.requireNonNull(limits, "limits"), models.names());
        int maxFeatures = 0;
        int maxLabels = 0;
        for (Model model : models.models()) {
            states.put(model.name(), new ModelState(model));
            maxFeatures = Math.max(maxFeatures, model.compiled().featureCount());
            maxLabels = Math.max(maxLabels, model.compiled().labelCount());
        }
        this.defaultState = models.defaultModel().map(model -> states.get(model.name())).orElse(null);
        this.featureValues = new double[maxFeatures];
        this.labelPresent = new boolean[maxLabels];
    }

    /**
     * Scores one record value.
     *
     * @param value the record value, possibly null
     * @return the route, probabilities, fired labels and output value
     * @throws ScoringException with the dead-letter reason if the value cannot be scored
     */
    public ScoredEvent score(byte[] value) {
        reader.read(value);
        Problems problems = reader.problems();
        checkEnvelope(problems);
        ModelState state = resolveModel(problems);
        int ignored = 0;
        if (state != null && reader.kind() == EventKind.FEATURES) {
            ignored = computeFeatureLogits(state, problems);
        } else if (state != null && reader.kind() == EventKind.LOGITS) {
            ignored = copyLogits(state, problems);
        }
        problems.throwIfAny();

        CompiledModel compiled = state.model.compiled();
        int labelCount = compiled.labelCount();
        double[] probabilities = new double[labelCount];
        compiled.probabilities(state.logits, probabilities);
        boolean[] fired = new boolean[labelCount];
        for (int label = 0; label < labelCount; label++) {
            fired[label] = compiled.fires(label, state.logits[label], probabilities[label]);
        }
        Route route = compiled.route(fired);
        byte[] output = buildOutput(value, state.template, probabilities, fired, route);
        return new ScoredEvent(state.model, reader.kind(), route, output, probabilities, fired, ignored);
    }

    private void checkEnvelope(Problems problems) {
        if (!reader.idValid() && problems.accepts(DeadLetterReason.INVALID_ID)) {
            problems.record(DeadLetterReason.INVALID_ID, "id is missing; every event needs a non-empty string id");
        }
        if (reader.kind() == null) {
            problems.record(DeadLetterReason.MISSING_SCORES,
                    "event has neither logits nor features; add one of them as an object of numbers");
        }
    }

    /** Finds the model of the event, or records {@code unknown-model} and returns null. */
    private ModelState resolveModel(Problems problems) {
        if (reader.modelPresent()) {
            String name = reader.modelName();
            if (name == null) {
                return null;
            }
            ModelState state = states.get(name);
            if (state == null && problems.accepts(DeadLetterReason.UNKNOWN_MODEL)) {
                problems.record(DeadLetterReason.UNKNOWN_MODEL, "model \"" + quote(name)
                        + "\" is not loaded; the loaded models are " + String.join(", ", models.names()));
            }
            return state;
        }
        if (defaultState == null && problems.accepts(DeadLetterReason.UNKNOWN_MODEL)) {
            problems.record(DeadLetterReason.UNKNOWN_MODEL, "model is omitted, but no default model is "
                    + "configured and " + states.size() + " models are loaded; name the model in the event");
        }
        return defaultState;
    }

    /**
     * Puts each label's logit into the state's logits, records {@code missing-label} if a label
     * has none, and returns the number of logits for labels the model does not have.
     */
    private int copyLogits(ModelState state, Problems problems) {
        Model model = state.model;
        int labelCount = model.compiled().labelCount();
        Arrays.fill(labelPresent, 0, labelCount, false);
        int ignored = 0;
        for (int i = 0; i < reader.entryCount(); i++) {
            int label = model.labelIndex(reader.entryName(i));
            if (label >= 0) {
                state.logits[label] = reader.entryValue(i);
                labelPresent[label] = true;
            } else {
                ignored++;
            }
        }
        for (int label = 0; label < labelCount; label++) {
            if (!labelPresent[label]) {
                if (problems.accepts(DeadLetterReason.MISSING_LABEL)) {
                    problems.record(DeadLetterReason.MISSING_LABEL, "logits has no value for label \""
                            + quote(model.labels().get(label).name()) + "\" of model \"" + quote(model.name()) + "\"");
                }
                break;
            }
        }
        return ignored;
    }

    /**
     * Computes each label's logit from the features into the state's logits and returns the
     * number of features without a weight. Records {@code no-weights} for a model without
     * weights and {@code non-finite-score} if a logit overflows.
     */
    private int computeFeatureLogits(ModelState state, Problems problems) {
        Model model = state.model;
        CompiledModel compiled = model.compiled();
        if (!compiled.hasWeights()) {
            problems.record(DeadLetterReason.NO_WEIGHTS, "model \"" + quote(model.name())
                    + "\" has no weights, so it scores only logit events; send logits instead of features");
            return 0;
        }

        Arrays.fill(featureValues, 0, compiled.featureCount(), 0.0);
        int ignored = 0;
        for (int i = 0; i < reader.entryCount(); i++) {
            int slot = model.featureSlot(reader.entryName(i));
            if (slot >= 0) {
                featureValues[slot] = reader.entryValue(i);
            } else {
                ignored++;
            }
        }
        compiled.linearScores(featureValues, state.logits);
        for (int label = 0; label < compiled.labelCount(); label++) {
            double logit = state.logits[label];
            if (!Double.isFinite(logit) && problems.accepts(DeadLetterReason.NON_FINITE_SCORE)) {
                problems.record(DeadLetterReason.NON_FINITE_SCORE, "weighted sum for label \""
                        + quote(model.labels().get(label).name()) + "\" is " + logit
                        + "; the feature values are too large for the weights of model \"" + quote(model.name()) + "\"");
            }
        }
        return ignored;
    }

    private byte[] buildOutput(byte[] value, OutputTemplate template, double[] probabilities, boolean[] fired,
            Route route) {
        scoringField.reset();
        template.write(scoringField, probabilities, fired, route);
        int prefixLength = reader.closingBraceOffset();
        byte[] output = new byte[prefixLength + scoringField.size()];
        System.arraycopy(value, 0, output, 0, prefixLength);
        scoringField.copyTo(output, prefixLength);
        return output;
    }

    /** One model with its output template and a reusable array for its logits. */
    private static final class ModelState {

        final Model model;
        final OutputTemplate template;
        final double[] logits;

        ModelState(Model model) {
            this.model = model;
            this.template = new OutputTemplate(model);
            this.logits = new double[model.compiled().labelCount()];
        }
    }
}
