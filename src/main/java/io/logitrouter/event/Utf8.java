package io.logitrouter.event;

/**
 * Strict UTF-8 validation of whole input values.
 *
 * <p>Jackson checks the bytes of strings it decodes, but when it skips a string it does not
 * reject overlong forms or encoded surrogates (checked with jackson-core 2.21), and skipped
 * fields are copied to the output unchanged. Validating every byte up front therefore keeps
 * invalid UTF-8 out of the output topics.
 */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Finds the first byte that does not belong to a well-formed UTF-8 sequence.
     *
     * <p>Well-formed means the Unicode definition: no overlong forms, no encoded surrogates
     * (U+D800 to U+DFFF), nothing above U+10FFFF and no truncated sequence.
     *
     * @return the index of the first byte of the first invalid sequence, or −1 if all bytes are valid
     */
    static int findInvalid(byte[] bytes) {
        int length = bytes.length;
        int i = 0;
        while (true) {
            // ASCII runs dominate typical events, so test sixteen bytes at a time first.
            while (i + 2 * Long.BYTES <= length
                    && ((ByteWords.word(bytes, i) | ByteWords.word(bytes, i + Long.BYTES)) & ByteWords.HIGH_BITS) == 0) {
                i += 2 * Long.BYTES;
            }
            while (i < length && bytes[i] >= 0) {
                i++;
            }
            if (i >= length) {
                return -1;
            }
            int sequenceLength = validSequenceLength(bytes, i);
            if (sequenceLength == 0) {
                return i;
            }
            i += sequenceLength;
        }
    }

    /** Returns the length of the valid multi-byte sequence starting at {@code start}, or 0. */
    private static int validSequenceLength(byte[] bytes, int start) {
        int lead = bytes[start] & 0xFF;
        int remaining = bytes.length - start;
        if (lead >= 0xC2 && lead <= 0xDF) {
            return remaining >= 2 && isContinuation(bytes[start + 1]) ? 2 : 0;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            if (remaining < 3) {
                return 0;
            }
            int second = bytes[start + 1] & 0xFF;
            // E0 needs A0..BF to avoid overlong forms, ED needs 80..9F to exclude surrogates.
            int secondMin = lead == 0xE0 ? 0xA0 : 0x80;
            int secondMax = lead == 0xED ? 0x9F : 0xBF;
            boolean valid = second >= secondMin && second <= secondMax && isContinuation(bytes[start + 2]);
            return valid ? 3 : 0;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            if (remaining < 4) {
                return 0;
            }
            int second = bytes[start + 1] & 0xFF;
            // F0 needs 90..BF to avoid overlong forms, F4 needs 80..8F to stay at or below U+10FFFF.
            int secondMin = lead == 0xF0 ? 0x90 : 0x80;
            int secondMax = lead == 0xF4 ? 0x8F : 0xBF;
            boolean valid = second >= secondMin && second <= secondMax
                    && isContinuation(bytes[start + 2]) && isContinuation(bytes[start + 3]);
            return valid ? 4 : 0;
        }
        // A continuation byte without a lead, C0 and C1 (overlong), or F5..FF (never used).
        return 0;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
