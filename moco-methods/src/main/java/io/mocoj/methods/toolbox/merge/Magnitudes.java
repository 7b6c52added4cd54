package io.mocoj.methods.toolbox.merge;

/** Magnitude thresholds for trimming task vectors (TIES, breadcrumbs). */
final class Magnitudes {
    private Magnitudes() {}

    /**
     * The {@code k}-th largest absolute value of {@code v} ({@code 1 <= k <= v.length}), by
     * quickselect on a copy: linear time on average.
     */
    static float kthLargestAbs(float[] v, int k) {
        if (k < 1 || k > v.length) throw new IllegalArgumentException("k must be in [1, " + v.length + "], was " + k);
        float[] a = new float[v.length];
        for (int i = 0; i < a.length; i++) a[i] = Math.abs(v[i]);
        int target = a.length - k; // index in ascending order
        int lo = 0, hi = a.length - 1;
        long state = 0x2545F4914F6CDD1DL;
        while (lo < hi) {
            state ^= state << 13; state ^= state >>> 7; state ^= state << 17;
            float pivot = a[lo + (int) Math.floorMod(state, (long) (hi - lo + 1))];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    float t = a[i]; a[i] = a[j]; a[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return a[target];
        }
        return a[target];
    }

    /**
     * The {@code k}-th largest of {@code |x[e] − base[e]|} (differences in float, as task vectors
     * are computed), without materialising the differences: an exact radix select on the bits of
     * the absolute values (for non-negative floats their order is the order of their bits), three
     * counting passes over 11, 11 and 9 bits, each split over {@code ranges}. Equal to
     * {@link #kthLargestAbs} of the difference array.
     */
    static float kthLargestAbsDiff(float[] x, float[] base, int k, TensorJob.Ranges ranges) {
        int n = x.length;
        if (k < 1 || k > n) throw new IllegalArgumentException("k must be in [1, " + n + "], was " + k);
        int chunks = (n + TensorJob.CHUNK - 1) / TensorJob.CHUNK;
        int prefix = 0, remaining = k; // bits fixed so far, and the rank still sought among values sharing them
        int[][] passes = {{20, 11}, {9, 11}, {0, 9}}; // shift, width
        for (int p = 0; p < passes.length; p++) {
            int shift = passes[p][0], buckets = 1 << passes[p][1], mask = buckets - 1;
            int fixedShift = shift + passes[p][1]; // bits above this pass's digit must equal the prefix
            int want = prefix;
            int[][] counts = new int[chunks][];
            ranges.forEach(n, (c, from, to) -> {
                int[] h = new int[buckets];
                for (int e = from; e < to; e++) {
                    int bits = Float.floatToRawIntBits(x[e] - base[e]) & 0x7FFFFFFF;
                    if (fixedShift >= 31 || (bits >>> fixedShift) == want) h[(bits >>> shift) & mask]++;
                }
                counts[c] = h;
            });
            int digit = buckets - 1;
            for (; digit >= 0; digit--) {
                int count = 0;
                for (int[] h : counts) count += h[digit];
                if (count >= remaining) break;
                remaining -= count;
            }
            prefix = (prefix << passes[p][1]) | digit;
        }
        return Float.intBitsToFloat(prefix);
    }

    /** How many of {@code n} values a density keeps (at least one when density > 0). */
    static int kept(int n, double density) {
        if (density <= 0) return 0;
        return (int) Math.max(1, Math.min(n, Math.round(n * density)));
    }
}
