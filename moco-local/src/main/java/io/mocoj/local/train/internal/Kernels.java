package io.mocoj.local.train.internal;

import io.mocoj.local.internal.tensor.Matrix;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.internal.tensor.VectorMath;

/**
 * The matrix products of training, token-major ({@code x[t*in + i]}). Every output element is
 * computed by one worker in a fixed summation order, so results do not depend on scheduling or on
 * the number of threads. Weights are read row by row through {@link Matrix#decodeRow}, so frozen
 * quantised weights are dequantised on the fly and never held as floats.
 */
final class Kernels {
    private static final int TOKEN_BLOCK = 64;
    private static final int ROW_BLOCK = 16;

    private Kernels() {}

    /**
     * {@code y[t][o] = W[o] · x[t]} (overwrites {@code y}). Each block of tokens is copied to a
     * tile so that {@link io.mocoj.local.internal.tensor.FloatDot#dotMany} can share every load of a
     * weight row across four tokens (results bit-identical to single dot products).
     */
    static void forward(Parallel par, Matrix w, float[] x, int tokens, float[] y) {
        int out = w.rows(), in = w.cols();
        int blocks = (out + ROW_BLOCK - 1) / ROW_BLOCK;
        par.forRange(blocks, 1, (b0, b1) -> {
            float[][] rows = new float[ROW_BLOCK][in];
            float[] tile = new float[TOKEN_BLOCK * in];
            for (int b = b0; b < b1; b++) {
                int o0 = b * ROW_BLOCK, o1 = Math.min(out, o0 + ROW_BLOCK);
                for (int o = o0; o < o1; o++) w.decodeRow(o, rows[o - o0], 0);
                for (int t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
                    int count = Math.min(tokens, t0 + TOKEN_BLOCK) - t0;
                    System.arraycopy(x, t0 * in, tile, 0, count * in);
                    for (int o = o0; o < o1; o++) VectorMath.DOT.dotMany(rows[o - o0], tile, in, count, in, y, t0 * out + o, out);
                }
            }
        });
    }

    /**
     * {@code dx[t] += Σ_o dy[t][o] W[o]} (the input gradient of {@link #forward}). Four weight rows
     * are added to a token's gradient in one pass ({@link #axpy4}), so each pass over {@code dx}
     * does four multiply-adds per load and store instead of one.
     */
    static void backwardInput(Parallel par, Matrix w, float[] dy, int tokens, float[] dx) {
        int out = w.rows(), in = w.cols();
        int blocks = (tokens + TOKEN_BLOCK - 1) / TOKEN_BLOCK;
        par.forRange(blocks, 1, (b0, b1) -> {
            float[] r0 = new float[in], r1 = new float[in], r2 = new float[in], r3 = new float[in];
            for (int b = b0; b < b1; b++) {
                int t0 = b * TOKEN_BLOCK, t1 = Math.min(tokens, t0 + TOKEN_BLOCK);
                int o = 0;
                for (; o + 3 < out; o += 4) {
                    w.decodeRow(o, r0, 0);
                    w.decodeRow(o + 1, r1, 0);
                    w.decodeRow(o + 2, r2, 0);
                    w.decodeRow(o + 3, r3, 0);
                    for (int t = t0; t < t1; t++) {
                        int g = t * out + o;
                        axpy4(dx, t * in, dy[g], r0, dy[g + 1], r1, dy[g + 2], r2, dy[g + 3], r3, in);
                    }
                }
                for (; o < out; o++) {
                    w.decodeRow(o, r0, 0);
                    for (int t = t0; t < t1; t++) axpy(dx, t * in, dy[t * out + o], r0, 0, in);
                }
            }
        });
    }

    /**
     * {@code dW[o] += scale · Σ_t dy[t][o] x[t]} (the weight gradient of {@link #forward}); four
     * tokens per pass over a gradient row ({@link #axpy4}).
     */
    static void backwardWeight(Parallel par, float[] dy, float[] x, int tokens, int out, int in, float scale, float[] dw) {
        int blocks = (out + ROW_BLOCK - 1) / ROW_BLOCK;
        par.forRange(blocks, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int o0 = b * ROW_BLOCK, o1 = Math.min(out, o0 + ROW_BLOCK);
                for (int t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
                    int t1 = Math.min(tokens, t0 + TOKEN_BLOCK);
                    for (int o = o0; o < o1; o++) {
                        int t = t0;
                        for (; t + 3 < t1; t += 4) {
                            axpy4x(dw, o * in, scale * dy[t * out + o], scale * dy[(t + 1) * out + o], scale * dy[(t + 2) * out + o],
                                    scale * dy[(t + 3) * out + o], x, t * in, in);
                        }
                        for (; t < t1; t++) axpy(dw, o * in, scale * dy[t * out + o], x, t * in, in);
                    }
                }
            }
        });
    }

    /** {@code db[o] += Σ_t dy[t][o]}. */
    static void backwardBias(float[] dy, int tokens, int out, float[] db) {
        for (int t = 0; t < tokens; t++) axpy(db, 0, 1f, dy, t * out, out);
    }

    /** {@code y[yo ..] += (a0·r0 + a1·r1) + (a2·r2 + a3·r3)} over {@code n} values (auto-vectorised by the JIT). */
    static void axpy4(float[] y, int yo, float a0, float[] r0, float a1, float[] r1, float a2, float[] r2, float a3, float[] r3, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += (a0 * r0[i] + a1 * r1[i]) + (a2 * r2[i] + a3 * r3[i]);
    }

    /** {@code y[yo ..] += (a0·x[xo] + a1·x[xo+n]) + (a2·x[xo+2n] + a3·x[xo+3n])}: four consecutive rows of {@code x}. */
    static void axpy4x(float[] y, int yo, float a0, float a1, float a2, float a3, float[] x, int xo, int n) {
        int x1 = xo + n, x2 = x1 + n, x3 = x2 + n;
        for (int i = 0; i < n; i++) y[yo + i] += (a0 * x[xo + i] + a1 * x[x1 + i]) + (a2 * x[x2 + i] + a3 * x[x3 + i]);
    }

    /** {@code y[yo ..] += a · x[xo ..]} over {@code n} values (auto-vectorised by the JIT). */
    static void axpy(float[] y, int yo, float a, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += a * x[xo + i];
    }
}
