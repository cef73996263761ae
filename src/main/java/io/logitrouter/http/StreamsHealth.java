package io.logitrouter.http;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * Tracks the Kafka Streams client state for the liveness and readiness endpoints.
 *
 * <p>Live means the process is worth keeping: true in every state except ERROR, PENDING_ERROR,
 * and NOT_RUNNING after a failure, so a rebalance never gets the pod restarted. Ready means
 * it is processing: only in RUNNING.
 */
public final class StreamsHealth implements KafkaStreams.StateListener {

    private volatile State state = State.CREATED;
    private volatile boolean failed;

    @Override
    public void onChange(State newState, State oldState) {
        state = newState;
        if (newState == State.ERROR || newState == State.PENDING_ERROR) {
            failed = true;
        }
    }

    /** Marks the client as failed, for example from the uncaught exception handler. */
    public void markFailed() {
        failed = true;
    }

    public State state() {
        return state;
    }

    public boolean isLive() {
        State current = state;
        return !(current == State.ERROR || current == State.PENDING_ERROR
                || (current == State.NOT_RUNNING && failed));
    }

    public boolean isReady() {
        return state == State.RUNNING;
    }
}
