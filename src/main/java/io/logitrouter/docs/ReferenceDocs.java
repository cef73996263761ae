package io.logitrouter.docs;

import io.logitrouter.config.RouterConfig;
import io.logitrouter.errors.DeadLetterReason;
import io.logitrouter.errors.DeadLetters;
import io.logitrouter.event.EventLimits;
import io.logitrouter.event.EventScorer;
import io.logitrouter.event.ScoredEvent;
import io.logitrouter.metrics.ScoringMetrics;
import io.logitrouter.model.ModelLoader;
import io.logitrouter.model.ModelRegistry;
import io.logitrouter.scoring.Route;
import io.logitrouter.topology.ScoringTopology;
import io.logitrouter.topology.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.TopologyDescription;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Generates the reference pages in {@code topology-docs/} from the code itself: the topology
 * description, a Mermaid diagram, one page per topic with an example record, the metric
 * reference and the configuration reference.
 *
 * <p>Run {@code java -cp target/logit-router.jar io.logitrouter.docs.ReferenceDocs topology-docs}
 * after changing the topology, a meter or a setting; a unit test fails while the pages are stale.
 */
public final class ReferenceDocs {

    static final String REGENERATE = "java -cp target/logit-router.jar io.logitrouter.docs.ReferenceDocs topology-docs";

    /** The sample event each route page shows, scored by the bundled models. */
    private static final Map<Route, String> EXAMPLE_EVENTS = Map.of(
            Route.SPAM, "{\"id\":\"msg-1\",\"model\":\"email-spam\",\"logits\":{\"spam\":1.5152417474322548}}",
            Route.ALERT, "{\"id\":\"case-7\",\"model\":\"tumor-screening\",\"logits\":{\"malignant\":2.25},"
                    + "\"source\":\"screening-lab-2\"}",
            Route.PASS, "{\"id\":\"msg-2\",\"model\":\"email-spam\",\"features\":{\"word_freq_george\":1.2,"
                    + "\"word_freq_meeting\":0.6}}");

