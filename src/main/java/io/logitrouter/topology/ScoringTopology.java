package io.logitrouter.topology;

import io.logitrouter.metrics.ScoringMetrics;
import io.logitrouter.event.EventScorer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.util.function.Supplier;

/**
 * Builds the service's topology: input topics, then scoring, then one sink per route.
 *
 * <pre>
 *   input ──► score ──► route ──► the alert, spam or pass topic, chosen per record
 * </pre>
 *
 * <p>Values stay raw bytes from source to sink, so the input is never decoded twice and the
 * dead-letter topic receives the original bytes. Records that cannot be scored leave through
 * the dead-letter queue of Kafka Streams, configured by {@link StreamsSettings}; the topology
 * itself has no dead-letter sink. Every node is named, so the description reads well and the
 * names stay stable across releases.
 */
public final class ScoringTopology {

    public static final String SOURCE = "input";
    public static final String SCORE = "score";
    public static final String ROUTE = "route";

    private ScoringTopology() {
    }

    /**
     * Builds the topology.
     *
     * @param topics the topic names
     * @param scorers makes one scorer per processor instance, since a scorer reuses buffers
     *     and is not thread-safe
     * @param metrics the meters every processor updates
     */
    public static Topology build(Topics topics, Supplier<EventScorer> scorers, ScoringMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();

        KStream<byte[], RoutedEvent> scored = builder
                .stream(topics.inputs(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
                .processValues(() -> new ScoringProcessor(scorers.get(), metrics, topics), Named.as(SCORE));

        // One sink that picks the topic per record costs fewer node hops than a split with a
        // branch and a sink per route, and it writes to exactly the same three topics.
        scored.to(new RouteTopics(topics),
                Produced.with(Serdes.ByteArray(), RoutedEvent.SERDE).withName(ROUTE));

        return builder.build();
    }
}
