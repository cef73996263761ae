package io.logitrouter.topology;

import io.logitrouter.metrics.ScoringMetrics;
import io.logitrouter.event.EventScorer;
import io.logitrouter.event.ScoredEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Scores each input record and forwards it, with its route, to the branch that writes it.
 *
 * <p>A record that cannot be scored makes {@link EventScorer#score} throw a
 * {@link io.logitrouter.errors.ScoringException}; Kafka Streams then hands it to
 * {@link io.logitrouter.errors.DeadLetterProcessingHandler}, which writes it to the dead-letter topic and resumes.
 * Key, headers and timestamp pass through unchanged because the processor only replaces the value.
 */
final class ScoringProcessor implements FixedKeyProcessor<byte[], byte[], RoutedEvent> {

    private final EventScorer scorer;
    private final ScoringMetrics metrics;
    private FixedKeyProcessorContext<byte[], RoutedEvent> context;

    ScoringProcessor(EventScorer scorer, ScoringMetrics metrics) {
        this.scorer = scorer;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], RoutedEvent> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        long start = System.nanoTime();
        ScoredEvent scored = scorer.score(record.value());
        metrics.recordScored(scored, System.nanoTime() - start);

        // forward() runs the branch and its sink synchronously, so when it returns the
        // output has been handed to the producer.
        context.forward(record.withValue(new RoutedEvent(scored.route(), scored.value())));
        metrics.recordEndToEnd(System.currentTimeMillis() - record.timestamp());
    }
}
