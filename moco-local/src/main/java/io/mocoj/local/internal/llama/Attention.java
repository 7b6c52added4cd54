package io.mocoj.local.internal.llama;

import io.mocoj.local.internal.tensor.HalfKernels;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.internal.tensor.VectorMath;

/**
 * Causal multi-head attention of a batch of new queries over every cached position of one layer,
 * in one parallel region per layer. A job is one query token and either one query head (decode:
 * few tokens, so the heads are spread over the threads) or all query heads sharing a KV head
 * (prefill: each key and value row is converted from half precision once for the whole group).
 * Keys and values are read in blocks of {@link #BLOCK} positions. Every head is computed the same
 * way whatever the job split, so results do not depend on the thread count or the batch size.
 */
final class Attention {
    /** Positions whose keys (values) are converted to floats at once. */
    static final int BLOCK = 64;

    private final LlamaConfig c;
    private final Parallel parallel;
    private final float scale;

    Attention(LlamaConfig config, Parallel parallel) {
        this.c = config;
        this.parallel = parallel;
        this.scale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    /** Per-thread buffers, grown as needed (nothing allocated per token once warm). */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[] query = new float[0], one = query, scores = query, keys = query, values = query, max = query, sum = query;

        Scratch fit(int heads, int d, int dv, int positions) {
            query = grow(query, heads * d);
            one = grow(one, d);
            scores = grow(scores, heads * positions);
            keys = grow(keys, BLOCK * d);
            values = grow(values, BLOCK * dv);
            max = grow(max, heads);
            sum = grow(sum, heads);
            return this;
        }

        private static float[] grow(float[] a, int n) { return a.length >= n ? a : new float[n]; }
    }

    /**
     * {@code out[t][head] = softmax(q[t][head] · K[0..p0+t] / sqrt(d)) V} for the {@code T} queries
     * {@code q} (token-major) at positions {@code p0 ..}, over {@code cache}'s layer {@code layer}.
     */
    void run(float[] q, KvCache cache, int layer, int T, int p0, float[] out) {
        int heads = c.heads(), group = heads / c.kvHeads();
        int perJob = T * c.kvHeads() >= 2 * parallel.threads() ? group : 1;
        int jobsPerToken = heads / perJob;
        // a causal prefill's jobs grow with the position (the last query reads the most keys), so the
        // range is cut into about eight pieces per thread, taken from the team's counter as members free up
        int jobs = T * jobsPerToken;
        // a batch of several queries reads the same keys and values: convert the layer's half-precision
        // cache to floats once (in parallel, exact) instead of once per job
        float[][] shared = cache.half() && T > 1 ? convertLayer(cache, layer, p0 + T) : null;
        parallel.forChunks(jobs, parallel.chunk(jobs, 8, 1, 1), (from, to) -> {
            Scratch sc = SCRATCH.get().fit(perJob, c.headDim(), c.valueHeadDim(), p0 + T);
            for (int job = from; job < to; job++) {
                int t = job / jobsPerToken, h0 = (job % jobsPerToken) * perJob;
                if (cache.half()) {
                    halfPrecision(q, cache, shared, layer, t, h0, perJob, p0 + t + 1, out, sc);
                } else {
                    fullPrecision(q, cache, layer, t, h0, perJob, p0 + t + 1, out, sc);
                }
            }
        });
    }

    /** Per calling thread: a layer's keys and values as floats, shared by the jobs of one batch. */
    private static final ThreadLocal<float[][]> CONVERTED = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    /** The first {@code n} positions of the layer's half-precision keys and values, as floats. */
    private float[][] convertLayer(KvCache cache, int layer, int n) {
        int kvDim = c.kvDim(), vDim = c.vDim();
        float[][] f = CONVERTED.get();
        if (f[0].length < n * kvDim) f[0] = new float[n * kvDim];
        if (f[1].length < n * vDim) f[1] = new float[n * vDim];
        short[] keys = cache.keysHalf(layer), values = cache.valuesHalf(layer);
        float[] kf = f[0], vf = f[1];
        parallel.forChunks(n, parallel.chunk(n, 1, 16, 16), (from, to) -> {
            HalfKernels.toFloat(keys, from * kvDim, kf, from * kvDim, (to - from) * kvDim);
            HalfKernels.toFloat(values, from * vDim, vf, from * vDim, (to - from) * vDim);
        });
        return f;
    }

