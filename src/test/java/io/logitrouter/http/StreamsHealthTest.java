package io.logitrouter.http;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamsHealthTest {

    @Test
    void newHealthIsLiveNotReady() {
        StreamsHealth health = new StreamsHealth();

        assertTrue(health.isLive());
        assertFalse(health.isReady());
        assertEquals("CREATED", health.describe());
    }

    @Test
    void waitingIsLiveNotReadyWithReason() {
        StreamsHealth health = new StreamsHealth();
        health.onChange(State.REBALANCING, State.CREATED);
        health.onChange(State.ERROR, State.PENDING_ERROR);

        health.markWaiting("Waiting for topic scoring.input to exist");

        assertTrue(health.isLive());
        assertFalse(health.isReady());
        assertEquals("CREATED (Waiting for topic scoring.input to exist)", health.describe());
    }

    @Test
    void stateChangeClearsWaitingReason() {
        StreamsHealth health = new StreamsHealth();
        health.markWaiting("Waiting for Kafka at 127.0.0.1:9092");

        health.onChange(State.REBALANCING, State.CREATED);
        health.onChange(State.RUNNING, State.REBALANCING);

        assertTrue(health.isReady());
        assertEquals("RUNNING", health.describe());
    }

    @Test
    void errorStateIsNotLive() {
        StreamsHealth health = new StreamsHealth();
        health.onChange(State.PENDING_ERROR, State.RUNNING);
        health.onChange(State.ERROR, State.PENDING_ERROR);

        assertFalse(health.isLive());
        assertFalse(health.isReady());
    }

    @Test
    void notRunningAfterFailureIsNotLive() {
        StreamsHealth health = new StreamsHealth();
        health.markFailed();
        health.onChange(State.NOT_RUNNING, State.PENDING_SHUTDOWN);

        assertFalse(health.isLive());
    }
}
