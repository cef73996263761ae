package io.logitrouter.scoring;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Arbitrary-precision comparisons that need e^x, used to compile thresholds exactly.
 *
 * <p>Every double is a finite binary fraction, so {@link BigDecimal} represents thresholds and logits
 * exactly. Only e^x is approximated, with a known relative error bound. A comparison whose
 * result lies inside that bound is repeated with twice as many digits. Because e^x is
 * transcendental for rational x ≠ 0, the sides of such a comparison are never exactly equal.
 */
final class ExactExp {

    private static final int INITIAL_DIGITS = 40;
    private static final int MAX_DIGITS = 5120;
    private static final BigDecimal HALF = new BigDecimal("0.5");

    private ExactExp() {
    }

    /**
     * Decides σ(z) &gt; t by testing t · e^−z &lt; 1 − t. The caller guarantees 0 &lt; t &lt; 1,
     * z ≠ 0 and −746 &lt; z &lt; 40.
     */
    static boolean sigmoidExceeds(double logit, double threshold) {
        BigDecimal t = new BigDecimal(threshold);
        BigDecimal oneMinusT = BigDecimal.ONE.subtract(t);
        BigDecimal exponent = new BigDecimal(-logit);

        for (int digits = INITIAL_DIGITS; digits <= MAX_DIGITS; digits *= 2) {
            BigDecimal left = t.multiply(exp(exponent, digits));
            BigDecimal difference = oneMinusT.subtract(left);
            // exp is within a relative error of 10^-digits, so left is within left * 10^-digits.
            BigDecimal errorBound = left.scaleByPowerOfTen(-digits).multiply(BigDecimal.valueOf(2));
            if (difference.abs().compareTo(errorBound) > 0) {
                return difference.signum() > 0;
            }
        }
        throw new ArithmeticException("cannot decide whether sigmoid(" + logit + ") > " + threshold
                + " with " + MAX_DIGITS + " digits");
    }

    /**
     * Computes e^x with a relative error below 10^−digits, for |x| &lt; 1000.
     *
     * <p>The argument is halved k times until it is at most 1/2, the Taylor series gives
     * e^(x / 2^k), and squaring k times gives e^x. The 20 guard digits cover the rounding of
     * about 60 series terms and the doubling of the relative error by each of the at most 11
     * squarings.
     */
    static BigDecimal exp(BigDecimal x, int digits) {
        MathContext context = new MathContext(digits + 20, RoundingMode.HALF_EVEN);
        BigDecimal reduced = x;
        int squarings = 0;
        while (reduced.abs().compareTo(HALF) > 0) {
            reduced = reduced.multiply(HALF);
            squarings++;
        }

        // With |reduced| <= 1/2 the sum lies in [0.6, 1.7], so an absolute cut-off suffices.
        BigDecimal cutOff = BigDecimal.ONE.scaleByPowerOfTen(-(digits + 25));
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int n = 1; term.abs().compareTo(cutOff) > 0; n++) {
            term = term.multiply(reduced, context).divide(BigDecimal.valueOf(n), context);
            sum = sum.add(term, context);
        }

        for (int i = 0; i < squarings; i++) {
            sum = sum.multiply(sum, context);
        }
        return sum;
    }
}
