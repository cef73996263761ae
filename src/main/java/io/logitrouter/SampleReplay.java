package io.logitrouter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logitrouter.errors.DeadLetters;
import io.logitrouter.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends the bundled sample events through a running service and prints where they went.
 *
 * <p>The sample contains 150 real feature events and 150 real logit events (SpamAssassin e-mails
 * and Wisconsin breast-cancer cases) plus two deliberately bad records that show the dead-letter
 * topic. Only records produced after the replay starts are read back, so a reused broker with
 * older data gives the same summary.
 */
final class SampleReplay {

    static final List<String> SAMPLE_FILES = List.of("/sample/feature-events.jsonl", "/sample/logit-events.jsonl",
            "/sample/bad-events.jsonl");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int EXAMPLES_PER_TOPIC = 1;

    private final LogitRouter router;
    private final PrintStream out;
    private final ObjectMapper mapper = new ObjectMapper();

    SampleReplay(LogitRouter router, PrintStream out) {
        this.router = router;
        this.out = out;
    }

    void run() {
        Topics topics = router.topics();
        List<byte[]> events = readSample();

        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics.outputs()) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            send(events, topics.inputs().get(0));
            out.printf("%nSent %d sample events to %s on %s; reading them back...%n", events.size(),
                    topics.inputs().get(0), router.bootstrapServers());
            printSummary(readBack(consumer, events.size()), topics);
        }
        out.printf("%nlogit-router keeps serving: send JSON events to %s on %s,%n"
                + "metrics at http://127.0.0.1:%d/metrics, health at /health/live and /health/ready.%n"
                + "Stop with Ctrl-C.%n%n", topics.inputs().get(0), router.bootstrapServers(), router.httpPort());
    }

    private List<byte[]> readSample() {
        List<byte[]> events = new ArrayList<>();
        for (String file : SAMPLE_FILES) {
            try (InputStream in = SampleReplay.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled sample " + file + " is missing from the jar");
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (!line.isBlank()) {
                        events.add(line.getBytes(StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("failed to read the bundled sample " + file, e);
            }
        }
        return events;
    }

    private void send(List<byte[]> events, String topic) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, router.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] event : events) {
                producer.send(new ProducerRecord<>(topic, event));
            }
            producer.flush();
        }
    }

    private Map<String, List<ConsumerRecord<byte[], byte[]>>> readBack(KafkaConsumer<byte[], byte[]> consumer,
            int expected) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic = new LinkedHashMap<>();
        router.topics().outputs().forEach(topic -> byTopic.put(topic, new ArrayList<>()));
        int received = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (received < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                byTopic.get(record.topic()).add(record);
                received++;
            }
        }
        if (received < expected) {
            out.printf("Only %d of %d events arrived within %s; see the log above.%n", received, expected, TIMEOUT);
        }
        return byTopic;
    }

    private void printSummary(Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic, Topics topics) {
        out.printf("%n%-22s %-18s %8s%n", "topic", "model", "events");
        for (var entry : byTopic.entrySet()) {
            Map<String, Integer> perModel = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> record : entry.getValue()) {
                perModel.merge(modelOf(record, entry.getKey().equals(topics.deadLetter())), 1, Integer::sum);
            }
            if (perModel.isEmpty()) {
                out.printf("%-22s %-18s %8d%n", entry.getKey(), "-", 0);
            }
            perModel.forEach((model, count) -> out.printf("%-22s %-18s %8d%n", entry.getKey(), model, count));
        }

        out.printf("%nExamples:%n");
        for (var entry : byTopic.entrySet()) {
            entry.getValue().stream().limit(EXAMPLES_PER_TOPIC).forEach(record -> {
                out.printf("  %s: %s%n", entry.getKey(), new String(record.value(), StandardCharsets.UTF_8));
                Header reason = record.headers().lastHeader(DeadLetters.REASON_HEADER);
                if (reason != null) {
                    out.printf("    %s=%s, %s=%s%n", DeadLetters.REASON_HEADER,
                            new String(reason.value(), StandardCharsets.UTF_8), DeadLetters.MESSAGE_HEADER,
                            new String(record.headers().lastHeader(DeadLetters.MESSAGE_HEADER).value(),
                                    StandardCharsets.UTF_8));
                }
            });
        }
    }

    private String modelOf(ConsumerRecord<byte[], byte[]> record, boolean deadLetter) {
        if (deadLetter) {
            Header reason = record.headers().lastHeader(DeadLetters.REASON_HEADER);
            return reason == null ? "?" : "(" + new String(reason.value(), StandardCharsets.UTF_8) + ")";
        }
        try {
            JsonNode scoring = mapper.readTree(record.value()).path("scoring");
            return scoring.path("model").asText("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, router.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
