package io.logitrouter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
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

    @Test
    void findLoneSurrogatePastFirstWord() {
        String padding = "{\"padding\":\"" + "x".repeat(37) + "\",";

        assertEquals(-1, JsonEscapes.findLoneSurrogate((padding + "\"a\":\"\\ud83d\\ude00\"}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(padding.length() + 5,
                JsonEscapes.findLoneSurrogate((padding + "\"a\":\"\\udc00\"}").getBytes(StandardCharsets.UTF_8)));
    }

    /** Compares the word-at-a-time search with a byte-by-byte one, on every alignment and length. */
    @Test
    void nextBackslashMatchesPlainScan() {
        Random random = new Random(42);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly text, with backslashes and bytes that differ from a backslash only in the high bit.
                bytes[i] = randomByte(random);
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);

            assertEquals(plainNextBackslash(bytes, from), JsonEscapes.nextBackslash(bytes, from),
                    "trial " + trial);
        }
    }

    private static byte randomByte(Random random) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return '\\';
        }
        if (kind == 1) {
            return (byte) 0xDC;
        }
        if (kind == 2) {
            return (byte) random.nextInt(256);
        }
        return 'a';
    }

    private static int plainNextBackslash(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\\') {
                return i;
            }
        }
        return -1;
    }
}
