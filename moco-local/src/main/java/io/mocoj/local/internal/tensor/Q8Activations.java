package io.mocoj.local.internal.tensor;

/**
 * Activations quantised to Q8_0 blocks (32 values: one scale, 32 signed bytes), as ggml does
 * before multiplying them with Q8_0 weights; the block products are then integer dot products
 * scaled by both blocks' half-precision scales.
 */
final class Q8Activations {
    private final byte[] q;
    private final float[] d;
    private final int blocksPerToken;

    private Q8Activations(byte[] q, float[] d, int blocksPerToken) {
        this.q = q;
        this.d = d;
        this.blocksPerToken = blocksPerToken;
    }

    /** Quantises {@code batch} vectors of {@code cols} values (cols a multiple of 32). */
    static Q8Activations quantize(float[] x, int batch, int cols) {
        int blocks = cols / 32;
        byte[] q = new byte[batch * cols];
        float[] d = new float[batch * blocks];
        for (int b = 0; b < batch * blocks; b++) {
            int o = b * 32;
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
            float scale = amax / 127f;
            float inv = amax != 0 ? 127f / amax : 0f;
            d[b] = Float.float16ToFloat(Float.floatToFloat16(scale));
            for (int j = 0; j < 32; j++) q[o + j] = (byte) Math.rint(x[o + j] * inv);
        }
        return new Q8Activations(q, d, blocks);
    }

    /** Dot product of one Q8_0-encoded weight row with token {@code t}'s activations. */
    float dotQ8_0(byte[] row, int t) {
        float sum = 0;
        int xb = t * blocksPerToken;
        for (int b = 0; b < blocksPerToken; b++) {
            int wo = b * 34, xo = (xb + b) * 32;
            int acc = 0;
            for (int j = 0; j < 32; j++) acc += row[wo + 2 + j] * q[xo + j];
            float wd = Float.float16ToFloat((short) ((row[wo] & 0xFF) | (row[wo + 1] << 8)));
            sum += acc * (wd * d[xb + b]);
        }
        return sum;
    }
}
