package io.logitrouter.topology;

import io.logitrouter.metrics.ScoringMetrics;
import io.logitrouter.event.EventScorer;
import io.logitrouter.scoring.Route;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.util.function.Supplier;

/**
 * Builds the service's topology: input topics, then scoring, then one sink per route.
 *
 * <pre>
 *   input ──► score ──► route ──┬─► alert sink
 *                               ├─► spam sink
 *                               └─► pass sink
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
    public static final String ROUTE = "route-";

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

        scored.split(Named.as(ROUTE))
                .branch((key, event) -> event.route() == Route.ALERT, sinkTo(topics, Route.ALERT))
                .branch((key, event) -> event.route() == Route.SPAM, sinkTo(topics, Route.SPAM))
                .defaultBranch(sinkTo(topics, Route.PASS));

        return builder.build();
    }

    private static Branched<byte[], RoutedEvent> sinkTo(Topics topics, Route route) {
        String name = route.code();
        return Branched.withConsumer(branch -> branch.to(topics.forRoute(route),
                Produced.with(Serdes.ByteArray(), RoutedEvent.SERDE).withName(name + "-sink")), name);
    }
}
