package io.logitrouter.errors;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

import java.util.List;
import java.util.Map;

/**
 * Sends every record whose scoring failed to the dead-letter topic and resumes the stream.
 *
 * <p>A {@link ScoringException} carries its own reason code. Any other exception from scoring is
 * a defect in the service, not in the record; the record still goes to the dead-letter topic,
 * with reason {@code internal-error}, so that one unexpected record cannot stop every partition
 * behind it.
 *
 * <p>A {@link KafkaException} fails the stream instead. Kafka Streams hands this handler every
 * exception thrown while a record passes through the topology, including the send error of an
 * earlier record that the sink rethrows. Dead-lettering the current record for it would
 * discard the error, and with it the earlier record, and blame the wrong input.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private DeadLetterTarget target;

    @Override
    public void configure(Map<String, ?> configs) {
        target = DeadLetterTarget.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof KafkaException) {
            return Response.fail();
        }
        DeadLetterReason reason;
        String message;
        if (exception instanceof ScoringException scoringException) {
            reason = scoringException.reason();
            message = scoringException.getMessage();
        } else {
            reason = DeadLetterReason.INTERNAL_ERROR;
            message = "scoring failed unexpectedly: " + exception;
        }

        byte[] key = context.sourceRawKey() != null ? context.sourceRawKey()
                : record.key() instanceof byte[] bytes ? bytes : null;
        byte[] value = context.sourceRawValue() != null ? context.sourceRawValue()
                : record.value() instanceof byte[] bytes ? bytes : null;
        target.recorder().record(reason, DeadLetters.coordinates(context), message);
        return Response.resume(List.of(DeadLetters.build(target, context, key, value, reason, message, exception)));
    }
}
