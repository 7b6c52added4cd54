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

    /** {@code y[t][o] = W[o] · x[t]} (overwrites {@code y}). */
    static void forward(Parallel par, Matrix w, float[] x, int tokens, float[] y) {
        int out = w.rows(), in = w.cols();
        int blocks = (out + ROW_BLOCK - 1) / ROW_BLOCK;
        par.forRange(blocks, 1, (b0, b1) -> {
            float[][] rows = new float[ROW_BLOCK][in];
            for (int b = b0; b < b1; b++) {
                int o0 = b * ROW_BLOCK, o1 = Math.min(out, o0 + ROW_BLOCK);
                for (int o = o0; o < o1; o++) w.decodeRow(o, rows[o - o0], 0);
                for (int t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
                    int t1 = Math.min(tokens, t0 + TOKEN_BLOCK);
                    for (int o = o0; o < o1; o++) {
                        float[] row = rows[o - o0];
                        for (int t = t0; t < t1; t++) y[t * out + o] = VectorMath.dot(row, 0, x, t * in, in);
                    }
                }
            }
        });
    }

    /** {@code dx[t] += Σ_o dy[t][o] W[o]} (the input gradient of {@link #forward}). */
    static void backwardInput(Parallel par, Matrix w, float[] dy, int tokens, float[] dx) {
        int out = w.rows(), in = w.cols();
        int blocks = (tokens + TOKEN_BLOCK - 1) / TOKEN_BLOCK;
        par.forRange(blocks, 1, (b0, b1) -> {
            float[] row = new float[in];
            for (int b = b0; b < b1; b++) {
                int t0 = b * TOKEN_BLOCK, t1 = Math.min(tokens, t0 + TOKEN_BLOCK);
                for (int o = 0; o < out; o++) {
                    w.decodeRow(o, row, 0);
                    for (int t = t0; t < t1; t++) axpy(dx, t * in, dy[t * out + o], row, 0, in);
                }
            }
        });
    }

    /** {@code dW[o] += scale · Σ_t dy[t][o] x[t]} (the weight gradient of {@link #forward}). */
    static void backwardWeight(Parallel par, float[] dy, float[] x, int tokens, int out, int in, float scale, float[] dw) {
        int blocks = (out + ROW_BLOCK - 1) / ROW_BLOCK;
        par.forRange(blocks, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int o0 = b * ROW_BLOCK, o1 = Math.min(out, o0 + ROW_BLOCK);
                for (int t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
                    int t1 = Math.min(tokens, t0 + TOKEN_BLOCK);
                    for (int o = o0; o < o1; o++) {
                        for (int t = t0; t < t1; t++) axpy(dw, o * in, scale * dy[t * out + o], x, t * in, in);
                    }
                }
            }
        });
    }

    /** {@code db[o] += Σ_t dy[t][o]}. */
    static void backwardBias(float[] dy, int tokens, int out, float[] db) {
        for (int t = 0; t < tokens; t++) axpy(db, 0, 1f, dy, t * out, out);
    }

    /** {@code y[yo ..] += a · x[xo ..]} over {@code n} values (auto-vectorised by the JIT). */
    static void axpy(float[] y, int yo, float a, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += a * x[xo + i];
    }
}
