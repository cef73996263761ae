package io.logitrouter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReaderBufferPoolTest {

    private final ReaderBufferPool pool = new ReaderBufferPool();
    private final JsonFactory factory = JsonFactory.builder().recyclerPool(pool).build();
    private final byte[] json = "{\"id\":\"a\",\"features\":{\"x\":1.5}}".getBytes(StandardCharsets.UTF_8);

    @Test
    void releaseKeepsBuffersForNextParser() throws IOException {
        for (int i = 0; i < 3; i++) {
            try (JsonParser parser = factory.createParser(json)) {
                assertEquals(0, pool.pooledCount());
                readAll(parser);
            }

            assertEquals(1, pool.pooledCount());
        }
    }

    @Test
    void acquireGivesSecondParserNewBuffers() throws IOException {
        try (JsonParser first = factory.createParser(json);
             JsonParser second = factory.createParser(json)) {
            readAll(first);
            readAll(second);
        }

        assertEquals(1, pool.pooledCount());
        try (JsonParser parser = factory.createParser(json)) {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken());
        }
    }

    private static void readAll(JsonParser parser) throws IOException {
        int tokens = 0;
        while (parser.nextToken() != null) {
            tokens++;
        }
        assertEquals(9, tokens);
    }
}
