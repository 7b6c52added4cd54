package io.mocoj.methods.toolbox.merge;

import java.util.SplittableRandom;

/**
 * The inputs of one tensor merge, dequantised to floats.
 *
 * @param tensor  the tensor's name
 * @param inputs  one array per model, all of the same length
 * @param base    the base model's tensor, or null when the method needs none
 * @param weights one weight per model
 * @param out     where the merged values go (same length)
 * @param seed    seed for methods that draw (DARE); a fixed function of the run seed and the tensor name
 * @param ranges  splits element ranges over the merge's threads
 */
public record TensorJob(String tensor, float[][] inputs, float[] base, double[] weights, float[] out, long seed, Ranges ranges) {

    /** Elements per piece of parallel work and per random stream (fixed, so results do not depend on threads). */
    public static final int CHUNK = 1 << 16;

    /** Runs element ranges, possibly in parallel. */
    @FunctionalInterface
    public interface Ranges {
        /** Calls {@code body} on disjoint {@code [from, to)} pieces of {@code [0, n)} of at most {@link #CHUNK} elements. */
        void forEach(int n, RangeBody body);
    }

    /** Work on one piece; {@code chunk} is the piece's index ({@code from / CHUNK}). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int chunk, int from, int to);
    }

    public int size() { return out.length; }

    public int models() { return inputs.length; }

    /** A random stream for one model and one piece, independent of how pieces are scheduled. */
    public SplittableRandom random(int model, int chunk) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (model + 1)) ^ (0xC2B2AE3D27D4EB4FL * (chunk + 1)));
    }

    /** Model {@code i}'s task vector value at {@code e}: {@code inputs[i][e] - base[e]}. */
    public float delta(int i, int e) { return inputs[i][e] - base[e]; }
}
