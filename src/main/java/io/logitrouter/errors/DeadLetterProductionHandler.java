package io.logitrouter.errors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

import java.util.List;
import java.util.Map;

/**
 * Sends the input of an output record that its topic rejects as too large to the dead-letter
 * topic, and leaves every other production error to fail the stream as Kafka Streams does.
 *
 * <p>Only a too-large record is a property of the record itself; other send errors (authorization,
 * a missing topic, a broker outage) would fail every record alike, so skipping them would lose data.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private DeadLetterTarget target;

    @Override
    public void configure(Map<String, ?> configs) {
        target = DeadLetterTarget.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            return Response.fail();
        }
        if (target.topic().equals(record.topic())) {
            // The dead-letter record itself was too large; retrying it would loop forever.
            return Response.fail();
        }

        String message = "the output record of " + record.value().length + " bytes was rejected by topic "
                + record.topic() + ": " + exception.getMessage();
        target.recorder().record(DeadLetterReason.OUTPUT_TOO_LARGE, DeadLetters.coordinates(context), message);
        return Response.resume(List.of(DeadLetters.build(target.topic(), context, null, null,
                DeadLetterReason.OUTPUT_TOO_LARGE, message, exception)));
    }
}
