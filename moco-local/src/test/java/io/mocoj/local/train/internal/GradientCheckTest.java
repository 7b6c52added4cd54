package io.mocoj.local.train.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.internal.llama.LlamaConfig;
import io.mocoj.local.internal.tensor.ArrayMatrix;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite-difference checks of every op's backward pass in isolation (central differences of the
 * scalar {@code L = Σ r·y} for a fixed random {@code r}), and of the whole graph with every tensor
 * trained on small random models of each architecture.
 */
class GradientCheckTest {
    private static final Parallel PAR = new Parallel(2);
    private static final double EPS = 3e-3;
    private static final double TOL = 5e-3;

    @AfterAll
    static void close() { PAR.close(); }

    private static float[] random(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    private static double dot(float[] r, float[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (double) r[i] * y[i];
        return s;
    }

    /** Compares {@code analytic} with central differences of {@code loss} over (up to 40) coordinates of {@code x}. */
    static void check(String what, float[] x, float[] analytic, DoubleSupplier loss) {
        Random pick = new Random(what.hashCode());
        int n = Math.min(40, x.length);
        double diff = 0, norm = 0;
        for (int k = 0; k < n; k++) {
            int i = x.length <= 40 ? k : pick.nextInt(x.length);
            float orig = x[i];
            x[i] = (float) (orig + EPS);
            double lp = loss.getAsDouble();
            x[i] = (float) (orig - EPS);
            double lm = loss.getAsDouble();
            x[i] = orig;
            double fd = (lp - lm) / ((double) (float) (orig + EPS) - (float) (orig - EPS));
            diff += (fd - analytic[i]) * (fd - analytic[i]);
            norm += fd * fd;
        }
        assertTrue(norm > 0, what + ": the sampled gradient is zero, the check would prove nothing");
        assertTrue(Math.sqrt(diff) <= TOL * Math.sqrt(norm), what + ": analytic and finite-difference gradients differ by "
                + Math.sqrt(diff) + " (norm " + Math.sqrt(norm) + ")");
    }

    private static Network bare(LlamaConfig c, float[] ropeFreqs) {
        Param norm = new Param("output_norm.weight", 1, c.dim(), new float[c.dim()], false);
        ArrayMatrix emb = new ArrayMatrix(new float[4 * c.dim()], 4, c.dim());
        return new Network(c, PAR, emb, null, norm, new Network.Linear("out", emb, null, null), ropeFreqs, new Network.Block[0]);
    }

    private static LlamaConfig config(boolean neox) {
        return new LlamaConfig(neox ? "qwen2" : "llama", 16, 0, 4, 2, 4, 4, 24, 64, 1e-5f, 10000f, 0.5f, 4, neox);
    }

    private static PackedBatch twoSequences() {
        return PackedBatch.pack(List.of(new int[] {0, 1, 2}, new int[] {3, 2, 1, 0}),
                List.of(new boolean[] {false, true, true}, new boolean[] {false, true, true, true}));
    }

    @Test
    void rmsNorm() {
        Random r = new Random(1);
        Network net = bare(config(false), null);
        int rows = 3, n = 16;
        float[] x = random(r, rows * n, 1), rr = random(r, rows * n, 1);
        Param w = new Param("w", 1, n, random(r, n, 1), true);
        DoubleSupplier loss = () -> dot(rr, net.rmsRows(x, rows, n, w.value(), new float[rows]));
        float[] scale = new float[rows];
        net.rmsRows(x, rows, n, w.value(), scale);
        float[] dx = new float[x.length];
        for (int i = 0; i < rows; i++) Network.rmsBackward(x, i * n, scale[i], w, rr, i * n, dx, i * n, n);
        check("rms dx", x, dx, loss);
        check("rms dw", w.value(), w.grad(), loss);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void ropeWithScalingAndFrequencyFactors(boolean neox) {
        Random r = new Random(2);
        Network net = bare(config(neox), new float[] {1f, 2.5f});
        PackedBatch b = twoSequences();
        net.ensureRope(8);
        int width = 4 * 4;
        float[] x = random(r, b.length() * width, 1), rr = random(r, x.length, 1);
        DoubleSupplier loss = () -> {
            float[] y = x.clone();
            net.rope(y, b, 4, false);
            return dot(rr, y);
        };
        float[] dx = rr.clone();
        net.rope(dx, b, 4, true);
        check("rope dx (neox=" + neox + ")", x, dx, loss);
    }

    @Test
    void packedCausalGroupedQueryAttention() {
        Random r = new Random(3);
        LlamaConfig c = config(false);
        Network net = bare(c, null);
        PackedBatch b = twoSequences();
        int T = b.length();
        float[] q = random(r, T * c.qDim(), 1), k = random(r, T * c.kvDim(), 1), v = random(r, T * c.vDim(), 1);
        float[] rr = random(r, T * c.qDim(), 1);
        DoubleSupplier loss = () -> dot(rr, net.attention(b, q, k, v, new float[T * c.heads()]));
        Network.LayerActs a = new Network.LayerActs();
        a.q = q;
        a.k = k;
        a.v = v;
        a.lse = new float[T * c.heads()];
        a.att = net.attention(b, q, k, v, a.lse);
        float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
        net.attentionBackward(b, a, rr, dq, dk, dv);
        check("attention dq", q, dq, loss);
        check("attention dk", k, dk, loss);
        check("attention dv", v, dv, loss);
    }

    @Test
    void linearWithBiasAndLoraWithDropout() {
        Random r = new Random(4);
        Network net = bare(config(false), null);
        int T = 5, in = 12, out = 10, rank = 3;
        Param w = new Param("w", out, in, random(r, out * in, 0.3), true);
        Param bias = new Param("b", 1, out, random(r, out, 0.3), true);
        Network.Linear lin = new Network.Linear("w", new ArrayMatrix(w.value(), out, in), w, bias);
        lin.lora(new Network.Lora(new Param("a", rank, in, random(r, rank * in, 0.3), true),
                new Param("bb", out, rank, random(r, out * rank, 0.3), true), 2f, 0.3f));
        float[] x = random(r, T * in, 1), rr = random(r, T * out, 1);
        DoubleSupplier loss = () -> dot(rr, net.linear(lin, x, T, new Network.LayerActs(), 0, 77L));
        Network.LayerActs a = new Network.LayerActs();
        net.linear(lin, x, T, a, 0, 77L);
        float[] dx = new float[x.length];
        net.linearBackward(lin, x, rr, T, dx, a.lora[0]);
        check("linear dx", x, dx, loss);
        check("linear dW", w.value(), w.grad(), loss);
        check("linear db", bias.value(), bias.grad(), loss);
        check("lora dA", lin.lora().a().value(), lin.lora().a().grad(), loss);
        check("lora dB", lin.lora().b().value(), lin.lora().b().grad(), loss);
    }

    @Test
    void swiglu() {
        Random r = new Random(5);
        float[] g = random(r, 30, 2), u = random(r, 30, 1), rr = random(r, 30, 1);
        DoubleSupplier loss = () -> dot(rr, Network.swiglu(g, u));
        float[] dg = new float[30], du = new float[30];
        Network.swigluBackward(g, u, rr, dg, du);
        check("swiglu dgate", g, dg, loss);
        check("swiglu dup", u, du, loss);
    }

    /**
     * The whole graph (embedding, norms, biases, q/k norms, attention, SwiGLU, tied or separate
     * output, cross-entropy) with every tensor trained, on llama (separate output), qwen2
     * (biases, tied) and qwen3 (q/k norms, tied).
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3"})
    void wholeModelCrossEntropy(String arch, @TempDir Path tmp) throws IOException {
        TinyModels.Shape s = new TinyModels.Shape(arch, 16, 2, 4, 2, 24, 10, 64, !arch.equals("llama"), 10000f);
        Path file = TinyModels.write(tmp.resolve(arch + ".gguf"), s, GgmlType.F32, 9);
        LocalModel model = LocalModel.load(file, LocalModelOptions.builder().threads(1).build());
        Network net = NetworkFactory.build(model, PAR, null, 1);
        PackedBatch b = PackedBatch.pack(List.of(new int[] {5, 70, 33, 8}, new int[] {1, 200, 9}),
                List.of(new boolean[] {false, false, true, true}, new boolean[] {false, true, true}));
        DoubleSupplier loss = () -> {
            float[] lp = net.forward(b, null, false).logp();
            return Losses.sft(lp, 1.0 / lp.length, new float[lp.length]);
        };
        Network.Activations acts = net.forward(b, null, true);
        float[] coef = new float[acts.logp().length];
        Losses.sft(acts.logp(), 1.0 / coef.length, coef);
        net.backward(acts, coef);
        for (Param p : net.trainable()) check(arch + " " + p.name(), p.value(), p.grad(), loss);
    }
}
