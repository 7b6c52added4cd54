package io.mocoj.methods.toolbox.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mocoj.methods.toolbox.merge.GeneralizedTaskArithmetic.Sparsify;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused single-pass task-arithmetic kernel against the straightforward formulation it
 * replaced (one task-vector array per model, quickselect threshold on a copy, then the
 * combination): bit-for-bit equal outputs for TIES, DARE(-TIES), breadcrumbs and plain task
 * arithmetic, over several pieces, with ties, zeros and signed zeros in the task vectors.
 */
class FusedTaskArithmeticTest {
    static final int N = 3 * TensorJob.CHUNK + 17, M = 3;
    static final TensorJob.Ranges SEQUENTIAL = (n, body) -> {
        for (int c = 0, from = 0; from < n; c++, from += TensorJob.CHUNK) body.run(c, from, Math.min(n, from + TensorJob.CHUNK));
    };

    static float[][] inputs(Random r) {
        float[][] x = new float[M + 1][N];
        for (int e = 0; e < N; e++) x[M][e] = (float) r.nextGaussian();
        for (int i = 0; i < M; i++) {
            for (int e = 0; e < N; e++) {
                int kind = r.nextInt(10);
                x[i][e] = kind == 0 ? x[M][e] // zero task value
                        : kind == 1 ? x[M][e] + 0.25f // many equal magnitudes
                        : x[M][e] + (float) (r.nextGaussian() * 0.1);
            }
        }
        return x;
    }

    @Test
    void radixSelectEqualsQuickselectOnTheDifferences() {
        Random r = new Random(7);
        float[][] x = inputs(r);
        float[] d = new float[N];
        for (int e = 0; e < N; e++) d[e] = x[0][e] - x[M][e];
        for (int k : List.of(1, 2, 17, N / 10, N / 2, N - 1, N)) {
            assertEquals(Magnitudes.kthLargestAbs(d, k), Magnitudes.kthLargestAbsDiff(x[0], x[M], k, SEQUENTIAL), "k=" + k);
        }
    }

    @Test
    void fusedKernelIsBitForBitTheReference() {
        Random r = new Random(11);
        float[][] x = inputs(r);
        float[][] in = {x[0], x[1], x[2]};
        double[] w = {0.5, 0.3, 0.2};
        List<GeneralizedTaskArithmetic> methods = List.of(
                new GeneralizedTaskArithmetic("ties", Sparsify.MAGNITUDE, true, true, 0.2, 0, 1),
                new GeneralizedTaskArithmetic("dare_ties", Sparsify.RANDOM, true, false, 0.5, 0, 0.9),
                new GeneralizedTaskArithmetic("dare_linear", Sparsify.RANDOM, false, false, 0.3, 0, 1),
                new GeneralizedTaskArithmetic("breadcrumbs_ties", Sparsify.BAND, true, true, 0.9, 0.01, 1),
                new GeneralizedTaskArithmetic("task_arithmetic", Sparsify.NONE, false, false, 1, 0, 0.7));
        for (GeneralizedTaskArithmetic g : methods) {
            float[] fused = new float[N], reference = new float[N];
            g.merge(new TensorJob("t", in, x[M], w, fused, 42, SEQUENTIAL));
            reference(g, new TensorJob("t", in, x[M], w, reference, 42, SEQUENTIAL));
            assertArrayEquals(reference, fused, g.name());
        }
    }

    /** The formulation before fusion, kept here as the reference. */
    static void reference(GeneralizedTaskArithmetic g, TensorJob job) {
        int n = job.size(), m = job.models();
        float[] base = job.base();
        float[][] tau = new float[m][];
        for (int i = 0; i < m; i++) {
            float[] d = new float[n];
            for (int e = 0; e < n; e++) d[e] = job.inputs()[i][e] - base[e];
            switch (g.sparsify()) {
                case NONE -> { }
                case MAGNITUDE -> {
                    float threshold = Magnitudes.kthLargestAbs(d, Magnitudes.kept(n, g.density()));
                    for (int e = 0; e < n; e++) if (Math.abs(d[e]) < threshold) d[e] = 0;
                }
                case RANDOM -> {
                    float rescale = (float) (1 / g.density());
                    int model = i;
                    job.ranges().forEach(n, (c, from, to) -> {
                        java.util.SplittableRandom rr = job.random(model, c);
                        for (int e = from; e < to; e++) d[e] = rr.nextDouble() < g.density() ? d[e] * rescale : 0;
                    });
                }
                case BAND -> {
                    int top = (int) Math.round(n * g.gamma());
                    int keep = Math.min(n - top, Magnitudes.kept(n, g.density()));
                    float hi = top == 0 ? Float.POSITIVE_INFINITY : Magnitudes.kthLargestAbs(d, top);
                    float lo = keep == 0 ? Float.POSITIVE_INFINITY : Magnitudes.kthLargestAbs(d, top + keep);
                    for (int e = 0; e < n; e++) {
                        float a = Math.abs(d[e]);
                        if (a >= hi || a < lo) d[e] = 0;
                    }
                }
            }
            tau[i] = d;
        }
        double[] w = job.weights();
        for (int e = 0; e < n; e++) {
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
            job.out()[e] = base[e] + (float) g.lambda() * (float) sum;
        }
    }
}
