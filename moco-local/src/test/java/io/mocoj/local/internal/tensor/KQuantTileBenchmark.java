package io.mocoj.local.internal.tensor;

import io.mocoj.local.internal.tensor.simd.VectorKQuantDot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * The K-quant prefill kernel alone, one thread, CPU time: {@code rows} Q4_K (or Q6_K) rows times a
 * batch of tokens through {@link VectorKQuantDot#dotRowTiles} with 1, 2 and (Q4_K) 4 rows per tile,
 * interleaved in one JVM, every variant checked bit for bit against the first. Not a test (no
 * timing assertions anywhere); needs 16-lane vectors.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... io.mocoj.local.internal.tensor.KQuantTileBenchmark [cols=1536] [rows=512] [tokens=128] [rounds=6]
 * </pre>
 * Prints per variant the best and median of the rounds in GMAC per CPU-second.
 */
public final class KQuantTileBenchmark {
    public static void main(String[] args) {
        int cols = args.length > 0 ? Integer.parseInt(args[0]) : 1536;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        int blocks = cols / 256, width = 16, tiles = tokens / width;
        VectorKQuantDot k = new VectorKQuantDot();
        if (k.tokenTile() != width) throw new IllegalStateException("needs 16-lane vectors");
        Random r = new Random(3);
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] xq = new float[x.length], dy = new float[tokens * blocks];
        int[] bsum = new int[x.length / 16];
        Q8Activations.quantizeQ8K(x, x.length, xq, dy, bsum);
        KQuantDot.TokenTiles tt = KQuantDot.TokenTiles.of(width, tiles, cols, xq, dy, bsum);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (boolean q6 : new boolean[] {false, true}) {
            int bb = q6 ? 210 : 144, rowBytes = bb * blocks;
            byte[] w = new byte[rows * rowBytes];
            r.nextBytes(w);
            for (int b = 0; b < rows * blocks; b++) {
                int at = bb * b + (q6 ? 208 : 0);
                short h = Float.floatToFloat16(0.001f * (1 + r.nextInt(40)));
                w[at] = (byte) h;
                w[at + 1] = (byte) (h >> 8);
            }
            int[] variants = q6 ? new int[] {1, 2} : new int[] {1, 2, 4};
            double[][] rates = new double[variants.length][rounds];
            float[] ref = null;
            for (int round = -2; round < rounds; round++) { // two warm-up rounds
                for (int v = 0; v < variants.length; v++) {
                    float[] out = new float[tokens * rows];
                    long t0 = mx.getCurrentThreadCpuTime(), macs = 0;
                    do {
                        for (int r0 = 0; r0 < rows; r0 += 16) {
                            k.dotRowTiles(q6, variants[v], w, r0 * rowBytes, rowBytes, Math.min(16, rows - r0), blocks, tt, out, r0, rows);
                        }
                        macs += (long) rows * cols * tiles * width;
                    } while (mx.getCurrentThreadCpuTime() - t0 < 300_000_000L);
                    double s = (mx.getCurrentThreadCpuTime() - t0) / 1e9;
                    if (round >= 0) rates[v][round] = macs / s / 1e9;
                    if (ref == null) ref = out;
                    else if (!java.util.Arrays.equals(ref, out)) throw new AssertionError((q6 ? "Q6_K" : "Q4_K") + " rows per tile " + variants[v] + ": bits differ");
                }
            }
            for (int v = 0; v < variants.length; v++) {
                double[] s = rates[v].clone();
                java.util.Arrays.sort(s);
                System.out.printf("RESULT %s cols=%d rows=%d tokens=%d rowsPerTile=%d best=%.2f median=%.2f GMAC/cpu-s%n",
                        q6 ? "Q6_K" : "Q4_K", cols, rows, tokens, variants[v], s[rounds - 1], s[rounds / 2]);
            }
        }
    }
}
