package io.logitrouter.model;

import io.logitrouter.scoring.Activation;
import io.logitrouter.scoring.CompiledModel;
import io.logitrouter.scoring.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named, versioned model: its activation, its labels in model-file order, and their compiled
 * form for scoring.
 *
 * <p>Feature slots are numbered in order of first appearance, label by label and weight by
 * weight, so {@link #featureNames()} follows the model file. Instances are immutable and safe
 * to share between threads.
 */
public final class Model {

    private final String name;
    private final String version;
    private final Activation activation;
    private final List<Label> labels;
    /**
     * Label indexes and feature slots by name. The keys are interned, and Jackson interns the
     * field names it parses, so per-event lookups match by identity and never compare
     * characters. These maps are never modified after construction.
     */
    private final Map<String, Integer> labelIndexes;
    private final Map<String, Integer> featureSlots;
    private final List<String> featureNames;
    private final CompiledModel compiled;

    /**
     * Creates a model and compiles its labels, which includes the exact firing logit of each
     * sigmoid threshold (a few milliseconds per label).
     *
     * @throws IllegalArgumentException if the name is empty, there are no labels or two labels
     *     share a name
     */
    public Model(String name, String version, Activation activation, List<Label> labels) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.activation = Objects.requireNonNull(activation, "activation");
        this.labels = List.copyOf(labels);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("model name must not be empty");
        }
        if (this.labels.isEmpty()) {
            throw new IllegalArgumentException("model " + name + " needs at least one label");
        }

        Map<String, Integer> labelIndexes = new HashMap<>();
        Map<String, Integer> featureSlots = new HashMap<>();
        List<String> featureNames = new ArrayList<>();
        int labelCount = this.labels.size();
        double[] thresholds = new double[labelCount];
        Route[] routes = new Route[labelCount];
        double[] biases = new double[labelCount];
        int[][] weightSlots = new int[labelCount][];
        double[][] weights = new double[labelCount][];
        for (int i = 0; i < labelCount; i++) {
            Label label = this.labels.get(i);
            if (labelIndexes.putIfAbsent(label.name().intern(), i) != null) {
                throw new IllegalArgumentException("model " + name + " has two labels named " + label.name());
            }
            thresholds[i] = label.threshold();
            routes[i] = label.route();
            biases[i] = label.bias();
            weightSlots[i] = new int[label.weights().size()];
            weights[i] = new double[label.weights().size()];
            int k = 0;
            for (Map.Entry<String, Double> weight : label.weights().entrySet()) {
                Integer slot = featureSlots.get(weight.getKey());
                if (slot == null) {
                    slot = featureNames.size();
                    featureSlots.put(weight.getKey().intern(), slot);
                    featureNames.add(weight.getKey());
                }
                weightSlots[i][k] = slot;
                weights[i][k] = weight.getValue();
                k++;
            }
        }
        this.labelIndexes = labelIndexes;
        this.featureSlots = featureSlots;
        this.featureNames = List.copyOf(featureNames);
        this.compiled = new CompiledModel(activation, thresholds, routes, biases, weightSlots, weights,
                featureNames.size());
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public Activation activation() {
        return activation;
    }

    /** Returns the labels in model-file order; label indexes refer to this list. */
    public List<Label> labels() {
        return labels;
    }

    /** Returns the index of the label with this name, or −1 if the model has no such label. */
    public int labelIndex(String labelName) {
        Integer index = labelIndexes.get(labelName);
        return index == null ? -1 : index;
    }

    /** Returns the slot of the feature with this name, or −1 if no label has a weight for it. */
    public int featureSlot(String featureName) {
        Integer slot = featureSlots.get(featureName);
        return slot == null ? -1 : slot;
    }

    /** Returns the names of all weighted features, indexed by slot. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Returns the arrays that the per-event scoring path uses. */
    public CompiledModel compiled() {
        return compiled;
    }

    @Override
    public String toString() {
        return "Model[" + name + " " + version + ", " + activation.code() + ", " + labels.size() + " labels]";
    }
}
