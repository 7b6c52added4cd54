package io.mocoj.local.train.internal;

import io.mocoj.local.internal.llama.LlamaConfig;
import io.mocoj.local.internal.tensor.ArrayMatrix;
import io.mocoj.local.internal.tensor.Matrix;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.internal.tensor.VectorMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training graph of a llama-family decoder: the same forward pass as moco-local's inference
 * engine (embedding, RMS norm, linear with optional bias, rope with scaling and frequency factors,
 * causal grouped-query attention, SwiGLU, tied or separate output, qwen3's q/k norms), in F32
 * with attention in F32, over a {@link PackedBatch}, keeping what the backward pass needs; and the
 * backward pass of every op. The objective enters through the log-probabilities of the target
 * tokens: {@link #backward} takes dLoss/dlogp for each target.
 *
 * <p>Frozen weights stay in their stored type and are dequantised row by row as products need
 * them; trained tensors are F32 {@link Param}s. LoRA adds {@code scale · B A dropout(x)} to a
 * linear's output ({@code A}: rank × in, {@code B}: out × rank).
 */
public final class Network {

    /** A LoRA pair on one linear. */
    public record Lora(Param a, Param b, float scale, float dropout) {
        public int rank() { return a.rows(); }
    }

    /** A linear map {@code y = W x (+ bias) (+ LoRA)} under its GGUF weight name. */
    public static final class Linear {
        final String name;
        Matrix weight;        // what products read: the stored tensor, or an F32 view of param
        final Param param;    // trained F32 weight, or null when frozen
        final Param bias;     // may be null; trained with the weight
        Lora lora;

        public Linear(String name, Matrix weight, Param param, Param bias) {
            this.name = name;
            this.weight = weight;
            this.param = param;
            this.bias = bias;
        }

        public String name() { return name; }

        public Matrix weight() { return weight; }

        public Param param() { return param; }

        public Param bias() { return bias; }

        public Lora lora() { return lora; }

        public void lora(Lora l) { this.lora = l; }

        int out() { return weight.rows(); }

        int in() { return weight.cols(); }
    }

    /** One transformer block. */
    public record Block(Param attnNorm, Linear q, Linear k, Linear v, Linear o, Param qNorm, Param kNorm,
                        Param ffnNorm, Linear gate, Linear up, Linear down) {
        public List<Linear> linears() { return List.of(q, k, v, o, gate, up, down); }
    }

    private final LlamaConfig c;
    private final Parallel par;
    private final Matrix embedding;
    private final Param embeddingParam;
    private final Param outputNorm;
    private final Linear output;
    private final float[] ropeFreqs;
    private final Block[] blocks;
    private final float[] invFreq;
    private float[] cos = new float[0], sin = new float[0];
    private int ropePositions;
    private volatile boolean loraEnabled = true;

    public Network(LlamaConfig c, Parallel par, Matrix embedding, Param embeddingParam, Param outputNorm, Linear output,
                   float[] ropeFreqs, Block[] blocks) {
        this.c = c;
        this.par = par;
        this.embedding = embedding;
        this.embeddingParam = embeddingParam;
        this.outputNorm = outputNorm;
        this.output = output;
        this.ropeFreqs = ropeFreqs;
        this.blocks = blocks;
        this.invFreq = io.mocoj.local.internal.llama.Transformer.ropeInverseFrequencies(c);
    }

    public LlamaConfig config() { return c; }

    public Block[] blocks() { return blocks; }

    public Linear output() { return output; }

    public Param outputNorm() { return outputNorm; }

    public Param embeddingParam() { return embeddingParam; }

    public Matrix embedding() { return embedding; }

    public int vocabularySize() { return embedding.rows(); }

    /** Every tensor with a gradient, in a fixed order (GGUF order, LoRA pairs after their block). */
    public List<Param> trainable() {
        List<Param> out = new ArrayList<>();
        if (embeddingParam != null && embeddingParam.trainable()) out.add(embeddingParam);
        for (Block b : blocks) {
            for (Param p : new Param[] {b.attnNorm(), b.qNorm(), b.kNorm(), b.ffnNorm()}) if (p != null && p.trainable()) out.add(p);
            for (Linear l : b.linears()) {
                if (l.param != null && l.param.trainable()) out.add(l.param);
                if (l.bias != null && l.bias.trainable()) out.add(l.bias);
            }
            for (Linear l : b.linears()) {
                if (l.lora != null) {
                    out.add(l.lora.a());
                    out.add(l.lora.b());
                }
            }
        }
        if (outputNorm.trainable()) out.add(outputNorm);
        if (output.param != null && output.param != embeddingParam && output.param.trainable()) out.add(output.param);
        return out;
    }

    // ------------------------------------------------------------------ forward

    /** Per-linear LoRA activations: the (dropped-out) input, {@code A·input}, and the dropout scale per input value. */
    record LoraActs(float[] xd, float[] ax, float[] mask) {}

    static final class LayerActs {
        LayerActs() {}
        float[] xIn, r1, h1, qPre, qR, kPre, kR, q, k, v, lse, att, xMid, r2, h2, gate, up, act;
        final LoraActs[] lora = new LoraActs[7];
    }

    /** What a forward pass keeps for the backward pass. */
    public static final class Activations {
        final PackedBatch batch;
        final LayerActs[] layers;
        float[] xFinal, hf, rf, logits, lse;
        float[] logp;

        Activations(PackedBatch batch, int layers) {
            this.batch = batch;
            this.layers = new LayerActs[layers];
        }

        /** Natural-log probability of each target token. */
        public float[] logp() { return logp; }

        /**
         * The final hidden state (after the output norm: what the output layer multiplies) of each
         * target's position, {@code targets × dim}; null when the pass did not keep its activations.
         */
        public float[] finalHidden() { return hf; }

        public PackedBatch batch() { return batch; }
    }

    /**
     * Runs the batch forward.
     *
     * @param dropoutSeed seed of this pass's LoRA dropout masks, or null for no dropout (evaluation)
     * @param keep        keep the activations for {@link #backward}; false frees each layer's as it goes
     */
    public Activations forward(PackedBatch b, Long dropoutSeed, boolean keep) {
        int T = b.length(), dim = c.dim();
        ensureRope(maxPosition(b) + 1);
        Activations acts = new Activations(b, blocks.length);
        float[] x = new float[T * dim];
        int vocab = vocabularySize();
        for (int t = 0; t < T; t++) {
            int tok = b.tokens()[t];
            if (tok < 0 || tok >= vocab) throw new IllegalArgumentException("token id " + tok + " is outside the vocabulary [0, " + vocab + ")");
            embedding.decodeRow(tok, x, t * dim);
        }
        for (int l = 0; l < blocks.length; l++) {
            Block B = blocks[l];
            LayerActs a = new LayerActs();
            a.xIn = x;
            a.r1 = new float[T];
            a.h1 = rmsRows(x, T, dim, B.attnNorm().value(), a.r1);
            long s = dropoutSeed == null ? 0 : dropoutSeed * 0x9E3779B97F4A7C15L + l * 7L;
            float[] q = linear(B.q(), a.h1, T, a, 0, dropoutSeed == null ? null : s);
            float[] k = linear(B.k(), a.h1, T, a, 1, dropoutSeed == null ? null : s + 1);
            a.v = linear(B.v(), a.h1, T, a, 2, dropoutSeed == null ? null : s + 2);
            if (B.qNorm() != null) {
                a.qPre = q;
                a.qR = new float[T * c.heads()];
                q = rmsRows(q, T * c.heads(), c.headDim(), B.qNorm().value(), a.qR);
            }
            if (B.kNorm() != null) {
                a.kPre = k;
                a.kR = new float[T * c.kvHeads()];
                k = rmsRows(k, T * c.kvHeads(), c.headDim(), B.kNorm().value(), a.kR);
            }
            rope(q, b, c.heads(), false);
            rope(k, b, c.kvHeads(), false);
            a.q = q;
            a.k = k;
            a.lse = new float[T * c.heads()];
            a.att = attention(b, q, k, a.v, a.lse);
            float[] o = linear(B.o(), a.att, T, a, 3, dropoutSeed == null ? null : s + 3);
            float[] xMid = new float[T * dim];
            for (int i = 0; i < xMid.length; i++) xMid[i] = x[i] + o[i];
            a.xMid = xMid;
            a.r2 = new float[T];
            a.h2 = rmsRows(xMid, T, dim, B.ffnNorm().value(), a.r2);
            a.gate = linear(B.gate(), a.h2, T, a, 4, dropoutSeed == null ? null : s + 4);
            a.up = linear(B.up(), a.h2, T, a, 5, dropoutSeed == null ? null : s + 5);
            float[] act = swiglu(a.gate, a.up);
            a.act = act;
            float[] down = linear(B.down(), act, T, a, 6, dropoutSeed == null ? null : s + 6);
            float[] xOut = new float[T * dim];
            for (int i = 0; i < xOut.length; i++) xOut[i] = xMid[i] + down[i];
            if (keep) acts.layers[l] = a;
            x = xOut;
        }
        acts.xFinal = x;
        int nt = b.targets();
        float[] hf = new float[nt * dim], rf = new float[nt];
        for (int j = 0; j < nt; j++) rf[j] = rmsNorm(x, b.targetPos()[j] * dim, outputNorm.value(), dim, hf, j * dim);
        float[] logits = new float[nt * vocab];
        Kernels.forward(par, output.weight, hf, nt, logits);
        float[] lse = new float[nt], logp = new float[nt];
        par.forRange(nt, 4, (j0, j1) -> {
            for (int j = j0; j < j1; j++) {
                int off = j * vocab;
                float max = Float.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) max = Math.max(max, logits[off + v]);
                double sum = 0;
                for (int v = 0; v < vocab; v++) sum += Math.exp(logits[off + v] - max);
                lse[j] = (float) (max + Math.log(sum));
                logp[j] = (float) ((double) logits[off + b.targetToken()[j]] - max - Math.log(sum));
            }
        });
        acts.logp = logp;
        if (keep) {
            acts.hf = hf;
            acts.rf = rf;
            acts.logits = logits;
            acts.lse = lse;
        }
        return acts;
    }

    private static int maxPosition(PackedBatch b) {
        int m = 0;
        for (int p : b.positions()) m = Math.max(m, p);
        return m;
    }

    float[] linear(Linear L, float[] x, int T, LayerActs a, int slot, Long dropSeed) {
        int out = L.out(), in = L.in();
        float[] y = new float[T * out];
        Kernels.forward(par, L.weight, x, T, y);
        if (L.bias != null) {
            float[] bias = L.bias.value();
            for (int t = 0; t < T; t++) for (int i = 0; i < out; i++) y[t * out + i] += bias[i];
        }
        Lora lora = loraEnabled ? L.lora : null;
        if (lora != null) {
            float[] xd = x, mask = null;
            if (dropSeed != null && lora.dropout() > 0) {
                SplittableRandom r = new SplittableRandom(dropSeed);
                float keepScale = 1f / (1f - lora.dropout());
                mask = new float[T * in];
                xd = new float[T * in];
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = r.nextDouble() < lora.dropout() ? 0f : keepScale;
                    xd[i] = x[i] * mask[i];
                }
            }
            int r = lora.rank();
            float[] ax = new float[T * r];
            Kernels.forward(par, new ArrayMatrix(lora.a().value(), r, in), xd, T, ax);
            float[] bx = new float[T * out];
            Kernels.forward(par, new ArrayMatrix(lora.b().value(), out, r), ax, T, bx);
            for (int i = 0; i < y.length; i++) y[i] += lora.scale() * bx[i];
            a.lora[slot] = new LoraActs(xd, ax, mask);
        }
        return y;
    }

    /** {@code silu(gate) · up}, element-wise. */
    static float[] swiglu(float[] gate, float[] up) {
        float[] act = new float[gate.length];
        for (int i = 0; i < act.length; i++) act[i] = VectorMath.silu(gate[i]) * up[i];
        return act;
    }

    /** Backward of {@link #swiglu}: {@code silu'(g) = σ(g)(1 + g(1 − σ(g)))}. */
    static void swigluBackward(float[] gate, float[] up, float[] dact, float[] dgate, float[] dup) {
        for (int i = 0; i < dact.length; i++) {
            float g = gate[i];
            float sg = 1f / (1f + (float) Math.exp(-g));
            dup[i] = dact[i] * g * sg;
            dgate[i] = dact[i] * up[i] * sg * (1f + g * (1f - sg));
        }
    }

    /** RMS-normalises {@code rows} rows of width {@code n}; writes each row's scale to {@code r}. */
    float[] rmsRows(float[] x, int rows, int n, float[] w, float[] r) {
        float[] out = new float[rows * n];
        for (int i = 0; i < rows; i++) r[i] = rmsNorm(x, i * n, w, n, out, i * n);
        return out;
    }

    /** As {@link VectorMath#rmsNorm}; returns the scale 1/sqrt(mean(x²)+eps). */
    private float rmsNorm(float[] x, int xo, float[] w, int n, float[] out, int oo) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += (double) x[xo + i] * x[xo + i];
        float scale = (float) (1.0 / Math.sqrt((float) (sum / n) + c.rmsEps()));
        for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] * scale * w[i];
        return scale;
    }

    void ensureRope(int positions) {
        if (positions <= ropePositions) return;
        int half = c.ropeDims() / 2;
        float[] cs = new float[positions * half], sn = new float[positions * half];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                float theta = p * invFreq[i];
                if (ropeFreqs != null) theta /= ropeFreqs[i];
                theta *= c.ropeFreqScale();
                cs[p * half + i] = (float) Math.cos(theta);
                sn[p * half + i] = (float) Math.sin(theta);
            }
        }
        cos = cs;
        sin = sn;
        ropePositions = positions;
    }

    /** Rotates every head of every token in place; {@code inverse} rotates back (the backward pass). */
    void rope(float[] a, PackedBatch b, int heads, boolean inverse) {
        int d = c.headDim(), half = c.ropeDims() / 2, width = heads * d;
        boolean neox = c.ropeNeox();
        for (int t = 0; t < b.length(); t++) {
            int pos = b.positions()[t];
            for (int i = 0; i < half; i++) {
                float cs = cos[pos * half + i], sn = inverse ? -sin[pos * half + i] : sin[pos * half + i];
                for (int h = 0; h < heads; h++) {
                    int base = t * width + h * d;
                    int i0 = neox ? base + i : base + 2 * i;
                    int i1 = neox ? base + i + half : base + 2 * i + 1;
                    float x0 = a[i0], x1 = a[i1];
                    a[i0] = x0 * cs - x1 * sn;
                    a[i1] = x0 * sn + x1 * cs;
                }
            }
        }
    }

    float[] attention(PackedBatch b, float[] q, float[] k, float[] v, float[] lseOut) {
        int T = b.length(), heads = c.heads(), d = c.headDim(), dv = c.valueHeadDim();
        int group = heads / c.kvHeads(), qDim = c.qDim(), kvDim = c.kvDim(), vDim = c.vDim();
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] out = new float[T * heads * dv];
        par.forRange(T * heads, 8, (from, to) -> {
            float[] scores = new float[T];
            for (int job = from; job < to; job++) {
                int t = job / heads, h = job % heads, kvh = h / group;
                int s0 = b.seqStart()[t];
                float max = Float.NEGATIVE_INFINITY;
                for (int s = s0; s <= t; s++) {
                    scores[s] = VectorMath.dot(q, t * qDim + h * d, k, s * kvDim + kvh * d, d) * scale;
                    max = Math.max(max, scores[s]);
                }
                double sum = 0;
                for (int s = s0; s <= t; s++) sum += Math.exp(scores[s] - max);
                float lse = (float) (max + Math.log(sum));
                lseOut[t * heads + h] = lse;
                int oo = (t * heads + h) * dv;
                for (int s = s0; s <= t; s++) {
                    float p = (float) Math.exp(scores[s] - lse);
                    Kernels.axpy(out, oo, p, v, s * vDim + kvh * dv, dv);
                }
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ backward

    /**
     * Back-propagates {@code Σ_j coef[j] · logp[j]} through the kept activations and adds the
     * gradients to every trained {@link Param}.
     */
    public void backward(Activations acts, float[] coef) {
        backward(acts, coef, null);
    }

    /**
     * As {@link #backward(Activations, float[])}, with a further gradient {@code dHidden} on the
     * final hidden states ({@link Activations#finalHidden()}, {@code targets × dim}; may be null):
     * for a loss that also reads them, e.g. through a head besides the output layer.
     */
    public void backward(Activations acts, float[] coef, float[] dHidden) {
        PackedBatch b = acts.batch;
        int T = b.length(), dim = c.dim(), vocab = vocabularySize(), nt = b.targets();
        if (coef.length != nt) throw new IllegalArgumentException("need one coefficient per target: " + nt + ", got " + coef.length);
        float[] logits = acts.logits; // becomes dLoss/dlogits in place
        par.forRange(nt, 4, (j0, j1) -> {
            for (int j = j0; j < j1; j++) {
                int off = j * vocab;
                float g = coef[j], lse = acts.lse[j];
                for (int v = 0; v < vocab; v++) logits[off + v] = -g * (float) Math.exp(logits[off + v] - lse);
                logits[off + b.targetToken()[j]] += g;
            }
        });
        float[] dhf = new float[nt * dim];
        linearBackward(output, acts.hf, logits, nt, dhf, null);
        if (dHidden != null) {
            if (dHidden.length != dhf.length) throw new IllegalArgumentException("need " + dhf.length + " hidden-state gradients, got " + dHidden.length);
            for (int i = 0; i < dhf.length; i++) dhf[i] += dHidden[i];
        }
        acts.logits = null;
        float[] dx = new float[T * dim];
        for (int j = 0; j < nt; j++) {
            rmsBackward(acts.xFinal, b.targetPos()[j] * dim, acts.rf[j], outputNorm, dhf, j * dim, dx, b.targetPos()[j] * dim, dim);
        }
        for (int l = blocks.length - 1; l >= 0; l--) {
            Block B = blocks[l];
            LayerActs a = acts.layers[l];
            if (a == null) throw new IllegalStateException("forward ran without keeping activations");
            // feed-forward
            float[] dxMid = dx.clone();
            float[] dact = new float[a.act.length];
            linearBackward(B.down(), a.act, dx, T, dact, a.lora[6]);
            float[] dgate = new float[dact.length], dup = new float[dact.length];
            swigluBackward(a.gate, a.up, dact, dgate, dup);
            float[] dh2 = new float[T * dim];
            linearBackward(B.gate(), a.h2, dgate, T, dh2, a.lora[4]);
            linearBackward(B.up(), a.h2, dup, T, dh2, a.lora[5]);
            for (int t = 0; t < T; t++) rmsBackward(a.xMid, t * dim, a.r2[t], B.ffnNorm(), dh2, t * dim, dxMid, t * dim, dim);
            // attention
            float[] datt = new float[a.att.length];
            linearBackward(B.o(), a.att, dxMid, T, datt, a.lora[3]);
            float[] dq = new float[a.q.length], dk = new float[a.k.length], dv = new float[a.v.length];
            attentionBackward(b, a, datt, dq, dk, dv);
            rope(dq, b, c.heads(), true);
            rope(dk, b, c.kvHeads(), true);
            if (B.qNorm() != null) dq = headNormBackward(a.qPre, a.qR, B.qNorm(), dq, T * c.heads());
            if (B.kNorm() != null) dk = headNormBackward(a.kPre, a.kR, B.kNorm(), dk, T * c.kvHeads());
            float[] dh1 = new float[T * dim];
            linearBackward(B.q(), a.h1, dq, T, dh1, a.lora[0]);
            linearBackward(B.k(), a.h1, dk, T, dh1, a.lora[1]);
            linearBackward(B.v(), a.h1, dv, T, dh1, a.lora[2]);
            float[] dxIn = dxMid.clone();
            for (int t = 0; t < T; t++) rmsBackward(a.xIn, t * dim, a.r1[t], B.attnNorm(), dh1, t * dim, dxIn, t * dim, dim);
            dx = dxIn;
            acts.layers[l] = null;
        }
        if (embeddingParam != null && embeddingParam.trainable()) {
            float[] g = embeddingParam.grad();
            for (int t = 0; t < T; t++) Kernels.axpy(g, b.tokens()[t] * dim, 1f, dx, t * dim, dim);
        }
    }

    void linearBackward(Linear L, float[] x, float[] dy, int T, float[] dx, LoraActs la) {
        int out = L.out(), in = L.in();
        if (L.param != null && L.param.trainable()) Kernels.backwardWeight(par, dy, x, T, out, in, 1f, L.param.grad());
        if (L.bias != null && L.bias.trainable()) Kernels.backwardBias(dy, T, out, L.bias.grad());
        if (dx != null) Kernels.backwardInput(par, L.weight, dy, T, dx);
        Lora lora = L.lora;
        if (lora != null) {
            int r = lora.rank();
            float s = lora.scale();
            Kernels.backwardWeight(par, dy, la.ax(), T, out, r, s, lora.b().grad());
            float[] dax = new float[T * r];
            Kernels.backwardInput(par, new ArrayMatrix(lora.b().value(), out, r), dy, T, dax);
            for (int i = 0; i < dax.length; i++) dax[i] *= s;
            Kernels.backwardWeight(par, dax, la.xd(), T, r, in, 1f, lora.a().grad());
            if (dx != null) {
                float[] dxd = new float[T * in];
                Kernels.backwardInput(par, new ArrayMatrix(lora.a().value(), r, in), dax, T, dxd);
                if (la.mask() != null) for (int i = 0; i < dxd.length; i++) dxd[i] *= la.mask()[i];
                for (int i = 0; i < dxd.length; i++) dx[i] += dxd[i];
            }
        }
    }

    /**
     * Backward of {@code y = x·r·w} with {@code r = 1/sqrt(mean(x²)+eps)} for one row: adds to
     * {@code dx} and (when trained) to {@code w}'s gradient.
     */
    static void rmsBackward(float[] x, int xo, float r, Param w, float[] dy, int dyo, float[] dx, int dxo, int n) {
        float[] wv = w.value();
        double dot = 0;
        for (int i = 0; i < n; i++) dot += (double) dy[dyo + i] * wv[i] * x[xo + i];
        float k = (float) (dot * r * r * r / n);
        for (int i = 0; i < n; i++) dx[dxo + i] += r * dy[dyo + i] * wv[i] - k * x[xo + i];
        if (w.trainable()) {
            float[] g = w.grad();
            for (int i = 0; i < n; i++) g[i] += dy[dyo + i] * x[xo + i] * r;
        }
    }

    private float[] headNormBackward(float[] pre, float[] r, Param w, float[] dy, int rows) {
        int d = c.headDim();
        float[] dx = new float[dy.length];
        for (int i = 0; i < rows; i++) rmsBackward(pre, i * d, r[i], w, dy, i * d, dx, i * d, d);
        return dx;
    }

    void attentionBackward(PackedBatch b, LayerActs a, float[] dout, float[] dq, float[] dk, float[] dv) {
        int T = b.length(), heads = c.heads(), d = c.headDim(), dvh = c.valueHeadDim();
        int group = heads / c.kvHeads(), kvHeads = c.kvHeads(), qDim = c.qDim(), kvDim = c.kvDim(), vDim = c.vDim();
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] q = a.q, k = a.k, v = a.v, lse = a.lse;
        float[] delta = new float[T * heads]; // Σ_s p_s dP_s = dout · out
        par.forRange(T * heads, 8, (from, to) -> {
            for (int job = from; job < to; job++) {
                int t = job / heads, h = job % heads, kvh = h / group;
                int oo = (t * heads + h) * dvh;
                float D = VectorMath.dot(dout, oo, a.att, oo, dvh);
                delta[job] = D;
                for (int s = b.seqStart()[t]; s <= t; s++) {
                    float score = VectorMath.dot(q, t * qDim + h * d, k, s * kvDim + kvh * d, d) * scale;
                    float p = (float) Math.exp(score - lse[job]);
                    float dP = VectorMath.dot(dout, oo, v, s * vDim + kvh * dvh, dvh);
                    Kernels.axpy(dq, t * qDim + h * d, scale * p * (dP - D), k, s * kvDim + kvh * d, d);
                }
            }
        });
        par.forRange(T * kvHeads, 8, (from, to) -> {
            for (int job = from; job < to; job++) {
                int s = job / kvHeads, kvh = job % kvHeads;
                int start = b.seqStart()[s];
                for (int t = s; t < T && b.seqStart()[t] == start; t++) {
                    for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                        int qi = t * heads + h, oo = qi * dvh;
                        float score = VectorMath.dot(q, t * qDim + h * d, k, s * kvDim + kvh * d, d) * scale;
                        float p = (float) Math.exp(score - lse[qi]);
                        float dP = VectorMath.dot(dout, oo, v, s * vDim + kvh * dvh, dvh);
                        Kernels.axpy(dk, s * kvDim + kvh * d, scale * p * (dP - delta[qi]), q, t * qDim + h * d, d);
                        Kernels.axpy(dv, s * vDim + kvh * dvh, p, dout, oo, dvh);
                    }
                }
            }
        });
    }

    /** Switches the LoRA adapters off (the frozen base model, e.g. as a reference) or on. */
    public void loraEnabled(boolean on) { loraEnabled = on; }

    /** All gradients to zero. */
    public void zeroGrad() {
        for (Param p : trainable()) p.zeroGrad();
    }

    @Override
    public String toString() { return "Network" + Arrays.toString(new int[] {c.layers(), c.dim()}); }
}
