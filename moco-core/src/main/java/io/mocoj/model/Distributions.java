package io.mocoj.model;

/** Numerics on next-token distributions shared by every {@link LogitsModel} and the methods that combine them. */
public final class Distributions {
    private Distributions() {}

    /** Log-softmax of {@code logits} into a new array (natural logs; the probabilities sum to 1). */
    public static float[] logSoftmax(float[] logits) {
        float[] l = logits.clone();
        float max = Float.NEGATIVE_INFINITY;
        for (float v : l) max = Math.max(max, v);
        double sum = 0;
        for (float v : l) sum += Math.exp(v - max);
        float logZ = (float) (max + Math.log(sum));
        for (int i = 0; i < l.length; i++) l[i] -= logZ;
        return l;
    }

    /** Softmax of {@code logits} in double precision (maximum subtracted first); a new array summing to 1. */
    public static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    /** The index of the largest value (the lowest index among ties; NaN values are skipped, all-NaN is an error): greedy decoding's next token. */
    public static int argmax(float[] values) {
        if (values.length == 0) throw new IllegalArgumentException("argmax of an empty array");
        int best = -1;
        for (int i = 0; i < values.length; i++) {
            if (Float.isNaN(values[i])) continue;
            if (best < 0 || values[i] > values[best]) best = i;
        }
        if (best < 0) throw new IllegalArgumentException("argmax of " + values.length + " values that are all NaN");
        return best;
    }
}
