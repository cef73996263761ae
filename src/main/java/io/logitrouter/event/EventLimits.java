package io.logitrouter.event;

/**
 * Limits that protect the scorer from oversized or deeply nested input.
 *
 * <p>The default of 1 MiB matches the default {@code max.message.bytes} of a Kafka topic, so an
 * event the broker accepts is not rejected for size here. The default nesting depth of 64
 * leaves ample room for carried-through fields, since the fields that are scored need only 2
 * levels.
 *
 * @param maxEventBytes the maximum size of an input value in bytes; larger values are rejected
 *     as {@code too-large}
 * @param maxNestingDepth the maximum number of nested JSON objects and arrays, counting the
 *     top-level object as 1; deeper values are rejected as {@code too-large}
 */
public record EventLimits(int maxEventBytes, int maxNestingDepth) {

    public static final int DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_NESTING_DEPTH = 64;

    /** @throws IllegalArgumentException if a limit is too small to admit any valid event */
    public EventLimits {
        if (maxEventBytes < 2) {
            throw new IllegalArgumentException("maxEventBytes must be at least 2, but got " + maxEventBytes);
        }
        if (maxNestingDepth < 2) {
            throw new IllegalArgumentException("maxNestingDepth must be at least 2, because logits and features "
                    + "are nested one level inside the event, but got " + maxNestingDepth);
        }
    }

    /** Returns the limits of 1 MiB and 64 levels. */
    public static EventLimits defaults() {
        return new EventLimits(DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_NESTING_DEPTH);
    }
}
