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

    /** How many of {@code n} values a density keeps (at least one when density > 0). */
    static int kept(int n, double density) {
        if (density <= 0) return 0;
        return (int) Math.max(1, Math.min(n, Math.round(n * density)));
    }
}
