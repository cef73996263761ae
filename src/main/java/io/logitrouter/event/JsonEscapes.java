package io.logitrouter.event;

/**
 * Checks the <code>&#92;uXXXX</code> escapes of a JSON text for surrogates that do not form a pair.
 *
 * <p>The JSON grammar allows an escaped lone surrogate such as <code>"&#92;ud800"</code>, but the
 * string it denotes is not valid Unicode, just as raw surrogate bytes are not valid UTF-8 (which
 * {@link Utf8} rejects). Jackson 2.21 rejects such an escape in a field name but not in a string
 * value, and skipped values are copied to the output unchanged, so the service checks every
 * escape itself.
 */
final class JsonEscapes {

    /** A backslash in every byte of a word. */
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private JsonEscapes() {
    }

    /**
     * Finds the first escape of a lone surrogate: a high surrogate (U+D800 to U+DBFF) not
     * directly followed by an escaped low surrogate, or a low surrogate (U+DC00 to U+DFFF) not
     * directly preceded by an escaped high one.
     *
     * @param json bytes that a JSON parser accepted, so every backslash starts a complete escape
     * @return the offset of the backslash of the first lone surrogate escape, or −1 if there is none
     */
    static int findLoneSurrogate(byte[] json) {
        int i = 0;
        while (i < json.length) {
            i = nextBackslash(json, i);
            if (i < 0) {
                return -1;
            }
            if (json[i + 1] != 'u') {
                // A two-character escape such as a quote or a backslash after the backslash.
                i += 2;
                continue;
            }
            int code = hex4(json, i + 2);
            if (isLowSurrogate(code)) {
                return i;
            }
            if (isHighSurrogate(code)) {
                boolean paired = i + 11 < json.length && json[i + 6] == '\\' && json[i + 7] == 'u'
                        && isLowSurrogate(hex4(json, i + 8));
                if (!paired) {
                    return i;
                }
                i += 12;
                continue;
            }
            i += 6;
        }
        return -1;
    }

    /** Returns the offset of the first backslash at or after {@code from}, or −1 if there is none. */
    static int nextBackslash(byte[] bytes, int from) {
        int i = from;
        // Most events have no escape at all, so test eight bytes at a time first.
        while (i + Long.BYTES <= bytes.length) {
            long word = ByteWords.word(bytes, i) ^ BACKSLASHES;
            // A byte of word is zero where the input has a backslash. The formula marks the lowest
            // zero byte exactly (borrows may mark higher ones too), and only the lowest is used.
            long zeroBytes = (word - ByteWords.LOW_BITS) & ~word & ByteWords.HIGH_BITS;
            if (zeroBytes != 0) {
                return i + Long.numberOfTrailingZeros(zeroBytes) / Byte.SIZE;
            }
            i += Long.BYTES;
        }
        while (i < bytes.length) {
            if (bytes[i] == '\\') {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static boolean isHighSurrogate(int code) {
        return code >= 0xD800 && code <= 0xDBFF;
    }

    private static boolean isLowSurrogate(int code) {
        return code >= 0xDC00 && code <= 0xDFFF;
    }

    /** Returns the value of the four hexadecimal digits at {@code offset}, or −1 if one is not a digit. */
    private static int hex4(byte[] bytes, int offset) {
        if (offset + 4 > bytes.length) {
            return -1;
        }
        int value = 0;
        for (int i = offset; i < offset + 4; i++) {
            int digit = Character.digit(bytes[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
