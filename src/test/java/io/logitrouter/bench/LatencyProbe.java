package io.logitrouter.bench;

import org.HdrHistogram.Histogram;
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

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures end-to-end latency at a fixed, open-loop rate: record i is due at start + i / rate,
 * and its latency runs from that intended send time to its arrival on an output topic.
 *
 * <p>Measuring from the intended time rather than the actual send time means a stall in the
 * pipeline shows up in every record that should have been sent during it, so coordinated
 * omission cannot hide delays. The producer and the consumer run in this JVM and share its
 * {@code System.nanoTime()} clock.
 */
final class LatencyProbe {

    static final String INTENDED_HEADER = "bench-intended-ns";

    /**
     * The measured latencies, how many measured records never arrived, and the largest latency
     * of the records due in each second of the measurement, in microseconds.
     */
    record Result(Histogram micros, long missing, long[] maxMicrosPerSecond) {
    }

    private LatencyProbe() {
    }

    /**
     * Sends {@code events} round-robin at {@code ratePerSecond} for warm-up plus measurement,
     * and returns the latencies of the records sent after the warm-up.
     */
    static Result run(String bootstrap, String inputTopic, List<String> outputTopics, List<byte[]> events,
            double ratePerSecond, Duration warmup, Duration measured) throws InterruptedException {
        long periodNanos = (long) (1e9 / ratePerSecond);
        long warmupCount = warmup.toNanos() / periodNanos;
        long total = warmupCount + measured.toNanos() / periodNanos;
        Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
        AtomicLong received = new AtomicLong();
        long perSecond = (long) Math.ceil(ratePerSecond);
        AtomicLongArray maxPerSecond = new AtomicLongArray((int) (measured.toSeconds() + 1));
        AtomicBoolean stop = new AtomicBoolean();

        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap);
             KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : outputTopics) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                        long arrived = System.nanoTime();
                        Header intended = record.headers().lastHeader(INTENDED_HEADER);
                        ByteBuffer fields = ByteBuffer.wrap(intended.value());
                        long intendedNanos = fields.getLong();
                        long sequence = fields.getLong();
                        if (sequence >= warmupCount) {
                            long latency = Math.max(0, (arrived - intendedNanos) / 1_000);
                            micros.recordValue(latency);
                            received.incrementAndGet();
                            int second = (int) Math.min((sequence - warmupCount) / perSecond, maxPerSecond.length() - 1);
                            maxPerSecond.accumulateAndGet(second, latency, Math::max);
                        }
                    }
                }
            }, "latency-reader");
            reader.start();

            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            for (long i = 0; i < total; i++) {
                long intended = start + i * periodNanos;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                ProducerRecord<byte[], byte[]> record =
                        new ProducerRecord<>(inputTopic, events.get((int) (i % events.size())));
                record.headers().add(INTENDED_HEADER, ByteBuffer.allocate(16).putLong(intended).putLong(i).array());
                producer.send(record);
            }
            producer.flush();

            long expected = total - warmupCount;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            stop.set(true);
            reader.join();
            long[] maxima = new long[maxPerSecond.length()];
            for (int second = 0; second < maxima.length; second++) {
                maxima[second] = maxPerSecond.get(second);
            }
            return new Result(micros, expected - received.get(), maxima);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }
}
