package io.logitrouter.event;

import io.logitrouter.model.Label;
import io.logitrouter.model.Model;
import io.logitrouter.scoring.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of scoring one event: the output value and what the metrics need, so callers
 * never parse the output again.
 *
 * <p>Label indexes follow {@link Model#labels()}. Instances are immutable once returned, apart
 * from the array returned by {@link #value()}, which the caller owns.
 */
public final class ScoredEvent {

    private final Model model;
    private final EventKind kind;
    private final Route route;
    private final byte[] value;
    private final double[] probabilities;
    private final boolean[] fired;
    private final int ignoredEntries;

    ScoredEvent(Model model, EventKind kind, Route route, byte[] value, double[] probabilities, boolean[] fired,
            int ignoredEntries) {
        this.model = model;
        this.kind = kind;
        this.route = route;
        this.value = value;
        this.probabilities = probabilities;
        this.fired = fired;
        this.ignoredEntries = ignoredEntries;
    }

    /** Returns the model that scored the event. */
    public Model model() {
        return model;
    }

    /** Returns whether the event carried logits or features. */
    public EventKind kind() {
        return kind;
    }

    public Route route() {
        return route;
    }

    /**
     * Returns the output value: the input JSON object with a {@code scoring} field appended,
     * as UTF-8 bytes. The array is not copied, so the caller may hand it to a producer directly.
     */
    public byte[] value() {
        return value;
    }

    public int labelCount() {
        return probabilities.length;
    }

    /** Returns the probability of the label at this index, as written to the output. */
    public double probability(int label) {
        return probabilities[label];
    }

    /** Returns a copy of all probabilities, indexed by label. */
    public double[] probabilities() {
        return probabilities.clone();
    }

    /** Returns whether the label at this index fired. */
    public boolean fired(int label) {
        return fired[label];
    }

    /** Returns the fired labels in model-file order. */
    public List<Label> firedLabels() {
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < fired.length; i++) {
            if (fired[i]) {
                labels.add(model.labels().get(i));
            }
        }
        return List.copyOf(labels);
    }

    /**
     * Returns how many entries of the event's scores object the model did not use: features
     * without a weight, or logits of labels the model does not have.
     */
    public int ignoredEntries() {
        return ignoredEntries;
    }

    @Override
    public String toString() {
        return "ScoredEvent[model=" + model.name() + ", kind=" + kind.field() + ", route=" + route.code()
                + ", ignoredEntries=" + ignoredEntries + ", value=" + value.length + " bytes]";
    }
}