    private ReferenceDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("Usage: " + REGENERATE.replace("topology-docs", "DIRECTORY"));
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        for (var page : render().entrySet()) {
            Path file = directory.resolve(page.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, page.getValue(), StandardCharsets.UTF_8);
        }
        System.out.println("Wrote " + render().size() + " pages to " + directory);
    }

    /** Renders every page, keyed by its path relative to {@code topology-docs/}. */
    public static Map<String, String> render() {
        RouterConfig config = RouterConfig.of(Map.of());
        Topics topics = Topics.from(config);
        ModelRegistry models = ModelLoader.loadBundled(Optional.empty());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScoringMetrics metrics = new ScoringMetrics(registry, models);
        EventLimits limits = EventLimits.defaults();
        TopologyDescription description =
                ScoringTopology.build(topics, () -> new EventScorer(models, limits), metrics).describe();

        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("README.md", index(topics));
        pages.put("topology.txt", description.toString());
        pages.put("topology.md", mermaid(description, topics));
        for (Route route : Route.values()) {
            pages.put("topics/" + topics.forRoute(route) + ".md",
                    routePage(topics.forRoute(route), route, new EventScorer(models, limits)));
        }
        pages.put("topics/" + topics.deadLetter() + ".md", deadLetterPage(topics));
        pages.put("topics/" + topics.inputs().get(0) + ".md", inputPage(topics));
        pages.put("metrics.md", metricsPage(registry));
        pages.put("configuration.md", configurationPage());
        registry.close();
        return pages;
    }

    private static String index(Topics topics) {
        StringBuilder page = new StringBuilder("""
                # Reference

                Generated from the code by `%s`; do not edit by hand.

                - [Topology](topology.md) as a diagram, and [as text](topology.txt) from `Topology.describe()`
                - [Configuration](configuration.md): every setting with its environment variable and default
                - [Metrics](metrics.md): every meter the service registers
                - Topics:
                """.formatted(REGENERATE));
        for (String topic : topics.all()) {
            page.append("  - [").append(topic).append("](topics/").append(topic).append(".md)\n");
        }
        return page.toString();
    }

    /** Draws the topology as a Mermaid flowchart: topics as stadiums, processors as boxes. */
    static String mermaid(TopologyDescription description, Topics topics) {
        StringBuilder chart = new StringBuilder("# Topology\n\nGenerated from `Topology.describe()`; "
                + "the text form is in [topology.txt](topology.txt).\n\n```mermaid\nflowchart LR\n");
        Map<String, String> topicNodes = new TreeMap<>();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                String id = nodeId(node.name());
                chart.append("    ").append(id).append("[\"").append(node.name()).append("\"]\n");
                if (node instanceof TopologyDescription.Source source) {
                    for (String topic : source.topicSet()) {
                        topicNodes.put(topic, nodeId("topic " + topic));
                        chart.append("    ").append(nodeId("topic " + topic)).append(" --> ").append(id).append('\n');
                    }
                }
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    topicNodes.put(sink.topic(), nodeId("topic " + sink.topic()));
                    chart.append("    ").append(id).append(" --> ").append(nodeId("topic " + sink.topic())).append('\n');
                } else if (node instanceof TopologyDescription.Sink) {
                    // A sink that picks its topic per record: draw one labelled edge per route.
                    for (Route route : Route.values()) {
                        String topic = topics.forRoute(route);
                        topicNodes.put(topic, nodeId("topic " + topic));
                        chart.append("    ").append(id).append(" -->|").append(route.code()).append("| ")
                                .append(nodeId("topic " + topic)).append('\n');
                    }
                }
                for (TopologyDescription.Node successor : node.successors()) {
                    chart.append("    ").append(id).append(" --> ").append(nodeId(successor.name())).append('\n');
                }
            }
        }
        topicNodes.forEach((topic, id) -> chart.append("    ").append(id).append("([\"").append(topic).append("\"])\n"));
        chart.append("```\n\nRecords that cannot be scored leave through the Kafka Streams dead-letter queue "
                + "to the dead-letter topic; that path is configured, not drawn in the topology.\n");
        return chart.toString();
    }

    private static String nodeId(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_");
    }

    private static String inputPage(Topics topics) {
        return """
                # %s

                The input topic (`scoring.topic.input`; a comma-separated list of topics is allowed).
                The embedded development broker creates it with 4 partitions.

                - Key: optional, any bytes; it is kept on the output record.
                - Value: one UTF-8 JSON object with `id`, optional `model`, and exactly one of
                  `logits` or `features`. Every other field is carried through unchanged.
                - Headers and timestamp: kept on the output record.

                Example values:

                ```json
                %s
                %s
                ```
                """.formatted(topics.inputs().get(0), EXAMPLE_EVENTS.get(Route.SPAM), EXAMPLE_EVENTS.get(Route.PASS));
    }

    private static String routePage(String topic, Route route, EventScorer scorer) {
        String input = EXAMPLE_EVENTS.get(route);
        ScoredEvent scored = scorer.score(input.getBytes(StandardCharsets.UTF_8));
        String meaning = switch (route) {
            case ALERT -> "events in which at least one label that routes to `alert` fired";
            case SPAM -> "events in which a label that routes to `spam` fired and no `alert` label fired";
            case PASS -> "events in which no label fired";
        };
        return """
                # %s

                Output topic for route `%s`: %s.

                - Key, headers and timestamp: those of the input record.
                - Value: the input object, byte for byte, with one more top-level field `scoring`.

                Example input value:

                ```json
                %s
                ```

                Output value:

                ```json
                %s
                ```
                """.formatted(topic, route.code(), meaning, input, new String(scored.value(), StandardCharsets.UTF_8));
    }

    private static String deadLetterPage(Topics topics) {
        StringBuilder reasons = new StringBuilder();
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            reasons.append("- `").append(reason.code()).append("`\n");
        }
        return """
                # %s

                Records that cannot be scored. Each keeps the original key, value bytes (unchanged,
                even when they are not valid UTF-8), headers and timestamp, and gets these headers:

                | header | value |
                |---|---|
                | `__streams.errors.exception` | the exception class |
                | `__streams.errors.message` | the exception message |
                | `__streams.errors.stacktrace` | the stack trace, or the message alone for bad input |
                | `__streams.errors.topic` | the input topic |
                | `__streams.errors.partition` | the input partition |
                | `__streams.errors.offset` | the input offset |
                | `%s` | a stable reason code, listed below |
                | `%s` | readable text that names the field and the problem |
                | `%s` | only when the dead letter would exceed what the topic accepts: the original value length; the value keeps only its first bytes |

                Example: the input value `{"id":"msg-3","model":"email-spam","logits":{"spam":"3.0"}}` arrives
                unchanged with `%s: non-numeric-value` and
                `%s: logits.spam is a string, but it must be a finite number`.

                Reason codes, explained with examples in [docs/bad-input.md](../../docs/bad-input.md):

                %s""".formatted(topics.deadLetter(), DeadLetters.REASON_HEADER, DeadLetters.MESSAGE_HEADER,
                DeadLetters.VALUE_TRUNCATED_HEADER, DeadLetters.REASON_HEADER, DeadLetters.MESSAGE_HEADER, reasons);
    }

    /** Lists the service's own meters as Prometheus exposes them, from a real scrape. */
    private static String metricsPage(PrometheusMeterRegistry registry) {
        Map<String, String[]> families = new TreeMap<>();
        Map<String, List<String>> labels = new TreeMap<>();
        for (String line : registry.scrape().split("\n")) {
            if (line.startsWith("# HELP scoring_") || line.startsWith("# TYPE scoring_")) {
                String[] parts = line.split(" ", 4);
                String[] family = families.computeIfAbsent(parts[2], name -> new String[2]);
                family[line.startsWith("# HELP") ? 0 : 1] = parts[3];
            } else if (line.startsWith("scoring_")) {
                String family = familyOf(line, families.keySet());
                int open = line.indexOf('{');
                List<String> names = labels.computeIfAbsent(family, name -> new ArrayList<>());
                if (open > 0) {
                    for (String pair : line.substring(open + 1, line.indexOf('}')).split(",")) {
                        String label = pair.substring(0, pair.indexOf('='));
                        if (!label.equals("le") && !names.contains(label)) {
                            names.add(label);
                        }
                    }
                }
            }
        }

        StringBuilder page = new StringBuilder("""
                # Metrics

                The service's own meters, as `GET /metrics` exposes them. Every series exists from
                start-up, and tag values come only from the loaded models and the reason codes.
                Kafka Streams client metrics (`kafka_stream_*`, `kafka_consumer_*`, `kafka_producer_*`)
                and JVM metrics (`jvm_*`, `process_*`, `system_*`) are exported as well.

                | metric | type | labels | description |
                |---|---|---|---|
                """);
        families.forEach((name, family) -> page.append("| `").append(name).append("` | ").append(family[1])
                .append(" | ").append(String.join(", ", labels.getOrDefault(name, List.of()))).append(" | ")
                .append(family[0]).append(" |\n"));
        page.append("\nHistogram buckets (`le`):\n\n");
        page.append("- `scoring_processing_seconds`: ").append(ScoringMetrics.describeProcessingBuckets()).append('\n');
        page.append("- `scoring_end_to_end_seconds`: ").append(ScoringMetrics.describeEndToEndBuckets()).append('\n');
        page.append("- `scoring_probability`: ").append(ScoringMetrics.describeProbabilityBuckets()).append('\n');
        return page.toString();
    }

    private static String familyOf(String sample, Iterable<String> families) {
        String best = "";
        for (String family : families) {
            if (sample.startsWith(family) && family.length() > best.length()) {
                best = family;
            }
        }
        return best;
    }

    private static String configurationPage() {
        StringBuilder page = new StringBuilder("""
                # Configuration

                Lowest precedence first: these defaults, a properties file (`--config FILE` or
                `SCORING_CONFIG_FILE`), environment variables, then `KEY=VALUE` arguments. Any key
                outside `scoring.*` passes through to the Kafka clients and Kafka Streams; from the
                environment, `KAFKA_FOO_BAR` sets `foo.bar`.

                | key | environment variable | type | default | valid values | meaning |
                |---|---|---|---|---|---|
                """);
        for (ConfigDef.ConfigKey key : RouterConfig.definition().configKeys().values()) {
            Object defaultValue = key.defaultValue;
            String shownDefault = defaultValue == null || defaultValue.toString().isEmpty() ? "(none)"
                    : defaultValue instanceof List<?> list ? String.join(",", list.stream().map(Object::toString).toList())
                    : defaultValue.toString();
            page.append("| `").append(key.name).append("` | `").append(RouterConfig.envName(key.name)).append("` | ")
                    .append(key.type.name().toLowerCase()).append(" | `").append(shownDefault).append("` | ")
                    .append(key.validator == null ? "" : key.validator.toString().replace("|", "\\|")).append(" | ")
                    .append(key.documentation.replace("\n", " ").replace("|", "\\|")).append(" |\n");
        }
        return page.toString();
    }
}
