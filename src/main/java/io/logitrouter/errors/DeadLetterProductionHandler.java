package io.logitrouter.errors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Fails the stream on every production error, and first notes a too-large output so that the
 * next attempt dead-letters its input.
 *
 * <p>The scoring processor dead-letters every output above the limits in
 * {@link RecordSizeLimits} before it is sent, with the input's original bytes and coordinates.
 * A send can still fail as too large when those limits are out of date, for example after
 * {@code max.message.bytes} of an output topic was lowered while the service ran. Kafka
 * Streams 4.4 offers no safe way to dead-letter the input at that point:
 *
 * <ul>
 *   <li>it releases the raw input bytes before the send and builds the error context when the
 *       broker responds, so the context, raw key and value included, may describe a later
 *       record (on a broker test, the context of a rejected output held the next record's offset
 *       and value);
 *   <li>a dead-letter record returned here is sent from the producer's I/O thread, which blocks
 *       for {@code max.block.ms} and then fails if the producer has no metadata for the
 *       dead-letter topic yet;
 *   <li>under {@code exactly_once_v2} the rejection has already put the transaction into an
 *       abortable error state, so Kafka Streams fails the stream thread whatever this returns.
 * </ul>
 *
 * <p>Skipping the record would lose it, so the handler fails the stream instead: the service
 * stops with exit code 1 and, after a restart, reads the current limits and dead-letters the
 * input as {@code output-too-large}. Other send errors (authorization, a missing topic, a broker
 * outage) would fail every record alike, so they fail the stream as well.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private DeadLetterTarget target;

    @Override
    public void configure(Map<String, ?> configs) {
        target = DeadLetterTarget.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            int size = RecordSizeLimits.recordBytes(record.key(), record.value(), record.headers());
            target.limits().rejected(record.topic());
            log.error("Topic {} rejected a record of {} bytes as too large, although it was within the limit of {} "
                    + "bytes read from the broker; was max.message.bytes lowered while the service ran? Stopping "
                    + "the stream so that the input is not lost: after a restart it is processed again and, with "
                    + "the current limits, sent to the dead-letter topic as output-too-large", record.topic(), size,
                    target.limits().knownMaxRecordBytes(record.topic()));
        }
        return Response.fail();
    }
}
