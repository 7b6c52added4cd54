package io.mocoj.eval;

import io.mocoj.task.Example;
import io.mocoj.task.Score;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Aggregates scores: means with percentile-bootstrap confidence intervals, per-group breakdowns
 * and paired comparisons of two runs. Deterministic for a given seed. Failed scores
 * ({@link Score#failed()}) are left out of every mean and counted separately.
 *
 * <pre>{@code
 * ScoreSummary s = Aggregation.defaults().summarize(examples, scores);
 * PairedComparison c = Aggregation.defaults().compare(scoresA, scoresB);
 * }</pre>
 */
public final class Aggregation {
    private final int resamples;
    private final double level;
    private final long seed;

    /**
     * @param resamples bootstrap resamples (at least 100; default 2000)
     * @param level     confidence level in (0, 1) (default 0.95)
     * @param seed      random seed (default 42)
     */
    public Aggregation(int resamples, double level, long seed) {
        if (resamples < 100) throw new IllegalArgumentException("resamples must be at least 100, was " + resamples);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), was " + level);
        this.resamples = resamples;
        this.level = level;
        this.seed = seed;
    }

    /** 2000 resamples, 95 %, seed 42. */
    public static Aggregation defaults() { return new Aggregation(2000, 0.95, 42); }

    /** Mean and interval of the scores that did not fail. */
    public MeanWithInterval mean(List<Score> scores) {
        double[] values = scores.stream().filter(s -> !s.failed()).mapToDouble(Score::value).toArray();
        int failed = scores.size() - values.length;
        if (values.length == 0) return new MeanWithInterval(0, failed, Double.NaN, Double.NaN, Double.NaN, level);
        double mean = mean(values);
        double[] boot = bootstrapMeans(values, new SplittableRandom(seed));
        return new MeanWithInterval(values.length, failed, mean, quantile(boot, (1 - level) / 2), quantile(boot, 1 - (1 - level) / 2), level);
    }

    /** Overall and per-group means; {@code examples.get(i)} was scored {@code scores.get(i)}. */
    public ScoreSummary summarize(List<Example> examples, List<Score> scores) {
        requireSameSize(examples.size(), scores.size(), "examples", "scores");
        Map<String, List<Score>> groups = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            String g = examples.get(i).group().orElse(ScoreSummary.NO_GROUP);
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(scores.get(i));
        }
        Map<String, MeanWithInterval> byGroup = new HashMap<>();
        groups.forEach((g, s) -> byGroup.put(g, mean(s)));
        return new ScoreSummary(mean(scores), byGroup);
    }

    /** Compares run A with run B on the same examples, pair by pair. */
    public PairedComparison compare(List<Score> a, List<Score> b) {
        requireSameSize(a.size(), b.size(), "run A scores", "run B scores");
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).failed() && !b.get(i).failed()) pairs.add(new double[] {a.get(i).value(), b.get(i).value()});
        }
        int n = pairs.size();
        if (n == 0) throw new IllegalArgumentException("no pair of scores to compare (all failed or none given)");
        int wins = 0, ties = 0, losses = 0, onlyA = 0, onlyB = 0;
        boolean binary = true;
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            double x = pairs.get(i)[0], y = pairs.get(i)[1];
            diff[i] = x - y;
            if (x > y) wins++; else if (x < y) losses++; else ties++;
            binary &= (x == 0 || x == 1) && (y == 0 || y == 1);
            if (x == 1 && y == 0) onlyA++;
            if (x == 0 && y == 1) onlyB++;
        }
        double observed = mean(diff);
        double[] boot = bootstrapMeans(diff, new SplittableRandom(seed));
        // Two-sided p-value under the null "mean difference 0": resample the centred differences.
        double[] centred = Arrays.stream(diff).map(d -> d - observed).toArray();
        double[] nullBoot = bootstrapMeans(centred, new SplittableRandom(seed + 1));
        int extreme = 0;
        for (double m : nullBoot) if (Math.abs(m) >= Math.abs(observed) - 1e-12) extreme++;
        double p = (extreme + 1.0) / (resamples + 1.0);
        OptionalDouble mcNemar = binary ? OptionalDouble.of(exactMcNemar(onlyA, onlyB)) : OptionalDouble.empty();
        return new PairedComparison(n, wins, ties, losses, observed, quantile(boot, (1 - level) / 2),
                quantile(boot, 1 - (1 - level) / 2), Math.min(1.0, p), mcNemar);
    }

    /**
     * Exact McNemar test: with {@code b} pairs right only in A and {@code c} right only in B, the
     * two-sided binomial test of b successes in b + c trials with probability 1/2 (1 when b + c = 0).
     */
    public static double exactMcNemar(int b, int c) {
        if (b < 0 || c < 0) throw new IllegalArgumentException("counts must be >= 0: " + b + ", " + c);
        if (b + c == 0) return 1.0;
        return BinomialTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED).test(b + c, b, 0.5).getPValue();
    }

    private double[] bootstrapMeans(double[] values, SplittableRandom rng) {
        int n = values.length;
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += values[rng.nextInt(n)];
            means[r] = sum / n;
        }
        Arrays.sort(means);
        return means;
    }

    /** Linear-interpolation quantile (type 7) of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static void requireSameSize(int a, int b, String what, String other) {
        if (a != b) throw new IllegalArgumentException(what + " and " + other + " differ in size: " + a + " vs " + b);
    }

    @Override public String toString() {
        return "Aggregation[resamples=" + resamples + ", level=" + level + ", seed=" + seed + "]";
    }

    @Override public boolean equals(Object o) {
        return o instanceof Aggregation a && a.resamples == resamples && a.level == level && a.seed == seed;
    }

    @Override public int hashCode() { return Objects.hash(resamples, level, seed); }
}
