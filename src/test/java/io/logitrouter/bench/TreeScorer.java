package io.logitrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logitrouter.model.Label;
import io.logitrouter.model.Model;
import io.logitrouter.model.ModelRegistry;
import io.logitrouter.scoring.Route;
import io.logitrouter.scoring.Sigmoid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The straightforward way to score an event, used as the benchmark baseline: read the value into
 * a Jackson tree, score it from the tree, put the {@code scoring} object into the tree and write
 * the tree back. It handles valid sigmoid events only and skips the validation that the service
 * performs, so it flatters the baseline rather than the service.
 */
final class TreeScorer {

    private final ObjectMapper mapper = new ObjectMapper();
    private final ModelRegistry models;

    TreeScorer(ModelRegistry models) {
        this.models = models;
    }

    byte[] score(byte[] value) {
        try {
            ObjectNode event = (ObjectNode) mapper.readTree(value);
            Model model = models.find(event.get("model").asText()).orElseThrow();
            List<Label> labels = model.labels();

            ObjectNode probabilities = mapper.createObjectNode();
            ArrayNode fired = mapper.createArrayNode();
            boolean alert = false;
            boolean spam = false;
            for (Label label : labels) {
                double logit = logit(event, label);
                double probability = Sigmoid.apply(logit);
                probabilities.put(label.name(), probability);
                if (probability > label.threshold()) {
                    fired.add(label.name());
                    alert |= label.route() == Route.ALERT;
                    spam |= label.route() == Route.SPAM;
                }
            }

            ObjectNode scoring = event.putObject("scoring");
            scoring.put("model", model.name());
            scoring.put("version", model.version());
            scoring.set("probabilities", probabilities);
            scoring.set("fired", fired);
            String route = "pass";
            if (alert) {
                route = "alert";
            } else if (spam) {
                route = "spam";
            }
            scoring.put("route", route);
            return mapper.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double logit(ObjectNode event, Label label) {
        JsonNode logits = event.get("logits");
        if (logits != null) {
            return logits.get(label.name()).doubleValue();
        }
        JsonNode features = event.get("features");
        double z = label.bias();
        for (Iterator<Map.Entry<String, Double>> weights = label.weights().entrySet().iterator(); weights.hasNext(); ) {
            Map.Entry<String, Double> weight = weights.next();
            JsonNode feature = features.get(weight.getKey());
            if (feature != null) {
                z += weight.getValue() * feature.doubleValue();
            }
        }
        return z;
    }
}
