package io.logitrouter.http;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * Tracks the Kafka Streams client state for the liveness and readiness endpoints.
 *
 * <p>Live means the process is worth keeping: true in every state except ERROR, PENDING_ERROR,
 * and NOT_RUNNING after a failure, so a rebalance never gets the pod restarted. Ready means
 * it is processing: only in RUNNING. While the service waits for Kafka or for its topics before
 * it starts a Kafka Streams client, it is live and not ready.
 */
public final class StreamsHealth implements KafkaStreams.StateListener {

    private volatile State state = State.CREATED;
    private volatile boolean failed;
    private volatile String waitingFor;

    @Override
    public void onChange(State newState, State oldState) {
        state = newState;
        waitingFor = null;
        if (newState == State.ERROR || newState == State.PENDING_ERROR) {
            failed = true;
        }
    }

    /** Marks the client as failed, for example from the uncaught exception handler. */
    public void markFailed() {
        failed = true;
    }

    /**
     * Records that no Kafka Streams client runs because the service waits for Kafka or for its
     * topics, with the reason shown by the health endpoints. The next state change clears it.
     */
    public void markWaiting(String reason) {
        state = State.CREATED;
        failed = false;
        waitingFor = reason;
    }

    public State state() {
        return state;
    }

    /** Returns the state, followed by the reason while the service waits for Kafka. */
    public String describe() {
        String reason = waitingFor;
        return reason == null ? state.name() : state + " (" + reason + ")";
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
