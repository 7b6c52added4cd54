package io.mocoj.methods.toolbox;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A small classifier trained by full-batch Adam on cross-entropy: {@code hidden} = 0 gives
 * multinomial logistic regression (softmax of {@code W x + b}); otherwise one hidden layer of
 * tanh units ({@code softmax(W2 tanh(W1 x + b1) + b2)}). Two classes use the same softmax form.
 * Mutable while training; {@link #probabilities} is thread-safe once training is done.
 *
 * <p>Parameters are one flat vector (W1 row-major, b1, W2 row-major, b2), exposed with the loss
 * gradient so tests can check the backward pass against finite differences.
 */
public final class Mlp {
    private final int inputs, hidden, classes;
    private final double l2;
    private final double[] params;

    /**
     * @param inputs  feature count
     * @param hidden  hidden units (0: logistic regression)
     * @param classes number of classes (at least 2)
     * @param l2      L2 penalty on the weights (not biases), added to the mean loss as {@code l2/2 · Σw²}
     * @param seed    initialisation seed (Glorot-uniform weights, zero biases)
     */
    public Mlp(int inputs, int hidden, int classes, double l2, long seed) {
        if (inputs < 1 || hidden < 0 || classes < 2) throw new IllegalArgumentException("need inputs >= 1, hidden >= 0, classes >= 2");
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
        this.l2 = l2;
        this.params = new double[size()];
        SplittableRandom r = new SplittableRandom(seed);
        int first = hidden == 0 ? classes : hidden;
        double a1 = Math.sqrt(6.0 / (inputs + first));
        for (int i = 0; i < inputs * first; i++) params[i] = (r.nextDouble() * 2 - 1) * a1;
        if (hidden > 0) {
            int w2 = inputs * hidden + hidden;
            double a2 = Math.sqrt(6.0 / (hidden + classes));
            for (int i = 0; i < hidden * classes; i++) params[w2 + i] = (r.nextDouble() * 2 - 1) * a2;
        }
    }

    private int size() {
        return hidden == 0 ? inputs * classes + classes : inputs * hidden + hidden + hidden * classes + classes;
    }

    /** The parameter vector (live: writes change the model). */
    public double[] parameters() { return params; }

    public int classes() { return classes; }

    /** Class probabilities for one input. */
    public double[] probabilities(double[] x) {
        return softmax(logits(x, hidden > 0 ? new double[hidden] : null));
    }

    /** Mean cross-entropy over the examples plus the L2 penalty. */
    public double loss(double[][] x, int[] y) { return loss(x, oneHot(y)); }

    /** Mean cross-entropy against target distributions (soft labels, each row summing to 1) plus the L2 penalty. */
    public double loss(double[][] x, double[][] targets) {
        double total = 0;
        for (int n = 0; n < x.length; n++) {
            double[] p = probabilities(x[n]);
            for (int k = 0; k < classes; k++) if (targets[n][k] != 0) total -= targets[n][k] * Math.log(Math.max(1e-300, p[k]));
        }
        return total / x.length + penalty();
    }

    /** Gradient of {@link #loss(double[][], int[])} with respect to {@link #parameters()}. */
    public double[] gradient(double[][] x, int[] y) { return gradient(x, oneHot(y)); }

    /** Gradient of {@link #loss(double[][], double[][])} with respect to {@link #parameters()}. */
    public double[] gradient(double[][] x, double[][] targets) {
        double[] g = new double[params.length];
        double[] h = hidden > 0 ? new double[hidden] : null;
        double[] dh = hidden > 0 ? new double[hidden] : null;
        for (int n = 0; n < x.length; n++) {
            double[] p = softmax(logits(x[n], h));
            for (int k = 0; k < classes; k++) p[k] -= targets[n][k]; // d loss / d logits (targets sum to 1)
            if (hidden == 0) {
                Dense.accumulate(g, 0, x[n], p, inputs, classes);
            } else {
                int w2 = inputs * hidden + hidden;
                Dense.accumulate(g, w2, h, p, hidden, classes);
                Arrays.fill(dh, 0);
                Dense.backInput(params, w2, p, hidden, classes, dh);
                for (int j = 0; j < hidden; j++) dh[j] *= 1 - h[j] * h[j];
                Dense.accumulate(g, 0, x[n], dh, inputs, hidden);
            }
        }
        for (int i = 0; i < g.length; i++) g[i] /= x.length;
        addPenaltyGradient(g);
        return g;
    }

    /**
     * Trains for {@code steps} full-batch Adam steps at learning rate {@code lr} and returns the
     * final loss.
     */
    public double fit(double[][] x, int[] y, int steps, double lr) { return fit(x, oneHot(y), steps, lr); }

    /** As {@link #fit(double[][], int[], int, double)} with target distributions (soft labels). */
    public double fit(double[][] x, double[][] targets, int steps, double lr) {
        if (x.length == 0) throw new IllegalArgumentException("no training examples");
        Adam adam = new Adam(params.length, lr);
        for (int s = 0; s < steps; s++) adam.step(params, gradient(x, targets));
        return loss(x, targets);
    }

    private double[][] oneHot(int[] y) {
        double[][] t = new double[y.length][classes];
        for (int n = 0; n < y.length; n++) {
            if (y[n] < 0 || y[n] >= classes) throw new IllegalArgumentException("label " + y[n] + " outside [0, " + classes + ")");
            t[n][y[n]] = 1;
        }
        return t;
    }

    private double[] logits(double[] x, double[] h) {
        if (x.length != inputs) throw new IllegalArgumentException("expected " + inputs + " features, got " + x.length);
        double[] out = new double[classes];
        if (hidden == 0) {
            Dense.forward(params, 0, x, inputs, classes, out);
            return out;
        }
        Dense.forward(params, 0, x, inputs, hidden, h);
        for (int j = 0; j < hidden; j++) h[j] = Math.tanh(h[j]);
        Dense.forward(params, inputs * hidden + hidden, h, hidden, classes, out);
        return out;
    }

    private boolean isWeight(int i) {
        if (hidden == 0) return i < inputs * classes;
        int w2 = inputs * hidden + hidden;
        return i < inputs * hidden || (i >= w2 && i < w2 + hidden * classes);
    }

    private double penalty() {
        if (l2 == 0) return 0;
        double s = 0;
        for (int i = 0; i < params.length; i++) if (isWeight(i)) s += params[i] * params[i];
        return l2 / 2 * s;
    }

    private void addPenaltyGradient(double[] g) {
        if (l2 == 0) return;
        for (int i = 0; i < params.length; i++) if (isWeight(i)) g[i] += l2 * params[i];
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += p[i] = Math.exp(z[i] - max);
        for (int i = 0; i < z.length; i++) p[i] /= sum;
        return p;
    }
}
