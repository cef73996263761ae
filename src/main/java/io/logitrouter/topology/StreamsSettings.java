package io.logitrouter.topology;

import io.logitrouter.config.RouterConfig;
import io.logitrouter.errors.DeadLetterProcessingHandler;
import io.logitrouter.errors.DeadLetterProductionHandler;
import io.logitrouter.errors.DeadLetterRecorder;
import io.logitrouter.errors.DeadLetters;
import io.logitrouter.errors.RecordSizeLimits;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the Kafka Streams configuration: the service's defaults, then the user's pass-through
 * Kafka settings, then the settings the topology depends on.
 *
 * <p>Defaults that a user may override: {@code application.id=logit-router} and a producer
 * {@code linger.ms} of 5 ms instead of the 100 ms that Kafka Streams sets, because records of
 * a scoring service should leave as soon as they are scored. {@code processing.guarantee} keeps
 * the Kafka Streams default ({@code at_least_once}) unless set.
 *
 * <p>Fixed settings: the dead-letter queue topic and the two exception handlers that write to
 * it. A user value for one of them is replaced, with a warning, since the dead-letter contract
 * depends on them. The settings also carry two objects that the handlers and the processor
 * share: the dead-letter recorder and the {@link RecordSizeLimits} of the output topics.
 */
public final class StreamsSettings {

    private static final Logger log = LoggerFactory.getLogger(StreamsSettings.class);

    public static final String DEFAULT_APPLICATION_ID = "logit-router";
    public static final String DEFAULT_LINGER_MS = "5";

    private StreamsSettings() {
    }

    public static Map<String, Object> build(RouterConfig config, Topics topics, DeadLetterRecorder recorder) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        settings.putAll(config.kafkaProperties());

        // A prefixed producer setting wins over the plain one in Kafka Streams, so the default
        // goes in only when the user set neither form; otherwise it would hide linger.ms=20.
        String prefixedLinger = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);
        if (!settings.containsKey(ProducerConfig.LINGER_MS_CONFIG) && !settings.containsKey(prefixedLinger)) {
            settings.put(prefixedLinger, DEFAULT_LINGER_MS);
        }

        fix(settings, StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetter());
        fix(settings, StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        fix(settings, StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        settings.put(DeadLetters.RECORDER_CONFIG, recorder);
        settings.put(RecordSizeLimits.CONFIG, RecordSizeLimits.fromBroker(settings, topics.outputs()));
        // The topology has no global stores, so enabling the handler for them changes nothing.
        // Kafka 5.0 enables it by default, and setting it now stops a start-up warning.
        settings.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return settings;
    }

    private static void fix(Map<String, Object> settings, String key, Object value) {
        Object previous = settings.put(key, value);
        if (previous != null && !Objects.equals(String.valueOf(previous), valueName(value))) {
            log.warn("Ignoring {}={}: logit-router sets it to {} so that bad records reach its dead-letter topic",
                    key, previous, valueName(value));
        }
    }

    private static String valueName(Object value) {
        return value instanceof Class<?> type ? type.getName() : String.valueOf(value);
    }
}
