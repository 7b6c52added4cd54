package io.mocoj.local.train.internal;

import io.mocoj.local.internal.tensor.ArrayMatrix;
import io.mocoj.local.internal.tensor.Parallel;
import java.util.Random;

/**
 * Speed of the training products ({@link Kernels}) on SmolLM2-135M's block shapes (576 → 576,
 * 576 → 1536, 1536 → 576) for a 256-token micro-batch: forward, input gradient and weight
 * gradient, in G multiply-adds per second, best of {@code rounds}. To compare two versions of the
 * kernels, run it alternately with each (e.g. an older {@code Kernels.class} first on the class
 * path), since a shared machine's speed drifts from minute to minute.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... io.mocoj.local.train.internal.TrainKernelBenchmark [threads] [rounds]
 * </pre>
 */
public final class TrainKernelBenchmark {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2, rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Parallel par = new Parallel(threads);
        int tokens = 256;
        int[][] shapes = {{576, 576}, {1536, 576}, {576, 1536}};
        Random r = new Random(1);
        double[] best = new double[3];
        for (int round = 0; round < rounds; round++) {
            double[] secs = new double[3];
            long fma = 0;
            for (int[] s : shapes) {
                int out = s[0], in = s[1];
                float[] w = rand(r, out * in), x = rand(r, tokens * in), dy = rand(r, tokens * out);
                float[] y = new float[tokens * out], dx = new float[tokens * in], dw = new float[out * in];
                ArrayMatrix m = new ArrayMatrix(w, out, in);
                long t0 = System.nanoTime();
                Kernels.forward(par, m, x, tokens, y);
                long t1 = System.nanoTime();
                Kernels.backwardInput(par, m, dy, tokens, dx);
                long t2 = System.nanoTime();
                Kernels.backwardWeight(par, dy, x, tokens, out, in, 1f, dw);
                long t3 = System.nanoTime();
                secs[0] += (t1 - t0) / 1e9;
                secs[1] += (t2 - t1) / 1e9;
                secs[2] += (t3 - t2) / 1e9;
                fma += (long) tokens * out * in;
            }
            for (int k = 0; k < 3; k++) best[k] = Math.max(best[k], fma / secs[k] / 1e9);
        }
        System.out.printf("threads %d: forward %.2f, input gradient %.2f, weight gradient %.2f G multiply-adds/s (best of %d)%n",
                threads, best[0], best[1], best[2], rounds);
    }

    private static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }
}
