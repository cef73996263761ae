package io.logitrouter.metrics;

import io.logitrouter.errors.DeadLetterReason;
import io.logitrouter.errors.DeadLetterRecorder;
import io.logitrouter.errors.RecordCoordinates;
import io.logitrouter.event.EventKind;
import io.logitrouter.model.Label;
import io.logitrouter.model.Model;
import io.logitrouter.model.ModelRegistry;
import io.logitrouter.scoring.Route;
import io.logitrouter.event.ScoredEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service's own meters, registered once at start-up for every model, label, route and
 * reason code, so that every series exists from the first scrape and none is created per event.
 *
 * <p>Tag values come only from the loaded models and the fixed reason codes, never from event
 * content, so the number of series is bounded by the configuration. Thread-safe: every stream
 * thread shares one instance.
 */
public final class ScoringMetrics implements DeadLetterRecorder {

    /** Fixed buckets for the time to score one event, from 1 µs to 50 ms. */
    static final List<Duration> PROCESSING_BUCKETS = micros(1, 2, 5, 10, 20, 50, 100, 200, 500,
            1_000, 2_000, 5_000, 10_000, 50_000);

    /** Fixed buckets for the time from the input timestamp to the producer, from 1 ms to 60 s. */
    static final List<Duration> END_TO_END_BUCKETS = millis(1, 2, 5, 10, 20, 50, 100, 200, 500,
            1_000, 2_000, 5_000, 10_000, 30_000, 60_000);

    /**
     * Fixed probability buckets in percent, 5 to 100 in steps of 5, to watch the score
     * distribution drift. Probabilities are recorded in percent because Micrometer 1.17 rounds
     * each value up to a whole number before it picks a fixed bucket, which would put every
     * probability from 0 to 1 into the top bucket. With whole-number bounds the rounding never
     * changes the bucket.
     */
    static final double[] PROBABILITY_BUCKETS = probabilityBuckets();

    private final Map<String, ModelMeters> byModel = new HashMap<>();
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final Timer processing;
    private final Timer endToEnd;

    public ScoringMetrics(MeterRegistry registry, ModelRegistry models) {
        for (Model model : models.models()) {
            byModel.put(model.name(), new ModelMeters(registry, model));
            Gauge.builder("scoring.model.info", () -> 1)
                    .description("Loaded models; the value is always 1 and the tags name the model and its version")
                    .tag("model", model.name())
                    .tag("version", model.version())
                    .register(registry);
        }
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, Counter.builder("scoring.dead.letter")
                    .description("Records sent to the dead-letter topic, by reason code")
                    .tag("reason", reason.code())
                    .register(registry));
        }
        processing = Timer.builder("scoring.processing")
                .description("Time spent parsing, scoring and writing one event")
                .serviceLevelObjectives(PROCESSING_BUCKETS.toArray(Duration[]::new))
                .register(registry);
        endToEnd = Timer.builder("scoring.end.to.end")
                .description("Time from the input record's timestamp until its output is handed to the producer")
                .serviceLevelObjectives(END_TO_END_BUCKETS.toArray(Duration[]::new))
                .register(registry);
    }

    /** Counts one scored event and the time it took. */
    public void recordScored(ScoredEvent event, long processingNanos) {
        processing.record(processingNanos, TimeUnit.NANOSECONDS);
        byModel.get(event.model().name()).record(event);
    }

    /** Records the end-to-end latency of one output; negative values (clock skew) count as 0. */
    public void recordEndToEnd(long millis) {
        endToEnd.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void record(DeadLetterReason reason, RecordCoordinates source, String message) {
        deadLetters.get(reason).increment();
    }

    /** The counters of one model, indexed by route and by label position. */
    private static final class ModelMeters {

        private final Map<Route, Counter> events = new EnumMap<>(Route.class);
        private final Counter[] fired;
        private final DistributionSummary[] probabilities;
        private final Counter ignoredFeatures;
        private final Counter ignoredLabels;

        ModelMeters(MeterRegistry registry, Model model) {
            for (Route route : Route.values()) {
                events.put(route, Counter.builder("scoring.events")
                        .description("Events routed to the spam, alert or pass topic")
                        .tag("model", model.name())
                        .tag("route", route.code())
                        .register(registry));
            }
            List<Label> labels = model.labels();
            fired = new Counter[labels.size()];
            probabilities = new DistributionSummary[labels.size()];
            for (int i = 0; i < fired.length; i++) {
                fired[i] = Counter.builder("scoring.label.fired")
                        .description("Events in which a label's probability exceeded its threshold")
                        .tag("model", model.name())
                        .tag("label", labels.get(i).name())
                        .register(registry);
                probabilities[i] = DistributionSummary.builder("scoring.probability")
                        .description("Probabilities computed for a label, in percent, to watch the score distribution drift")
                        .baseUnit("percent")
                        .tag("model", model.name())
                        .tag("label", labels.get(i).name())
                        .serviceLevelObjectives(PROBABILITY_BUCKETS)
                        .register(registry);
            }
            ignoredFeatures = ignoredCounter(registry, model, "feature");
            ignoredLabels = ignoredCounter(registry, model, "label");
        }

        void record(ScoredEvent event) {
            events.get(event.route()).increment();
            for (int i = 0; i < fired.length; i++) {
                if (event.fired(i)) {
                    fired[i].increment();
                }
                probabilities[i].record(100 * event.probability(i));
            }
            if (event.ignoredEntries() > 0) {
                Counter ignored = event.kind() == EventKind.FEATURES ? ignoredFeatures : ignoredLabels;
                ignored.increment(event.ignoredEntries());
            }
        }

        private static Counter ignoredCounter(MeterRegistry registry, Model model, String kind) {
            return Counter.builder("scoring.ignored.entries")
                    .description("Event entries that scoring ignored: features the model has no weight for "
                            + "(kind=feature) and logits of labels the model does not have (kind=label)")
                    .tag("model", model.name())
                    .tag("kind", kind)
                    .register(registry);
        }
    }

    /** Returns the processing-time bucket bounds in seconds, for the metric reference. */
    public static String describeProcessingBuckets() {
        return PROCESSING_BUCKETS.stream().map(ScoringMetrics::seconds).toList().toString();
    }

    /** Returns the end-to-end bucket bounds in seconds, for the metric reference. */
    public static String describeEndToEndBuckets() {
        return END_TO_END_BUCKETS.stream().map(ScoringMetrics::seconds).toList().toString();
    }

    /** Returns the probability bucket bounds, for the metric reference. */
    public static String describeProbabilityBuckets() {
        return java.util.Arrays.toString(PROBABILITY_BUCKETS);
    }

    private static String seconds(Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    private static double[] probabilityBuckets() {
        double[] buckets = new double[20];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = 5.0 * (i + 1);
        }
        return buckets;
    }

    private static List<Duration> micros(long... values) {
        return java.util.Arrays.stream(values).mapToObj(value -> Duration.ofNanos(value * 1_000)).toList();
    }

    private static List<Duration> millis(long... values) {
        return java.util.Arrays.stream(values).mapToObj(Duration::ofMillis).toList();
    }
}
