package io.logitrouter.errors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds dead-letter records on top of the Kafka Streams dead-letter queue.
 *
 * <p>Each record keeps the original key, value bytes and headers, carries the
 * {@code __streams.errors.*} headers that Kafka Streams writes (exception, message, stack
 * trace, topic, partition, offset), and adds {@value #REASON_HEADER} and
 * {@value #MESSAGE_HEADER}. The handlers find their {@link DeadLetterRecorder} in the
 * Streams configuration under {@value #RECORDER_CONFIG}.
 *
 * <p>A dead letter larger than the dead-letter topic accepts would fail the stream thread
 * (and under {@code exactly_once_v2} abort every transaction that retries it), so its value is
 * cut to fit and {@value #VALUE_TRUNCATED_HEADER} records the original length.
 */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    public static final String REASON_HEADER = "scoring.error.reason";
    public static final String MESSAGE_HEADER = "scoring.error.message";
    /** Header present only on a dead letter whose value was cut to fit, with the original length in bytes. */
    public static final String VALUE_TRUNCATED_HEADER = "scoring.error.value.truncated";

    /** Prefix of the headers that Kafka Streams adds to each dead letter. */
    public static final String STREAMS_HEADER_PREFIX = "__streams.errors.";
    /** Prefix of the headers that logit-router adds to each dead letter. */
    public static final String SCORING_HEADER_PREFIX = "scoring.error.";

    /** Streams configuration key whose value is the {@link DeadLetterRecorder} instance. */
    public static final String RECORDER_CONFIG = "logit-router.dead-letter.recorder";

    private DeadLetters() {
    }

    /**
     * Builds the dead-letter record for one input record.
     *
     * @param target the dead-letter topic and its size limit
     * @param context the coordinates and headers of the input record
     * @param key the input record's key bytes
     * @param value the input record's value bytes
     */
    static ProducerRecord<byte[], byte[]> build(DeadLetterTarget target, ErrorHandlerContext context, byte[] key,
            byte[] value, DeadLetterReason reason, String message, Exception exception) {
        ProducerRecord<byte[], byte[]> record =
                ExceptionHandlerUtils.buildDeadLetterQueueRecord(target.topic(), key, value, context, exception);
        record.headers().add(REASON_HEADER, reason.code().getBytes(StandardCharsets.UTF_8));
        record.headers().add(MESSAGE_HEADER, message.getBytes(StandardCharsets.UTF_8));
        return fitToTopic(target, context, record);
    }

    /**
     * Returns the record, or a copy with its value cut so that the dead-letter topic accepts it.
     *
     * <p>NOTE: if the key and headers alone exceed the limit, even an empty value does not fit,
     * and the send fails the stream.
     */
    private static ProducerRecord<byte[], byte[]> fitToTopic(DeadLetterTarget target, ErrorHandlerContext context,
            ProducerRecord<byte[], byte[]> record) {
        int max = target.limits().maxRecordBytes(record.topic());
        byte[] value = record.value();
        if (value == null || RecordSizeLimits.recordBytes(record.key(), value, record.headers()) <= max) {
            return record;
        }
        record.headers().add(VALUE_TRUNCATED_HEADER, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
        int excess = RecordSizeLimits.recordBytes(record.key(), value, record.headers()) - max;
        byte[] keptValue = Arrays.copyOf(value, Math.max(0, value.length - excess));
        log.warn("The dead letter of record {} is larger than topic {} accepts ({} bytes), so its value keeps only "
                + "the first {} of {} bytes", coordinates(context), record.topic(), max, keptValue.length, value.length);
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(), keptValue,
                record.headers());
    }

    static RecordCoordinates coordinates(ErrorHandlerContext context) {
        return new RecordCoordinates(context.topic(), context.partition(), context.offset());
    }
}
