package io.logitrouter.event;

import java.util.Arrays;

/**
 * The field names seen so far in each object of one JSON document, for duplicate detection.
 *
 * <p>Each object gets a number from {@link #newObject()}, and a name is a duplicate when the
 * same object already has it. One open-addressing table stores all pairs of the document, and
 * {@link #clear()} empties only the slots used, so a record that fits the table allocates
 * nothing. Jackson's own duplicate detection (jackson-core 2.21) allocates a hash set for every
 * object with more than two fields, which is costly for feature objects with dozens of entries.
 */
final class FieldNameSet {

    private static final int INITIAL_CAPACITY = 256;
    /** Tables grown beyond this by one large record are released again when cleared. */
    private static final int RETAINED_CAPACITY = 4096;

    private String[] names = new String[INITIAL_CAPACITY];
    private int[] objects = new int[INITIAL_CAPACITY];
    private int[] usedSlots = new int[INITIAL_CAPACITY / 2];
    private int size;
    private int objectCount;

    /** Returns the number of a new object, to pass to {@link #add}. */
    int newObject() {
        return ++objectCount;
    }

    /** Adds a name of an object and returns false if that object already has the name. */
    boolean add(int object, String name) {
        int mask = names.length - 1;
        int slot = mix(name.hashCode() * 31 + object) & mask;
        while (names[slot] != null) {
            if (objects[slot] == object && names[slot].equals(name)) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        names[slot] = name;
        objects[slot] = object;
        usedSlots[size++] = slot;
        if (size * 2 >= names.length) {
            grow();
        }
        return true;
    }

    /** Removes all names and restarts object numbering, ready for the next document. */
    void clear() {
        if (names.length > RETAINED_CAPACITY) {
            names = new String[INITIAL_CAPACITY];
            objects = new int[INITIAL_CAPACITY];
            usedSlots = new int[INITIAL_CAPACITY / 2];
        } else {
            for (int i = 0; i < size; i++) {
                names[usedSlots[i]] = null;
            }
        }
        size = 0;
        objectCount = 0;
    }

    private void grow() {
        String[] oldNames = names;
        int[] oldObjects = objects;
        int[] oldUsed = usedSlots;
        int oldSize = size;
        names = new String[oldNames.length * 2];
        objects = new int[oldNames.length * 2];
        usedSlots = new int[oldNames.length];
        size = 0;
        for (int i = 0; i < oldSize; i++) {
            int slot = oldUsed[i];
            add(oldObjects[slot], oldNames[slot]);
        }
        Arrays.fill(oldNames, null);
    }

    /** Spreads the bits of a hash to keep linear-probing clusters short. */
    private static int mix(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
