package io.mocoj.local.internal.tensor;

/**
 * Activations quantised and dequantised the way ggml quantises the activations it multiplies with
 * quantised weights: Q8_0 blocks (32 values, half-precision scale) for Q8_0 and Q4_0 weights,
 * Q8_K blocks (256 values, float scale) for the K-quants.
 */
final class Q8Activations {
    private Q8Activations() {}

    /** A copy of {@code x[0..n)} (n a multiple of 32) with every block quantised to Q8_0 and dequantised. */
    static float[] roundTrip(float[] x, int n) {
        float[] out = new float[n];
        for (int o = 0; o < n; o += 32) {
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
            float inv = amax != 0 ? 127f / amax : 0f;
            float d = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
            for (int j = 0; j < 32; j++) out[o + j] = d * (float) Math.rint(x[o + j] * inv);
        }
        return out;
    }

    /**
     * Quantises {@code x[0..n)} (n a multiple of 32) to Q8_0 blocks as ggml's {@code
     * quantize_row_q8_0} does on x86: per block {@code d = amax / 127} stored in half precision,
     * {@code q = round-to-nearest-even(x · 127 / amax)}. Writes the values to {@code qs[0..n)} and
     * each block's (half-rounded) scale to {@code d[0..n/32)}; {@code d[b] · qs[i]} equals
     * {@link #roundTrip}'s value exactly.
     */
    static void quantizeQ8_0(float[] x, int n, byte[] qs, float[] d) {
        quantizeQ8_0(x, n, qs, null, d);
    }

    /** As {@link #quantizeQ8_0(float[], int, byte[], float[])}, also writing the codes as floats to {@code qf[0..n)} unless it is null. */
    static void quantizeQ8_0(float[] x, int n, byte[] qs, float[] qf, float[] d) {
        quantizeQ8_0(x, 0, n, qs, qf, d);
    }

    /** As {@link #quantizeQ8_0(float[], int, byte[], float[], float[])} for the values {@code [from, to)} only (multiples of 32). */
    static void quantizeQ8_0(float[] x, int from, int to, byte[] qs, float[] qf, float[] d) {
        for (int o = from; o < to; o += 32) quantizeBlockQ8_0(x, o, qs, qf, d);
    }

    /** One block of {@link #quantizeQ8_0(float[], int, byte[], float[], float[])}: the values {@code x[o .. o+32)}. */
    static void quantizeBlockQ8_0(float[] x, int o, byte[] qs, float[] qf, float[] d) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
        float inv = amax != 0 ? 127f / amax : 0f;
        d[o / 32] = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
        for (int j = 0; j < 32; j++) qs[o + j] = (byte) Math.rint(x[o + j] * inv);
        if (qf != null) for (int j = 0; j < 32; j++) qf[o + j] = qs[o + j];
    }

    /** A copy of {@code x[0..n)} (n a multiple of 256) with every block quantised to Q8_K and dequantised. */
    static float[] roundTripQ8K(float[] x, int n) {
        float[] out = new float[n];
        for (int o = 0; o < n; o += 256) {
            float amax = 0, max = 0;
            for (int j = 0; j < 256; j++) {
                float a = Math.abs(x[o + j]);
                if (a > amax) { amax = a; max = x[o + j]; }
            }
            if (amax == 0) continue;
            float iscale = -127f / max;
            float d = 1 / iscale;
            for (int j = 0; j < 256; j++) out[o + j] = d * Math.min(127, (int) Math.rint(iscale * x[o + j]));
        }
        return out;
    }

    /**
     * Quantises {@code x[0..n)} (n a multiple of 256) to Q8_K blocks as ggml's {@code
     * quantize_row_q8_K_ref}: per block {@code d = -max / 127} with {@code max} the value of largest
     * magnitude, {@code q = min(127, round-to-nearest-even(x · -127 / max))}; an all-zero block has
     * d = 0 and zero codes. Writes the codes (as floats, exact) to {@code q[0..n)}, each block's scale
     * to {@code d[0..n/256)} and each 16 values' code sum to {@code bsum[0..n/16)}; {@code d[b] ·
     * q[i]} equals {@link #roundTripQ8K}'s value exactly.
     */
    static void quantizeQ8K(float[] x, int n, float[] q, float[] d, int[] bsum) {
        quantizeQ8K(x, 0, n, q, d, bsum);
    }

    /** As {@link #quantizeQ8K(float[], int, float[], float[], int[])} for the values {@code [from, to)} only (multiples of 256). */
    static void quantizeQ8K(float[] x, int from, int to, float[] q, float[] d, int[] bsum) {
        for (int o = from; o < to; o += 256) {
            float amax = 0, max = 0;
            for (int j = 0; j < 256; j++) {
                float a = Math.abs(x[o + j]);
                if (a > amax) { amax = a; max = x[o + j]; }
            }
            if (amax == 0) {
                d[o / 256] = 0;
                java.util.Arrays.fill(q, o, o + 256, 0f);
                java.util.Arrays.fill(bsum, o / 16, o / 16 + 16, 0);
                continue;
            }
            float iscale = -127f / max;
            d[o / 256] = 1 / iscale;
            for (int s = 0; s < 16; s++) {
                int sum = 0;
                for (int j = o + 16 * s; j < o + 16 * s + 16; j++) {
                    int v = Math.min(127, (int) Math.rint(iscale * x[j]));
                    q[j] = v;
                    sum += v;
                }
                bsum[o / 16 + s] = sum;
            }
        }
    }

    /** A copy of {@code x[0..n)} rounded to IEEE half precision. */
    static float[] roundTripF16(float[] x, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
        return out;
    }

    /** A copy of {@code x[0..n)} rounded to bfloat16. */
    static float[] roundTripBf16(float[] x, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = GgmlCodec.bf16(GgmlCodec.toBf16(x[i]));
        return out;
    }

    /**
     * Per Q8_1 block of {@code x[0..n)}: the block sum ggml stores (half precision of d·Σq, d before
     * rounding) minus the sum of the dequantised values this engine multiplies with.
     */
    static float[] q8_1SumRounding(float[] x, int n) {
        float[] delta = new float[n / 32];
        for (int o = 0; o < n; o += 32) {
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
            float inv = amax != 0 ? 127f / amax : 0f;
            float d = amax / 127f;
            int sum = 0;
            for (int j = 0; j < 32; j++) sum += (int) Math.rint(x[o + j] * inv);
            float stored = Float.float16ToFloat(Float.floatToFloat16(d * sum));
            float used = Float.float16ToFloat(Float.floatToFloat16(d)) * sum;
            delta[o / 32] = stored - used;
        }
        return delta;
    }
}
