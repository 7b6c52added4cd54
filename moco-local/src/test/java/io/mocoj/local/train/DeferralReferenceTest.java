package io.mocoj.local.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.train.internal.DeferralLoss;
import io.mocoj.local.train.internal.Network;
import io.mocoj.local.train.internal.NetworkFactory;
import io.mocoj.local.train.internal.PackedBatch;
import io.mocoj.local.train.internal.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Co-LLM's joint objective against PyTorch: loss and gradients (every LoRA tensor, the head's
 * weight and bias) written by {@code tools/torch-reference/make_deferral_reference.py}, which
 * spells the loss with torch's own {@code logsigmoid}/{@code logsumexp} as Co-LLM's trainer does
 * and lets autograd differentiate it. Same tolerances as {@link TorchReferenceTest}.
 */
class DeferralReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"fixtures/tiny-qwen2-bpe-f32", "engine-fixtures/tiny-qwen3-f32", "engine-fixtures/tiny-llama-ropescale-f32"})
    void jointLossAndGradientsMatchPyTorch(String fixture) throws IOException {
        Path res = Path.of("src/test/resources");
        JsonNode ref = JSON.readTree(res.resolve("fixtures/reference/" + Path.of(fixture).getFileName() + ".deferral.json").toFile());
        LocalModel model = LocalModel.load(res.resolve(fixture + ".gguf"), LocalModelOptions.builder().threads(2).build());
        JsonNode lora = ref.get("lora");
        try (Parallel par = new Parallel(2)) {
            Network net = NetworkFactory.build(model, par, LoraConfig.of(lora.get("rank").asInt()).withAlpha(lora.get("alpha").asDouble()).withDropout(0), 1);
            TorchReferenceTest.setFixedLora(net);
            PackedBatch batch = TorchReferenceTest.batch(ref.get("batch"));
            int dim = model.hiddenSize(), nt = batch.targets();
            float[] w = new float[dim], logq = new float[nt];
            for (int i = 0; i < dim; i++) w[i] = (float) (0.3 * Math.sin(0.37 * i + 1));
            for (int j = 0; j < nt; j++) logq[j] = (float) (-0.5 - (1 + Math.sin(1.3 * j)));
            Param weight = new Param("collm.deferral.weight", 1, dim, w, true), bias = new Param("collm.deferral.bias", 1, 1, new float[] {-0.2f}, true);
            Network.Activations acts = net.forward(batch, null, true);
            DeferralLoss.Result r = DeferralLoss.apply(net, acts, logq, weight, bias, 1.0 / nt, true);
            double want = ref.get("loss").asDouble();
            assertEquals(want, r.loss(), 1e-5 * Math.abs(want), "loss");
            assertEquals(ref.get("meanDeferral").asDouble(), r.deferralSum() / nt, 1e-5, "mean deferral probability");
            Map<String, Param> params = new HashMap<>();
            for (Param p : net.trainable()) params.put(p.name(), p);
            params.put(weight.name(), weight);
            params.put(bias.name(), bias);
            for (JsonNode g : ref.get("gradients")) {
                String name = g.get("name").asText();
                Param p = params.remove(name);
                assertNotNull(p, "no trained tensor " + name);
                double norm = 0;
                for (float v : p.grad()) norm += (double) v * v;
                norm = Math.sqrt(norm);
                double wantNorm = g.get("norm").asDouble();
                assertEquals(wantNorm, norm, 1e-4 * wantNorm + 1e-12, name + " gradient norm");
                double diff = 0, scale = 0;
                for (int i = 0; i < g.get("indices").size(); i++) {
                    double v = g.get("values").get(i).asDouble(), got = p.grad()[g.get("indices").get(i).asInt()];
                    diff += (got - v) * (got - v);
                    scale += v * v;
                }
                assertTrue(Math.sqrt(diff) <= 1e-4 * Math.sqrt(scale) + 1e-12, name + ": sampled gradient values differ by " + Math.sqrt(diff));
            }
            assertTrue(params.isEmpty(), "tensors trained but not in the reference: " + params.keySet());
        }
    }
}
