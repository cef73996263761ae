package io.logitrouter.model;

import io.logitrouter.scoring.Route;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One label of a model, with the threshold at which it fires and the route it selects.
 *
 * @param name the label name, unique within its model and non-empty
 * @param threshold the label fires when its probability is strictly above this value, in [0, 1]
 * @param route {@link Route#SPAM} or {@link Route#ALERT}
 * @param bias the finite intercept of the logit for feature events
 * @param weights finite weights by feature name, in model-file order; the order fixes the order
 *     of summation and therefore the exact bits of the logit
 */
public record Label(String name, double threshold, Route route, double bias, Map<String, Double> weights) {

    /** @throws IllegalArgumentException if a component breaks the rules above */
    public Label {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(weights, "weights");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("label name must not be empty");
        }
        if (!(threshold >= 0.0 && threshold <= 1.0)) {
            throw new IllegalArgumentException("threshold of label " + name + " must be in [0, 1], but got " + threshold);
        }
        if (route == Route.PASS) {
            throw new IllegalArgumentException("route of label " + name + " must be SPAM or ALERT, but got PASS");
        }
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException("bias of label " + name + " must be finite, but got " + bias);
        }
        LinkedHashMap<String, Double> copy = new LinkedHashMap<>(weights);
        copy.forEach((feature, weight) -> {
            if (feature == null || feature.isEmpty()) {
                throw new IllegalArgumentException("feature names of label " + name + " must not be empty");
            }
            if (weight == null || !Double.isFinite(weight)) {
                throw new IllegalArgumentException(
                        "weight of feature " + feature + " in label " + name + " must be finite, but got " + weight);
            }
        });
        weights = Collections.unmodifiableMap(copy);
    }

    /** Creates a label without weights, for models that score only logit events. */
    public static Label ofThreshold(String name, double threshold, Route route) {
        return new Label(name, threshold, route, 0.0, Map.of());
    }
}
