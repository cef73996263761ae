package io.logitrouter.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logitrouter.scoring.Activation;
import io.logitrouter.scoring.Route;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

    private static Model model(String name) {
        return new Model(name, "1", Activation.SIGMOID, List.of(Label.ofThreshold("spam", 0.5, Route.SPAM)));
    }

    @Test
    void defaultModelIsOnlyModel() {
        ModelRegistry registry = ModelRegistry.of(List.of(model("a")), Optional.empty());

        assertEquals("a", registry.defaultModel().orElseThrow().name());
    }

    @Test
    void defaultModelIsEmptyWithTwoModels() {
        ModelRegistry registry = ModelRegistry.of(List.of(model("a"), model("b")), Optional.empty());

        assertTrue(registry.defaultModel().isEmpty());
    }

    @Test
    void defaultModelIsConfiguredModel() {
        ModelRegistry registry = ModelRegistry.of(List.of(model("a"), model("b")), Optional.of("b"));

        assertEquals("b", registry.defaultModel().orElseThrow().name());
    }

    @Test
    void findByName() {
        ModelRegistry registry = ModelRegistry.of(List.of(model("a"), model("b")), Optional.empty());

        assertEquals("b", registry.find("b").orElseThrow().name());
        assertTrue(registry.find("c").isEmpty());
        assertEquals(List.of("a", "b"), registry.names());
    }

    @Test
    void ofRejectsUnknownDefault() {
        ModelException error = assertThrows(ModelException.class,
                () -> ModelRegistry.of(List.of(model("a")), Optional.of("x")));

        assertTrue(error.getMessage().contains("\"x\""), error.getMessage());
    }

    @Test
    void ofRejectsDuplicateNames() {
        assertThrows(ModelException.class, () -> ModelRegistry.of(List.of(model("a"), model("a")), Optional.empty()));
    }

    @Test
    void ofRejectsNoModels() {
        assertThrows(ModelException.class, () -> ModelRegistry.of(List.of(), Optional.empty()));
    }

    @Test
    void modelRejectsDuplicateLabelNames() {
        List<Label> labels = List.of(Label.ofThreshold("x", 0.5, Route.SPAM), Label.ofThreshold("x", 0.5, Route.ALERT));

        assertThrows(IllegalArgumentException.class, () -> new Model("m", "1", Activation.SIGMOID, labels));
    }
}
