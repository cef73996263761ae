package io.logitrouter.errors;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

import java.util.List;
import java.util.Map;

/**
 * Sends every record whose processing failed to the dead-letter topic and resumes the stream.
 *
 * <p>A {@link ScoringException} carries its own reason code. Any other exception is a defect in
 * the service, not in the record; the record still goes to the dead-letter topic, with reason
 * {@code internal-error}, so that one unexpected record cannot stop every partition behind it.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private DeadLetterTarget target;

    @Override
    public void configure(Map<String, ?> configs) {
        target = DeadLetterTarget.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        DeadLetterReason reason;
        String message;
        if (exception instanceof ScoringException scoringException) {
            reason = scoringException.reason();
            message = scoringException.getMessage();
        } else {
            reason = DeadLetterReason.INTERNAL_ERROR;
            message = "scoring failed unexpectedly: " + exception;
        }

        byte[] key = record.key() instanceof byte[] bytes ? bytes : null;
        byte[] value = record.value() instanceof byte[] bytes ? bytes : null;
        target.recorder().record(reason, DeadLetters.coordinates(context), message);
        return Response.resume(List.of(
                DeadLetters.build(target.topic(), context, key, value, reason, message, exception)));
    }
}
