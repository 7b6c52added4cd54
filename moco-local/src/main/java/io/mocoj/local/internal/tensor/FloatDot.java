package io.mocoj.local.internal.tensor;

/** The innermost kernel: a dot product of two float ranges. */
public interface FloatDot {
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * {@code out[outOff + t*outStride] = dot(a, 0, x, t*xStride, n)} for {@code t < count}; each result
     * is bit-identical to {@link #dot}, implementations may share the loads of {@code a}.
     */
    default void dotMany(float[] a, float[] x, int xStride, int count, int n, float[] out, int outOff, int outStride) {
        dotMany(a, x, 0, xStride, count, n, out, outOff, outStride);
    }

    /** As {@link #dotMany(float[], float[], int, int, int, float[], int, int)} with the rows of {@code x} from {@code x[xOff]}. */
    default void dotMany(float[] a, float[] x, int xOff, int xStride, int count, int n, float[] out, int outOff, int outStride) {
        for (int t = 0; t < count; t++) out[outOff + t * outStride] = dot(a, 0, x, xOff + t * xStride, n);
    }

    /**
     * A tile of products: {@code out[outOff + t*outStride + r] = dot(a, r*n, x, t*xStride, n)} for
     * {@code r < rows} (the rows of {@code a}, {@code n} values each, back to back) and {@code t <
     * tokens}; each result bit-identical to {@link #dot}. Implementations keep several rows and
     * tokens in registers so each load of {@code x} serves several rows.
     */
    default void dotTile(float[] a, int n, int rows, float[] x, int xStride, int tokens, float[] out, int outOff, int outStride) {
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) out[outOff + t * outStride + r] = dot(a, r * n, x, t * xStride, n);
        }
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
     * Integer dot of a Q8_0 weight row ({@code blocks} blocks of 34 bytes from {@code w[wOff]}) with
     * activations quantised to Q8_0 ({@code qx[qOff ..]} the 8-bit values, {@code dx[dOff ..]} one
     * scale per block, see {@link Q8Activations#quantizeQ8_0}): per block the exact integer sum of
     * the 32 products, times both scales, as ggml's {@code ggml_vec_dot_q8_0_q8_0}. The SIMD kernel
     * keeps per-lane partial sums (exact integers) and one float accumulator per lane; every call
     * with the same inputs gives the same bits, whatever the batch or thread split around it.
     */
    default float dotQ8_0xQ8_0(byte[] w, int wOff, int blocks, byte[] qx, int qOff, float[] dx, int dOff) {
        float s = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 34 * b, q = qOff + 32 * b;
            int sum = 0;
            for (int j = 0; j < 32; j++) sum += w[p + 2 + j] * qx[q + j];
            s += sum * (Float.float16ToFloat((short) ((w[p] & 0xFF) | (w[p + 1] << 8))) * dx[dOff + b]);
        }
        return s;
    }

    /**
     * A tile of {@link #dotQ8_0xQ8_0} (or, with {@code q4}, {@link #dotQ4_0xQ8_0}) products:
     * {@code rows} weight rows back to back in {@code w} ({@code rowBytes} each) times {@code
     * tokens} quantised activation rows ({@code qx[t*32*blocks ..]}, {@code dx[t*blocks ..]}), into
     * {@code out[outOff + t*outStride + r]}, token by token. Each result is bit-identical to the
     * single dot. Prefill (several tokens) uses the overload that also takes the codes as floats.
     */
    default void dotQuantTile(boolean q4, byte[] w, int rowBytes, int rows, int blocks, byte[] qx, float[] dx,
            int tokens, float[] out, int outOff, int outStride) {
        int cols = 32 * blocks;
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                out[outOff + t * outStride + r] = q4 ? dotQ4_0xQ8_0(w, r * rowBytes, blocks, qx, t * cols, dx, t * blocks)
                        : dotQ8_0xQ8_0(w, r * rowBytes, blocks, qx, t * cols, dx, t * blocks);
            }
        }
    }

    /**
     * The prefill form of {@link #dotQuantTile}: the same products and bits, with the activation
     * codes also given as floats ({@code xf[i] == qx[i]}, converted once per product), which lets
     * a kernel compute the exact integer block sums in float lanes and tile rows and tokens (the
     * SIMD kernel: four rows by four tokens, with the weight codes converted once per tile). The
     * plain kernel ignores {@code xf}.
     */
    default void dotQuantTile(boolean q4, byte[] w, int rowBytes, int rows, int blocks, byte[] qx, float[] xf, float[] dx,
            int tokens, float[] out, int outOff, int outStride) {
        dotQuantTile(q4, w, rowBytes, rows, blocks, qx, dx, tokens, out, outOff, outStride);
    }

    /**
     * {@link Q8Activations#quantizeQ8_0(float[], int, byte[], float[], float[])} for the values
     * {@code x[from..to)} (multiples of 32): Q8_0 codes into {@code qs}, the codes also as floats
     * into {@code qf} unless it is null, each block's scale into {@code d[b]} (b the block's index
     * in {@code x}). Every implementation writes the same bits as the plain one.
     */
    default void quantizeQ8_0(float[] x, int from, int to, byte[] qs, float[] qf, float[] d) {
        Q8Activations.quantizeQ8_0(x, from, to, qs, qf, d);
    }

    /** Whether {@link #dotQuantTile(boolean, byte[], int, int, int, byte[], float[], float[], int, float[], int, int)} uses the float codes. */
    default boolean usesFloatCodes() { return false; }

    /** As {@link #dotQ8_0xQ8_0} for a Q4_0 weight row (18-byte blocks; ggml's {@code ggml_vec_dot_q4_0_q8_0}). */
    default float dotQ4_0xQ8_0(byte[] w, int wOff, int blocks, byte[] qx, int qOff, float[] dx, int dOff) {
        float s = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 18 * b, q = qOff + 32 * b;
            int sum = 0;
            for (int j = 0; j < 16; j++) {
                int v = w[p + 2 + j] & 0xFF;
                sum += ((v & 0xF) - 8) * qx[q + j] + ((v >>> 4) - 8) * qx[q + 16 + j];
            }
            s += sum * (Float.float16ToFloat((short) ((w[p] & 0xFF) | (w[p + 1] << 8))) * dx[dOff + b]);
        }
        return s;
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
