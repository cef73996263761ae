package io.logitrouter.scoring;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property tests of the sigmoid: each property is checked on thousands of samples drawn from a
 * seeded generator, so a failure names its sample and reproduces on every run.
 *
 * <p>Samples mix uniform logits around the interesting range, uniform bit patterns (every
 * exponent, subnormals included) and fixed edge values.
 */
class SigmoidPropertiesTest {

    private static final int TRIES = 2_000;
    private static final double[] EDGE_LOGITS = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 36.7368005696771,
        37.0, -745.0, -745.13321910194122, 709.78, -709.78, Double.MAX_VALUE, -Double.MAX_VALUE};
    private static final double[] EDGE_THRESHOLDS = {0.0, 1.0, 0.5, 0.9999999999999999, Double.MIN_VALUE, 1e-300,
        Math.nextDown(0.5), Math.nextUp(0.5)};

    private final SplittableRandom random = new SplittableRandom(20261204L);

    @Test
    void probabilityLiesInUnitInterval() {
        for (int i = 0; i < TRIES; i++) {
            double logit = logit(i);
            double probability = Sigmoid.apply(logit);
            assertTrue(probability >= 0.0, "sigmoid(" + logit + ") = " + probability);
            assertTrue(probability <= 1.0, "sigmoid(" + logit + ") = " + probability);
        }
    }

    @Test
    void probabilityIsMonotoneInLogit() {
        for (int i = 0; i < TRIES; i++) {
            double a = logit(i);
            double b = logit(i + 1);
            double low = Math.min(a, b);
            double high = Math.max(a, b);
            assertTrue(Sigmoid.apply(low) <= Sigmoid.apply(high), "sigmoid(" + low + ") > sigmoid(" + high + ")");

            double next = Math.nextUp(low);
            assertTrue(Sigmoid.apply(low) <= Sigmoid.apply(next), "sigmoid decreases after " + low);
        }
    }

    @Test
    void probabilityMatchesHighPrecisionReference() {
        for (int i = 0; i < TRIES; i++) {
            double logit = boundedLogit(i);
            double expected = referenceSigmoid(logit);
            double probability = Sigmoid.apply(logit);
            double ulps = Math.abs(probability - expected) / Math.ulp(expected);
            assertTrue(ulps <= 2, "sigmoid(" + logit + ") = " + probability + ", reference " + expected
                    + ", " + ulps + " ulps apart");
        }
    }

    @Test
    void fireDecisionEqualsExactComparison() {
        for (int i = 0; i < TRIES; i++) {
            double threshold = threshold(i);
            double logit = logit(i);
            assertEquals(Sigmoid.exceedsExactly(logit, threshold), logit >= Sigmoid.minFiringLogit(threshold),
                    "logit " + logit + ", threshold " + threshold);
        }
    }

    @Test
    void fireDecisionIsExactNearBoundary() {
        for (int i = 0; i < TRIES; i++) {
            double threshold = uniform(1e-12, 1.0 - 1e-12).getAsDouble();
            int offset = random.nextInt(-3, 4);
            double logit = Sigmoid.minFiringLogit(threshold);
            for (int step = 0; step < Math.abs(offset); step++) {
                logit = offset > 0 ? Math.nextUp(logit) : Math.nextDown(logit);
            }
            assertEquals(offset >= 0, Sigmoid.exceedsExactly(logit, threshold),
                    "logit " + logit + " (" + offset + " ulps from the boundary), threshold " + threshold);
        }
    }

    /** Returns σ(z) = 1 / (1 + e^−z) computed with 40 significant digits, rounded to double. */
    private static double referenceSigmoid(double logit) {
        MathContext context = new MathContext(40, RoundingMode.HALF_EVEN);
        BigDecimal expMinusZ = ExactExp.exp(new BigDecimal(-logit), 40);
        return BigDecimal.ONE.divide(BigDecimal.ONE.add(expMinusZ), context).doubleValue();
    }

    private double logit(int i) {
        return switch (i % 4) {
            case 0 -> uniform(-50, 50).getAsDouble();
            case 1 -> uniform(-800, 800).getAsDouble();
            case 2 -> anyFinite();
            default -> EDGE_LOGITS[random.nextInt(EDGE_LOGITS.length)];
        };
    }

    /** Logits where the reference is cheap to compute and the result is not subnormal or saturated. */
    private double boundedLogit(int i) {
        return i % 2 == 0 ? uniform(-40, 40).getAsDouble() : uniform(-700, 36).getAsDouble();
    }

    private double threshold(int i) {
        return switch (i % 4) {
            case 0 -> random.nextDouble();
            case 1 -> uniform(0.4999, 0.5001).getAsDouble();
            case 2 -> anyUnitInterval();
            default -> EDGE_THRESHOLDS[random.nextInt(EDGE_THRESHOLDS.length)];
        };
    }

    /** Returns a double in [0, 1] drawn uniformly over bit patterns, so tiny thresholds are common. */
    private double anyUnitInterval() {
        double value;
        do {
            value = Math.abs(anyFinite());
        } while (value > 1.0);
        return value;
    }

    private DoubleSupplier uniform(double low, double high) {
        return () -> low + (high - low) * random.nextDouble();
    }

    private double anyFinite() {
        double value;
        do {
            value = Double.longBitsToDouble(random.nextLong());
        } while (!Double.isFinite(value));
        return value;
    }
}
