package io.mocoj.sim.internal;

/**
 * Stateless pseudo-random draws: every draw is a hash of the things it depends on (seed, model
 * name, example, sample index, purpose), so results do not depend on call order or threads.
 * The mixer is SplitMix64's finaliser; strings are hashed with 64-bit FNV-1a first.
 */
public final class Draws {
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private Draws() {}

    /** SplitMix64 finaliser: a bijective 64-bit mix with good avalanche. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Folds one more value into a running hash. */
    public static long combine(long h, long v) {
        return mix(h ^ mix(v + GOLDEN));
    }

    /** 64-bit FNV-1a of the UTF-16 code units, then mixed. */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** A uniform double in [0, 1) from a hash (53 bits). */
    public static double uniform(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /** A uniform double in [0, 1) for the given key parts. */
    public static double uniform(long base, long... parts) {
        long h = base;
        for (long p : parts) h = combine(h, p);
        return uniform(mix(h));
    }

    /** A uniform integer in [0, n) from a hash. */
    public static int below(long h, int n) {
        if (n <= 0) throw new IllegalArgumentException("n must be positive");
        return (int) Math.min(n - 1, (long) Math.floor(uniform(h) * n));
    }
}
