package io.mocoj.methods.toolbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Co-LLM's deferral decision: {@code σ(w·h + b)} on the generator's final hidden state {@code h},
 * the probability that the next token should come from the other model (the logit of a
 * {@code <|defer|>} token, whose output row is {@code w}).
 *
 * @param weights one per hidden unit
 * @param bias    the offset
 */
public record DeferralHead(double[] weights, double bias) {
    public DeferralHead {
        weights = weights.clone();
    }

    /** The untrained head (all zero: probability 0.5 everywhere). */
    public static DeferralHead zero(int hiddenSize) { return new DeferralHead(new double[hiddenSize], 0); }

    /** {@code general.type} of a deferral-head GGUF file. */
    public static final String GGUF_TYPE = "collm_deferral_head";
    /** The head's tensors in its GGUF file: the weights (one per hidden unit) and the bias (one value). */
    public static final String WEIGHT_TENSOR = "collm.deferral.weight", BIAS_TENSOR = "collm.deferral.bias";

    /** This head with its weights and bias rounded to 32-bit floats (what its GGUF file stores, so a reloaded head decides alike). */
    public DeferralHead asFloat32() {
        double[] w = new double[weights.length];
        for (int i = 0; i < w.length; i++) w[i] = (float) weights[i];
        return new DeferralHead(w, (float) bias);
    }

    /**
     * Writes the head as a GGUF file: {@code general.type} {@value #GGUF_TYPE}, F32 tensors
     * {@value #WEIGHT_TENSOR} ({@code [hidden]}) and {@value #BIAS_TENSOR} ({@code [1]}).
     */
    public void writeGguf(Path file, String generatorName) throws IOException {
        float[] w = new float[weights.length];
        for (int i = 0; i < w.length; i++) w[i] = (float) weights[i];
        HeadGguf.write(file, java.util.Map.of("general.type", GGUF_TYPE, "general.name", "Co-LLM deferral head of " + generatorName),
                java.util.Map.of(WEIGHT_TENSOR, w, BIAS_TENSOR, new float[] {(float) bias}));
    }

    /**
     * Reads a head written by {@link #writeGguf}.
     *
     * @throws IllegalArgumentException when the file is not a deferral-head GGUF (what is wrong, and what to give instead)
     */
    public static DeferralHead readGguf(Path file) throws IOException {
        HeadGguf.Contents c = HeadGguf.read(file);
        float[] w = c.tensors().get(WEIGHT_TENSOR), b = c.tensors().get(BIAS_TENSOR);
        if (!GGUF_TYPE.equals(c.strings().get("general.type")) || w == null || b == null || b.length != 1) {
            throw new IllegalArgumentException(file + " is not a Co-LLM deferral head (general.type " + GGUF_TYPE + " with F32 tensors "
                    + WEIGHT_TENSOR + " and " + BIAS_TENSOR + "); give the deferral_head.gguf an api_collm run wrote under LOGDIR/training");
        }
        double[] d = new double[w.length];
        for (int i = 0; i < w.length; i++) d[i] = w[i];
        return new DeferralHead(d, b[0]);
    }

    /** The deferral probability at hidden state {@code h}. */
    public double probability(float[] h) {
        double z = bias;
        for (int i = 0; i < weights.length; i++) z += weights[i] * h[i];
        return 1 / (1 + Math.exp(-z));
    }

    /**
     * One token of training data: the generator's hidden state before it, whether to defer there
     * (1: the other model predicts the reference token and the generator does not), and both
     * models' probabilities of the reference token.
     */
    public record Point(float[] hidden, int label, double generatorProbability, double mentorProbability) {}

    /** A fitted head with its losses, step by step, in both phases. */
    public record Fit(DeferralHead head, List<Double> labelLosses, List<Double> marginalLosses) {}

    /**
     * Fits a head in Co-LLM's two phases, full batch with Adam: first the weighted binary
     * cross-entropy against the labels (positives weighted by {@code positiveWeight}, as Co-LLM's
     * initialisation search does), then the marginal likelihood
     * {@code −log((1 − σ)·p_generator + σ·p_mentor)} of the reference tokens, which lets the data
     * decide where deferring helps.
     */
    public static Fit fit(List<Point> points, int hiddenSize, double positiveWeight, int labelSteps, int marginalSteps, double learningRate) {
        double[] p = new double[hiddenSize + 1];
        Adam adam = new Adam(p.length, learningRate);
        List<Double> labelLosses = new ArrayList<>(), marginalLosses = new ArrayList<>();
        for (int step = 0; step < labelSteps + marginalSteps; step++) {
            boolean marginal = step >= labelSteps;
            double[] g = new double[p.length];
            double loss = 0;
            for (Point x : points) {
                double z = p[hiddenSize];
                for (int i = 0; i < hiddenSize; i++) z += p[i] * x.hidden()[i];
                double s = 1 / (1 + Math.exp(-z));
                double dz;
                if (!marginal) {
                    double wgt = x.label() == 1 ? positiveWeight : 1;
                    loss += wgt * (x.label() == 1 ? -Math.log(Math.max(s, 1e-12)) : -Math.log(Math.max(1 - s, 1e-12)));
                    dz = wgt * (s - x.label());
                } else {
                    double mix = (1 - s) * x.generatorProbability() + s * x.mentorProbability();
                    loss += -Math.log(Math.max(mix, 1e-300));
                    dz = -(x.mentorProbability() - x.generatorProbability()) * s * (1 - s) / Math.max(mix, 1e-300);
                }
                for (int i = 0; i < hiddenSize; i++) g[i] += dz * x.hidden()[i];
                g[hiddenSize] += dz;
            }
            int n = Math.max(1, points.size());
            for (int i = 0; i < g.length; i++) g[i] /= n;
            (marginal ? marginalLosses : labelLosses).add(loss / n);
            adam.step(p, g);
        }
        return new Fit(new DeferralHead(java.util.Arrays.copyOf(p, hiddenSize), p[hiddenSize]), labelLosses, marginalLosses);
    }

    /** Mean {@code −log((1 − σ)·p_generator + σ·p_mentor)} of the points under this head. */
    public double marginalNll(List<Point> points) {
        double s = 0;
        for (Point x : points) {
            double d = probability(x.hidden());
            s += -Math.log(Math.max((1 - d) * x.generatorProbability() + d * x.mentorProbability(), 1e-300));
        }
        return points.isEmpty() ? 0 : s / points.size();
    }

    /**
     * The threshold at each generated token: MoCo's warm-up from 1 down to {@code threshold} over the
     * first {@code warmupSteps} tokens ({@code linear}: evenly spaced, both ends included;
     * {@code cosine}: {@code τ + (1 − τ)·(1 + cos(π i / W))/2}), then {@code threshold};
     * {@code none}: {@code threshold} throughout.
     */
    public static double threshold(String schedule, double threshold, int warmupSteps, int maxTokens, int token) {
        int w = Math.min(warmupSteps, maxTokens);
        if (schedule.equals("none") || token >= w) return threshold;
        return switch (schedule) {
            case "linear" -> w == 1 ? 1.0 : 1.0 + (threshold - 1.0) * token / (w - 1);
            case "cosine" -> threshold + (1.0 - threshold) * 0.5 * (1 + Math.cos(Math.PI * token / w));
            default -> throw new IllegalArgumentException("unknown threshold warm-up schedule '" + schedule + "' (none, linear, cosine)");
        };
    }
}
