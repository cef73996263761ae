package io.logitrouter.crash;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;

/**
 * Input events for the delivery tests, each with a unique id that is also its record key.
 *
 * <p>{@link #fromEvalSet} cycles the test resources' evaluation events (1308 feature and 1308
 * logit events) and gives event {@code n} the id {@code <original id>#<n>}. {@link #fromFile}
 * reads a JSON-lines file, gzip-compressed if its name ends in {@code .gz}, whose ids are
 * already unique.
 */
final class LoadEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> EVAL_RESOURCES =
            List.of("/data/eval/feature-events.jsonl", "/data/eval/logit-events.jsonl");

    /** One input record: its id, used as the key, and its JSON value. */
    record Event(String id, String json) {
    }

    private LoadEvents() {
    }

    static List<Event> fromEvalSet(int count) {
        List<String> lines = new ArrayList<>();
        for (String resource : EVAL_RESOURCES) {
            lines.addAll(readLines(LoadEvents.class.getResourceAsStream(resource), resource));
        }
        List<Event> events = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            ObjectNode event = (ObjectNode) parse(lines.get(n % lines.size()));
            String id = event.get("id").asText() + "#" + n;
            event.put("id", id);
            events.add(new Event(id, event.toString()));
        }
        return events;
    }

    static List<Event> fromFile(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            List<Event> events = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (String line : readLines(in, file.toString())) {
                String id = parse(line).get("id").asText();
                if (!ids.add(id)) {
                    throw new IllegalArgumentException(file + " contains the id " + id + " twice; the delivery test"
                            + " needs unique ids to count duplicates");
                }
                events.add(new Event(id, line));
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read events from " + file, e);
        }
    }

    /** Returns the model directory of the test resources, which scores the evaluation and load events. */
    static Path modelsDir() {
        try {
            return Path.of(LoadEvents.class.getResource("/data/models").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends every event to the topic with its id as the key, and waits until all are acknowledged. */
    static void produce(String bootstrapServers, String topic, List<Event> events) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                // With several requests in flight to a partition created a moment ago, the first
                // can fail with NOT_LEADER_OR_FOLLOWER while a later one is written. The retried
                // first batch then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery
                // timeout (seen with Kafka 4.4). One request in flight avoids that.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new StringSerializer())) {
            for (Event event : events) {
                producer.send(new ProducerRecord<>(topic, event.id(), event.json()), (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("failed to produce the input events to " + topic, failure.get());
        }
    }

    private static List<String> readLines(InputStream in, String source) {
        if (in == null) {
            throw new IllegalStateException("missing resource " + source);
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + source, e);
        }
        return lines;
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("invalid JSON event: " + json, e);
        }
    }
}
