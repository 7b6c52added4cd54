package io.mocoj.local.internal.llama;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.internal.tensor.VectorMath;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The blocked attention over a half-precision (short) cache gives exactly the bits of the former
 * implementation: a float cache holding values rounded to half precision, attended one head and
 * one position at a time (the reference below, written as that implementation was). Covers
 * positions across block boundaries, grouped-query sharing, prefill and decode job splits, 1-3
 * threads, and the F32 cache.
 */
class AttentionTest {
    private static float half(float v) { return Float.float16ToFloat(Float.floatToFloat16(v)); }

    /** The former implementation: F16 path with rounded floats, F32 path with a softmax. */
    private static void reference(LlamaConfig c, float[] q, float[] keys, float[] values, int T, int p0, boolean f16, float[] out) {
        int heads = c.heads(), d = c.headDim(), dv = c.valueHeadDim(), group = heads / c.kvHeads();
        int kvDim = c.kvDim(), vDim = c.vDim();
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] scores = new float[p0 + T], query = new float[d];
        for (int t = 0; t < T; t++) {
            for (int hd = 0; hd < heads; hd++) {
                int kvh = hd / group, n = p0 + t + 1, oo = (t * heads + hd) * dv;
                System.arraycopy(q, t * c.qDim() + hd * d, query, 0, d);
                if (f16) {
                    for (int i = 0; i < d; i++) query[i] = half(query[i]);
                    float max = Float.NEGATIVE_INFINITY, sum = 0;
                    for (int i = 0; i < dv; i++) out[oo + i] = 0;
                    for (int p = 0; p < n; p++) {
                        float s = VectorMath.dot(query, 0, keys, p * kvDim + kvh * d, d) * scale;
                        float ms = 1, vs;
                        if (s > max) {
                            float old = max;
                            max = s;
                            ms = (float) Math.exp(old - max);
                            vs = 1;
                            for (int i = 0; i < dv; i++) out[oo + i] = half(out[oo + i] * ms);
                        } else {
                            vs = (float) Math.exp(s - max);
                        }
                        int vo = p * vDim + kvh * dv;
                        for (int i = 0; i < dv; i++) out[oo + i] = half(out[oo + i] + values[vo + i] * vs);
                        sum = sum * ms + vs;
                    }
                    float inv = sum == 0 ? 0 : 1f / sum;
                    for (int i = 0; i < dv; i++) out[oo + i] *= inv;
                } else {
                    for (int p = 0; p < n; p++) scores[p] = VectorMath.dot(query, 0, keys, p * kvDim + kvh * d, d) * scale;
                    VectorMath.softmax(scores, 0, n);
                    for (int i = 0; i < dv; i++) out[oo + i] = 0;
                    for (int p = 0; p < n; p++) {
                        int vo = p * vDim + kvh * dv;
                        for (int i = 0; i < dv; i++) out[oo + i] += scores[p] * values[vo + i];
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "heads {0}/{1}, T {2} after {3}, {4} threads, f16 {5}")
    @CsvSource({
            "9, 3, 1, 150, 2, true", "9, 3, 1, 150, 1, true", "9, 3, 40, 90, 2, true", "9, 3, 40, 90, 3, true",
            "8, 4, 130, 0, 2, true", "4, 4, 3, 63, 2, true", "6, 1, 2, 200, 3, true",
            "9, 3, 1, 150, 2, false", "9, 3, 40, 90, 3, false", "6, 1, 2, 200, 1, false"})
    void matchesTheFormerImplementationBitForBit(int heads, int kvHeads, int T, int p0, int threads, boolean f16) {
        int d = 64;
        LlamaConfig c = new LlamaConfig("llama", heads * d, 1, heads, kvHeads, d, d, 4 * d, 4096, 1e-5f, 10000f, 1f, d, false);
        Random r = new Random(heads * 1000L + T * 7L + p0);
        int n = p0 + T;
        float[] keys = new float[n * c.kvDim()], values = new float[n * c.vDim()], q = new float[T * c.qDim()];
        // scores of either sign and a spread of magnitudes, so the running maximum moves often
        for (int i = 0; i < keys.length; i++) keys[i] = (float) r.nextGaussian() * (i % 5 == 0 ? 3 : 1);
        for (int i = 0; i < values.length; i++) values[i] = (float) r.nextGaussian() * 2;
        for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
        if (f16) {
            for (int i = 0; i < keys.length; i++) keys[i] = half(keys[i]);
            for (int i = 0; i < values.length; i++) values[i] = half(values[i]);
        }
        float[] want = new float[T * heads * d];
        reference(c, q, keys, values, T, p0, f16, want);

        KvCache cache = new KvCache(1, c.kvDim(), c.vDim(), 4096, f16);
        cache.ensureCapacity(n);
        // the earlier positions in one store, the new ones in another, as a session appends them
        float[] k0 = java.util.Arrays.copyOf(keys, p0 * c.kvDim()), v0 = java.util.Arrays.copyOf(values, p0 * c.vDim());
        cache.store(0, 0, k0, v0, p0);
        cache.store(0, p0, java.util.Arrays.copyOfRange(keys, p0 * c.kvDim(), keys.length),
                java.util.Arrays.copyOfRange(values, p0 * c.vDim(), values.length), T);
        float[] got = new float[want.length];
        new Attention(c, new Parallel(threads)).run(q, cache, 0, T, p0, got);
        assertArrayEquals(want, got);
        for (float v : got) assertTrue(Float.isFinite(v));
    }

    @org.junit.jupiter.api.Test
    void halfCacheTakesHalfTheBytes() {
        KvCache half = new KvCache(30, 192, 192, 2048, true), full = new KvCache(30, 192, 192, 2048, false);
        half.ensureCapacity(200);
        full.ensureCapacity(200);
        assertEquals(200L * 30 * 384 * 2, half.bytes());
        assertEquals(2 * half.bytes(), full.bytes());
    }
}
