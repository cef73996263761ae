package io.logitrouter.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The loaded models by name, and the model for events that omit {@code model}.
 *
 * <p>An event without a {@code model} field is scored by the configured default model if one is
 * set, else by the only loaded model if exactly one is loaded, else by none. Instances are
 * immutable and safe to share between threads.
 */
public final class ModelRegistry {

    private final Map<String, Model> models;
    private final Optional<Model> defaultModel;

    private ModelRegistry(Map<String, Model> models, Optional<Model> defaultModel) {
        this.models = models;
        this.defaultModel = defaultModel;
    }

    /**
     * Creates a registry of at least one model.
     *
     * @param models the models, in the order that {@link #models()} returns them
     * @param defaultModelName the name of the model for events without {@code model}, if configured
     * @throws ModelException if there are no models, two share a name, or the default model is
     *     not among them
     */
    public static ModelRegistry of(List<Model> models, Optional<String> defaultModelName) {
        Objects.requireNonNull(defaultModelName, "defaultModelName");
        if (models.isEmpty()) {
            throw new ModelException("No model is loaded. Configure at least one model file.");
        }
        Map<String, Model> byName = new LinkedHashMap<>();
        for (Model model : models) {
            if (byName.putIfAbsent(model.name(), model) != null) {
                throw new ModelException("Model name \"" + model.name() + "\" is defined twice. "
                        + "Give each model a unique name.");
            }
        }

        Optional<Model> defaultModel;
        if (defaultModelName.isPresent()) {
            Model model = byName.get(defaultModelName.get());
            if (model == null) {
                throw new ModelException("Default model \"" + defaultModelName.get()
                        + "\" is not loaded; the loaded models are " + String.join(", ", byName.keySet())
                        + ". Set scoring.default.model to one of them or leave it unset.");
            }
            defaultModel = Optional.of(model);
        } else if (byName.size() == 1) {
            defaultModel = Optional.of(byName.values().iterator().next());
        } else {
            defaultModel = Optional.empty();
        }
        return new ModelRegistry(Collections.unmodifiableMap(byName), defaultModel);
    }

    /** Returns the model with this name, if loaded. */
    public Optional<Model> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /**
     * Returns the model for events without a {@code model} field: the configured default, else
     * the only loaded model, else empty.
     */
    public Optional<Model> defaultModel() {
        return defaultModel;
    }

    /** Returns all models in load order (file-name order for a directory). */
    public List<Model> models() {
        return List.copyOf(models.values());
    }

    /** Returns the model names in load order. */
    public List<String> names() {
        return List.copyOf(models.keySet());
    }

    @Override
    public String toString() {
        return "ModelRegistry" + models.keySet()
                + defaultModel.map(model -> " default=" + model.name()).orElse("");
    }
}
