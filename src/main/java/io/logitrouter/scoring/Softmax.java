package io.logitrouter.scoring;

/** Softmax p_i = e^(z_i − max z) / Σ_j e^(z_j − max z), which turns logits into a distribution. */
public final class Softmax {

    private Softmax() {
    }

    /**
     * Computes the softmax of finite logits into {@code probabilities}.
     *
     * <p>Subtracting the largest logit first keeps every exponent at or below 0, so nothing
     * overflows, and the largest term is exactly 1, so the sum is never 0. The probabilities lie
     * in [0, 1] and sum to 1 within a few ulps.
     *
     * @param logits the logits, all finite
     * @param probabilities the output array, at least as long as {@code logits}
     */
    public static void apply(double[] logits, double[] probabilities) {
        int count = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, logits[i]);
        }

        double sum = 0.0;
        for (int i = 0; i < count; i++) {
            double term = StrictMath.exp(logits[i] - max);
            probabilities[i] = term;
            sum += term;
        }
        for (int i = 0; i < count; i++) {
            probabilities[i] /= sum;
        }
    }
}
