package io.mocoj.methods.toolbox;

import java.util.SplittableRandom;

/**
 * Fully connected layers over one flat parameter vector, shared by the toolbox's small networks
 * ({@link Mlp}, {@link GraphRouterNet}): a layer at offset {@code off} holds its weights row-major
 * ({@code nOut} rows of {@code nIn}) followed by its {@code nOut} biases.
 */
final class Dense {
    private Dense() {}

    /** Number of parameters of an {@code nIn → nOut} layer. */
    static int size(int nIn, int nOut) { return nIn * nOut + nOut; }

    /** {@code out = W in + b}. */
    static void forward(double[] params, int off, double[] in, int nIn, int nOut, double[] out) {
        forward(params, off, in, nIn, nOut, out, 1);
    }

    /** {@code out = W in + biasCount·b}: the sum of the layer over {@code biasCount} inputs whose sum is {@code in}. */
    static void forward(double[] params, int off, double[] in, int nIn, int nOut, double[] out, double biasCount) {
        int b = off + nIn * nOut;
        for (int o = 0; o < nOut; o++) {
            double s = biasCount * params[b + o];
            int row = off + o * nIn;
            for (int i = 0; i < nIn; i++) s += params[row + i] * in[i];
            out[o] = s;
        }
    }

    /** Adds the layer's parameter gradient for one input: {@code dW += dOut ⊗ in}, {@code db += dOut}. */
    static void accumulate(double[] g, int off, double[] in, double[] dOut, int nIn, int nOut) {
        accumulate(g, off, in, dOut, nIn, nOut, 1);
    }

    /** As {@link #accumulate(double[], int, double[], double[], int, int)} with the bias gradient scaled by {@code biasCount}. */
    static void accumulate(double[] g, int off, double[] in, double[] dOut, int nIn, int nOut, double biasCount) {
        int b = off + nIn * nOut;
        for (int o = 0; o < nOut; o++) {
            double d = dOut[o];
            if (d == 0) continue;
            g[b + o] += biasCount * d;
            int row = off + o * nIn;
            for (int i = 0; i < nIn; i++) g[row + i] += d * in[i];
        }
    }

    /** Adds the input gradient {@code dIn += Wᵀ dOut}. */
    static void backInput(double[] params, int off, double[] dOut, int nIn, int nOut, double[] dIn) {
        for (int o = 0; o < nOut; o++) {
            double d = dOut[o];
            if (d == 0) continue;
            int row = off + o * nIn;
            for (int i = 0; i < nIn; i++) dIn[i] += d * params[row + i];
        }
    }

    /** PyTorch's {@code nn.Linear} initialisation: weights and biases uniform in ±1/√nIn. */
    static void initTorch(double[] params, int off, int nIn, int nOut, SplittableRandom r) {
        double bound = 1 / Math.sqrt(nIn);
        for (int i = 0; i < size(nIn, nOut); i++) params[off + i] = (r.nextDouble() * 2 - 1) * bound;
    }
}
