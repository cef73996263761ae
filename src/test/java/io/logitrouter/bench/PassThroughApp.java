package io.logitrouter.bench;

import io.logitrouter.topology.StreamsSettings;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The pass-through limit: a Kafka Streams application that copies record bytes from one topic to
 * another without looking at them, with the client settings that logit-router uses.
 *
 * <p>Usage: {@code PassThroughApp BOOTSTRAP APPLICATION_ID INPUT_TOPIC OUTPUT_TOPIC GUARANTEE}.
 * It runs until SIGTERM.
 */
public final class PassThroughApp {

    private PassThroughApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(args[2], Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(args[3], Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));

        Properties properties = new Properties();
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, args[4]);
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
                StreamsSettings.DEFAULT_LINGER_MS);

        CountDownLatch stopped = new CountDownLatch(1);
        KafkaStreams streams = new KafkaStreams(builder.build(), properties);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(10));
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }
}
