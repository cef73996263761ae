package io.logitrouter.topology;

import io.logitrouter.errors.DeadLetterReason;
import io.logitrouter.errors.RecordSizeLimits;
import io.logitrouter.errors.ScoringException;
import io.logitrouter.metrics.ScoringMetrics;
import io.logitrouter.event.EventScorer;
import io.logitrouter.event.ScoredEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Scores each input record and forwards it, with its route, to the sink that writes it.
 *
 * <p>A record that cannot be scored makes {@link EventScorer#score} throw a
 * {@link ScoringException}; Kafka Streams then hands it to
 * {@link io.logitrouter.errors.DeadLetterProcessingHandler}, which writes it to the dead-letter topic and resumes.
 * An output larger than its topic accepts is treated the same way, with reason
 * {@code output-too-large}, before it reaches the producer (see {@link RecordSizeLimits}).
 * Key, headers and timestamp pass through unchanged because the processor only replaces the value.
 */
final class ScoringProcessor implements FixedKeyProcessor<byte[], byte[], RoutedEvent> {

    private final EventScorer scorer;
    private final ScoringMetrics metrics;
    private final Topics topics;
    private FixedKeyProcessorContext<byte[], RoutedEvent> context;
    private RecordSizeLimits limits;

    ScoringProcessor(EventScorer scorer, ScoringMetrics metrics, Topics topics) {
        this.scorer = scorer;
        this.metrics = metrics;
        this.topics = topics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], RoutedEvent> context) {
        this.context = context;
        this.limits = RecordSizeLimits.from(context.appConfigs());
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        long start = System.nanoTime();
        ScoredEvent scored = scorer.score(record.value());
        checkSize(record, scored);
        // Counted only now, so that an output dead-lettered for its size is not counted as routed.
        metrics.recordScored(scored, System.nanoTime() - start);

        // forward() runs the sink synchronously, so when it returns the
        // output has been handed to the producer.
        context.forward(record.withValue(new RoutedEvent(scored.route(), scored.value())));
        metrics.recordEndToEnd(System.currentTimeMillis() - record.timestamp());
    }

    private void checkSize(FixedKeyRecord<byte[], byte[]> record, ScoredEvent scored) {
        String topic = topics.forRoute(scored.route());
        int size = RecordSizeLimits.recordBytes(record.key(), scored.value(), record.headers());
        int max = limits.maxRecordBytes(topic);
        if (size > max) {
            throw new ScoringException(DeadLetterReason.OUTPUT_TOO_LARGE, "the output record for topic " + topic
                    + " would take " + size + " bytes, more than the " + max + " bytes that the topic's "
                    + "max.message.bytes and the producer's max.request.size allow; the event scored as route "
                    + scored.route().code());
        }
    }
}
