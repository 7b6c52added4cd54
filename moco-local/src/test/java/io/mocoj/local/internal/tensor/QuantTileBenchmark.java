package io.mocoj.local.internal.tensor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * The quantised product kernels alone, one thread, CPU time: a tile of 16 Q8_0 (or Q4_0) rows times
 * a batch of activation rows, the token-by-token loop against the float-lane tile, interleaved,
 * and the two checked bit for bit. Not a test (no timing assertions anywhere).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... io.mocoj.local.internal.tensor.QuantTileBenchmark [cols=576] [tokens=128] [seconds=2]
 * </pre>
 */
public final class QuantTileBenchmark {
    public static void main(String[] args) {
        int cols = args.length > 0 ? Integer.parseInt(args[0]) : 576;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 2;
        int rows = 16, blocks = cols / 32;
        FloatDot k = VectorMath.DOT;
        Random r = new Random(3);
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        byte[] qx = new byte[x.length];
        float[] xf = new float[x.length], dx = new float[tokens * blocks];
        Q8Activations.quantizeQ8_0(x, x.length, qx, xf, dx);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (boolean q4 : new boolean[] {false, true}) {
            int rowBytes = (q4 ? 18 : 34) * blocks;
            byte[] w = new byte[rows * rowBytes];
            r.nextBytes(w);
            for (int b = 0; b < rows * blocks; b++) {
                short h = Float.floatToFloat16(0.001f * (1 + r.nextInt(40)));
                w[(q4 ? 18 : 34) * b] = (byte) h;
                w[(q4 ? 18 : 34) * b + 1] = (byte) (h >> 8);
            }
            float[] a = new float[tokens * rows], b = new float[tokens * rows];
            double[] best = new double[2];
            for (int round = 0; round < 4; round++) {
                for (int v = 0; v < 2; v++) {
                    float[] o = v == 0 ? a : b;
                    long start = mx.getCurrentThreadCpuTime(), n = 0;
                    do {
                        if (v == 0) k.dotQuantTile(q4, w, rowBytes, rows, blocks, qx, dx, tokens, o, 0, rows);
                        else k.dotQuantTile(q4, w, rowBytes, rows, blocks, qx, xf, dx, tokens, o, 0, rows);
                        n++;
                    } while (mx.getCurrentThreadCpuTime() - start < seconds * 1e9 / 4);
                    double gmacs = (double) n * rows * tokens * cols / ((mx.getCurrentThreadCpuTime() - start) / 1e9) / 1e9;
                    if (round > 0) best[v] = Math.max(best[v], gmacs);
                }
            }
            if (!java.util.Arrays.equals(a, b)) throw new AssertionError("tile and loop differ for " + (q4 ? "Q4_0" : "Q8_0"));
            System.out.printf("%s cols=%d tokens=%d: loop %.2f GMAC/cpu-s, tile %.2f GMAC/cpu-s (%.2fx), bit-identical%n",
                    q4 ? "Q4_0" : "Q8_0", cols, tokens, best[0], best[1], best[1] / best[0]);
        }
    }
}
