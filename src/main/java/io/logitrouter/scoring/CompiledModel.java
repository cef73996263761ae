package io.logitrouter.scoring;

import java.util.Arrays;
import java.util.Objects;

/**
 * A model's labels compiled into flat arrays, so that scoring an event needs no map lookups.
 *
 * <p>Labels are numbered in model-file order. Features are numbered by slot: an event's feature
 * values go into a {@code double[]} of {@link #featureCount()} slots, a missing feature is 0,
 * and each label stores the slot of each of its weights. Sigmoid thresholds are compiled into
 * the smallest firing logit, so the fire decision is one exact double comparison.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class CompiledModel {

    private final Activation activation;
    private final double[] thresholds;
    private final double[] minFiringLogits;
    private final Route[] routes;
    private final double[] biases;
    private final int[][] weightSlots;
    private final double[][] weights;
    private final int featureCount;
    private final boolean hasWeights;

    /**
     * Compiles labels given as parallel arrays indexed by label.
     *
     * @param activation how logits become probabilities
     * @param thresholds each label's threshold, in [0, 1]
     * @param routes each label's route, {@link Route#SPAM} or {@link Route#ALERT}
     * @param biases each label's finite bias
     * @param weightSlots for each label, the feature slot of each weight, in model-file order
     * @param weights for each label, the finite weights in the same order as {@code weightSlots}
     * @param featureCount the number of feature slots; every slot index must be below it
     * @throws IllegalArgumentException if the arrays disagree in length or hold invalid values
     */
    public CompiledModel(Activation activation, double[] thresholds, Route[] routes, double[] biases,
            int[][] weightSlots, double[][] weights, int featureCount) {
        this.activation = Objects.requireNonNull(activation, "activation");
        int labelCount = thresholds.length;
        if (labelCount == 0) {
            throw new IllegalArgumentException("a model needs at least one label");
        }
        if (routes.length != labelCount || biases.length != labelCount
                || weightSlots.length != labelCount || weights.length != labelCount) {
            throw new IllegalArgumentException("label arrays differ in length");
        }

        this.thresholds = thresholds.clone();
        this.routes = routes.clone();
        this.biases = biases.clone();
        this.weightSlots = new int[labelCount][];
        this.weights = new double[labelCount][];
        this.minFiringLogits = new double[labelCount];
        this.featureCount = featureCount;
        boolean anyWeight = false;
        for (int label = 0; label < labelCount; label++) {
            validateLabel(label, featureCount, weightSlots[label], weights[label]);
            this.weightSlots[label] = weightSlots[label].clone();
            this.weights[label] = weights[label].clone();
            anyWeight |= weights[label].length > 0;
            if (activation == Activation.SIGMOID) {
                minFiringLogits[label] = Sigmoid.minFiringLogit(thresholds[label]);
            }
        }
        this.hasWeights = anyWeight;
    }

    private void validateLabel(int label, int featureCount, int[] slots, double[] labelWeights) {
        double threshold = thresholds[label];
        if (!(threshold >= 0.0 && threshold <= 1.0)) {
            throw new IllegalArgumentException("threshold of label " + label + " must be in [0, 1], but got " + threshold);
        }
        if (routes[label] != Route.SPAM && routes[label] != Route.ALERT) {
            throw new IllegalArgumentException("route of label " + label + " must be SPAM or ALERT, but got " + routes[label]);
        }
        if (!Double.isFinite(biases[label])) {
            throw new IllegalArgumentException("bias of label " + label + " must be finite, but got " + biases[label]);
        }
        if (slots.length != labelWeights.length) {
            throw new IllegalArgumentException("weight arrays of label " + label + " differ in length");
        }
        for (int k = 0; k < slots.length; k++) {
            if (slots[k] < 0 || slots[k] >= featureCount) {
                throw new IllegalArgumentException("feature slot " + slots[k] + " of label " + label
                        + " is outside [0, " + featureCount + ")");
            }
            if (!Double.isFinite(labelWeights[k])) {
                throw new IllegalArgumentException("weight " + k + " of label " + label + " must be finite, but got "
                        + labelWeights[k]);
            }
        }
    }

    public Activation activation() {
        return activation;
    }

    public int labelCount() {
        return thresholds.length;
    }

    /** Returns the number of feature slots that {@link #linearScores} reads. */
    public int featureCount() {
        return featureCount;
    }

    /** Returns whether any label has at least one weight, which feature events require. */
    public boolean hasWeights() {
        return hasWeights;
    }

    public double threshold(int label) {
        return thresholds[label];
    }

    public Route route(int label) {
        return routes[label];
    }

    /**
     * Returns the smallest logit at which a sigmoid label fires, as computed by
     * {@link Sigmoid#minFiringLogit(double)}; for softmax models it is 0 and unused.
     */
    public double minFiringLogit(int label) {
        return minFiringLogits[label];
    }

    /**
     * Computes each label's logit z = bias + Σ weight × feature for one feature event.
     *
     * <p>The terms are added in double precision from the bias onwards in model-file order of
     * the weights, so equal inputs give bit-identical logits. The result may be infinite or NaN
     * when a product or the sum overflows.
     *
     * @param features the feature values by slot, at least {@link #featureCount()} long
     * @param logits the output array, at least {@link #labelCount()} long
     */
    public void linearScores(double[] features, double[] logits) {
        for (int label = 0; label < thresholds.length; label++) {
            int[] slots = weightSlots[label];
            double[] labelWeights = weights[label];
            double sum = biases[label];
            for (int k = 0; k < slots.length; k++) {
                sum += labelWeights[k] * features[slots[k]];
            }
            logits[label] = sum;
        }
    }

    /**
     * Computes the probabilities of finite logits with the model's activation.
     *
     * @param logits the logits, exactly {@link #labelCount()} long
     * @param probabilities the output array, at least {@link #labelCount()} long
     */
    public void probabilities(double[] logits, double[] probabilities) {
        if (activation == Activation.SOFTMAX) {
            Softmax.apply(logits, probabilities);
            return;
        }
        for (int label = 0; label < logits.length; label++) {
            probabilities[label] = Sigmoid.apply(logits[label]);
        }
    }

    /**
     * Decides whether a label fires, which is when its probability is strictly above its threshold.
     *
     * <p>Sigmoid labels decide exactly on the logit, even where the probability rounds to 1.0 or
     * to the threshold. Softmax labels compare the computed probability.
     */
    public boolean fires(int label, double logit, double probability) {
        if (activation == Activation.SIGMOID) {
            return logit >= minFiringLogits[label];
        }
        return probability > thresholds[label];
    }

    /**
     * Chooses the route of an event: {@link Route#ALERT} if a fired label routes to alert, else
     * {@link Route#SPAM} if a fired label routes to spam, else {@link Route#PASS}.
     *
     * @param fired which labels fired, indexed by label
     */
    public Route route(boolean[] fired) {
        Route route = Route.PASS;
        for (int label = 0; label < thresholds.length; label++) {
            if (!fired[label]) {
                continue;
            }
            if (routes[label] == Route.ALERT) {
                return Route.ALERT;
            }
            route = Route.SPAM;
        }
        return route;
    }

    @Override
    public String toString() {
        return "CompiledModel[activation=" + activation + ", thresholds=" + Arrays.toString(thresholds)
                + ", featureCount=" + featureCount + "]";
    }
}
