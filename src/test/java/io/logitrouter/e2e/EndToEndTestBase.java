package io.logitrouter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.logitrouter.LogitRouter;
import io.logitrouter.config.RouterConfig;
import io.logitrouter.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sends the whole evaluation set, 1308 feature events and 1308 logit events, through a running
 * service on a real broker and checks every output against the reference results.
 *
 * <p>Subclasses provide the broker: the in-process KRaft broker, or a container where Docker runs,
 * and may set the processing guarantee. The outputs are read with {@code read_committed}, so
 * under {@code exactly_once_v2} only records of committed transactions count.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
abstract class EndToEndTestBase {

    static final Topics TOPICS = new Topics(List.of("scoring.input"), "scoring.spam", "scoring.alert",
            "scoring.pass", "scoring.dead-letter");
    private static final double TOLERANCE = 1e-12;
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)} ([0-9.eE+-]+)$");

    /** Returns the bootstrap address of a broker on which {@link #TOPICS} exist. */
    abstract String bootstrapServers();

    /** Returns the service's {@code processing.guarantee}: the Kafka Streams default unless overridden. */
    String processingGuarantee() {
        return "at_least_once";
    }

    @Test
    void evalSetRoutesExactlyOnRealBroker() throws Exception {
        Map<String, JsonNode> expected = EvalData.expectedById();
        List<String> featureEvents = EvalData.lines(EvalData.FEATURE_EVENTS);
        List<String> logitEvents = EvalData.lines(EvalData.LOGIT_EVENTS);
        int total = featureEvents.size() + logitEvents.size();
        assertEquals(2 * 1308, total);

        RouterConfig config = RouterConfig.of(Map.of(
                "bootstrap.servers", bootstrapServers(),
                "application.id", "e2e-" + System.nanoTime(),
                "processing.guarantee", processingGuarantee(),
                "scoring.embedded", "off",
                "scoring.http.host", "127.0.0.1",
                "scoring.http.port", "0",
                "scoring.models", EvalData.modelsDir().toString()));
        try (LogitRouter router = LogitRouter.start(config)) {
            awaitReady(router);
            send(featureEvents, "feature/");
            send(logitEvents, "logit/");

            Map<String, ConsumerRecord<byte[], byte[]>> outputs = readOutputs(total);
            assertEquals(total, outputs.size(), "every event appears exactly once across the outputs");

            Map<String, Integer> routeCounts = new TreeMap<>();
            for (var entry : outputs.entrySet()) {
                String key = entry.getKey();
                ConsumerRecord<byte[], byte[]> record = entry.getValue();
                String id = key.substring(key.indexOf('/') + 1);
                JsonNode answer = expected.get(id);
                JsonNode output = EvalData.parse(record.value());
                JsonNode scoring = output.get("scoring");
                String route = answer.get("route").asText();

                assertEquals(TOPICS.forRoute(io.logitrouter.scoring.Route.valueOf(route.toUpperCase())),
                        record.topic(), key);
                assertEquals(id, output.get("id").asText(), key);
                assertEquals(route, scoring.get("route").asText(), key);
                assertEquals(answer.get("fired"), scoring.get("fired"), key);
                String label = answer.get("fired").size() > 0 ? answer.get("fired").get(0).asText()
                        : scoring.get("probabilities").fieldNames().next();
                double probability = scoring.get("probabilities").get(label).asDouble();
                assertTrue(Math.abs(probability - answer.get("probability").asDouble()) <= TOLERANCE,
                        key + ": probability " + probability + " differs from " + answer.get("probability"));
                routeCounts.merge(answer.get("model").asText() + "|" + route, 1, Integer::sum);
            }

            Map<String, Double> scraped = scrapeMetrics(router.httpPort());
            for (var entry : routeCounts.entrySet()) {
                String[] parts = entry.getKey().split("\\|");
                String series = "scoring_events_total{model=\"" + parts[0] + "\",route=\"" + parts[1] + "\"}";
                assertEquals((double) entry.getValue(), scraped.getOrDefault(series, -1.0), series);
            }
            double deadLetters = scraped.entrySet().stream()
                    .filter(sample -> sample.getKey().startsWith("scoring_dead_letter_total{"))
                    .mapToDouble(Map.Entry::getValue).sum();
            assertEquals(0.0, deadLetters);
            assertEquals((double) total, scraped.get("scoring_processing_seconds_count{}"));
            assertEquals((double) total, scraped.get("scoring_end_to_end_seconds_count{}"));
        }
    }

    private static void awaitReady(LogitRouter router) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!router.health().isReady()) {
            if (System.nanoTime() > deadline) {
                fail("the service did not become ready; state " + router.health().state());
            }
            Thread.sleep(100);
        }
    }

    private void send(List<String> events, String keyPrefix) throws Exception {
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (String event : events) {
                String id = EvalData.parse(event).get("id").asText();
                producer.send(new ProducerRecord<>(TOPICS.inputs().get(0), keyPrefix + id, event));
            }
            producer.flush();
        }
    }

    /** Reads all four outputs until {@code expected} records arrived, failing on a repeated key. */
    private Map<String, ConsumerRecord<byte[], byte[]>> readOutputs(int expected) {
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS.outputs()) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);

            Set<String> duplicates = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (byKey.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (byKey.put(key, record) != null) {
                        duplicates.add(key);
                    }
                }
            }
            // Anything still in flight would show up within one more poll.
            consumer.poll(Duration.ofSeconds(1)).forEach(record ->
                    duplicates.add(new String(record.key(), StandardCharsets.UTF_8)));
            assertEquals(Set.of(), duplicates, "keys that arrived more than once");
        }
        return byKey;
    }

    /** Scrapes {@code /metrics} and returns each sample as "name{labels}" → value. */
    static Map<String, Double> scrapeMetrics(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line);
            if (matcher.matches()) {
                samples.put(matcher.group(1) + "{" + matcher.group(2) + "}", Double.parseDouble(matcher.group(3)));
            } else {
                String[] parts = line.split(" ");
                samples.put(parts[0] + "{}", Double.parseDouble(parts[1]));
            }
        }
        return samples;
    }
}
