package io.mocoj.methods.toolbox;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * An EXP3 bandit over {@code K} arms (Auer et al., 2002) in MoCo's form: arm probabilities
 * {@code p = (1 − γ)·w/Σw + γ/K}; a round's rewards (in [0, 1]) are credited as importance-weighted
 * estimates {@code r/p_arm} with the probabilities at the round's start, then
 * {@code log w ← log w + (1/K)·Σ estimates} and the weights are rescaled so the largest is 1.
 * Not thread-safe.
 */
public final class Exp3 {
    private final double gamma;
    private double[] weights;
    private double[] roundProbabilities;
    private final double[] credit;

    /** {@code arms} arms with weight 1 each and uniform share {@code gamma} in [0, 1]. */
    public Exp3(int arms, double gamma) {
        if (arms < 1) throw new IllegalArgumentException("EXP3 needs at least one arm, got " + arms);
        if (!(gamma >= 0 && gamma <= 1)) throw new IllegalArgumentException("EXP3's uniform share must be in [0, 1], got " + gamma);
        this.gamma = gamma;
        this.weights = new double[arms];
        Arrays.fill(weights, 1.0);
        this.credit = new double[arms];
    }

    /** {@code (1 − γ)·w/Σw + γ/K}, renormalised to sum to 1. */
    public static double[] probabilities(double[] weights, double gamma) {
        double sum = 0;
        for (double w : weights) sum += w;
        double[] p = new double[weights.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(0, (1 - gamma) * weights[i] / sum + gamma / weights.length);
            total += p[i];
        }
        for (int i = 0; i < p.length; i++) p[i] /= total;
        return p;
    }

    public double[] probabilities() { return probabilities(weights, gamma); }

    public double[] weights() { return weights.clone(); }

    public int arms() { return weights.length; }

    /** Draws an arm from {@link #probabilities()}. */
    public int sample(RandomGenerator random) { return draw(probabilities(), random); }

    /** Draws an index from a probability vector (inverse CDF; the last index takes any rounding remainder). */
    public static int draw(double[] p, RandomGenerator random) {
        double u = random.nextDouble(), c = 0;
        for (int i = 0; i < p.length; i++) {
            c += p[i];
            if (u < c) return i;
        }
        return p.length - 1;
    }

    /** Credits {@code reward} for {@code arm} in the current round (estimate {@code reward / p_arm}). */
    public void reward(int arm, double reward) {
        if (roundProbabilities == null) roundProbabilities = probabilities();
        credit[arm] += reward / roundProbabilities[arm];
    }

    /** Applies the round's credits to the weights and starts a new round. */
    public void endRound() {
        int k = weights.length;
        double[] log = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            log[i] = Math.log(Math.max(weights[i], 1e-12)) + credit[i] / k;
            max = Math.max(max, log[i]);
        }
        for (int i = 0; i < k; i++) weights[i] = Math.exp(log[i] - max);
        Arrays.fill(credit, 0);
        roundProbabilities = null;
    }
}
