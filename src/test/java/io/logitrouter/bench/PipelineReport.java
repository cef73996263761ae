package io.logitrouter.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Prints the pipeline results: each figure as the median with its range, then each target. */
final class PipelineReport {

    private final Map<String, List<PipelineBenchmark.Throughput>> throughput;
    private final Map<String, List<Histogram>> latency;

    PipelineReport(Map<String, List<PipelineBenchmark.Throughput>> throughput, Map<String, List<Histogram>> latency) {
        this.throughput = throughput;
        this.latency = latency;
    }

    void print(PrintStream out) {
        out.printf("%nThroughput (median, min-max over rounds)%n");
        for (String run : List.of("T at_least_once", "S at_least_once", "T exactly_once_v2", "S exactly_once_v2")) {
            List<PipelineBenchmark.Throughput> results = throughput.get(run);
            out.printf("  %-20s %s events/s   %s CPU s per million events, broker %s%n", run,
                    spread(results, PipelineBenchmark.Throughput::eventsPerSecond, "%.0f"),
                    spread(results, PipelineBenchmark.Throughput::cpuSecondsPerMillion, "%.2f"),
                    spread(results, PipelineBenchmark.Throughput::brokerCpuSecondsPerMillion, "%.2f"));
        }

        out.printf("%nLatency (median, min-max over rounds), milliseconds%n");
        for (String run : latency.keySet().stream().sorted().toList()) {
            List<Histogram> histograms = latency.get(run);
            out.printf("  %-12s p50 %s   p99 %s   p99.9 %s%n", run, percentile(histograms, 50),
                    percentile(histograms, 99), percentile(histograms, 99.9));
        }

        double serviceRate = median("S at_least_once", PipelineBenchmark.Throughput::eventsPerSecond);
        double passRate = median("T at_least_once", PipelineBenchmark.Throughput::eventsPerSecond);
        double serviceCpu = median("S at_least_once", PipelineBenchmark.Throughput::cpuSecondsPerMillion);
        double passCpu = median("T at_least_once", PipelineBenchmark.Throughput::cpuSecondsPerMillion);
        double serviceEos = median("S exactly_once_v2", PipelineBenchmark.Throughput::eventsPerSecond);
        double serviceP99 = PipelineBenchmark.median(latency.get("S"), h -> h.getValueAtPercentile(99) / 1e3);
        double passP99 = PipelineBenchmark.median(latency.get("T"), h -> h.getValueAtPercentile(99) / 1e3);

        out.printf("%nTargets%n");
        target(out, "throughput S/T", serviceRate / passRate, ">= 0.90", serviceRate / passRate >= 0.9);
        target(out, "CPU per event S/T", serviceCpu / passCpu, "<= 1.30", serviceCpu / passCpu <= 1.3);
        target(out, "p99 S minus (1.2 x p99 T + 2 ms), ms", serviceP99 - (1.2 * passP99 + 2), "<= 0",
                serviceP99 <= 1.2 * passP99 + 2);
        target(out, "S exactly_once_v2 / at_least_once", serviceEos / serviceRate, ">= 0.70",
                serviceEos / serviceRate >= 0.7);
    }

    private double median(String run, Function<PipelineBenchmark.Throughput, Double> field) {
        return PipelineBenchmark.median(throughput.get(run), field);
    }

    private static void target(PrintStream out, String name, double value, String goal, boolean met) {
        out.printf("  %-40s %8.3f  target %s  %s%n", name, value, goal, met ? "met" : "MISSED");
    }

    private static <T> String spread(List<T> values, Function<T, Double> field, String format) {
        List<Double> numbers = new ArrayList<>(values.stream().map(field).toList());
        double min = numbers.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = numbers.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return String.format(format + " (" + format + "-" + format + ")", PipelineBenchmark.median(values, field), min, max);
    }

    private static String percentile(List<Histogram> histograms, double percentile) {
        return spread(histograms, h -> h.getValueAtPercentile(percentile) / 1e3, "%.2f");
    }
}
