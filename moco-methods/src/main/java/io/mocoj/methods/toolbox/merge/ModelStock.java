package io.mocoj.methods.toolbox.merge;

/**
 * {@code model_stock} (Jang et al. 2024): per tensor, with {@code cos θ} the mean pairwise cosine
 * of the N ≥ 2 task vectors, {@code t = N cos θ / (1 + (N − 1) cos θ)} and the result is
 * {@code t · mean(xᵢ) + (1 − t) · base}. Weights are not used.
 */
public record ModelStock() implements MergeMethod {
    @Override public String name() { return "model_stock"; }

    @Override public boolean needsBase() { return true; }

    @Override public int minModels() { return 2; }

    @Override
    public void merge(TensorJob job) {
        int m = job.models(), n = job.size();
        float[] base = job.base();
        double[][] dots = new double[m][m];
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < m; i++) {
                double di = job.delta(i, e);
                for (int j = i; j < m; j++) dots[i][j] += di * job.delta(j, e);
            }
        }
        double cos = 0;
        int pairs = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double d = Math.sqrt(dots[i][i] * dots[j][j]);
                cos += d == 0 ? 0 : dots[i][j] / d;
                pairs++;
            }
        }
        cos /= pairs;
        double denom = 1 + (m - 1) * cos;
        float t = (float) (denom == 0 ? 0 : m * cos / denom);
        float inv = 1f / m;
        float[] out = job.out();
        job.ranges().forEach(n, (c, from, to) -> {
            for (int e = from; e < to; e++) {
                float mean = 0;
                for (int i = 0; i < m; i++) mean += job.inputs()[i][e];
                out[e] = t * mean * inv + (1 - t) * base[e];
            }
        });
    }
}
