package io.mocoj.local.internal.llama;

import io.mocoj.local.internal.tensor.Matrix;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.internal.tensor.VectorMath;

/**
 * The forward pass of a llama-family decoder (llama, qwen2, qwen3), written to be read top to
 * bottom. For a batch of {@code T} new tokens at positions {@code p0 .. p0+T-1}:
 *
 * <pre>
 *   x = embed(tokens)
 *   for each block:
 *     h = rmsnorm(x) * attn_norm
 *     q, k, v = Wq h (+bq), Wk h (+bk), Wv h (+bv)
 *     (qwen3) q, k = rmsnorm per head * q_norm / k_norm
 *     q, k = rope(q, k, position)          llama: adjacent pairs; qwen: pairs (i, i + d/2)
 *     append k, v to the cache
 *     a = softmax(q kᵀ / sqrt(d), causal) v  per head; query head h reads kv head h / (heads / kvHeads)
 *     x = x + Wo a (+bo)
 *     h = rmsnorm(x) * ffn_norm
 *     x = x + Wdown (silu(Wgate h) * Wup h)
 *   logits = Wout (rmsnorm(x_last) * output_norm)
 * </pre>
 *
 * Activations are plain arrays laid out token-major ({@code [T][width]}), so a backward pass can
 * be written against the same layout later. The weights are shared and read-only; all mutable
 * state lives in the {@link KvCache} of the calling session.
 */
public final class Transformer {
    private final LlamaConfig c;
    private final LlamaWeights w;
    private final Parallel parallel;
    private final float[] invFreq; // per rotated pair: base^(-2i/ropeDims) * freqScale / factor_i

    private final boolean f16Cache;
    private final Attention attention;

    /**
     * @param f16Cache keep keys and values (and the operands of the attention products) at
     *                 half precision, as llama.cpp does with its default F16 KV cache
     */
    public Transformer(LlamaConfig config, LlamaWeights weights, Parallel parallel, boolean f16Cache) {
        this.f16Cache = f16Cache;
        this.c = config;
        this.w = weights;
        this.parallel = parallel;
        this.invFreq = ropeInverseFrequencies(config);
        this.attention = new Attention(config, parallel);
    }

    /** Per rotated pair {@code i}: {@code base^(-2i/ropeDims)}, computed as ggml does (repeated float products). */
    public static float[] ropeInverseFrequencies(LlamaConfig config) {
        float[] inv = new float[config.ropeDims() / 2];
        // ggml computes theta_i = pos * theta_scale^i with theta_scale = base^(-2/n_dims) in float
        float thetaScale = (float) Math.pow(config.ropeBase(), -2.0 / config.ropeDims());
        float f = 1f;
        for (int i = 0; i < inv.length; i++) {
            inv[i] = f;
            f *= thetaScale;
        }
        return inv;
    }

    public LlamaConfig config() { return c; }

    /**
     * The activation buffers of one forward pass, kept per calling thread and grown as needed, so
     * decoding allocates nothing per token but the returned logits. Every buffer is fully written
     * (for the first T tokens) before it is read.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[] x = new float[0], h = x, q = x, k = x, v = x, att = x, proj = x, gate = x, up = x, last = x;

        Scratch fit(int T, LlamaConfig c) {
            x = grow(x, T * c.dim());
            h = grow(h, T * c.dim());
            q = grow(q, T * c.qDim());
            k = grow(k, T * c.kvDim());
            v = grow(v, T * c.vDim());
            att = grow(att, T * c.heads() * c.valueHeadDim());
            proj = grow(proj, T * c.dim());
            gate = grow(gate, T * c.ffnDim());
            up = grow(up, T * c.ffnDim());
            last = grow(last, c.dim());
            return this;
        }

        private static float[] grow(float[] a, int n) { return a.length >= n ? a : new float[n]; }
    }

    public LlamaWeights weights() { return w; }

    public int vocabularySize() { return w.vocabularySize(); }

    /** A new empty cache able to hold {@code maxPositions} tokens. */
    public KvCache newCache(int maxPositions) {
        return new KvCache(c.layers(), c.kvDim(), c.vDim(), maxPositions, f16Cache);
    }

    /**
     * Runs {@code tokens} through the model after the positions already in {@code cache}, appends
     * their keys and values to it, and returns the logits for the token after the last one.
     */
    public float[] forward(int[] tokens, KvCache cache) {
        return forward(tokens, cache, null, 0);
    }

