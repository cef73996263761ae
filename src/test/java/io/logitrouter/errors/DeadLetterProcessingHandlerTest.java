package io.logitrouter.errors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class DeadLetterProcessingHandlerTest {

    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    private final List<DeadLetterReason> recorded = new ArrayList<>();

    @Test
    void scoringExceptionResumesWithDeadLetter() {
        byte[] value = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);

        Response response = handler(10_000).handleError(context(value), new Record<>(KEY, value, 0L),
                new ScoringException(DeadLetterReason.INVALID_ID, "id is a number"));

        assertEquals(Result.RESUME, response.result());
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertEquals("dead", letter.topic());
        assertArrayEquals(KEY, letter.key());
        assertArrayEquals(value, letter.value());
        assertEquals("invalid-id", header(letter.headers(), DeadLetters.REASON_HEADER));
        assertEquals("id is a number", header(letter.headers(), DeadLetters.MESSAGE_HEADER));
        assertEquals("abc", header(letter.headers(), "trace-id"));
        assertNull(letter.headers().lastHeader(DeadLetters.VALUE_TRUNCATED_HEADER));
        assertEquals(List.of(DeadLetterReason.INVALID_ID), recorded);
    }

    @Test
    void unexpectedExceptionIsInternalError() {
        byte[] value = "{}".getBytes(StandardCharsets.UTF_8);

        Response response = handler(10_000).handleError(context(value), new Record<>(KEY, value, 0L),
                new IllegalStateException("defect"));

        assertEquals(Result.RESUME, response.result());
        assertEquals("internal-error",
                header(response.deadLetterQueueRecords().get(0).headers(), DeadLetters.REASON_HEADER));
    }

    @Test
    void kafkaExceptionFailsStream() {
        byte[] value = "{}".getBytes(StandardCharsets.UTF_8);

        Response response = handler(10_000).handleError(context(value), new Record<>(KEY, value, 0L),
                new StreamsException("Error encountered sending record to topic out"));

        assertEquals(Result.FAIL, response.result());
        assertTrue(response.deadLetterQueueRecords().isEmpty());
        assertTrue(recorded.isEmpty());
    }

    @Test
    void oversizeDeadLetterKeepsValuePrefix() {
        byte[] value = "x".repeat(5_000).getBytes(StandardCharsets.UTF_8);

        Response response = handler(2_000).handleError(context(value), new Record<>(KEY, value, 0L),
                new ScoringException(DeadLetterReason.TOO_LARGE, "too large"));

        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertEquals("5000", header(letter.headers(), DeadLetters.VALUE_TRUNCATED_HEADER));
        assertEquals(2_000, RecordSizeLimits.recordBytes(letter.key(), letter.value(), letter.headers()));
        assertArrayEquals(java.util.Arrays.copyOf(value, letter.value().length), letter.value());
    }

    private DeadLetterProcessingHandler handler(int deadLetterTopicBytes) {
        DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(Map.of(
                "errors.dead.letter.queue.topic.name", "dead",
                DeadLetters.RECORDER_CONFIG, (DeadLetterRecorder) (reason, source, message) -> recorded.add(reason),
                RecordSizeLimits.CONFIG, RecordSizeLimits.fixed(1 << 20, Map.of("dead", deadLetterTopicBytes))));
        return handler;
    }

    private static ErrorHandlerContext context(byte[] value) {
        Headers headers = new RecordHeaders().add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return "in";
            }

            @Override
            public int partition() {
                return 2;
            }

            @Override
            public long offset() {
                return 7;
            }

            @Override
            public Headers headers() {
                return headers;
            }

            @Override
            public String processorNodeId() {
                return "score";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 2);
            }

            @Override
            public long timestamp() {
                return 0;
            }

            @Override
            public byte[] sourceRawKey() {
                return KEY;
            }

            @Override
            public byte[] sourceRawValue() {
                return value;
            }
        };
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
