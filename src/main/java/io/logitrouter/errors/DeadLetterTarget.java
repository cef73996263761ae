package io.logitrouter.errors;

import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;

/**
 * The dead-letter topic, the recorder and the record size limits that the exception handlers
 * read from the Streams configuration, which Kafka Streams passes to each handler's
 * {@code configure} method.
 *
 * @param topic the dead-letter topic, from {@code errors.dead.letter.queue.topic.name}
 * @param recorder counts and logs each dead letter, from {@value DeadLetters#RECORDER_CONFIG}
 * @param limits the largest record each topic accepts, from {@value RecordSizeLimits#CONFIG}
 */
record DeadLetterTarget(String topic, DeadLetterRecorder recorder, RecordSizeLimits limits) {

    static DeadLetterTarget from(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null) {
            throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " is not set; build the configuration with StreamsSettings");
        }
        if (!(configs.get(DeadLetters.RECORDER_CONFIG) instanceof DeadLetterRecorder recorder)) {
            throw new IllegalStateException("the Streams configuration has no " + DeadLetterRecorder.class.getSimpleName()
                    + " under " + DeadLetters.RECORDER_CONFIG + "; build the configuration with StreamsSettings");
        }
        return new DeadLetterTarget(topic.toString(), recorder, RecordSizeLimits.from(configs));
    }
}
