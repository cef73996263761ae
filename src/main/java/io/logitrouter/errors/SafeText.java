package io.logitrouter.errors;

/** Makes text from events and files safe to put into an error message or a log line. */
public final class SafeText {

    private SafeText() {
    }

    /**
     * Returns at most {@code maxLength} characters of {@code text}, with control characters
     * written as {@code \\uXXXX} escapes and {@code ...} appended when the text was cut.
     */
    public static String truncate(String text, int maxLength) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxLength) + 3);
        int end = Math.min(text.length(), maxLength);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > maxLength) {
            out.append("...");
        }
        return out.toString();
    }
}
