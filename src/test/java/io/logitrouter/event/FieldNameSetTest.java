package io.logitrouter.event;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldNameSetTest {

    @Test
    void addFindsDuplicatesWithinOneObject() {
        FieldNameSet names = new FieldNameSet();
        int event = names.newObject();
        int features = names.newObject();

        assertTrue(names.add(event, "id"));
        assertTrue(names.add(features, "id"));
        assertFalse(names.add(event, "id"));
        assertFalse(names.add(features, "id"));
    }

    @Test
    void clearForgetsPreviousDocument() {
        FieldNameSet names = new FieldNameSet();
        int event = names.newObject();
        assertTrue(names.add(event, "id"));

        names.clear();
        int next = names.newObject();

        assertTrue(names.add(next, "id"));
        assertFalse(names.add(next, "id"));
    }

    @Test
    void clearAtLastDocumentNumberStartsOver() {
        FieldNameSet names = new FieldNameSet(Integer.MAX_VALUE - 1);
        for (int document = 0; document < 4; document++) {
            names.clear();
            int object = names.newObject();

            assertTrue(names.add(object, "id"), "document " + document);
            assertFalse(names.add(object, "id"), "document " + document);
        }
    }

    @Test
    void addMovesCollidingNamesToHashSets() {
        FieldNameSet names = new FieldNameSet();
        int first = names.newObject();
        int second = names.newObject();
        for (int i = 0; i < 2_048; i++) {
            assertTrue(names.add(first, collidingName(i)), collidingName(i));
        }

        assertTrue(names.isFlooded());
        for (int i = 0; i < 2_048; i++) {
            assertFalse(names.add(first, collidingName(i)), collidingName(i));
        }
        assertTrue(names.add(second, collidingName(0)));
        assertFalse(names.add(second, collidingName(0)));
    }

    @Test
    void clearReturnsFloodedSetToTable() {
        FieldNameSet names = new FieldNameSet();
        int object = names.newObject();
        for (int i = 0; i < 200; i++) {
            names.add(object, collidingName(i));
        }
        assertTrue(names.isFlooded());

        names.clear();
        int next = names.newObject();

        assertFalse(names.isFlooded());
        assertTrue(names.add(next, collidingName(0)));
        assertFalse(names.add(next, collidingName(0)));
    }

    @Test
    void growKeepsEveryName() {
        FieldNameSet names = new FieldNameSet();
        int object = names.newObject();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(names.add(object, "feature_" + i));
        }

        for (int i = 0; i < 10_000; i++) {
            assertFalse(names.add(object, "feature_" + i), "feature_" + i);
        }
    }

    /** Reuses one set for many documents, as a reader does, against a fresh hash set per document. */
    @Test
    void addMatchesHashSetAcrossDocuments() {
        FieldNameSet names = new FieldNameSet();
        Random random = new Random(7);
        for (int document = 0; document < 2_000; document++) {
            names.clear();
            Set<String> expected = new HashSet<>();
            int objects = 1 + random.nextInt(4);
            int[] numbers = new int[objects];
            for (int i = 0; i < objects; i++) {
                numbers[i] = names.newObject();
            }
            // Every hundredth document has 3,000 names, enough to grow the table past its
            // retained size, and every seventh uses names that share one hash code.
            boolean large = document % 100 == 0;
            int count = large ? 3_000 : random.nextInt(80);
            for (int i = 0; i < count; i++) {
                int object = random.nextInt(objects);
                int choice = random.nextInt(large ? 5_000 : 60);
                String name = document % 7 == 0 ? collidingName(choice) : "f" + choice;

                boolean added = expected.add(object + "/" + name);

                assertTrue(added == names.add(numbers[object], name), "document " + document + ", " + name);
            }
        }
    }

    /** Returns a name made of 11 blocks of "Aa" or "BB". All 2,048 such names share one hash code. */
    private static String collidingName(int index) {
        StringBuilder name = new StringBuilder();
        for (int block = 0; block < 11; block++) {
            name.append((index >> block & 1) == 0 ? "Aa" : "BB");
        }
        return name.toString();
    }
}
