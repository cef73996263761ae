package io.logitrouter.errors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;

import java.nio.charset.StandardCharsets;

/**
 * Builds dead-letter records on top of the Kafka Streams dead-letter queue.
 *
 * <p>Each record keeps the original key, value bytes and headers, carries the
 * {@code __streams.errors.*} headers that Kafka Streams writes (exception, message, stack
 * trace, topic, partition, offset), and adds {@value #REASON_HEADER} and
 * {@value #MESSAGE_HEADER}. The handlers find their {@link DeadLetterRecorder} in the
 * Streams configuration under {@value #RECORDER_CONFIG}.
 */
public final class DeadLetters {

    public static final String REASON_HEADER = "scoring.error.reason";
    public static final String MESSAGE_HEADER = "scoring.error.message";

    /** Streams configuration key whose value is the {@link DeadLetterRecorder} instance. */
    public static final String RECORDER_CONFIG = "logit-router.dead-letter.recorder";

    private DeadLetters() {
    }

    /**
     * Builds the dead-letter record for the source record of {@code context}.
     *
     * @param topic the dead-letter topic
     * @param fallbackKey the key to write when the context has no raw source key
     * @param fallbackValue the value to write when the context has no raw source value
     */
    static ProducerRecord<byte[], byte[]> build(String topic, ErrorHandlerContext context, byte[] fallbackKey,
            byte[] fallbackValue, DeadLetterReason reason, String message, Exception exception) {
        byte[] key = context.sourceRawKey() != null ? context.sourceRawKey() : fallbackKey;
        byte[] value = context.sourceRawValue() != null ? context.sourceRawValue() : fallbackValue;

        ProducerRecord<byte[], byte[]> record =
                ExceptionHandlerUtils.buildDeadLetterQueueRecord(topic, key, value, context, exception);
        record.headers().add(REASON_HEADER, reason.code().getBytes(StandardCharsets.UTF_8));
        record.headers().add(MESSAGE_HEADER, message.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    static RecordCoordinates coordinates(ErrorHandlerContext context) {
        return new RecordCoordinates(context.topic(), context.partition(), context.offset());
    }
}
