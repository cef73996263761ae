package io.logitrouter.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SigmoidTest {

    /** Allowed distance from the exactly rounded value, in ulps of the expected value. */
    private static final int MAX_ULPS = 2;

    @ParameterizedTest(name = "sigmoid({0}) = {1}")
    @CsvSource({
        "-5, 0.0066928509242848554",
        "-1, 0.2689414213699951",
        "0, 0.5",
        "1, 0.7310585786300049",
        "5, 0.9933071490757152",
    })
    void applyMatchesReferenceValues(double logit, double expected) {
        double probability = Sigmoid.apply(logit);

        assertTrue(Math.abs(probability - expected) <= MAX_ULPS * Math.ulp(expected),
                () -> "sigmoid(" + logit + ") = " + probability + ", expected " + expected);
    }

    @Test
    void applyAtZeroIsExactlyHalf() {
        assertEquals(0.5, Sigmoid.apply(0.0));
        assertEquals(0.5, Sigmoid.apply(-0.0));
    }

    @Test
    void applyAtMinus710IsSubnormal() {
        double expected = 4.476286225675130e-309;

        double probability = Sigmoid.apply(-710);

        assertTrue(probability < Double.MIN_NORMAL, "result should be subnormal: " + probability);
        assertTrue(Math.abs(probability - expected) <= MAX_ULPS * Math.ulp(expected),
                () -> "sigmoid(-710) = " + probability + ", expected " + expected);
    }

    @ParameterizedTest(name = "sigmoid({0}) is in [0, 1]")
    @ValueSource(doubles = {-1e308, -Double.MAX_VALUE, -745.2, -745, -710, -37, 37, 710, 745, 1e308,
        Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE})
    void applyStaysInUnitIntervalAtExtremes(double logit) {
        double probability = Sigmoid.apply(logit);

        assertFalse(Double.isNaN(probability), "NaN for " + logit);
        assertTrue(probability >= 0.0, "below 0 for " + logit);
        assertTrue(probability <= 1.0, "above 1 for " + logit);
    }

    @Test
    void applyUnderflowsToZeroBelowMinus745() {
        assertEquals(0.0, Sigmoid.apply(-745.2));
        assertEquals(0.0, Sigmoid.apply(-1e308));
        assertEquals(Double.MIN_VALUE, Sigmoid.apply(-745.0));
    }

    @Test
    void applyReachesOneAbove37() {
        assertTrue(Sigmoid.apply(37) >= Math.nextDown(1.0));
        assertEquals(1.0, Sigmoid.apply(40));
        assertEquals(1.0, Sigmoid.apply(1e308));
    }

    @Test
    void applyHandlesInfiniteLogits() {
        assertEquals(1.0, Sigmoid.apply(Double.POSITIVE_INFINITY));
        assertEquals(0.0, Sigmoid.apply(Double.NEGATIVE_INFINITY));
    }

    @Test
    void exceedsExactlyAtZeroAndHalfIsFalse() {
        assertFalse(Sigmoid.exceedsExactly(0.0, 0.5));
        assertFalse(Sigmoid.exceedsExactly(-0.0, 0.5));
        assertFalse(0.0 >= Sigmoid.minFiringLogit(0.5));
    }

    @Test
    void minFiringLogitOfHalf() {
        assertEquals(Double.MIN_VALUE, Sigmoid.minFiringLogit(0.5));
    }

    @Test
    void exceedsExactlyFiresAt37() {
        double threshold = 0.9999999999999999;

        assertTrue(Sigmoid.exceedsExactly(37, threshold));
        assertTrue(37 >= Sigmoid.minFiringLogit(threshold));
        assertEquals(1.0, Sigmoid.apply(37));
    }

    @Test
    void exceedsExactlyWhereProbabilityRoundsToThreshold() {
        double threshold = 0.3;
        double logit = -0.8472978603872036;

        // σ(logit) is just above 0.3 but rounds to 0.3, so comparing the rounded value would not fire.
        assertEquals(threshold, Sigmoid.apply(logit));
        assertTrue(Sigmoid.exceedsExactly(logit, threshold));
        assertEquals(logit, Sigmoid.minFiringLogit(threshold));
    }

    @Test
    void boundaryOfLargestThreshold() {
        double threshold = 0.9999999999999999;
        double boundary = Sigmoid.minFiringLogit(threshold);

        assertEquals(36.73680056967711, boundary);
        assertFalse(Sigmoid.exceedsExactly(36.7, threshold));
        assertTrue(Sigmoid.exceedsExactly(36.8, threshold));
    }

    @ParameterizedTest(name = "boundary of threshold {0}")
    @ValueSource(doubles = {0.5, 0.3, 0.1, 0.75, 0.9, 0.99, 1e-10, 1e-300, Double.MIN_VALUE, Double.MIN_NORMAL,
        0.9999999999999999, 0.5000000000000001, 0.49999999999999994, 0.8198367347375466, 0.00011153984981187569})
    void minFiringLogitIsTheExactBoundary(double threshold) {
        double boundary = Sigmoid.minFiringLogit(threshold);

        assertTrue(Sigmoid.exceedsExactly(boundary, threshold), "boundary should fire");
        assertFalse(Sigmoid.exceedsExactly(Math.nextDown(boundary), threshold), "next double down should not fire");
        assertTrue(Sigmoid.exceedsExactly(Math.nextUp(boundary), threshold), "next double up should fire");
    }

    @ParameterizedTest(name = "threshold at, above and below the probability of {0}")
    @ValueSource(doubles = {-5, -1, 1, 5, 0.1, -0.3, 20, -700})
    void exceedsExactlyAroundRoundedProbability(double logit) {
        double probability = Sigmoid.apply(logit);
        double boundary;

        // A threshold well below the probability fires and one well above does not.
        assertTrue(Sigmoid.exceedsExactly(logit, probability * 0.999));
        assertFalse(Sigmoid.exceedsExactly(logit, Math.min(1.0, probability * 1.001)));
        // Near the rounded probability the decision must agree with the compiled boundary.
        for (double threshold : new double[] {Math.nextDown(probability), probability, Math.nextUp(probability)}) {
            boundary = Sigmoid.minFiringLogit(threshold);
            assertEquals(Sigmoid.exceedsExactly(logit, threshold), logit >= boundary,
                    "threshold " + threshold);
        }
    }

    @Test
    void thresholdZeroFiresForEveryFiniteLogit() {
        double boundary = Sigmoid.minFiringLogit(0.0);

        assertEquals(-Double.MAX_VALUE, boundary);
        assertTrue(-Double.MAX_VALUE >= boundary);
        assertTrue(Sigmoid.exceedsExactly(-Double.MAX_VALUE, 0.0));
        assertTrue(Sigmoid.exceedsExactly(-800, 0.0));
    }

    @Test
    void thresholdOneNeverFiresForFiniteLogit() {
        double boundary = Sigmoid.minFiringLogit(1.0);

        assertEquals(Double.POSITIVE_INFINITY, boundary);
        assertFalse(Double.MAX_VALUE >= boundary);
        assertFalse(Sigmoid.exceedsExactly(Double.MAX_VALUE, 1.0));
        assertFalse(Sigmoid.exceedsExactly(40, 1.0));
    }

    @Test
    void exceedsExactlyHandlesInfiniteLogits() {
        assertTrue(Sigmoid.exceedsExactly(Double.POSITIVE_INFINITY, 0.9999999999999999));
        assertFalse(Sigmoid.exceedsExactly(Double.POSITIVE_INFINITY, 1.0));
        assertFalse(Sigmoid.exceedsExactly(Double.NEGATIVE_INFINITY, 0.0));
    }

    @Test
    void exceedsExactlyDecidesTinyLogitsAgainstHalf() {
        assertTrue(Sigmoid.exceedsExactly(Double.MIN_VALUE, 0.5));
        assertFalse(Sigmoid.exceedsExactly(-Double.MIN_VALUE, 0.5));
    }

    @ParameterizedTest(name = "threshold {0} is rejected")
    @ValueSource(doubles = {-0.1, 1.1, Double.NaN, Double.POSITIVE_INFINITY})
    void minFiringLogitRejectsThresholdOutsideUnitInterval(double threshold) {
        assertThrows(IllegalArgumentException.class, () -> Sigmoid.minFiringLogit(threshold));
    }

    @Test
    void exceedsExactlyRejectsNaN() {
        assertThrows(IllegalArgumentException.class, () -> Sigmoid.exceedsExactly(Double.NaN, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Sigmoid.exceedsExactly(0.0, Double.NaN));
    }
}
