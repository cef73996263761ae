package io.logitrouter.redrive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logitrouter.errors.DeadLetterReason;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

class RedriveOptionsTest {

    @Test
    void parseDefaults() {
        RedriveOptions options = RedriveOptions.parse(List.of());

        assertEquals(Set.of(), options.reasons());
        assertEquals(Long.MAX_VALUE, options.limit());
        assertFalse(options.fromBeginning());
        assertFalse(options.dryRun());
        assertEquals(List.of(), options.configArguments());
    }

    @Test
    void parseAllOptions() {
        RedriveOptions options = RedriveOptions.parse(List.of("--reason", "unknown-model,invalid-json",
                "--limit=10", "--from-beginning", "--dry-run", "--config", "app.properties", "bootstrap.servers=b:9092"));

        assertEquals(Set.of(DeadLetterReason.UNKNOWN_MODEL, DeadLetterReason.INVALID_JSON), options.reasons());
        assertEquals(10, options.limit());
        assertTrue(options.fromBeginning());
        assertTrue(options.dryRun());
        assertEquals(List.of("--config", "app.properties", "bootstrap.servers=b:9092"), options.configArguments());
    }

    @Test
    void parseRepeatedReasonsAddUp() {
        RedriveOptions options = RedriveOptions.parse(List.of("--reason=too-large", "--reason", "no-weights"));

        assertEquals(Set.of(DeadLetterReason.TOO_LARGE, DeadLetterReason.NO_WEIGHTS), options.reasons());
    }

    @Test
    void parseUnknownReasonListsCodes() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> RedriveOptions.parse(List.of("--reason", "unknown_model")));

        assertTrue(error.getMessage().contains("'unknown_model'"), error.getMessage());
        assertTrue(error.getMessage().contains("unknown-model, missing-scores"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "ten", "1.5", ""})
    void parseInvalidLimit(String limit) {
        assertThrows(ConfigException.class, () -> RedriveOptions.parse(List.of("--limit=" + limit)));
    }

    @Test
    void parseMissingValue() {
        assertThrows(ConfigException.class, () -> RedriveOptions.parse(List.of("--reason")));
        assertThrows(ConfigException.class, () -> RedriveOptions.parse(List.of("--limit", "--dry-run")));
    }

    @Test
    void parseLimitTwice() {
        assertThrows(ConfigException.class, () -> RedriveOptions.parse(List.of("--limit", "1", "--limit", "2")));
    }

    @Test
    void matchesFilter() {
        RedriveOptions all = RedriveOptions.parse(List.of());
        RedriveOptions one = RedriveOptions.parse(List.of("--reason", "unknown-model"));

        assertTrue(all.matches("invalid-json"));
        assertTrue(all.matches(null));
        assertTrue(one.matches("unknown-model"));
        assertFalse(one.matches("invalid-json"));
        assertFalse(one.matches(null));
    }

    @Test
    void originalHeadersDropErrorHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", bytes("abc"));
        headers.add("__streams.errors.exception", bytes("io.logitrouter.errors.ScoringException"));
        headers.add("__streams.errors.offset", bytes("7"));
        headers.add("scoring.error.reason", bytes("unknown-model"));
        headers.add("scoring.error.message", bytes("model is omitted"));
        headers.add("scoring.errors-in-name", bytes("kept"));
        headers.add("binary", new byte[] {0, (byte) 0xFF});
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("dead", 0, 7, 0L, TimestampType.CREATE_TIME,
                0, 0, bytes("k"), bytes("v"), headers, Optional.empty());

        List<String> kept = java.util.Arrays.stream(DeadLetterRedrive.originalHeaders(record).toArray())
                .map(Header::key).toList();

        assertEquals(List.of("trace-id", "scoring.errors-in-name", "binary"), kept);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
