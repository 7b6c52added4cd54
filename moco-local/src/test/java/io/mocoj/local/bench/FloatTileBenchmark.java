package io.mocoj.local.bench;

import io.mocoj.local.internal.tensor.FloatDot;
import io.mocoj.local.internal.tensor.VectorMath;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * The float prefill kernel alone ({@link FloatDot#dotTile} in the pattern of {@code
 * Parallel.matmul}: four rows at a time against the whole batch), on one thread, in multiply-adds
 * per CPU-nanosecond of that thread. Separates kernel changes from the rest of the forward pass.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... io.mocoj.local.bench.FloatTileBenchmark [rows=1536] [cols=576] [tokens=128] [reps=20]
 * </pre>
 */
public final class FloatTileBenchmark {
    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1536;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 576;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Random r = new Random(1);
        float[] w = new float[rows * cols], x = new float[tokens * cols], out = new float[tokens * rows];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] tile = new float[4 * cols];
        FloatDot k = VectorMath.DOT;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double best = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int rep = 0; rep < reps; rep++) {
                for (int r0 = 0; r0 < rows; r0 += 4) {
                    System.arraycopy(w, r0 * cols, tile, 0, 4 * cols);
                    k.dotTile(tile, cols, 4, x, cols, tokens, out, r0, rows);
                }
            }
            double ns = mx.getCurrentThreadCpuTime() - t0;
            double macsPerNs = (double) rows * cols * tokens * reps / ns;
            best = Math.max(best, macsPerNs);
            System.out.printf("round %d: %.2f multiply-adds per CPU-ns (check %.4f)%n", round, macsPerNs, out[rows + 3]);
        }
        System.out.printf("RESULT tile rows=%d cols=%d tokens=%d simd=%s best=%.2f multiply-adds per CPU-ns%n",
                rows, cols, tokens, VectorMath.simd(), best);
    }
}
