package io.logitrouter.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilterReply;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromtoolNamesTest {

    private final PromtoolNames filter = new PromtoolNames();

    @Test
    void nanosecondMetersAreDropped() {
        assertEquals(MeterFilterReply.DENY, filter.accept(id("kafka.producer.io.time.ns.total", Meter.Type.COUNTER, null)));
        assertEquals(MeterFilterReply.DENY, filter.accept(id("process.cpu.time", Meter.Type.COUNTER, "ns")));
        assertEquals(MeterFilterReply.DENY, filter.accept(id("kafka.app.info.start.time.ms", Meter.Type.GAUGE, null)));
    }

    @Test
    void ownMetersPassUnchanged() {
        Meter.Id events = id("scoring.events", Meter.Type.COUNTER, null).withTag(io.micrometer.core.instrument.Tag.of("model", "m"));

        assertEquals(MeterFilterReply.NEUTRAL, filter.accept(events));
        assertEquals(events, filter.map(events));
    }

    @Test
    void countGaugesGetPluralNames() {
        assertEquals(MeterFilterReply.DENY, filter.accept(id("kafka.producer.connection.count", Meter.Type.GAUGE, null)));
        assertEquals("system.cpus", filter.map(id("system.cpu.count", Meter.Type.GAUGE, null)).getName());
        assertEquals("kafka.consumer.fetch.count",
                filter.map(id("kafka.consumer.fetch.count", Meter.Type.COUNTER, null)).getName());
    }

    @Test
    void missingDescriptionNamesSource() {
        Meter.Id mapped = new Meter.Id("kafka.producer.node.request.latency.max", Tags.empty(), null, null,
                Meter.Type.GAUGE);

        assertEquals("Kafka client metric kafka.producer.node.request.latency.max",
                filter.map(mapped).getDescription());
    }

    private static Meter.Id id(String name, Meter.Type type, String baseUnit) {
        return new Meter.Id(name, Tags.empty(), baseUnit, "a description", type);
    }
}