    /**
     * As {@link #forward(int[], KvCache)}, and also writes the final hidden state of every new
     * token (the residual stream after the last block, RMS-normalised and scaled by
     * {@code output_norm}: the vector the output layer multiplies) into {@code hidden} from
     * {@code hiddenOffset}, token-major ({@code tokens.length × dim} floats), when {@code hidden}
     * is not null.
     */
    public float[] forward(int[] tokens, KvCache cache, float[] hidden, int hiddenOffset) {
        int T = tokens.length;
        if (T == 0) throw new IllegalArgumentException("no tokens to process");
        int p0 = cache.length();
        cache.ensureCapacity(p0 + T);
        int dim = c.dim();
        int vocab = vocabularySize();
        Scratch sc = SCRATCH.get().fit(T, c);
        float[] x = sc.x;
        for (int t = 0; t < T; t++) {
            if (tokens[t] < 0 || tokens[t] >= vocab) {
                throw new IllegalArgumentException("token id " + tokens[t] + " at index " + t + " is outside the vocabulary [0, " + vocab + ")");
            }
            w.tokenEmbedding().decodeRow(tokens[t], x, t * dim);
        }
        float[] h = sc.h, q = sc.q, k = sc.k, v = sc.v, att = sc.att, proj = sc.proj, gate = sc.gate, up = sc.up;
        int n = T * dim, nf = T * c.ffnDim();

        for (int l = 0; l < c.layers(); l++) {
            LlamaWeights.Layer L = w.layers()[l];
            // --- attention
            for (int t = 0; t < T; t++) VectorMath.rmsNorm(h, t * dim, x, t * dim, L.attnNorm(), dim, c.rmsEps());
            // one parallel region for the three products of h (decode; a batch runs them one by one)
            parallel.matmuls(h, T, new Matrix[] {L.wq(), L.wk(), L.wv()}, new float[][] {q, k, v});
            bias(L.bq(), q, T);
            bias(L.bk(), k, T);
            bias(L.bv(), v, T);
            if (L.qNorm() != null) headNorm(q, T, c.heads(), L.qNorm());
            if (L.kNorm() != null) headNorm(k, T, c.kvHeads(), L.kNorm());
            for (int t = 0; t < T; t++) {
                rope(q, t * c.qDim(), c.heads(), p0 + t);
                rope(k, t * c.kvDim(), c.kvHeads(), p0 + t);
            }
            cache.store(l, p0, k, v, T); // an F16 cache rounds to half precision here
            attention.run(q, cache, l, T, p0, att);
            linear(L.wo(), L.bo(), att, T, proj);
            for (int i = 0; i < n; i++) x[i] += proj[i];
            // --- feed-forward (SwiGLU)
            for (int t = 0; t < T; t++) VectorMath.rmsNorm(h, t * dim, x, t * dim, L.ffnNorm(), dim, c.rmsEps());
            parallel.matmuls(h, T, new Matrix[] {L.gate(), L.up()}, new float[][] {gate, up});
            for (int i = 0; i < nf; i++) gate[i] = VectorMath.silu(gate[i]) * up[i];
            linear(L.down(), null, gate, T, proj);
            for (int i = 0; i < n; i++) x[i] += proj[i];
        }
        cache.setLength(p0 + T);

        float[] last = sc.last;
        VectorMath.rmsNorm(last, 0, x, (T - 1) * dim, w.outputNorm(), dim, c.rmsEps());
        if (hidden != null) {
            for (int t = 0; t < T - 1; t++) VectorMath.rmsNorm(hidden, hiddenOffset + t * dim, x, t * dim, w.outputNorm(), dim, c.rmsEps());
            System.arraycopy(last, 0, hidden, hiddenOffset + (T - 1) * dim, dim);
        }
        float[] logits = new float[vocab];
        parallel.matmul(w.output(), last, 1, logits);
        return logits;
    }

    /** {@code out[t] = W in[t] (+ bias)} for every token. */
    private void linear(Matrix m, float[] bias, float[] in, int T, float[] out) {
        parallel.matmul(m, in, T, out);
        bias(bias, out, T);
    }

    /** {@code out[t] += bias} for every token (nothing when {@code bias} is null). */
    private static void bias(float[] bias, float[] out, int T) {
        if (bias == null) return;
        int n = bias.length;
        for (int t = 0; t < T; t++) for (int i = 0; i < n; i++) out[t * n + i] += bias[i];
    }

    /** RMS-normalises each head of each token separately (qwen3's q/k norm). */
    private void headNorm(float[] a, int T, int heads, float[] weight) {
        int d = c.headDim();
        for (int i = 0; i < T * heads; i++) VectorMath.rmsNorm(a, i * d, a, i * d, weight, d, c.rmsEps());
    }

    /** Rotates the first {@code ropeDims} dimensions of every head of one token. */
    private void rope(float[] a, int off, int heads, int pos) {
        int d = c.headDim();
        int half = c.ropeDims() / 2;
        float[] factors = w.ropeFreqs();
        for (int i = 0; i < half; i++) {
            float theta = pos * invFreq[i];
            if (factors != null) theta /= factors[i];
            theta *= c.ropeFreqScale();
            float cos = (float) Math.cos(theta), sin = (float) Math.sin(theta);
            for (int hd = 0; hd < heads; hd++) {
                int base = off + hd * d;
                int i0 = c.ropeNeox() ? base + i : base + 2 * i;
                int i1 = c.ropeNeox() ? base + i + half : base + 2 * i + 1;
                float x0 = a[i0], x1 = a[i1];
                a[i0] = x0 * cos - x1 * sin;
                a[i1] = x0 * sin + x1 * cos;
            }
        }
    }
}
