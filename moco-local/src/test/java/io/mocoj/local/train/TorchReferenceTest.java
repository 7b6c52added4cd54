package io.mocoj.local.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.train.internal.Losses;
import io.mocoj.local.train.internal.Network;
import io.mocoj.local.train.internal.NetworkFactory;
import io.mocoj.local.train.internal.PackedBatch;
import io.mocoj.local.train.internal.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The training graph against PyTorch: losses and gradients written by
 * {@code tools/torch-reference/make_train_reference.py} (float64 PyTorch on the same F32 fixture
 * weights and packed batch). Loss within 1e-5 relative; per tensor, the gradient norm and the
 * vector of sampled gradient values within 1e-4 relative.
 */
class TorchReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String f : new String[] {"fixtures/tiny-qwen2-bpe-f32", "engine-fixtures/tiny-qwen3-f32", "engine-fixtures/tiny-llama-ropescale-f32"}) {
            for (String c : new String[] {"sft_full", "sft_lora", "dpo_lora", "grpo_lora"}) b.add(Arguments.of(f, c));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void lossAndGradientsMatchPyTorch(String fixture, String kase) throws IOException {
        Path res = Path.of("src/test/resources");
        String base = Path.of(fixture).getFileName().toString();
        JsonNode ref = JSON.readTree(res.resolve("fixtures/reference/" + base + ".train.json").toFile());
        LocalModel model = LocalModel.load(res.resolve(fixture + ".gguf"), LocalModelOptions.builder().threads(2).build());
        JsonNode lora = ref.get("lora");
        boolean full = kase.equals("sft_full");
        try (Parallel par = new Parallel(2)) {
            Network net = NetworkFactory.build(model, par,
                    full ? null : LoraConfig.of(lora.get("rank").asInt()).withAlpha(lora.get("alpha").asDouble()).withDropout(0), 1);
            if (!full) setFixedLora(net);
            PackedBatch batch = batch(ref.get("batch"));
            Network.Activations acts = net.forward(batch, null, true);
            float[] logp = acts.logp();
            float[] coef = new float[logp.length];
            double loss = switch (kase) {
                case "sft_full", "sft_lora" -> Losses.sft(logp, 1.0 / logp.length, coef);
                case "dpo_lora" -> Losses.dpo(logp, batch.targetSeq(), batch.sequences(), doubles(ref.get("refLogp")),
                        ref.get("dpoBeta").asDouble(), 1.0 / (batch.sequences() / 2), coef, null);
                default -> grpo(ref, batch, logp, coef);
            };
            if (full) {
                // sanity: the base model's log-probabilities as PyTorch computed them
                JsonNode bl = ref.get("baseLogp");
                for (int j = 0; j < logp.length; j++) assertEquals(bl.get(j).asDouble(), logp[j], 2e-5 * Math.max(1, Math.abs(logp[j])), "logp " + j);
            }
            JsonNode c = ref.get("cases").get(kase);
            double want = c.get("loss").asDouble();
            assertEquals(want, loss, 1e-5 * Math.abs(want), "loss");
            net.backward(acts, coef);
            Map<String, Param> params = new HashMap<>();
            for (Param p : net.trainable()) params.put(p.name(), p);
            for (JsonNode g : c.get("gradients")) {
                String name = g.get("name").asText();
                Param p = params.get(name);
                assertNotNull(p, "no trained tensor " + name);
                float[] grad = p.grad();
                double norm = 0;
                for (float v : grad) norm += (double) v * v;
                norm = Math.sqrt(norm);
                double wantNorm = g.get("norm").asDouble();
                assertEquals(wantNorm, norm, 1e-4 * wantNorm + 1e-12, name + " gradient norm");
                double diff = 0, scale = 0;
                for (int i = 0; i < g.get("indices").size(); i++) {
                    double w = g.get("values").get(i).asDouble();
                    double got = grad[g.get("indices").get(i).asInt()];
                    diff += (got - w) * (got - w);
                    scale += w * w;
                }
                assertTrue(Math.sqrt(diff) <= 1e-4 * Math.sqrt(scale) + 1e-12,
                        name + ": sampled gradient values differ by " + Math.sqrt(diff) + " (norm " + Math.sqrt(scale) + ")");
                params.remove(name);
            }
            assertTrue(params.isEmpty(), "tensors trained but not in the reference: " + params.keySet());
        }
    }

    private static double grpo(JsonNode ref, PackedBatch batch, float[] logp, float[] coef) {
        JsonNode g = ref.get("grpo");
        double[] rewards = doubles(g.get("rewards"));
        double[] adv = Losses.groupAdvantages(rewards);
        int n = logp.length;
        double[] old = new double[n], rf = new double[n];
        for (int j = 0; j < n; j++) {
            old[j] = logp[j] + 0.3 * Math.sin(j + 1);
            rf[j] = logp[j] + 0.1 * Math.cos(j + 1);
        }
        int[] counts = new int[batch.sequences()];
        for (int s : batch.targetSeq()) counts[s]++;
        double[] w = new double[batch.sequences()];
        for (int i = 0; i < w.length; i++) w[i] = 1.0 / (batch.sequences() * counts[i]);
        return Losses.grpo(logp, batch.targetSeq(), adv, old, rf, g.get("eps").asDouble(), g.get("beta").asDouble(), w, coef);
    }

    /** The script's deterministic adapter values: A = 0.05 sin(0.7 i + n), B = 0.05 cos(0.3 i + n). */
    static void setFixedLora(Network net) {
        int n = 0;
        for (Network.Block b : net.blocks()) {
            for (Network.Linear l : b.linears()) {
                float[] a = l.lora().a().value(), bb = l.lora().b().value();
                for (int i = 0; i < a.length; i++) a[i] = (float) (0.05 * Math.sin(0.7 * i + n));
                for (int i = 0; i < bb.length; i++) bb[i] = (float) (0.05 * Math.cos(0.3 * i + n));
                n++;
            }
        }
    }

    static PackedBatch batch(JsonNode b) {
        return new PackedBatch(ints(b.get("tokens")), ints(b.get("positions")), ints(b.get("seqStart")), ints(b.get("targetPos")),
                ints(b.get("targetToken")), ints(b.get("targetSeq")), b.get("sequences").asInt());
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asDouble();
        return out;
    }
}
