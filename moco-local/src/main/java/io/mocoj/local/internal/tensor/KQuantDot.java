package io.mocoj.local.internal.tensor;

/**
 * Fused products of K-quant weight rows (Q4_K, Q6_K: 256-value blocks) with activations quantised
 * to Q8_K ({@link Q8Activations#quantizeQ8K}), computed as llama.cpp's x86 kernels compute them:
 * the integer parts exactly, and the float parts in the same operations and order, so the results
 * match llama.cpp's to the bit wherever its integer sums fit a float exactly.
 *
 * <ul>
 *   <li>Q4_K (as {@code ggml_gemv_q4_K_8x8_q8_K} / {@code ggml_gemm_q4_K_8x8_q8_K}, the repacked
 *       kernels llama.cpp uses on AVX2 machines): per block the exact integer {@code Σ scale·q·q8}
 *       and {@code Σ min·bsum}, each fused-multiply-added with the block scale products {@code d·dy}
 *       and {@code dmin·dy} into two float sums; the result is their difference.
 *   <li>Q6_K (as {@code ggml_vec_dot_q6_K_q8_K}, AVX2): eight integer lanes per block, lane k
 *       holding the products at positions 4k..4k+3 of every 32-value group with the unsigned codes
 *       (0..63), minus 32·Σ scale·bsum over the 16-value groups 2k and 2k+1; each lane
 *       fused-multiply-added with {@code dy·d} into its float; the eight summed as
 *       {@code ((a0+a4)+(a2+a6))+((a1+a5)+(a3+a7))}.
 * </ul>
 * The weight row is read once in its encoded form; nothing is decoded to a float row. One row
 * times {@code tokens} activation rows gives, per token, the bits of the single-token call.
 */
public interface KQuantDot {
    /**
     * {@code out[outOff + t*outStride] = row · x_t} for {@code t < tokens}: the row's {@code blocks}
     * blocks start at {@code w[wOff]} ({@code q6} selects Q6_K's 210-byte blocks, else Q4_K's 144);
     * token {@code t}'s codes are {@code xq[t*cols ..]} ({@code cols = 256*blocks}, floats holding
     * the integers), its block scales {@code dy[t*blocks ..]}, its 16-value code sums {@code
     * bsum[t*cols/16 ..]}.
     */
    default void dotRow(boolean q6, byte[] w, int wOff, int blocks, float[] xq, float[] dy, int[] bsum, int tokens,
            float[] out, int outOff, int outStride) {
        int cols = 256 * blocks;
        int[] lanes = new int[8];
        float[] acc = new float[8];
        for (int t = 0; t < tokens; t++) {
            if (q6) {
                java.util.Arrays.fill(acc, 0f);
                for (int b = 0; b < blocks; b++) {
                    int x = t * cols + 256 * b, p = wOff + 210 * b;
                    q6kLanes(w, p, xq, x, bsum, x / 16, lanes);
                    float d = dy[t * blocks + b] * half(w, p + 208);
                    for (int k = 0; k < 8; k++) acc[k] = Math.fma(d, (float) lanes[k], acc[k]);
                }
                out[outOff + t * outStride] = sum8(acc, 0);
            } else {
                float sum = 0, mins = 0;
                for (int b = 0; b < blocks; b++) {
                    int x = t * cols + 256 * b, p = wOff + 144 * b;
                    float dyb = dy[t * blocks + b];
                    sum = Math.fma((float) q4kSum(w, p, xq, x), half(w, p) * dyb, sum);
                    mins = Math.fma((float) q4kMinSum(w, p, bsum, x / 16), half(w, p + 2) * dyb, mins);
                }
                out[outOff + t * outStride] = sum - mins;
            }
        }
    }

    /**
     * Tokens per tile of {@link #dotRowTiles} (the prefill form), or 0 when this kernel has none and
     * every batch goes through {@link #dotRow}.
     */
    default int tokenTile() { return 0; }

    /**
     * The prefill form of {@link #dotRow}, with the same bits per token, for {@code rows} rows back
     * to back ({@code rowBytes} apart; row {@code i}'s results at {@code out[outOff + i + t*outStride]})
     * and {@code tiles} tiles of {@link #tokenTile} tokens whose activations are stored token-minor
     * ({@link TokenTiles}), so one vector holds one position of every token of a tile.
     */
    default void dotRowTiles(boolean q6, byte[] w, int wOff, int rowBytes, int rows, int blocks, TokenTiles x,
            float[] out, int outOff, int outStride) {
        throw new UnsupportedOperationException("this kernel has no token tiles (tokenTile() is 0)");
    }

    /**
     * Q8_K activations of {@code tiles · width} tokens rearranged token-minor, once per product:
     * {@code xq[(tile·cols + i)·width + j]} is code {@code i} of token {@code tile·width + j},
     * {@code dy[(tile·blocks + b)·width + j]} its block scale, {@code bsum[(tile·cols/16 + g)·width + j]}
     * its 16-value code sums.
     */
    record TokenTiles(int width, int tiles, int cols, float[] xq, float[] dy, int[] bsum) {
        /** The first {@code tiles · width} tokens of activations laid out as {@link #dotRow} takes them. */
        static TokenTiles of(int width, int tiles, int cols, float[] xq, float[] dy, int[] bsum) {
            TokenTiles tt = allocate(width, tiles, cols);
            tt.copy(0, tiles, xq, dy, bsum);
            return tt;
        }

