package io.mocoj.methods.toolbox.merge;

/**
 * Task arithmetic and its sparsified variants (mergekit's "generalized task arithmetic"): per
 * tensor, task vectors {@code τᵢ = xᵢ − base} are sparsified, weighted and combined, and
 * {@code base + λ·combined} is the result.
 *
 * <ul>
 *   <li>sparsification: none; {@code MAGNITUDE} keeps each τᵢ's {@code density} share of largest
 *       magnitudes (TIES's trim); {@code RANDOM} keeps each value with probability {@code density}
 *       and divides survivors by it, so the expected value is unchanged (DARE); {@code BAND} drops
 *       the {@code gamma} share of largest magnitudes and keeps the next {@code density} share
 *       (model breadcrumbs).</li>
 *   <li>combination: {@code Σ wᵢ τᵢ}; or with sign consensus (TIES): the sign of {@code Σ wᵢ τᵢ}
 *       is elected per element (≥ 0 counts as +), and only values of that sign are summed
 *       ("disjoint merge"). {@code normalize} divides by the sum of the weights that took part.</li>
 * </ul>
 */
public record GeneralizedTaskArithmetic(String name, Sparsify sparsify, boolean signConsensus, boolean normalize,
                                        double density, double gamma, double lambda) implements MergeMethod {

    /** How task vectors are thinned before they are combined. */
    public enum Sparsify { NONE, MAGNITUDE, RANDOM, BAND }

    public GeneralizedTaskArithmetic {
        if (!(density > 0 && density <= 1)) throw new IllegalArgumentException(name + ": density must be in (0, 1], was " + density);
        if (!(gamma >= 0 && gamma < 1)) throw new IllegalArgumentException(name + ": gamma must be in [0, 1), was " + gamma);
        if (!Double.isFinite(lambda)) throw new IllegalArgumentException(name + ": lambda must be finite, was " + lambda);
    }

    @Override public boolean needsBase() { return true; }

    @Override
    public void merge(TensorJob job) {
        int n = job.size(), m = job.models();
        float[] base = job.base();
        float[][] tau = new float[m][];
        for (int i = 0; i < m; i++) {
            float[] x = job.inputs()[i];
            float[] d = new float[n];
            job.ranges().forEach(n, (c, from, to) -> {
                for (int e = from; e < to; e++) d[e] = x[e] - base[e];
            });
            sparsify(job, i, d);
            tau[i] = d;
        }
        double[] w = job.weights();
        float[] out = job.out();
        float lam = (float) lambda;
        job.ranges().forEach(n, (c, from, to) -> {
            for (int e = from; e < to; e++) {
                double sum = 0, weightSum = 0;
                if (signConsensus) {
                    double elected = 0;
                    for (int i = 0; i < m; i++) elected += w[i] * tau[i][e];
                    boolean positive = elected >= 0;
                    for (int i = 0; i < m; i++) {
                        float t = tau[i][e];
                        if (t != 0 && (t > 0) == positive) {
                            sum += w[i] * t;
                            weightSum += w[i];
                        }
                    }
                } else {
                    for (int i = 0; i < m; i++) {
                        sum += w[i] * tau[i][e];
                        if (tau[i][e] != 0) weightSum += w[i];
                    }
                }
                if (normalize) sum = weightSum == 0 ? 0 : sum / weightSum;
                out[e] = base[e] + lam * (float) sum;
            }
        });
    }

    private void sparsify(TensorJob job, int model, float[] d) {
        int n = d.length;
        switch (sparsify) {
            case NONE -> { }
            case MAGNITUDE -> {
                if (density >= 1) return;
                float threshold = Magnitudes.kthLargestAbs(d, Magnitudes.kept(n, density));
                job.ranges().forEach(n, (c, from, to) -> {
                    for (int e = from; e < to; e++) if (Math.abs(d[e]) < threshold) d[e] = 0;
                });
            }
            case RANDOM -> {
                if (density >= 1) return;
                float rescale = (float) (1 / density);
                job.ranges().forEach(n, (c, from, to) -> {
                    java.util.SplittableRandom r = job.random(model, c);
                    for (int e = from; e < to; e++) d[e] = r.nextDouble() < density ? d[e] * rescale : 0;
                });
            }
            case BAND -> {
                int top = (int) Math.round(n * gamma);
                int keep = Math.min(n - top, Magnitudes.kept(n, density));
                float hi = top == 0 ? Float.POSITIVE_INFINITY : Magnitudes.kthLargestAbs(d, top);
                float lo = keep == 0 ? Float.POSITIVE_INFINITY : Magnitudes.kthLargestAbs(d, top + keep);
                job.ranges().forEach(n, (c, from, to) -> {
                    for (int e = from; e < to; e++) {
                        float a = Math.abs(d[e]);
                        if (a >= hi || a < lo) d[e] = 0;
                    }
                });
            }
        }
    }
}
