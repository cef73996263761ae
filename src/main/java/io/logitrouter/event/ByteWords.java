package io.logitrouter.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Word-at-a-time reads of byte arrays, eight bytes each, for scans that skip long runs of ASCII.
 *
 * <p>Words are little-endian, so the lowest byte of a word is the first byte in the array.
 */
final class ByteWords {

    /** The high bit of every byte of a word. */
    static final long HIGH_BITS = 0x8080808080808080L;
    /** The low bit of every byte of a word. */
    static final long LOW_BITS = 0x0101010101010101L;

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteWords() {
    }

    /** Returns the eight bytes at {@code offset} as one little-endian word. */
    static long word(byte[] bytes, int offset) {
        return (long) LONGS.get(bytes, offset);
    }
}