        /** Room for {@code tiles · width} tokens, filled by {@link #copy}. */
        static TokenTiles allocate(int width, int tiles, int cols) {
            return new TokenTiles(width, tiles, cols, new float[tiles * width * cols], new float[tiles * width * (cols / 256)],
                    new int[tiles * width * (cols / 16)]);
        }

        /** Rearranges the tokens of tiles {@code [from, to)} from the {@link #dotRow} layout (tiles may be filled in any order, in parallel). */
        void copy(int from, int to, float[] q, float[] d, int[] s) {
            int blocks = cols / 256, groups = cols / 16;
            for (int tile = from; tile < to; tile++) {
                for (int j = 0; j < width; j++) {
                    int t = tile * width + j;
                    for (int i = 0; i < cols; i++) xq[(tile * cols + i) * width + j] = q[t * cols + i];
                    for (int b = 0; b < blocks; b++) dy[(tile * blocks + b) * width + j] = d[t * blocks + b];
                    for (int g = 0; g < groups; g++) bsum[(tile * groups + g) * width + j] = s[t * groups + g];
                }
            }
        }
    }

    /** {@code ((a0+a4)+(a2+a6))+((a1+a5)+(a3+a7))} of {@code a[o..o+8)}: ggml's horizontal sum of eight float lanes. */
    static float sum8(float[] a, int o) {
        float r0 = a[o + 4] + a[o], r1 = a[o + 5] + a[o + 1], r2 = a[o + 6] + a[o + 2], r3 = a[o + 7] + a[o + 3];
        return (r0 + r2) + (r1 + r3);
    }

    /** A Q4_K block's exact {@code Σ scale_j · q · q8} (q the 4-bit codes). */
    private static int q4kSum(byte[] w, int p, float[] xq, int x) {
        int sumi = 0;
        for (int c = 0; c < 4; c++) {
            int a1 = 0, a2 = 0;
            for (int l = 0; l < 32; l++) {
                int v = w[p + 16 + 32 * c + l] & 0xFF;
                a1 += (v & 0xF) * (int) xq[x + 64 * c + l];
                a2 += (v >>> 4) * (int) xq[x + 64 * c + 32 + l];
            }
            sumi += q4kScale(w, p + 4, 2 * c) * a1 + q4kScale(w, p + 4, 2 * c + 1) * a2;
        }
        return sumi;
    }

    /** A Q4_K block's exact {@code Σ min_j · (sum of the activation codes of sub-block j)}, from the 16-value sums at {@code bsum[bs ..]}. */
    private static int q4kMinSum(byte[] w, int p, int[] bsum, int bs) {
        int summ = 0;
        for (int j = 0; j < 8; j++) summ += q4kMin(w, p + 4, j) * (bsum[bs + 2 * j] + bsum[bs + 2 * j + 1]);
        return summ;
    }

    /** A Q6_K block's eight integer lanes (see the class comment) into {@code lanes}. */
    private static void q6kLanes(byte[] w, int p, float[] xq, int x, int[] bsum, int bs, int[] lanes) {
        java.util.Arrays.fill(lanes, 0);
        for (int h = 0; h < 2; h++) {
            int ql = p + 64 * h, qh = p + 128 + 32 * h, sc = p + 192 + 8 * h, o = x + 128 * h;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int lo0 = w[ql + l] & 0xFF, lo32 = w[ql + l + 32] & 0xFF, hi = w[qh + l] & 0xFF;
                lanes[l / 4] += w[sc + is] * ((lo0 & 0xF) | ((hi & 3) << 4)) * (int) xq[o + l]
                        + w[sc + is + 2] * ((lo32 & 0xF) | (((hi >>> 2) & 3) << 4)) * (int) xq[o + l + 32]
                        + w[sc + is + 4] * ((lo0 >>> 4) | (((hi >>> 4) & 3) << 4)) * (int) xq[o + l + 64]
                        + w[sc + is + 6] * ((lo32 >>> 4) | (((hi >>> 6) & 3) << 4)) * (int) xq[o + l + 96];
            }
        }
        q6kCorrect(w, p, bsum, bs, lanes);
    }

    /** Subtracts 32 · (scale·bsum of the 16-value groups 2k and 2k+1) from lane k (the codes' offset of 32). */
    static void q6kCorrect(byte[] w, int p, int[] bsum, int bs, int[] lanes) {
        for (int k = 0; k < 8; k++) {
            lanes[k] -= 32 * (w[p + 192 + 2 * k] * bsum[bs + 2 * k] + w[p + 193 + 2 * k] * bsum[bs + 2 * k + 1]);
        }
    }

    /** The half-precision number at {@code b[p]} (little-endian). */
    static float half(byte[] b, int p) {
        return Float.float16ToFloat((short) ((b[p] & 0xFF) | (b[p + 1] << 8)));
    }

    /** The 6-bit scale of sub-block {@code j} (0..7) of a Q4_K block whose 12 scale bytes start at {@code s}. */
    static int q4kScale(byte[] b, int s, int j) {
        if (j < 4) return b[s + j] & 63;
        return (b[s + j + 4] & 0xF) | (((b[s + j - 4] & 0xFF) >>> 6) << 4);
    }

    /** The 6-bit minimum of sub-block {@code j} (0..7) of a Q4_K block whose 12 scale bytes start at {@code s}. */
    static int q4kMin(byte[] b, int s, int j) {
        if (j < 4) return b[s + j + 4] & 63;
        return ((b[s + j + 4] & 0xFF) >>> 4) | (((b[s + j] & 0xFF) >>> 6) << 4);
    }

    /** Plain Java: per block the integer sums, accumulated in one float. */
    KQuantDot SCALAR = new KQuantDot() { };
}
