package io.logitrouter.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

class RecordSizeLimitsTest {

    @Test
    void recordBytesMatchesProducerEstimate() {
        SplittableRandom random = new SplittableRandom(20261204L);
        for (int sample = 0; sample < 2_000; sample++) {
            byte[] key = random.nextInt(4) == 0 ? null : new byte[random.nextInt(300)];
            int valueLength = random.nextInt(3) == 0 ? random.nextInt(100) : random.nextInt(40_000);
            byte[] value = random.nextInt(10) == 0 ? null : new byte[valueLength];
            RecordHeaders headers = new RecordHeaders();
            int headerCount = random.nextInt(70);
            for (int i = 0; i < headerCount; i++) {
                byte[] headerValue = random.nextInt(5) == 0 ? null : new byte[random.nextInt(200)];
                headers.add("h-" + "é".repeat(random.nextInt(3)) + i, headerValue);
            }

            int expected = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.MAGIC_VALUE_V2,
                    CompressionType.NONE, key, value, headers.toArray());
            assertEquals(expected, RecordSizeLimits.recordBytes(key, value, headers), "sample " + sample);
        }
    }

    @Test
    void recordBytesEmptyRecord() {
        // 61 batch bytes, 5 length, 1 attributes, 5 + 10 deltas, 1 + 1 null key and value, 1 header count.
        assertEquals(85, RecordSizeLimits.recordBytes(null, null, new RecordHeaders()));
    }

    @Test
    void varintBytesAtBoundaries() {
        assertEquals(1, RecordSizeLimits.varintBytes(-1));
        assertEquals(1, RecordSizeLimits.varintBytes(63));
        assertEquals(2, RecordSizeLimits.varintBytes(64));
        assertEquals(2, RecordSizeLimits.varintBytes(8191));
        assertEquals(3, RecordSizeLimits.varintBytes(8192));
        assertEquals(5, RecordSizeLimits.varintBytes(Integer.MAX_VALUE));
        assertEquals(5, RecordSizeLimits.varintBytes(Integer.MIN_VALUE));
    }

    @Test
    void producerLimitDefaultsToMaxRequestSize() {
        assertEquals(1_048_576, RecordSizeLimits.producerLimit(Map.of()));
    }

    @Test
    void producerLimitPrefersProducerPrefix() {
        assertEquals(2_000_000, RecordSizeLimits.producerLimit(Map.of(
                "max.request.size", "3000000", "producer.max.request.size", 2_000_000)));
        assertEquals(3_000_000, RecordSizeLimits.producerLimit(Map.of("max.request.size", "3000000")));
    }

    @Test
    void producerLimitCappedByBufferMemory() {
        assertEquals(500_000, RecordSizeLimits.producerLimit(Map.of(
                "max.request.size", "3000000", "buffer.memory", "500000")));
    }

    @Test
    void adminSettingsApplyAdminPrefix() {
        Map<String, Object> admin = RecordSizeLimits.adminSettings(Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "security.protocol", "PLAINTEXT",
                "admin.security.protocol", "SSL",
                "application.id", "app",
                "linger.ms", "5",
                DeadLetters.RECORDER_CONFIG, new Object()));

        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092", "security.protocol", "SSL",
                "client.id", "app-record-size-limits"), admin);
    }

    @Test
    void maxRecordBytesTakesSmallerLimit() {
        RecordSizeLimits limits = RecordSizeLimits.fixed(5_000, Map.of("small", 1_000, "large", 9_000));

        assertEquals(1_000, limits.maxRecordBytes("small"));
        assertEquals(5_000, limits.maxRecordBytes("large"));
        assertEquals(5_000, limits.maxRecordBytes("unknown"));
    }

    @Test
    void maxRecordBytesFetchesOnce() {
        AtomicInteger fetches = new AtomicInteger();
        RecordSizeLimits limits = new RecordSizeLimits(List.of("out"), 5_000, topics -> {
            fetches.incrementAndGet();
            return Map.of("out", 700);
        }, System::nanoTime);

        assertEquals(0, fetches.get());
        assertEquals(700, limits.maxRecordBytes("out"));
        assertEquals(700, limits.maxRecordBytes("out"));
        assertEquals(1, fetches.get());
    }

    @Test
    void maxRecordBytesRetriesFailedFetchAfterMinute() {
        AtomicLong clock = new AtomicLong();
        List<String> calls = new ArrayList<>();
        RecordSizeLimits limits = new RecordSizeLimits(List.of("out"), 5_000, topics -> {
            calls.add("fetch");
            if (calls.size() == 1) {
                throw new IllegalStateException("broker unreachable");
            }
            return Map.of("out", 700);
        }, clock::get);

        assertEquals(5_000, limits.maxRecordBytes("out"));
        clock.addAndGet(59_000_000_000L);
        assertEquals(5_000, limits.maxRecordBytes("out"));
        assertEquals(1, calls.size());
        clock.addAndGet(1_000_000_000L);
        assertEquals(700, limits.maxRecordBytes("out"));
        assertEquals(2, calls.size());
    }

    @Test
    void rejectedFetchesAgainOnNextCall() {
        AtomicInteger limit = new AtomicInteger(9_000);
        RecordSizeLimits limits = new RecordSizeLimits(List.of("out"), 50_000, topics -> Map.of("out", limit.get()),
                System::nanoTime);
        assertEquals(9_000, limits.maxRecordBytes("out"));

        limit.set(1_000);
        assertEquals(9_000, limits.maxRecordBytes("out"));
        limits.rejected("out");

        assertEquals(9_000, limits.knownMaxRecordBytes("out"));
        assertEquals(1_000, limits.maxRecordBytes("out"));
    }

    @Test
    void fromUsesInstanceInConfiguration() {
        RecordSizeLimits limits = RecordSizeLimits.fixed(100, Map.of());

        assertEquals(limits, RecordSizeLimits.from(Map.of(RecordSizeLimits.CONFIG, limits)));
        assertEquals(2_000, RecordSizeLimits.from(Map.of("max.request.size", "2000")).maxRecordBytes("any"));
    }

    @Test
    void recordBytesCountsHeaderNamesAsUtf8() {
        RecordHeaders ascii = new RecordHeaders();
        ascii.add("e", "v".getBytes(StandardCharsets.UTF_8));
        RecordHeaders twoByte = new RecordHeaders();
        twoByte.add("é", "v".getBytes(StandardCharsets.UTF_8));

        assertEquals(RecordSizeLimits.recordBytes(null, null, ascii) + 1, RecordSizeLimits.recordBytes(null, null, twoByte));
    }
}
