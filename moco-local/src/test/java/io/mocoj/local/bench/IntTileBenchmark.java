package io.mocoj.local.bench;

import io.mocoj.local.internal.tensor.FloatDot;
import io.mocoj.local.internal.tensor.VectorMath;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Experiment (issue #16): integer Q8_0 / Q4_0 products through C2's SuperWord auto-vectoriser,
 * whose MulAddS2I shape {@code p[i] = a[2i]·b[2i] + a[2i+1]·b[2i+1]} on short arrays compiles to
 * {@code vpmaddwd} (with a following add, {@code vpdpwssd} on AVX512_VNNI), against the float-code
 * tile in use ({@link FloatDot#dotQuantTile}). A tile of 16 weight rows times {@code tokens} random
 * Q8_0 activation rows, one thread, CPU time, best of 3 after a warm-up round; every variant is
 * checked bit for bit against the tile (weights widened to shorts with positions k and k + 16 of a
 * block adjacent, so each int lane is the tile's exact lane sum, then the same per-block float
 * steps and fold). Variants: S1 one (row, token) per loop; S2 one row × four tokens per loop (the
 * weight loads shared); S3 two rows × four tokens; and the bare multiply-add loop, over one row
 * and over 16 tokens' length. Not a test.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector [-XX:-UseSuperWord] -cp ... io.mocoj.local.bench.IntTileBenchmark COLS TOKENS SECONDS
 * </pre>
 */
public final class IntTileBenchmark {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_512;

    public static void main(String[] args) {
        int cols = Integer.parseInt(args[0]);
        int tokens = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int rows = 16, blocks = cols / 32;
        FloatDot k = VectorMath.DOT;
        Random r = new Random(3);
        byte[] qx = new byte[tokens * cols];
        float[] xf = new float[tokens * cols], dx = new float[tokens * blocks];
        for (int i = 0; i < qx.length; i++) { qx[i] = (byte) (r.nextInt(255) - 127); xf[i] = qx[i]; }
        for (int i = 0; i < dx.length; i++) dx[i] = Float.float16ToFloat(Float.floatToFloat16(0.01f * (1 + r.nextInt(50))));
        // activations as shorts, positions k and k+16 of each block adjacent
        short[] xs = new short[tokens * cols];
        for (int t = 0; t < tokens; t++) for (int b = 0; b < blocks; b++) for (int j = 0; j < 16; j++) {
            xs[t * cols + 32 * b + 2 * j] = qx[t * cols + 32 * b + j];
            xs[t * cols + 32 * b + 2 * j + 1] = qx[t * cols + 32 * b + 16 + j];
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (boolean q4 : new boolean[] {false, true}) {
            int bb = q4 ? 18 : 34, rowBytes = bb * blocks;
            byte[] w = new byte[rows * rowBytes];
            r.nextBytes(w);
            for (int b = 0; b < rows * blocks; b++) {
                short h = Float.floatToFloat16(0.001f * (1 + r.nextInt(40)));
                w[bb * b] = (byte) h;
                w[bb * b + 1] = (byte) (h >> 8);
            }
            String[] names = {"float tile", "S1 1x1", "S2 1x4", "S3 2x4"};
            float[][] outs = new float[names.length][tokens * rows];
            double[] best = new double[names.length];
            short[] ws = new short[rows * cols];
            float[] dw = new float[rows * blocks];
            int[] p = new int[8 * cols / 2];
            for (int round = 0; round < 4; round++) {
                for (int v = 0; v < names.length; v++) {
                    float[] o = outs[v];
                    long start = mx.getCurrentThreadCpuTime(), n = 0;
                    do {
                        if (v == 0) k.dotQuantTile(q4, w, rowBytes, rows, blocks, qx, xf, dx, tokens, o, 0, rows);
                        else {
                            widen(q4, w, rowBytes, rows, blocks, ws, dw);
                            if (v == 1) s1(ws, dw, rows, cols, xs, dx, tokens, p, o);
                            else if (v == 2) s2(ws, dw, rows, cols, xs, dx, tokens, p, o);
                            else s3(ws, dw, rows, cols, xs, dx, tokens, p, o);
                        }
                        n++;
                    } while (mx.getCurrentThreadCpuTime() - start < seconds * 1e9 / 4);
                    double gmacs = (double) n * rows * tokens * cols / ((mx.getCurrentThreadCpuTime() - start) / 1e9) / 1e9;
                    if (round > 0) best[v] = Math.max(best[v], gmacs);
                }
            }
            StringBuilder sb = new StringBuilder(String.format("%s cols=%d tokens=%d:", q4 ? "Q4_0" : "Q8_0", cols, tokens));
            for (int v = 0; v < names.length; v++) {
                sb.append(String.format(" %s %.2f GMAC/cpu-s%s;", names[v], best[v],
                        java.util.Arrays.equals(outs[0], outs[v]) ? "" : " (DIFFERENT BITS)"));
            }
            System.out.println(sb);
            if (!q4) {
                double bm = 0;
                for (int round = 0; round < 4; round++) {
                    long start = mx.getCurrentThreadCpuTime(), n = 0;
                    do {
                        for (int t = 0; t < tokens; t++) madd(ws, 0, xs, t * cols, p, 0, cols / 2);
                        n++;
                    } while (mx.getCurrentThreadCpuTime() - start < seconds * 1e9 / 4);
                    if (round > 0) bm = Math.max(bm, (double) n * tokens * cols / ((mx.getCurrentThreadCpuTime() - start) / 1e9) / 1e9);
                }
                System.out.printf("madd loop alone: %.2f GMAC/cpu-s%n", bm);
                short[] wl = new short[16 * cols];
                for (int j = 0; j < 16; j++) System.arraycopy(ws, 0, wl, j * cols, cols);
                int[] pl = new int[8 * cols];
                bm = 0;
                for (int round = 0; round < 4; round++) {
                    long start = mx.getCurrentThreadCpuTime(), n = 0;
                    do {
                        for (int t = 0; t + 15 < tokens; t += 16) madd(wl, 0, xs, t * cols, pl, 0, 8 * cols);
                        n++;
                    } while (mx.getCurrentThreadCpuTime() - start < seconds * 1e9 / 4);
                    if (round > 0) bm = Math.max(bm, (double) n * tokens * cols / ((mx.getCurrentThreadCpuTime() - start) / 1e9) / 1e9);
                }
                System.out.printf("madd loop 16 tokens long: %.2f GMAC/cpu-s%n", bm);
            }
        }
    }

    static void widen(boolean q4, byte[] w, int rowBytes, int rows, int blocks, short[] ws, float[] dw) {
        int cols = 32 * blocks;
        for (int r = 0; r < rows; r++) for (int b = 0; b < blocks; b++) {
            int q = r * rowBytes + (q4 ? 18 : 34) * b, o = r * cols + 32 * b;
            dw[r * blocks + b] = Float.float16ToFloat((short) ((w[q] & 0xFF) | (w[q + 1] << 8)));
            for (int j = 0; j < 16; j++) {
                if (q4) {
                    int v = w[q + 2 + j] & 0xFF;
                    ws[o + 2 * j] = (short) ((v & 0xF) - 8);
                    ws[o + 2 * j + 1] = (short) ((v >>> 4) - 8);
                } else {
                    ws[o + 2 * j] = w[q + 2 + j];
                    ws[o + 2 * j + 1] = w[q + 18 + j];
                }
            }
        }
    }

    static void madd(short[] w, int wo, short[] x, int xo, int[] p, int po, int half) {
        for (int i = 0; i < half; i++) p[po + i] = w[wo + 2 * i] * x[xo + 2 * i] + w[wo + 2 * i + 1] * x[xo + 2 * i + 1];
    }

    static void madd4(short[] w, int wo, short[] x, int x0, int x1, int x2, int x3, int[] p0, int[] p1, int[] p2, int[] p3, int half) {
        for (int i = 0; i < half; i++) {
            p0[i] = w[wo + 2 * i] * x[x0 + 2 * i] + w[wo + 2 * i + 1] * x[x0 + 2 * i + 1];
            p1[i] = w[wo + 2 * i] * x[x1 + 2 * i] + w[wo + 2 * i + 1] * x[x1 + 2 * i + 1];
            p2[i] = w[wo + 2 * i] * x[x2 + 2 * i] + w[wo + 2 * i + 1] * x[x2 + 2 * i + 1];
            p3[i] = w[wo + 2 * i] * x[x3 + 2 * i] + w[wo + 2 * i + 1] * x[x3 + 2 * i + 1];
        }
    }

    static void madd8(short[] w, int w0, int w1, short[] x, int x0, int x1, int x2, int x3, int[] p, int half) {
        for (int i = 0; i < half; i++) {
            p[i] = w[w0 + 2 * i] * x[x0 + 2 * i] + w[w0 + 2 * i + 1] * x[x0 + 2 * i + 1];
            p[half + i] = w[w0 + 2 * i] * x[x1 + 2 * i] + w[w0 + 2 * i + 1] * x[x1 + 2 * i + 1];
            p[2 * half + i] = w[w0 + 2 * i] * x[x2 + 2 * i] + w[w0 + 2 * i + 1] * x[x2 + 2 * i + 1];
            p[3 * half + i] = w[w0 + 2 * i] * x[x3 + 2 * i] + w[w0 + 2 * i + 1] * x[x3 + 2 * i + 1];
            p[4 * half + i] = w[w1 + 2 * i] * x[x0 + 2 * i] + w[w1 + 2 * i + 1] * x[x0 + 2 * i + 1];
            p[5 * half + i] = w[w1 + 2 * i] * x[x1 + 2 * i] + w[w1 + 2 * i + 1] * x[x1 + 2 * i + 1];
            p[6 * half + i] = w[w1 + 2 * i] * x[x2 + 2 * i] + w[w1 + 2 * i + 1] * x[x2 + 2 * i + 1];
            p[7 * half + i] = w[w1 + 2 * i] * x[x3 + 2 * i] + w[w1 + 2 * i + 1] * x[x3 + 2 * i + 1];
        }
    }

    /** The per-block float steps of the single dot: lanes to float, fma with the scale product, fold. */
    static float finish(int[] p, int po, float[] dw, int dwo, float[] dx, int dxo, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            acc = ((FloatVector) IntVector.fromArray(I, p, po + 16 * b).convert(VectorOperators.I2F, 0))
                    .fma(FloatVector.broadcast(F, dw[dwo + b] * dx[dxo + b]), acc);
        }
        return fold(acc);
    }

    static float fold(FloatVector v) {
        float[] s = new float[16];
        v.intoArray(s, 0);
        float b0 = s[0] + s[8], b1 = s[1] + s[9], b2 = s[2] + s[10], b3 = s[3] + s[11];
        float b4 = s[4] + s[12], b5 = s[5] + s[13], b6 = s[6] + s[14], b7 = s[7] + s[15];
        float c0 = b0 + b4, c1 = b1 + b5, c2 = b2 + b6, c3 = b3 + b7;
        return (c0 + c2) + (c1 + c3);
    }

    static void s1(short[] ws, float[] dw, int rows, int cols, short[] xs, float[] dx, int tokens, int[] p, float[] out) {
        int blocks = cols / 32, half = cols / 2;
        for (int r = 0; r < rows; r++) for (int t = 0; t < tokens; t++) {
            madd(ws, r * cols, xs, t * cols, p, 0, half);
            out[t * rows + r] = finish(p, 0, dw, r * blocks, dx, t * blocks, blocks);
        }
    }

    static final int[][] P = new int[4][768];

    static void s2(short[] ws, float[] dw, int rows, int cols, short[] xs, float[] dx, int tokens, int[] p, float[] out) {
        int blocks = cols / 32, half = cols / 2;
        for (int r = 0; r < rows; r++) for (int t = 0; t + 3 < tokens; t += 4) {
            madd4(ws, r * cols, xs, t * cols, (t + 1) * cols, (t + 2) * cols, (t + 3) * cols, P[0], P[1], P[2], P[3], half);
            for (int j = 0; j < 4; j++) out[(t + j) * rows + r] = finish(P[j], 0, dw, r * blocks, dx, (t + j) * blocks, blocks);
        }
    }

    static void s3(short[] ws, float[] dw, int rows, int cols, short[] xs, float[] dx, int tokens, int[] p, float[] out) {
        int blocks = cols / 32, half = cols / 2;
        for (int r = 0; r + 1 < rows; r += 2) for (int t = 0; t + 3 < tokens; t += 4) {
            madd8(ws, r * cols, (r + 1) * cols, xs, t * cols, (t + 1) * cols, (t + 2) * cols, (t + 3) * cols, p, half);
            for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) {
                out[(t + j) * rows + r + i] = finish(p, (4 * i + j) * half, dw, (r + i) * blocks, dx, (t + j) * blocks, blocks);
            }
        }
    }
}
