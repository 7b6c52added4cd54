package io.mocoj.local.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.local.train.LoraConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Co-LLM's joint objective ({@link Losses#deferral}, {@link DeferralLoss}) against central finite
 * differences: the loss of the mixture alone, and the whole graph with LoRA (or every tensor) and
 * the deferral head trained together, the head's gradient reaching the model through the hidden
 * states.
 */
class DeferralGradientTest {
    private static final Parallel PAR = new Parallel(2);

    @AfterAll
    static void close() { PAR.close(); }

    /** {@code −log((1−σ(z))e^lp + σ(z)e^lq)} written out directly, in double. */
    private static double mixture(double lp, double z, double lq) {
        double s = 1 / (1 + Math.exp(-z));
        return -Math.log((1 - s) * Math.exp(lp) + s * Math.exp(lq));
    }

    @Test
    void theMixtureLossAndItsTwoGradientsMatchCentralDifferences() {
        Random r = new Random(21);
        int n = 30;
        float[] lp = new float[n], lq = new float[n];
        double[] z = new double[n];
        for (int j = 0; j < n; j++) {
            lp[j] = (float) (-0.05 - 6 * r.nextDouble());
            lq[j] = (float) (-0.05 - 6 * r.nextDouble());
            z[j] = 4 * r.nextGaussian();
        }
        lp[0] = -40f; // far apart: the stable form must not underflow
        lq[1] = -45f;
        double w = 1.0 / n;
        float[] coef = new float[n];
        double[] dz = new double[n], share = new double[n];
        double loss = Losses.deferral(lp, z, lq, w, coef, dz, share);
        double direct = 0;
        for (int j = 0; j < n; j++) direct += w * mixture(lp[j], z[j], lq[j]);
        assertEquals(direct, loss, 1e-9 * Math.abs(direct));
        double e = 1e-5;
        for (int j = 0; j < n; j++) {
            double dlp = w * (mixture(lp[j] + e, z[j], lq[j]) - mixture(lp[j] - e, z[j], lq[j])) / (2 * e);
            double dzz = w * (mixture(lp[j], z[j] + e, lq[j]) - mixture(lp[j], z[j] - e, lq[j])) / (2 * e);
            assertEquals(dlp, coef[j], 1e-6 * w + 1e-4 * Math.abs(dlp), "dLoss/dlogp " + j);
            assertEquals(dzz, dz[j], 1e-6 * w + 1e-4 * Math.abs(dzz), "dLoss/dz " + j);
            // posterior shares: the generator's share is −coef/w, the two sum to one
            assertEquals(1.0, share[j] - coef[j] / w, 1e-6);
        }
    }

    /**
     * The whole graph of llama (separate output) and qwen2 (biases, tied output): LoRA on every
     * linear and the head, or every tensor and the head, under the joint loss.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama-lora", "qwen2-lora", "qwen2-full"})
    void theJointLossReachesEveryTrainedTensorAndTheHead(String kase, @TempDir Path tmp) throws IOException {
        String arch = kase.substring(0, kase.indexOf('-'));
        boolean full = kase.endsWith("full");
        TinyModels.Shape s = new TinyModels.Shape(arch, 16, 2, 4, 2, 24, 10, 64, !arch.equals("llama"), 10000f);
        Path file = TinyModels.write(tmp.resolve(arch + ".gguf"), s, GgmlType.F32, 9);
        LocalModel model = LocalModel.load(file, LocalModelOptions.builder().threads(1).build());
        Network net = NetworkFactory.build(model, PAR, full ? null : LoraConfig.of(2).withAlpha(4).withDropout(0), 1);
        Random r = new Random(kase.hashCode());
        List<Param> params = new ArrayList<>(net.trainable());
        if (!full) for (Param p : params) for (int i = 0; i < p.size(); i++) p.value()[i] = (float) (0.2 * r.nextGaussian()); // B starts at 0
        Param w = new Param("head.w", 1, 16, new float[16], true), b = new Param("head.b", 1, 1, new float[] {0.3f}, true);
        for (int i = 0; i < 16; i++) w.value()[i] = (float) (0.6 * r.nextGaussian());
        PackedBatch batch = PackedBatch.pack(List.of(new int[] {5, 70, 33, 8, 41}, new int[] {1, 200, 9}),
                List.of(new boolean[] {false, false, true, true, true}, new boolean[] {false, true, true}));
        float[] logq = new float[batch.targets()];
        for (int j = 0; j < logq.length; j++) logq[j] = (float) (-1 - 4 * r.nextDouble());
        double weight = 1.0 / logq.length;
        DoubleSupplier loss = () -> DeferralLoss.apply(net, net.forward(batch, null, true), logq, w, b, weight, false).loss();
        Network.Activations acts = net.forward(batch, null, true);
        DeferralLoss.apply(net, acts, logq, w, b, weight, true);
        params.add(w);
        params.add(b);
        for (Param p : params) GradientCheckTest.check(kase + " " + p.name(), p.value(), p.grad(), loss);
        assertTrue(params.size() > 2, "the model's tensors are checked too");
    }
}
