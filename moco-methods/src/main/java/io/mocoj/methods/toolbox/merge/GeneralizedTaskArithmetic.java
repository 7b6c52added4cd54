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

    /**
     * One fused pass per piece, no task-vector arrays: each τᵢ value is recomputed from the inputs
     * ({@code xᵢ − base}, in float as always), thinned (magnitude thresholds come from
     * {@link Magnitudes#kthLargestAbsDiff}, an exact radix select over the same differences; DARE
     * draws from model i's stream of the piece, one draw per element in element order), and the
     * combination sums in double in model order, so results are bit for bit those of the
     * straightforward per-model arrays (for finite values). The per-element choices (threshold,
     * DARE draw, sign) are computed as bit masks rather than branches: they are unpredictable, and
     * mispredicted branches were most of the kernel's time.
     */
    @Override
    public void merge(TensorJob job) {
        int n = job.size(), m = job.models();
        float[] base = job.base();
        float[][] x = job.inputs();
        float[] hi = new float[m], lo = new float[m]; // per model: zero |τ| >= hi or |τ| < lo
        for (int i = 0; i < m; i++) thresholds(job, i, hi, lo);
        // the band as bits of |τ| (for non-negative floats, bit order is value order): keep loBits <= bits < hiBits
        int[] loBits = new int[m];
        long[] hiBits = new long[m];
        for (int i = 0; i < m; i++) {
            loBits[i] = lo[i] == Float.NEGATIVE_INFINITY ? 0 : Float.floatToRawIntBits(lo[i]);
            hiBits[i] = Float.isNaN(hi[i]) ? 1L << 31 : Float.floatToRawIntBits(hi[i]);
        }
        boolean random = sparsify == Sparsify.RANDOM && density < 1;
        // DARE keeps a value when nextDouble() = (nextLong() >>> 11) · 2^-53 < density, i.e. when (nextLong() >>> 11) < keepBelow
        long keepBelow = (long) Math.ceil(density * 0x1.0p53);
        double[] w = job.weights();
        float[] out = job.out();
        float lam = (float) lambda;
        float rescale = (float) (1 / density);
        job.ranges().forEach(n, (c, from, to) -> {
            java.util.SplittableRandom[] r = new java.util.SplittableRandom[m];
            if (random) for (int i = 0; i < m; i++) r[i] = job.random(i, c);
            float[] t = new float[m];
            for (int e = from; e < to; e++) {
                float b = base[e];
                // thinned task values, without data-dependent branches (dropped values become exactly +0)
                for (int i = 0; i < m; i++) {
                    float d = x[i][e] - b;
                    int keep;
                    if (random) {
                        keep = (int) (((r[i].nextLong() >>> 11) - keepBelow) >>> 63);
                        d *= rescale;
                    } else {
                        int a = Float.floatToRawIntBits(d) & 0x7FFFFFFF;
                        keep = (int) ((((a - loBits[i]) >>> 31) ^ 1) & ((hiBits[i] - 1 - a) >>> 63 ^ 1));
                    }
                    t[i] = Float.intBitsToFloat(Float.floatToRawIntBits(d) & -keep);
                }
                double sum = 0, weightSum = 0;
                if (signConsensus) { // elect the sign of Σ wᵢτᵢ (≥ 0 counts as +), sum the values of that sign
                    double elected = 0;
                    for (int i = 0; i < m; i++) elected += w[i] * t[i];
                    int negative = (int) (Double.doubleToRawLongBits(elected) >>> 63);
                    for (int i = 0; i < m; i++) {
                        int bits = Float.floatToRawIntBits(t[i]);
                        int nonzero = ((bits & 0x7FFFFFFF) + 0x7FFFFFFF) >>> 31;
                        double take = nonzero & (1 ^ ((bits >>> 31) ^ negative));
                        sum += (w[i] * take) * t[i];
                        weightSum += w[i] * take;
                    }
                } else {
                    for (int i = 0; i < m; i++) {
                        sum += w[i] * t[i];
                        weightSum += w[i] * (((Float.floatToRawIntBits(t[i]) & 0x7FFFFFFF) + 0x7FFFFFFF) >>> 31);
                    }
                }
                if (normalize) { // sum / weightSum, or exactly 0 when no weight took part (branch-free: it is often so after trimming)
                    long magnitude = Double.doubleToRawLongBits(weightSum) & Long.MAX_VALUE;
                    long z = ((magnitude | -magnitude) >>> 63) ^ 1; // 1 when weightSum is ±0
                    sum = Double.longBitsToDouble(Double.doubleToRawLongBits(sum / (weightSum + z)) & (z - 1));
                }
                out[e] = b + lam * (float) sum;
            }
        });
    }

    /** Model {@code i}'s magnitude band: values with |τ| ≥ hi[i] or |τ| < lo[i] are dropped (none for NONE and RANDOM). */
    private void thresholds(TensorJob job, int i, float[] hi, float[] lo) {
        int n = job.size();
        float[] x = job.inputs()[i], base = job.base();
        hi[i] = Float.NaN; // no upper cut: |τ| >= NaN is never true (infinite values are kept, as without a band)
        lo[i] = Float.NEGATIVE_INFINITY;
        switch (sparsify) {
            case NONE, RANDOM -> { }
            case MAGNITUDE -> {
                if (density < 1) lo[i] = Magnitudes.kthLargestAbsDiff(x, base, Magnitudes.kept(n, density), job.ranges());
            }
            case BAND -> {
                int top = (int) Math.round(n * gamma);
                int keep = Math.min(n - top, Magnitudes.kept(n, density));
                if (top > 0) hi[i] = Magnitudes.kthLargestAbsDiff(x, base, top, job.ranges());
                lo[i] = keep == 0 ? Float.POSITIVE_INFINITY : Magnitudes.kthLargestAbsDiff(x, base, top + keep, job.ranges());
            }
        }
    }
}
