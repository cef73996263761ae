package io.logitrouter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    @ParameterizedTest(name = "text {index}")
    @ValueSource(strings = {"", "a", "plain ASCII text that is longer than eight bytes", "é", "€", "😀",
        "\u007f\u0080\u07ff\u0800\uffff\ud800\udc00\udbff\udfff", "mixed ASCII é and € and 😀 across word boundaries"})
    void findInvalidAcceptsWellFormedText(String text) {
        assertEquals(-1, Utf8.findInvalid(text.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0} invalid at {1}")
    @CsvSource({
        // bytes, index of the first invalid byte
        "41 80, 1",                      // continuation byte without a lead
        "41 42 43 44 45 46 47 48 C0 80, 8", // overlong NUL after an 8-byte ASCII block
        "41 42 43 44 45 46 47 48 41 42 43 44 45 46 47 48 41 42 FF, 18", // after a 16-byte block
        "C1 BF, 0",                      // overlong 2-byte form
        "E0 80 AF, 0",                   // overlong 3-byte form
        "F0 80 80 AF, 0",                // overlong 4-byte form
        "ED A0 80, 0",                   // encoded high surrogate U+D800
        "ED BF BF, 0",                   // encoded low surrogate U+DFFF
        "F4 90 80 80, 0",                // U+110000, above the Unicode range
        "F5 80 80 80, 0",                // lead byte never used
        "41 FF, 1",                      // byte never used
        "41 E2 82, 1",                   // truncated 3-byte sequence at the end
        "C3 28, 0",                      // lead byte followed by ASCII
        "F0 9F 98, 0",                   // truncated 4-byte sequence
        "E2 82 AC E2 28 AC, 3",          // valid euro sign, then a broken sequence
    })
    void findInvalidReportsFirstBadSequence(String bytes, int expectedIndex) {
        assertEquals(expectedIndex, Utf8.findInvalid(hex(bytes)));
    }
}
