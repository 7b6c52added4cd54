package io.mocoj.methods.toolbox.merge;

/**
 * {@code linear}: the weighted sum {@code Σ wᵢ xᵢ} (an average with weights 1/N; ExPO's
 * extrapolation with weights {@code 1 + α, −α}); with {@code normalize} divided by {@code Σ wᵢ}.
 */
public record Linear(boolean normalize) implements MergeMethod {
    @Override public String name() { return "linear"; }

    @Override public boolean needsBase() { return false; }

    @Override
    public void merge(TensorJob job) {
        double[] w = job.weights();
        double sum = 0;
        for (double x : w) sum += x;
        double scale = normalize ? (sum == 0 ? 0 : 1 / sum) : 1;
        float[][] in = job.inputs();
        float[] out = job.out();
        job.ranges().forEach(job.size(), (chunk, from, to) -> {
            // one pass per model keeps the inner loop a simple fused multiply-add over arrays
            float w0 = (float) (w[0] * scale);
            float[] x0 = in[0];
            for (int e = from; e < to; e++) out[e] = w0 * x0[e];
            for (int i = 1; i < in.length; i++) {
                float wi = (float) (w[i] * scale);
                float[] xi = in[i];
                for (int e = from; e < to; e++) out[e] += wi * xi[e];
            }
        });
    }
}
