package io.logitrouter.scoring;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SigmoidPropertiesTest {

    /** Uniform doubles in [low, high) with all 53 bits of precision, unlike jqwik's decimal doubles. */
    private static Arbitrary<Double> uniform(double low, double high) {
        return Arbitraries.randomValue(random -> low + (high - low) * random.nextDouble());
    }

    /** Finite doubles drawn uniformly over their bit patterns, which covers every exponent. */
    private static Arbitrary<Double> anyFinite() {
        return Arbitraries.randomValue(random -> Double.longBitsToDouble(random.nextLong()))
                .filter(Double::isFinite);
    }

    @Provide
    Arbitrary<Double> finiteLogits() {
        return Arbitraries.oneOf(
                uniform(-50, 50),
                uniform(-800, 800),
                anyFinite(),
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 36.7368005696771, 37.0, -745.0));
    }

    @Provide
    Arbitrary<Double> thresholds() {
        return Arbitraries.oneOf(
                uniform(0.0, 1.0),
                uniform(0.4999, 0.5001),
                anyFinite().map(Math::abs).filter(t -> t <= 1.0),
                Arbitraries.of(0.0, 1.0, 0.5, 0.9999999999999999, Double.MIN_VALUE, 1e-300));
    }

    @Property(tries = 2000)
    boolean applyIsInUnitInterval(@ForAll("finiteLogits") double logit) {
        double probability = Sigmoid.apply(logit);
        return probability >= 0.0 && probability <= 1.0;
    }

    @Property(tries = 2000)
    boolean applyIsMonotone(@ForAll("finiteLogits") double a, @ForAll("finiteLogits") double b) {
        double low = Math.min(a, b);
        double high = Math.max(a, b);
        return Sigmoid.apply(low) <= Sigmoid.apply(high);
    }

    @Property(tries = 1000)
    boolean boundaryDecisionEqualsExactComparison(@ForAll("thresholds") double threshold,
            @ForAll("finiteLogits") double logit) {
        return (logit >= Sigmoid.minFiringLogit(threshold)) == Sigmoid.exceedsExactly(logit, threshold);
    }

    @Provide
    Arbitrary<double[]> logitsNearBoundary() {
        Arbitrary<Double> threshold = uniform(1e-12, 1.0 - 1e-12);
        Arbitrary<Integer> ulps = Arbitraries.integers().between(-3, 3);
        return Combinators.combine(threshold, ulps).as((t, offset) -> {
            double logit = Sigmoid.minFiringLogit(t);
            for (int i = 0; i < Math.abs(offset); i++) {
                logit = offset > 0 ? Math.nextUp(logit) : Math.nextDown(logit);
            }
            return new double[] {t, logit, offset};
        });
    }

    @Property(tries = 1000)
    boolean boundaryDecisionIsExactWithinUlpsOfBoundary(@ForAll("logitsNearBoundary") double[] sample) {
        double threshold = sample[0];
        double logit = sample[1];
        boolean expected = sample[2] >= 0;
        return Sigmoid.exceedsExactly(logit, threshold) == expected;
    }
}
