package io.logitrouter.topology;

import io.logitrouter.scoring.Route;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A scored event on its way to a sink: the route that picks the branch and the output value.
 *
 * @param route the route the scoring chose
 * @param value the output record value, the input object with the added {@code scoring} field
 */
record RoutedEvent(Route route, byte[] value) {

    /** Writes the output value as it is; nothing in the topology reads a routed event back. */
    static final Serde<RoutedEvent> SERDE = Serdes.serdeFrom(
            (Serializer<RoutedEvent>) (topic, event) -> event == null ? null : event.value(),
            (Deserializer<RoutedEvent>) (topic, bytes) -> {
                throw new UnsupportedOperationException("routed events are only written, never read");
            });
}
