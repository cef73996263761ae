package io.logitrouter.event;

import java.util.Arrays;

/** A growable byte buffer that is reused from one record to the next. */
final class ByteBuilder {

    private byte[] bytes = new byte[256];
    private int size;

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    void append(byte[] source) {
        ensureCapacity(source.length);
        System.arraycopy(source, 0, bytes, size, source.length);
        size += source.length;
    }

    void append(byte b) {
        ensureCapacity(1);
        bytes[size++] = b;
    }

    /** Appends text that contains only ASCII characters, such as a formatted number. */
    void appendAscii(String text) {
        int length = text.length();
        ensureCapacity(length);
        for (int i = 0; i < length; i++) {
            bytes[size + i] = (byte) text.charAt(i);
        }
        size += length;
    }

    void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, size);
    }

    private void ensureCapacity(int extra) {
        if (size + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
        }
    }
}
