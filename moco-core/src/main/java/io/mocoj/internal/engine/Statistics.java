package io.mocoj.internal.engine;

import io.mocoj.RunReport.Interval;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Percentile bootstrap for the mean. */
public final class Statistics {
    private Statistics() {}

    public static final int DEFAULT_RESAMPLES = 2000;

    public static double mean(double[] xs) {
        if (xs.length == 0) return 0;
        double s = 0;
        for (double x : xs) s += x;
        return s / xs.length;
    }

    /** Percentile bootstrap interval of the mean at {@code level} (e.g. 0.95), deterministic for a seed. */
    public static Interval bootstrapMean(double[] xs, int resamples, double level, long seed) {
        int n = xs.length;
        if (n == 0) return new Interval(0, 0, level);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += xs[rnd.nextInt(n)];
            means[b] = s / n;
        }
        Arrays.sort(means);
        double alpha = (1 - level) / 2;
        int lo = (int) Math.floor(alpha * (resamples - 1));
        int hi = (int) Math.ceil((1 - alpha) * (resamples - 1));
        return new Interval(means[lo], means[hi], level);
    }
}
