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
            new ReferenceTaskArithmetic(g).merge(new TensorJob("t", in, x[M], w, reference, 42, SEQUENTIAL));
            assertArrayEquals(reference, fused, g.name());
        }
    }
}
