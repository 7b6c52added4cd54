package io.mocoj.local.train.internal;

import io.mocoj.local.internal.tensor.ArrayMatrix;
import io.mocoj.local.internal.tensor.Matrix;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.internal.tensor.VectorMath;

/**
 * The matrix products of training, token-major ({@code x[t*in + i]}). Every output element is
 * computed by one worker in a fixed summation order, so results do not depend on scheduling or on
 * the number of threads. Weights are read row by row through {@link Matrix#decodeRow}, so frozen
 * quantised weights are dequantised on the fly; only the matrix whose input gradient is being
 * computed is held as floats (transposed), one at a time.
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
     * {@code dx[t] += Σ_o dy[t][o] W[o]} (the input gradient of {@link #forward}), computed as the
     * forward product of {@code Wᵀ}: the weights are decoded and transposed once per call (a copy
     * of {@code out × in} floats, small next to the {@code tokens × out × in} multiply-adds), so
     * the input gradient runs on the same SIMD dot kernel as the forward pass instead of one
     * JIT-vectorised axpy per weight row (the profile of a LoRA step had 58% of its time there, at
     * a quarter of the forward product's speed).
     */
    static void backwardInput(Parallel par, Matrix w, float[] dy, int tokens, float[] dx) {
        int out = w.rows(), in = w.cols();
        ArrayMatrix wt = new ArrayMatrix(transpose(par, w), in, out);
        float[] g = new float[tokens * in];
        forward(par, wt, dy, tokens, g);
        par.forRange(tokens, 16, (t0, t1) -> axpy(dx, t0 * in, 1f, g, t0 * in, (t1 - t0) * in));
    }

    /** {@code Wᵀ} as {@code in × out} row-major floats (rows decoded, so quantised weights work too). */
    static float[] transpose(Parallel par, Matrix w) {
        int out = w.rows(), in = w.cols();
        float[] t = new float[in * out];
        int blocks = (out + ROW_BLOCK - 1) / ROW_BLOCK;
        par.forRange(blocks, 1, (b0, b1) -> {
            float[][] rows = new float[ROW_BLOCK][in];
            for (int b = b0; b < b1; b++) {
                int o0 = b * ROW_BLOCK, o1 = Math.min(out, o0 + ROW_BLOCK);
                for (int o = o0; o < o1; o++) w.decodeRow(o, rows[o - o0], 0);
                for (int i = 0; i < in; i++) {
                    int to = i * out;
                    for (int o = o0; o < o1; o++) t[to + o] = rows[o - o0][i];
                }
            }
        });
        return t;
    }

    /**
     * {@code dW[o] += scale · Σ_t dy[t][o] x[t]} (the weight gradient of {@link #forward}): with
     * {@code dy} and {@code x} transposed to feature-major, every element is one SIMD dot product
     * over the tokens, computed by the forward kernel.
     */
    static void backwardWeight(Parallel par, float[] dy, float[] x, int tokens, int out, int in, float scale, float[] dw) {
        float[] dyT = transpose(par, new ArrayMatrix(dy, tokens, out)), xT = transpose(par, new ArrayMatrix(x, tokens, in));
        float[] g = new float[out * in];
        forward(par, new ArrayMatrix(xT, in, tokens), dyT, out, g);
        par.forRange(out, 16, (o0, o1) -> axpy(dw, o0 * in, scale, g, o0 * in, (o1 - o0) * in));
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
