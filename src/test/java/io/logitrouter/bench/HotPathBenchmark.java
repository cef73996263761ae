package io.logitrouter.bench;

import io.logitrouter.e2e.EvalData;
import io.logitrouter.event.EventLimits;
import io.logitrouter.event.EventScorer;
import io.logitrouter.event.ScoredEvent;
import io.logitrouter.metrics.ScoringMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.logitrouter.model.ModelLoader;
import io.logitrouter.model.ModelRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The per-event hot path on real events, single-threaded: parse, score and write the output
 * value. {@code service} is what the Kafka processor calls; {@code tree} is the baseline that
 * reads a Jackson tree, scores it, adds the {@code scoring} object and writes the tree back.
 *
 * <p>Each invocation scores the next event of the chosen set, cycling, so the figure is the
 * mean over the real distribution of event sizes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class HotPathBenchmark {

    /** Which events: e-mail feature events, tumor feature events, or logit events of both models. */
    @Param({"email-features", "tumor-features", "logits"})
    public String events;

    private byte[][] values;
    private EventScorer service;
    private TreeScorer tree;
    private ScoringMetrics metrics;
    private int next;

    @Setup(Level.Trial)
    public void load() {
        ModelRegistry models = ModelLoader.loadBundled(Optional.empty());
        service = new EventScorer(models, EventLimits.defaults());
        tree = new TreeScorer(models);
        metrics = new ScoringMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), models);

        List<byte[]> selected = new ArrayList<>();
        String file = events.equals("logits") ? EvalData.LOGIT_EVENTS : EvalData.FEATURE_EVENTS;
        String model = events.equals("tumor-features") ? "\"model\":\"tumor-screening\"" : "\"model\":\"email-spam\"";
        for (String line : EvalData.lines(file)) {
            if (events.equals("logits") || line.contains(model)) {
                selected.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        values = selected.toArray(byte[][]::new);
    }

    @Benchmark
    public byte[] service() {
        byte[] value = values[next];
        next = next + 1 == values.length ? 0 : next + 1;
        return service.score(value).value();
    }

    /** Runs the service path and updates the meters the processor updates for every event. */
    @Benchmark
    public byte[] serviceWithMetrics() {
        byte[] value = values[next];
        next = next + 1 == values.length ? 0 : next + 1;
        long start = System.nanoTime();
        ScoredEvent scored = service.score(value);
        metrics.recordScored(scored, System.nanoTime() - start);
        metrics.recordEndToEnd(System.currentTimeMillis() - start / 1_000_000);
        return scored.value();
    }

    @Benchmark
    public byte[] tree() {
        byte[] value = values[next];
        next = next + 1 == values.length ? 0 : next + 1;
        return tree.score(value);
    }
}
