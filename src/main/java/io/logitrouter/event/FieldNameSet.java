package io.logitrouter.event;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The field names seen so far in each object of one JSON document, for duplicate detection.
 *
 * <p>Each object gets a number from {@link #newObject()}, and a name is a duplicate when the
 * same object already has it. One open-addressing table stores all pairs of the document. Each
 * slot carries the number of the document that filled it, so {@link #clear()} empties the
 * table by starting a new document number instead of visiting slots, and a record that fits
 * the table allocates nothing. Jackson's own duplicate detection (jackson-core 2.21) allocates
 * a hash set for every object with more than two fields, which is costly for feature objects
 * with dozens of entries.
 *
 * <p>The slot comes from {@link String#hashCode()}, and names that share a hash code are easy to
 * make ({@code "Aa"} and {@code "BB"}, repeated in any order). A record of such names would make
 * every insert probe the same cluster, seconds of CPU for one record of a megabyte. When a probe
 * runs longer than {@value #MAX_PROBES} slots, the rest of the document therefore uses a hash set
 * per object, whose collision chains become balanced trees.
 */
final class FieldNameSet {

    private static final int INITIAL_CAPACITY = 256;
    /** Tables grown beyond this by one large record are released again when cleared. */
    private static final int RETAINED_CAPACITY = 4096;
    /** An estimate well above the longest probe that ordinary names need in a table at most half full. */
    private static final int MAX_PROBES = 64;

    private String[] names = new String[INITIAL_CAPACITY];
    private int[] objects = new int[INITIAL_CAPACITY];
    /** The number of the document that filled each slot. A slot filled by an earlier document counts as empty. */
    private int[] documents = new int[INITIAL_CAPACITY];
    private int document;
    private int size;
    private int objectCount;
    /** The names of the current document by object after they flooded the table, or null before that. */
    private Map<Integer, Set<String>> flooded;

    FieldNameSet() {
        this(1);
    }

    /**
     * Creates a set whose first document has the given number, so that tests can reach the wrap.
     * The number must be at least 1, because new slots carry 0.
     */
    FieldNameSet(int firstDocument) {
        this.document = firstDocument;
    }

    /** Returns the number of a new object, to pass to {@link #add}. */
    int newObject() {
        return ++objectCount;
    }

    /** Adds a name of an object and returns false if that object already has the name. */
    boolean add(int object, String name) {
        if (flooded != null) {
            return flooded.computeIfAbsent(object, number -> new HashSet<>()).add(name);
        }
        int mask = names.length - 1;
        int slot = mix(name.hashCode() * 31 + object) & mask;
        int probes = 0;
        while (documents[slot] == document) {
            if (objects[slot] == object && names[slot].equals(name)) {
                return false;
            }
            slot = (slot + 1) & mask;
            if (++probes > MAX_PROBES) {
                moveToHashSets();
                return add(object, name);
            }
        }
        names[slot] = name;
        objects[slot] = object;
        documents[slot] = document;
        size++;
        if (size * 2 >= names.length) {
            grow();
        }
        return true;
    }

    /** Returns whether the current document's names have moved to hash sets. */
    boolean isFlooded() {
        return flooded != null;
    }

    /** Removes all names and restarts object numbering, ready for the next document. */
    void clear() {
        flooded = null;
        if (names.length > RETAINED_CAPACITY) {
            allocate(INITIAL_CAPACITY);
        } else if (document == Integer.MAX_VALUE) {
            // After two billion documents the numbers would repeat, so start over with empty slots.
            allocate(names.length);
        } else {
            document++;
        }
        size = 0;
        objectCount = 0;
    }

    private void moveToHashSets() {
        flooded = new HashMap<>();
        for (int slot = 0; slot < names.length; slot++) {
            if (documents[slot] == document) {
                flooded.computeIfAbsent(objects[slot], number -> new HashSet<>()).add(names[slot]);
            }
        }
    }

    private void allocate(int capacity) {
        names = new String[capacity];
        objects = new int[capacity];
        documents = new int[capacity];
        document = 1;
    }

    private void grow() {
        String[] oldNames = names;
        int[] oldObjects = objects;
        int[] oldDocuments = documents;
        int current = document;
        allocate(oldNames.length * 2);
        size = 0;
        for (int slot = 0; slot < oldNames.length; slot++) {
            if (oldDocuments[slot] == current) {
                add(oldObjects[slot], oldNames[slot]);
            }
        }
    }

    /** Spreads the bits of a hash to keep linear-probing clusters short. */
    private static int mix(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
