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

    /**
     * Percentile bootstrap interval of the mean at {@code level} (e.g. 0.95), deterministic for a seed.
     * When the scores take at most two distinct values (the usual 0/1 case) the bootstrap
     * distribution of the mean is known exactly: a resample's count of the higher value is
     * Binomial(n, p). The interval then comes from that distribution's quantiles, which is the
     * limit of infinitely many resamples, at a fraction of the cost; otherwise {@code resamples}
     * resamples are drawn.
     */
    public static Interval bootstrapMean(double[] xs, int resamples, double level, long seed) {
        int n = xs.length;
        if (n == 0) return new Interval(0, 0, level);
        double lowValue = xs[0], highValue = xs[0];
        int highCount = 0;
        boolean twoValued = true;
        for (double x : xs) {
            if (x == lowValue || x == highValue) continue;
            if (lowValue == highValue) {
                if (x < lowValue) lowValue = x; else highValue = x;
            } else {
                twoValued = false;
                break;
            }
        }
        if (twoValued) {
            if (lowValue == highValue) return new Interval(lowValue, lowValue, level);
            for (double x : xs) if (x == highValue) highCount++;
            double alpha = (1 - level) / 2;
            int kLow = binomialQuantile(n, (double) highCount / n, alpha);
            int kHigh = binomialQuantile(n, (double) highCount / n, 1 - alpha);
            return new Interval(lowValue + (highValue - lowValue) * kLow / n, lowValue + (highValue - lowValue) * kHigh / n, level);
        }
        return resampled(xs, resamples, level, seed);
    }

    /** The smallest k with P(Binomial(n, p) <= k) >= q. */
    static int binomialQuantile(int n, double p, double q) {
        if (p <= 0) return 0;
        if (p >= 1) return n;
        double logP = Math.log(p), logQ = Math.log1p(-p);
        double[] logPmf = new double[n + 1];
        double logBinom = 0; // log C(n, 0)
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= n; k++) {
            if (k > 0) logBinom += Math.log((double) (n - k + 1) / k);
            logPmf[k] = logBinom + k * logP + (n - k) * logQ;
            max = Math.max(max, logPmf[k]);
        }
        double total = 0;
        for (int k = 0; k <= n; k++) total += Math.exp(logPmf[k] - max);
        double cdf = 0;
        for (int k = 0; k <= n; k++) {
            cdf += Math.exp(logPmf[k] - max) / total;
            if (cdf >= q - 1e-12) return k;
        }
        return n;
    }

    /** The plain percentile bootstrap with {@code resamples} resamples. */
    static Interval resampled(double[] xs, int resamples, double level, long seed) {
        int n = xs.length;
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
