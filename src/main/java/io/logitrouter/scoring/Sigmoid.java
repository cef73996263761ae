package io.logitrouter.scoring;

/**
 * Logistic sigmoid σ(z) = 1 / (1 + e^−z) and the exact decision whether σ(z) exceeds a threshold.
 *
 * <p>Probabilities are computed in double precision, but the fire decision is made on the exact
 * real value of σ(z) for the double z. Near 1 the computed probability rounds to 1.0 although
 * σ(z) is still below 1, and near a threshold it can round to the threshold itself, so comparing
 * the rounded probability would get such cases wrong.
 */
public final class Sigmoid {

    /**
     * Largest logit for which σ(z) ≤ 1 − 2^−53 is still possible. Beyond it σ(z) exceeds every
     * double below 1, because 1 − σ(40) &lt; e^−40 &lt; 2^−53.
     */
    private static final double CERTAINLY_ABOVE_LOGIT = 40.0;

    /**
     * Logit below which σ(z) is below every positive double, because σ(z) &lt; e^z and
     * e^−746 &lt; {@link Double#MIN_VALUE}.
     */
    private static final double CERTAINLY_BELOW_LOGIT = -746.0;

    private Sigmoid() {
    }

    /**
     * Computes σ(z) in double precision without overflow.
     *
     * <p>For z ≥ 0 this evaluates 1 / (1 + e^−z), else e^z / (1 + e^z), so e^x is only taken of
     * x ≤ 0 and never overflows. The result is within a few ulps of the exact value and lies in
     * [0, 1] for every finite z: it is 0 below about −745.13 and 1.0 above about 37. It uses
     * {@link StrictMath#exp} so that every JVM returns the same bits.
     *
     * @param logit the logit z; NaN gives NaN
     * @return the probability σ(z)
     */
    public static double apply(double logit) {
        if (logit >= 0) {
            return 1.0 / (1.0 + StrictMath.exp(-logit));
        }
        double exp = StrictMath.exp(logit);
        return exp / (1.0 + exp);
    }

    /**
     * Decides exactly whether σ(z) &gt; t for the real values of the doubles z and t.
     *
     * <p>This is slow (arbitrary-precision arithmetic) and meant for compiling thresholds and for
     * tests; the per-event path compares the logit with {@link #minFiringLogit(double)} instead.
     * Infinite logits are allowed: σ(−∞) = 0 and σ(+∞) = 1.
     *
     * @throws IllegalArgumentException if either argument is NaN
     */
    public static boolean exceedsExactly(double logit, double threshold) {
        if (Double.isNaN(logit) || Double.isNaN(threshold)) {
            throw new IllegalArgumentException(
                    "logit and threshold must not be NaN, but got logit " + logit + " and threshold " + threshold);
        }
        if (logit == Double.POSITIVE_INFINITY) {
            return 1.0 > threshold;
        }
        if (logit == Double.NEGATIVE_INFINITY) {
            return 0.0 > threshold;
        }
        // From here on 0 < σ(z) < 1.
        if (threshold <= 0.0) {
            return true;
        }
        if (threshold >= 1.0) {
            return false;
        }
        if (logit == 0.0) {
            return 0.5 > threshold;
        }
        if (logit >= CERTAINLY_ABOVE_LOGIT) {
            return true;
        }
        if (logit <= CERTAINLY_BELOW_LOGIT) {
            return false;
        }
        return ExactExp.sigmoidExceeds(logit, threshold);
    }

    /**
     * Computes the smallest double z with σ(z) &gt; t exactly, so that for every double logit
     * {@code logit >= minFiringLogit(t)} is true exactly when σ(logit) &gt; t.
     *
     * <p>A threshold of 0 gives {@code -Double.MAX_VALUE} (every finite logit fires) and a
     * threshold of 1 gives positive infinity (no finite logit fires). Otherwise the result lies
     * near log(t / (1 − t)). The search takes up to about 64 exact comparisons, so call this
     * once per threshold when a model is loaded.
     *
     * @param threshold the threshold t, in [0, 1]
     * @throws IllegalArgumentException if the threshold is NaN or outside [0, 1]
     */
    public static double minFiringLogit(double threshold) {
        if (!(threshold >= 0.0 && threshold <= 1.0)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], but got " + threshold);
        }
        if (threshold == 0.0) {
            return -Double.MAX_VALUE;
        }
        if (threshold == 1.0) {
            return Double.POSITIVE_INFINITY;
        }

        // The estimate of logit(t) is off by a few ulps of log(t), so widen a bracket around it
        // until its lower end does not fire and its upper end does.
        double estimate = Math.log(threshold) - Math.log1p(-threshold);
        double step = 1e-9 * Math.max(1.0, Math.abs(estimate));
        double low = estimate - step;
        while (exceedsExactly(low, threshold)) {
            low -= step;
            step *= 2;
        }
        double high = estimate + step;
        while (!exceedsExactly(high, threshold)) {
            high += step;
            step *= 2;
        }

        // Bisect over the doubles between low and high, which are consecutive in sortable order.
        long notFiring = sortableBits(low);
        long firing = sortableBits(high);
        while (Long.compareUnsigned(firing - notFiring, 1) > 0) {
            long middle = (notFiring & firing) + ((notFiring ^ firing) >> 1);
            if (exceedsExactly(fromSortableBits(middle), threshold)) {
                firing = middle;
            } else {
                notFiring = middle;
            }
        }
        return fromSortableBits(firing);
    }

    /** Maps a double to a long whose signed order is the numeric order of the doubles. */
    private static long sortableBits(double value) {
        long bits = Double.doubleToRawLongBits(value);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }

    private static double fromSortableBits(long sortable) {
        long bits = sortable < 0 ? sortable ^ Long.MAX_VALUE : sortable;
        return Double.longBitsToDouble(bits);
    }
}
