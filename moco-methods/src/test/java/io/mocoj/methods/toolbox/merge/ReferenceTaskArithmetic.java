package io.mocoj.methods.toolbox.merge;

/**
 * The task-arithmetic kernel as it was before fusion (one task-vector array per model, a
 * quickselect threshold on a copy, then the combination), kept as the reference the fused kernel
 * must equal bit for bit ({@code FusedTaskArithmeticTest}) and as the "before" column of the merge
 * benchmark. Test support only.
 */
public record ReferenceTaskArithmetic(GeneralizedTaskArithmetic g) implements MergeMethod {
    @Override public String name() { return g.name() + " (reference kernel)"; }

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
        float lam = (float) g.lambda();
        job.ranges().forEach(n, (c, from, to) -> {
            for (int e = from; e < to; e++) {
                double sum = 0, weightSum = 0;
                if (g.signConsensus()) {
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
                if (g.normalize()) sum = weightSum == 0 ? 0 : sum / weightSum;
                out[e] = base[e] + lam * (float) sum;
            }
        });
    }

    private void sparsify(TensorJob job, int model, float[] d) {
        int n = d.length;
        switch (g.sparsify()) {
            case NONE -> { }
            case MAGNITUDE -> {
                if (g.density() >= 1) return;
                float threshold = Magnitudes.kthLargestAbs(d, Magnitudes.kept(n, g.density()));
                job.ranges().forEach(n, (c, from, to) -> {
                    for (int e = from; e < to; e++) if (Math.abs(d[e]) < threshold) d[e] = 0;
                });
            }
            case RANDOM -> {
                if (g.density() >= 1) return;
                float rescale = (float) (1 / g.density());
                job.ranges().forEach(n, (c, from, to) -> {
                    java.util.SplittableRandom r = job.random(model, c);
                    for (int e = from; e < to; e++) d[e] = r.nextDouble() < g.density() ? d[e] * rescale : 0;
                });
            }
            case BAND -> {
                int top = (int) Math.round(n * g.gamma());
                int keep = Math.min(n - top, Magnitudes.kept(n, g.density()));
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
