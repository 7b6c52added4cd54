package io.mocoj.local.internal.tensor;

/**
 * Activations quantised to Q8_0 blocks (32 values: a half-precision scale and 32 signed bytes) and
 * back, as ggml quantises the activations it multiplies with Q8_0 weights.
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
}
