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
}
