package io.logitrouter.topology;

import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/** Picks the output topic of each scored event from its route. */
final class RouteTopics implements TopicNameExtractor<byte[], RoutedEvent> {

    private final Topics topics;

    RouteTopics(Topics topics) {
        this.topics = topics;
    }

    @Override
    public String extract(byte[] key, RoutedEvent event, RecordContext context) {
        return topics.forRoute(event.route());
    }

    /** Names the topics, because {@code Topology.describe()} prints the extractor this way. */
    @Override
    public String toString() {
        return "alert -> " + topics.alert() + ", spam -> " + topics.spam() + ", pass -> " + topics.pass();
    }
}
