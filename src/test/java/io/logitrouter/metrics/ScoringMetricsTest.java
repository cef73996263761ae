package io.logitrouter.metrics;

import io.logitrouter.event.EventLimits;
import io.logitrouter.event.EventScorer;
import io.logitrouter.model.ModelLoader;
import io.logitrouter.model.ModelRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoringMetricsTest {

    private static final String BUCKET = "scoring_probability_percent_bucket{label=\"malignant\",model=\"tumor-screening\",le=\"%s\"} %d";

    @Test
    void probabilitiesLandInTheirBuckets() {
        ModelRegistry models = ModelLoader.loadBundled(Optional.empty());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScoringMetrics metrics = new ScoringMetrics(registry, models);
        EventScorer scorer = new EventScorer(models, EventLimits.defaults());

        // Logits whose probabilities are about 0.12, 0.5 (exactly), 0.82 and 0.97.
        for (String logit : new String[] {"-2", "0", "1.5", "3.5"}) {
            String event = "{\"id\":\"x\",\"model\":\"tumor-screening\",\"logits\":{\"malignant\":" + logit + "}}";
            metrics.recordScored(scorer.score(event.getBytes(StandardCharsets.UTF_8)), 1_000);
        }
        String scrape = registry.scrape();

        assertTrue(scrape.contains(String.format(BUCKET, "10.0", 0)), scrape);
        assertTrue(scrape.contains(String.format(BUCKET, "15.0", 1)), scrape);
        assertTrue(scrape.contains(String.format(BUCKET, "45.0", 1)), scrape);
        assertTrue(scrape.contains(String.format(BUCKET, "50.0", 2)), scrape);
        assertTrue(scrape.contains(String.format(BUCKET, "80.0", 2)), scrape);
        assertTrue(scrape.contains(String.format(BUCKET, "85.0", 3)), scrape);
        assertTrue(scrape.contains(String.format(BUCKET, "95.0", 3)), scrape);
        assertTrue(scrape.contains(String.format(BUCKET, "100.0", 4)), scrape);
    }

    @Test
    void modelInfoNamesEachVersion() {
        ModelRegistry models = ModelLoader.loadBundled(Optional.empty());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ScoringMetrics(registry, models);

        String scrape = registry.scrape();

        assertTrue(scrape.contains("scoring_model_info{model=\"email-spam\",version=\"2026-12-04\"} 1"), scrape);
        assertTrue(scrape.contains("scoring_model_info{model=\"tumor-screening\",version=\"2026-12-04\"} 1"), scrape);
    }
}
