package io.mocoj.local.train.internal;

/**
 * The objectives as functions of the target tokens' log-probabilities: each returns its loss and
 * writes {@code coef[j] = dLoss/dlogp[j]} (the input of {@link Network#backward}). Weights let a
 * loss over a whole optimiser step be split over micro-batches.
 */
public final class Losses {
    private Losses() {}

    /** SFT: {@code -w Σ_j logp_j} ({@code w = 1 / scored tokens of the step}: mean negative log-likelihood). */
    public static double sft(float[] logp, double w, float[] coef) {
        double loss = 0;
        for (int j = 0; j < logp.length; j++) {
            loss -= w * logp[j];
            coef[j] = (float) -w;
        }
        return loss;
    }

    /** Sums log-probabilities per sequence. */
    public static double[] perSequence(float[] logp, int[] targetSeq, int sequences) {
        double[] s = new double[sequences];
        for (int j = 0; j < logp.length; j++) s[targetSeq[j]] += logp[j];
        return s;
    }

    /**
     * DPO (Rafailov et al. 2023): sequences come in (chosen, rejected) pairs {@code 2i, 2i+1};
     * {@code loss = -w Σ_i log σ(β((π_c − ref_c) − (π_r − ref_r)))} with π the summed
     * log-probabilities of the completion tokens. {@code margins[i]} receives the implicit reward
     * margin {@code (π_c − ref_c) − (π_r − ref_r)}.
     */
    public static double dpo(float[] logp, int[] targetSeq, int sequences, double[] ref, double beta, double w,
                             float[] coef, double[] margins) {
        if (sequences % 2 != 0) throw new IllegalArgumentException("DPO needs (chosen, rejected) pairs, got " + sequences + " sequences");
        double[] pi = perSequence(logp, targetSeq, sequences);
        double loss = 0;
        double[] dSeq = new double[sequences];
        for (int i = 0; i < sequences / 2; i++) {
            double m = (pi[2 * i] - ref[2 * i]) - (pi[2 * i + 1] - ref[2 * i + 1]);
            double z = beta * m;
            loss += w * softplus(-z);
            double g = -w * beta * sigmoid(-z); // d loss / d π_c
            dSeq[2 * i] = g;
            dSeq[2 * i + 1] = -g;
            if (margins != null) margins[i] = m;
        }
        for (int j = 0; j < logp.length; j++) coef[j] = (float) dSeq[targetSeq[j]];
        return loss;
    }

    /**
     * GRPO (Shao et al. 2024) per-token surrogate: {@code Σ_j w_seq(j) · [−min(ρ A, clip(ρ, 1−ε, 1+ε) A)
     * + β (e^{ref−lp} − (ref−lp) − 1)]} with {@code ρ = e^{lp − old}}; {@code w_seq} is
     * 1 / (sequences of the step × completion tokens of the sequence).
     */
    public static double grpo(float[] logp, int[] targetSeq, double[] advantage, double[] old, double[] ref, double eps,
                              double beta, double[] seqWeight, float[] coef) {
        double loss = 0;
        for (int j = 0; j < logp.length; j++) {
            int s = targetSeq[j];
            double a = advantage[s], w = seqWeight[s];
            double ratio = Math.exp((double) logp[j] - old[j]);
            double clipped = Math.max(1 - eps, Math.min(1 + eps, ratio));
            double unclippedTerm = ratio * a, clippedTerm = clipped * a;
            double pg;
            double dpg;
            if (unclippedTerm <= clippedTerm) {
                pg = -unclippedTerm;
                dpg = -ratio * a;
            } else {
                pg = -clippedTerm;
                dpg = ratio > 1 - eps && ratio < 1 + eps ? -ratio * a : 0;
            }
            double diff = ref[j] - logp[j];
            double kl = Math.exp(diff) - diff - 1;
            double dkl = -Math.exp(diff) + 1;
            loss += w * (pg + beta * kl);
            coef[j] = (float) (w * (dpg + beta * dkl));
        }
        return loss;
    }

    /**
     * Co-LLM's marginal likelihood (Shen et al. 2024): per target
     * {@code −w log((1 − σ(z_j)) e^{logp_j} + σ(z_j) e^{logq_j})}, with {@code z_j} the deferral
     * logit and {@code logq_j} the frozen mentor's log-probability of the target. Writes
     * {@code coef[j] = dLoss/dlogp_j = −w r_j^gen} and {@code dz[j] = dLoss/dz_j = w (σ(z_j) − r_j^mentor)},
     * where {@code r^gen}, {@code r^mentor} are the posterior shares of the two explanations
     * (summing to 1); {@code mentorShare[j]} receives {@code r_j^mentor} (may be null).
     */
    public static double deferral(float[] logp, double[] z, float[] logq, double w, float[] coef, double[] dz, double[] mentorShare) {
        double loss = 0;
        for (int j = 0; j < logp.length; j++) {
            double a = logp[j] - softplus(z[j]), c = logq[j] - softplus(-z[j]); // log σ(−z) = −softplus(z)
            double m = Math.max(a, c);
            double lse = m + Math.log(Math.exp(a - m) + Math.exp(c - m));
            double rg = Math.exp(a - lse), rm = Math.exp(c - lse);
            loss -= w * lse;
            coef[j] = (float) (-w * rg);
            dz[j] = w * (sigmoid(z[j]) - rm);
            if (mentorShare != null) mentorShare[j] = rm;
        }
        return loss;
    }

    /** Group-relative advantages {@code (r − mean) / (std + 1e-4)} with the sample standard deviation (as TRL). */
    public static double[] groupAdvantages(double[] rewards) {
        int n = rewards.length;
        double mean = 0;
        for (double r : rewards) mean += r;
        mean /= n;
        double var = 0;
        for (double r : rewards) var += (r - mean) * (r - mean);
        double std = n > 1 ? Math.sqrt(var / (n - 1)) : 0;
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (rewards[i] - mean) / (std + 1e-4);
        return a;
    }

    static double softplus(double x) { return x > 30 ? x : Math.log1p(Math.exp(x)); }

    /** The logistic function. */
    public static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }
}
