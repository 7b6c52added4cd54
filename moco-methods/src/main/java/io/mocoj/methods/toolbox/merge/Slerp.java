package io.mocoj.methods.toolbox.merge;

/**
 * {@code slerp}: spherical interpolation between exactly two models at {@code t} (0 = first,
 * 1 = second), per tensor: with {@code θ} the angle between the two tensors as vectors,
 * {@code sin((1−t)θ)/sin θ · a + sin(tθ)/sin θ · b}; linear interpolation when they are nearly
 * parallel ({@code |cos θ| > 0.9995}) or one is zero.
 */
public record Slerp(double t) implements MergeMethod {
    public Slerp {
        if (!(t >= 0 && t <= 1)) throw new IllegalArgumentException("slerp: t must be in [0, 1], was " + t);
    }

    @Override public String name() { return "slerp"; }

    @Override public boolean needsBase() { return false; }

    @Override public int minModels() { return 2; }

    @Override public int maxModels() { return 2; }

    @Override
    public void merge(TensorJob job) {
        float[] a = job.inputs()[0], b = job.inputs()[1], out = job.out();
        double dot = 0, na = 0, nb = 0;
        for (int e = 0; e < a.length; e++) {
            dot += (double) a[e] * b[e];
            na += (double) a[e] * a[e];
            nb += (double) b[e] * b[e];
        }
        double ca, cb;
        double cos = na == 0 || nb == 0 ? 1 : dot / Math.sqrt(na * nb);
        if (Math.abs(cos) > 0.9995) {
            ca = 1 - t;
            cb = t;
        } else {
            double theta = Math.acos(cos), sin = Math.sin(theta);
            ca = Math.sin((1 - t) * theta) / sin;
            cb = Math.sin(t * theta) / sin;
        }
        float fa = (float) ca, fb = (float) cb;
        job.ranges().forEach(a.length, (c, from, to) -> {
            for (int e = from; e < to; e++) out[e] = fa * a[e] + fb * b[e];
        });
    }
}
