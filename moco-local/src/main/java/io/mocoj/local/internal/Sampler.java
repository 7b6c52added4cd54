package io.mocoj.local.internal;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from logits: greedy at temperature 0, otherwise softmax at the
 * temperature restricted to the top-k tokens (when k > 0) and then to the smallest set whose
 * probability reaches top-p.
 */
public final class Sampler {
    private final double temperature;
    private final double topP;
    private final int topK;
    private final Random random;

    public Sampler(double temperature, double topP, int topK, Random random) {
        this.temperature = temperature;
        this.topP = topP;
        this.topK = topK;
        this.random = random;
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    public int sample(float[] logits) {
        if (temperature == 0) return argmax(logits);
        int n = logits.length;
        int[] ids;
        if (topK > 0 && topK < n) {
            ids = topIndices(logits, topK);
        } else if (topP < 1) {
            ids = sortedDescending(logits);
        } else {
            ids = new int[n];
            for (int i = 0; i < n; i++) ids[i] = i;
            ids[0] = argmax(logits);
            ids[ids[0]] = 0;
        }
        double max = logits[ids[0]];
        double[] p = new double[ids.length];
        double sum = 0;
        for (int i = 0; i < ids.length; i++) {
            p[i] = Math.exp((logits[ids[i]] - max) / temperature);
            sum += p[i];
        }
        int keep = ids.length;
        if (topP < 1) {
            double acc = 0;
            for (int i = 0; i < ids.length; i++) {
                acc += p[i] / sum;
                if (acc >= topP) { keep = i + 1; break; }
            }
        }
        double total = 0;
        for (int i = 0; i < keep; i++) total += p[i];
        double u = random.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            u -= p[i];
            if (u < 0) return ids[i];
        }
        return ids[keep - 1];
    }

    /** All indices ordered by decreasing value (ties by index). */
    static int[] sortedDescending(float[] values) {
        long[] keys = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToIntBits(values[i]);
            int sortable = bits >= 0 ? bits : bits ^ 0x7fffffff; // monotone in the float value
            keys[i] = ((long) ~sortable << 32) | i;
        }
        Arrays.sort(keys);
        int[] ids = new int[values.length];
        for (int i = 0; i < ids.length; i++) ids[i] = (int) keys[i];
        return ids;
    }

    /** Indices of the {@code k} largest values, largest first. */
    public static int[] topIndices(float[] values, int k) {
        k = Math.min(k, values.length);
        int[] top = new int[k];
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            if (size < k) {
                int j = size++;
                while (j > 0 && values[top[j - 1]] < values[i]) { top[j] = top[j - 1]; j--; }
                top[j] = i;
            } else if (values[i] > values[top[k - 1]]) {
                int j = k - 1;
                while (j > 0 && values[top[j - 1]] < values[i]) { top[j] = top[j - 1]; j--; }
                top[j] = i;
            }
        }
        return top;
    }
}
