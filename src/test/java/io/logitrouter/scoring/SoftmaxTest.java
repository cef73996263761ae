package io.logitrouter.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoftmaxTest {

    private static final int MAX_ULPS = 2;

    private static void assertWithinUlps(double expected, double actual) {
        assertTrue(Math.abs(actual - expected) <= MAX_ULPS * Math.ulp(expected),
                () -> "expected " + expected + " but got " + actual);
    }

    private static double sum(double[] values) {
        double sum = 0.0;
        for (double value : values) {
            sum += value;
        }
        return sum;
    }

    @Test
    void applyThreeLabelsMatchesExactValues() {
        double[] probabilities = new double[3];

        Softmax.apply(new double[] {1.0, 2.0, 3.0}, probabilities);

        // Exact values rounded to double, computed with 50-digit arithmetic.
        assertWithinUlps(0.09003057317038046, probabilities[0]);
        assertWithinUlps(0.24472847105479764, probabilities[1]);
        assertWithinUlps(0.6652409557748219, probabilities[2]);
    }

    @Test
    void applyUnevenLogitsMatchesExactValues() {
        double[] probabilities = new double[3];

        Softmax.apply(new double[] {-1.5, 0.0, 2.25}, probabilities);

        assertWithinUlps(0.020832130681235055, probabilities[0]);
        assertWithinUlps(0.09336313238594542, probabilities[1]);
        assertWithinUlps(0.8858047369328196, probabilities[2]);
    }

    @Test
    void applySumsToOne() {
        double[][] cases = {{1, 2, 3}, {-1.5, 0, 2.25}, {0.1, 0.2, 0.3, 0.4, 0.5}, {-700, 0, 700}, {5}};
        for (double[] logits : cases) {
            double[] probabilities = new double[logits.length];

            Softmax.apply(logits, probabilities);

            assertTrue(Math.abs(sum(probabilities) - 1.0) <= 4 * Math.ulp(1.0), "sum " + sum(probabilities));
        }
    }

    @Test
    void applyLargeLogitsDoNotOverflow() {
        double[] probabilities = new double[3];

        Softmax.apply(new double[] {1000.0, 1001.0, 999.0}, probabilities);

        assertWithinUlps(0.24472847105479764, probabilities[0]);
        assertWithinUlps(0.6652409557748219, probabilities[1]);
        assertWithinUlps(0.09003057317038046, probabilities[2]);
    }

    @Test
    void applyExtremeLogitsStayFinite() {
        double[] probabilities = new double[3];

        Softmax.apply(new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, 0.0}, probabilities);

        assertEquals(1.0, probabilities[0]);
        assertEquals(0.0, probabilities[1]);
        assertEquals(0.0, probabilities[2]);
        for (double probability : probabilities) {
            assertFalse(Double.isNaN(probability));
        }
    }

    @Test
    void applyEqualLogitsGiveEqualShares() {
        double[] probabilities = new double[4];

        Softmax.apply(new double[] {7.5, 7.5, 7.5, 7.5}, probabilities);

        for (double probability : probabilities) {
            assertEquals(0.25, probability);
        }
    }
}