    /**
     * Heads {@code h0 .. h0+count} of token {@code t} the way llama.cpp's CPU flash-attention kernel
     * computes them with an F16 cache: the query rounded to half precision for q·k, then one pass
     * with a running maximum and the weighted sum of values kept in half precision (rounded after
     * every update), normalised at the end.
     */
    private void halfPrecision(float[] q, KvCache cache, float[][] shared, int layer, int t, int h0, int count, int n, float[] out, Scratch sc) {
        int d = c.headDim(), dv = c.valueHeadDim(), kvDim = c.kvDim(), vDim = c.vDim();
        int kvh = h0 / (c.heads() / c.kvHeads());
        short[] keys = cache.keysHalf(layer), values = cache.valuesHalf(layer);
        float[] query = sc.query, scores = sc.scores, kb = sc.keys, vb = sc.values;
        for (int j = 0; j < count; j++) {
            int qo = t * c.qDim() + (h0 + j) * d;
            for (int i = 0; i < d; i++) query[j * d + i] = HalfKernels.half(q[qo + i]); // ggml converts q to the cache type
        }
        for (int pb = 0; pb < n; pb += BLOCK) {
            int nb = Math.min(BLOCK, n - pb);
            float[] kx = kb;
            int kOff = 0, kStride = d;
            if (shared != null) {
                kx = shared[0];
                kOff = pb * kvDim + kvh * d;
                kStride = kvDim;
            } else {
                for (int i = 0; i < nb; i++) HalfKernels.toFloat(keys, (pb + i) * kvDim + kvh * d, kb, i * d, d);
            }
            for (int j = 0; j < count; j++) {
                // one query against nb keys (its loads shared), each result the bits of VectorMath.dot
                System.arraycopy(query, j * d, sc.one, 0, d);
                VectorMath.DOT.dotMany(sc.one, kx, kOff, kStride, nb, d, scores, j * n + pb, 1);
                for (int i = 0; i < nb; i++) scores[j * n + pb + i] *= scale;
            }
        }
        HalfKernels half = VectorMath.HALF;
        for (int j = 0; j < count; j++) {
            sc.max[j] = Float.NEGATIVE_INFINITY;
            sc.sum[j] = 0;
            int oo = (t * c.heads() + h0 + j) * dv;
            for (int i = 0; i < dv; i++) out[oo + i] = 0;
        }
        for (int pb = 0; pb < n; pb += BLOCK) {
            int nb = Math.min(BLOCK, n - pb);
            float[] vx = vb;
            int vOff = 0, vStride = dv;
            if (shared != null) {
                vx = shared[1];
                vOff = pb * vDim + kvh * dv;
                vStride = vDim;
            } else {
                for (int i = 0; i < nb; i++) HalfKernels.toFloat(values, (pb + i) * vDim + kvh * dv, vb, i * dv, dv);
            }
            for (int j = 0; j < count; j++) {
                int oo = (t * c.heads() + h0 + j) * dv;
                float max = sc.max[j], sum = sc.sum[j];
                for (int i = 0; i < nb; i++) {
                    float s = scores[j * n + pb + i];
                    float ms = 1, vs;
                    if (s > max) {
                        float old = max;
                        max = s;
                        ms = (float) Math.exp(old - max);
                        vs = 1;
                        half.scaleHalf(out, oo, ms, dv);
                    } else {
                        vs = (float) Math.exp(s - max);
                    }
                    half.madHalf(out, oo, vx, vOff + i * vStride, vs, dv);
                    sum = sum * ms + vs;
                }
                sc.max[j] = max;
                sc.sum[j] = sum;
            }
        }
        for (int j = 0; j < count; j++) {
            int oo = (t * c.heads() + h0 + j) * dv;
            float inv = sc.sum[j] == 0 ? 0 : 1f / sc.sum[j];
            for (int i = 0; i < dv; i++) out[oo + i] *= inv;
        }
    }

    /** As {@link #halfPrecision} with an F32 cache: float scores, a softmax, then the weighted sum of values. */
    private void fullPrecision(float[] q, KvCache cache, int layer, int t, int h0, int count, int n, float[] out, Scratch sc) {
        int d = c.headDim(), dv = c.valueHeadDim(), kvDim = c.kvDim(), vDim = c.vDim();
        int kvh = h0 / (c.heads() / c.kvHeads());
        float[] keys = cache.keys(layer), values = cache.values(layer), scores = sc.scores;
        for (int j = 0; j < count; j++) {
            int qo = t * c.qDim() + (h0 + j) * d;
            for (int p = 0; p < n; p++) scores[p] = VectorMath.dot(q, qo, keys, p * kvDim + kvh * d, d) * scale;
            VectorMath.softmax(scores, 0, n);
            int oo = (t * c.heads() + h0 + j) * dv;
            for (int i = 0; i < dv; i++) out[oo + i] = 0;
            for (int p = 0; p < n; p++) {
                float s = scores[p];
                int vo = p * vDim + kvh * dv;
                for (int i = 0; i < dv; i++) out[oo + i] += s * values[vo + i];
            }
        }
    }
}
