package io.mocoj.methods.toolbox;

import java.util.Arrays;

/** Confidence thresholds derived from a sample of dev confidences. */
public final class Thresholds {
    private Thresholds() {}

    /**
     * The {@code q}-quantile of {@code values} with linear interpolation between order statistics
     * (position {@code q·(n−1)} in the sorted values; the rule of NumPy's and PyTorch's default quantile).
     *
     * @throws IllegalArgumentException when {@code values} is empty, contains NaN, or {@code q} is outside [0, 1]
     */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) throw new IllegalArgumentException("cannot take a quantile of no values");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile level must be in [0, 1], was " + q);
        double[] sorted = values.clone();
        for (double v : sorted) if (Double.isNaN(v)) throw new IllegalArgumentException("values contain NaN");
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }

    /**
     * The threshold that lets the top {@code share} of {@code values} through (value {@code >=}
     * threshold): the {@code (1 − share)}-quantile. {@code share} 0 gives +∞ (nothing passes),
     * {@code share} 1 the minimum (everything passes).
     */
    public static double topShare(double[] values, double share) {
        if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("share must be in [0, 1], was " + share);
        if (share == 0) return Double.POSITIVE_INFINITY;
        return quantile(values, 1 - share);
    }
}
