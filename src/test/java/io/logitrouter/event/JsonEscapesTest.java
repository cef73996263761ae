package io.logitrouter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonEscapesTest {

    /** Each case is JSON text with a single quote standing for a backslash, then the expected offset. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\":\"plain\"}                    | -1",
        "{\"a\":\"'u00e9 'n 't\"}             | -1",
        "{\"a\":\"'ud83d'ude00\"}             | -1",
        "{\"a\":\"'uD83D'uDE00\"}             | -1",
        "{\"a\":\"''ud800\"}                  | -1",
        "{\"a\":\"'''ud800\"}                 | 8",
        "{\"a\":\"'ud800\"}                   | 6",
        "{\"a\":\"'uDBFF\"}                   | 6",
        "{\"a\":\"'udc00\"}                   | 6",
        "{\"a\":\"x'ud800'u0041\"}            | 7",
        "{\"a\":\"'ud800'ud800'udc00\"}       | 6",
        "{\"a\":\"'ud83d'ude00'ude00\"}       | 18",
        "{\"'ud800\":1}                       | 2",
        "{\"a\":[\"ok\",\"'udfff\"]}          | 12",
        "{\"a\":\"'\"'ud800\"}                | 8",
    })
    void findLoneSurrogateOffset(String text, int expected) {
        byte[] json = text.strip().replace('\'', '\\').getBytes(StandardCharsets.UTF_8);

        assertEquals(expected, JsonEscapes.findLoneSurrogate(json));
    }
}
