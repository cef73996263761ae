package io.logitrouter.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Adapts the third-party meters whose names break the Prometheus naming rules that
 * {@code promtool check metrics} enforces, so that the whole scrape passes it.
 *
 * <ul>
 *   <li>Meters measured in nanoseconds or milliseconds ({@code kafka.producer.io.time.ns.total},
 *       {@code process.cpu.time} in ns) are dropped, because a filter can rename a meter but
 *       not rescale its values to seconds. The Kafka Streams rates and latencies that
 *       dashboards use are not among them.
 *   <li>Gauges ending in {@code count}, a suffix Prometheus reserves for histograms and
 *       summaries, get a plural name ({@code system_cpus}), except Kafka's connection counts,
 *       which are dropped.
 *   <li>Meters without a description get one that names their source.
 * </ul>
 *
 * <p>The service's own {@code scoring.*} meters already follow the rules and pass unchanged.
 */
public final class PromtoolNames implements MeterFilter {

    private static final Set<String> SUB_SECOND_UNITS = Set.of("ns", "ms", "nanoseconds", "milliseconds");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        boolean subSecondName = Arrays.stream(id.getName().split("\\.")).anyMatch(SUB_SECOND_UNITS::contains);
        boolean subSecondUnit = id.getBaseUnit() != null && SUB_SECOND_UNITS.contains(id.getBaseUnit());
        // Micrometer's Kafka binder re-registers a renamed gauge when it rescans the client
        // metrics, which logs a duplicate warning, so Kafka's count gauges are dropped instead.
        boolean kafkaCountGauge = id.getName().startsWith("kafka.") && id.getName().endsWith(".count")
                && id.getType() == Meter.Type.GAUGE;
        return subSecondName || subSecondUnit || kafkaCountGauge ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        List<String> tokens = new ArrayList<>(Arrays.asList(id.getName().split("\\.")));
        int last = tokens.size() - 1;
        boolean plainMeter = id.getType() == Meter.Type.GAUGE || id.getType() == Meter.Type.OTHER;
        if (plainMeter && last > 0 && tokens.get(last).equals("count")) {
            tokens.remove(last);
            tokens.set(last - 1, tokens.get(last - 1) + "s");
        }
        String name = String.join(".", tokens);

        String description = id.getDescription();
        if (description == null || description.isBlank()) {
            description = (id.getName().startsWith("kafka.") ? "Kafka client metric " : "Metric ") + id.getName();
        }

        if (name.equals(id.getName()) && description.equals(id.getDescription())) {
            return id;
        }
        return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
    }
}
