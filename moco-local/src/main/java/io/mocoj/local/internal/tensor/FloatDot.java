package io.mocoj.local.internal.tensor;

/** The innermost kernel: a dot product of two float ranges. */
public interface FloatDot {
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * {@code out[outOff + t*outStride] = dot(a, 0, x, t*xStride, n)} for {@code t < count}; each result
     * is bit-identical to {@link #dot}, implementations may share the loads of {@code a}.
     */
    default void dotMany(float[] a, float[] x, int xStride, int count, int n, float[] out, int outOff, int outStride) {
        for (int t = 0; t < count; t++) out[outOff + t * outStride] = dot(a, 0, x, t * xStride, n);
    }

    /** Decodes {@code blocks} Q8_0 blocks (34 bytes each) from {@code src} into {@code dst[off ..]}. */
    default void decodeQ8_0(byte[] src, int blocks, float[] dst, int off) {
        for (int b = 0; b < blocks; b++) {
            int p = 34 * b;
            float d = Float.float16ToFloat((short) ((src[p] & 0xFF) | (src[p + 1] << 8)));
            for (int j = 0; j < 32; j++) dst[off + 32 * b + j] = d * src[p + 2 + j];
        }
    }

    /** Decodes {@code blocks} Q4_0 blocks (18 bytes each) from {@code src} into {@code dst[off ..]}. */
    default void decodeQ4_0(byte[] src, int blocks, float[] dst, int off) {
        for (int b = 0; b < blocks; b++) {
            int p = 18 * b;
            float d = Float.float16ToFloat((short) ((src[p] & 0xFF) | (src[p + 1] << 8)));
            int o = off + 32 * b;
            for (int j = 0; j < 16; j++) {
                int q = src[p + 2 + j] & 0xFF;
                dst[o + j] = d * ((q & 0xF) - 8);
                dst[o + j + 16] = d * ((q >>> 4) - 8);
            }
        }
    }

    /**
     * {@code dot(decoded row, x)} for a row of {@code blocks} Q8_0 blocks: bit-identical to
     * {@link #decodeQ8_0} followed by {@link #dot}; implementations may skip the decoded copy.
     */
    default float dotQ8_0(byte[] src, int blocks, float[] x, int xOff, float[] scratch) {
        decodeQ8_0(src, blocks, scratch, 0);
        return dot(scratch, 0, x, xOff, 32 * blocks);
    }

    /** As {@link #dotQ8_0} for Q4_0 rows ({@link #decodeQ4_0} then {@link #dot}). */
    default float dotQ4_0(byte[] src, int blocks, float[] x, int xOff, float[] scratch) {
        decodeQ4_0(src, blocks, scratch, 0);
        return dot(scratch, 0, x, xOff, 32 * blocks);
    }

    /** Plain Java, four independent accumulators. */
    FloatDot SCALAR = FloatDot::scalarDot;

    private static float scalarDot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) s0 += a[aOff + i] * b[bOff + i];
        return (s0 + s1) + (s2 + s3);
    }
}
