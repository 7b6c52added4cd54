package io.mocoj.local.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufFile;
import io.mocoj.local.testing.TinyAdapters;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import java.util.Optional;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraAdapterTest {
    static final SpecContext CTX = new SpecContext(Optional.empty(), 1);
    @TempDir static Path dir;
    static LocalModel base;
    static Path basePath;

    @BeforeAll
    static void load() throws IOException {
        basePath = TinyModels.write(dir.resolve("base.gguf"), TinyModels.Shape.llama(), GgmlType.Q8_0, 7);
        base = LocalModel.load(basePath, LocalModelOptions.builder().threads(1).build());
    }

    static LoraAdapter randomAdapter(LocalModel model, String name, int rank, float alpha, long seed) {
        return TinyAdapters.random(model, name, rank, alpha, seed);
    }

    static float[] logits(LocalModel m, int... tokens) {
        try (LocalModel.Session s = m.newSession()) {
            s.append(tokens);
            return s.logits();
        }
    }

    static float maxDiff(float[] x, float[] y) {
        float d = 0;
        for (int i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
        return d;
    }

    @Test
    void writesLlamaCppsAdapterFormatAndReadsItBack() {
        LoraAdapter a = randomAdapter(base, "a", 4, 8f, 1);
        Path file = dir.resolve("a.gguf");
        a.save(file);
        try {
            GgufFile f = GgufFile.open(file);
            assertEquals("adapter", f.metadata().get("general.type"));
            assertEquals("lora", f.metadata().get("adapter.type"));
            assertEquals(8.0, ((Number) f.metadata().get("adapter.lora.alpha")).doubleValue(), 0);
            assertEquals("llama", f.metadata().get("general.architecture"));
            // ggml dimensions: lora_a [in, rank], lora_b [rank, out]
            assertArrayEquals(new long[] {64, 4}, f.tensor("blk.0.attn_q.weight.lora_a").dimensions());
            assertArrayEquals(new long[] {4, 64}, f.tensor("blk.0.attn_q.weight.lora_b").dimensions());
            assertArrayEquals(new long[] {96, 4}, f.tensor("blk.1.ffn_down.weight.lora_a").dimensions());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        LoraAdapter back = LoraAdapter.load(file);
        assertEquals(a.tensors(), back.tensors());
        assertEquals(8f, back.alpha());
        assertEquals("a", back.name());
    }

    @Test
    void appliedAdapterEqualsAHandMergedModel() {
        LoraAdapter a = randomAdapter(base, "a", 4, 8f, 2);
        double scale = 0.5;
        // W' = W + scale * alpha / rank * B A, written out here independently of the library's code
        Map<String, float[]> merged = new LinkedHashMap<>();
        for (LoraTensor t : a.tensors().values()) {
            float[] w = base.tensor(t.baseTensor());
            float f = (float) (scale * 8 / 4);
            for (int o = 0; o < t.out(); o++)
                for (int i = 0; i < t.in(); i++) {
                    double s = 0;
                    for (int j = 0; j < t.rank(); j++) s += t.b()[o * t.rank() + j] * t.a()[j * t.in() + i];
                    w[o * t.in() + i] += (float) (f * s);
                }
            merged.put(t.baseTensor(), w);
        }
        LocalModel byHand = base.withTensors("hand", merged);
        LocalModel applied = base.withAdapters("applied", List.of(a.scaled(scale)));
        LocalModel mergedByLib = base.mergeAdapters("merged", List.of(a.scaled(scale)));
        int[] prompt = {5, 77, 123, 260, 9, 42};
        float[] ref = logits(byHand, prompt);
        // the applied model multiplies Q8_0 weights with Q8_0-rounded activations and the adapter in F32; the
        // hand-merged model is F32: the difference is the activation rounding of the base product only
        assertTrue(maxDiff(ref, logits(applied, prompt)) < 0.05f, "applied vs hand-merged " + maxDiff(ref, logits(applied, prompt)));
        assertEquals(0f, maxDiff(ref, logits(mergedByLib, prompt)), 1e-5f);
        assertTrue(maxDiff(ref, logits(base, prompt)) > 0.1f, "the adapter must change the logits");
        // effective weights are readable, the untouched ones are the base's
        assertArrayEquals(merged.get("blk.0.attn_q.weight"), applied.tensor("blk.0.attn_q.weight"), 1e-5f);
        assertArrayEquals(base.tensor("blk.0.attn_k.weight"), applied.tensor("blk.0.attn_k.weight"));
    }

    @Test
    void appliedAdapterOnF32BaseMatchesTheMergeClosely() throws IOException {
        Path f32 = TinyModels.write(dir.resolve("base32.gguf"), TinyModels.Shape.qwen2(), GgmlType.F32, 9);
        LocalModel m = LocalModel.load(f32, LocalModelOptions.builder().threads(2).build());
        LoraAdapter a = randomAdapter(m, "a", 2, 0f, 3), b = randomAdapter(m, "b", 3, 6f, 4);
        List<LoraAdapter.Scaled> both = List.of(a.scaled(0.7), b.scaled(-0.4));
        int[] prompt = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(0f, maxDiff(logits(m.mergeAdapters("m", both), prompt), logits(m.withAdapters("w", both), prompt)), 2e-4f);
        // zero scale leaves the base unchanged
        assertEquals(0f, maxDiff(logits(m, prompt), logits(m.withAdapters("z", List.of(a.scaled(0))), prompt)), 1e-6f);
    }

    @Test
    void weightedSumCombinesPairByPair() {
        LoraAdapter a = randomAdapter(base, "a", 2, 4f, 5), b = randomAdapter(base, "b", 2, 4f, 6);
        LoraAdapter c = LoraAdapter.weightedSum("c", List.of(a, b), new double[] {0.25, -2});
        LoraTensor ta = a.tensors().get("blk.1.attn_v.weight"), tb = b.tensors().get("blk.1.attn_v.weight"),
                tc = c.tensors().get("blk.1.attn_v.weight");
        assertEquals(0.25f * ta.a()[7] - 2f * tb.a()[7], tc.a()[7], 1e-6f);
        assertEquals(0.25f * ta.b()[11] - 2f * tb.b()[11], tc.b()[11], 1e-6f);
        LoraAdapter other = randomAdapter(base, "d", 3, 4f, 7);
        assertThrows(IllegalArgumentException.class, () -> LoraAdapter.weightedSum("x", List.of(a, other), new double[] {1, 1}));
    }

    @Test
    void anAdapterForAnotherBaseIsRefusedNamingTheTensor() throws IOException {
        Path otherPath = TinyModels.write(dir.resolve("wide.gguf"),
                new TinyModels.Shape("llama", 96, 2, 4, 2, 96, 40, 256, false, 10000f), GgmlType.F32, 1);
        LocalModel wide = LocalModel.load(otherPath, LocalModelOptions.builder().threads(1).build());
        LoraAdapter forWide = randomAdapter(wide, "wide-adapter", 2, 0, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> base.withAdapters("x", List.of(forWide.scaled(1))));
        assertTrue(e.getMessage().contains("blk.0.attn_q.weight") && e.getMessage().contains("[96, 96]")
                && e.getMessage().contains("[64, 64]"), e.getMessage());
        LoraAdapter qwen = LoraAdapter.of("q", "qwen2", 0, List.copyOf(randomAdapter(base, "q", 2, 0, 9).tensors().values()));
        e = assertThrows(IllegalArgumentException.class, () -> base.withAdapters("x", List.of(qwen.scaled(1))));
        assertTrue(e.getMessage().contains("'qwen2'") && e.getMessage().contains("'llama'"), e.getMessage());
        LoraAdapter missing = LoraAdapter.of("m", "llama", 0, List.of(new LoraTensor("blk.9.attn_q.weight", 1, 64, 64, new float[64], new float[64])));
        e = assertThrows(IllegalArgumentException.class, () -> base.withAdapters("x", List.of(missing.scaled(1))));
        assertTrue(e.getMessage().contains("blk.9.attn_q.weight"), e.getMessage());
    }

    @Test
    void aModelFileIsNotAnAdapter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoraAdapter.load(basePath));
        assertTrue(e.getMessage().contains("general.type"), e.getMessage());
    }

    @Test
    void ggufSpecsApplyAdaptersWithScales() {
        LoraAdapter a = randomAdapter(base, "spec-a", 2, 0f, 10), b = randomAdapter(base, "spec-b", 2, 0f, 11);
        Path pa = dir.resolve("spec-a.gguf"), pb = dir.resolve("spec-b.gguf");
        a.save(pa);
        b.save(pb, GgmlType.F16);
        ModelEndpoint m = ModelSpecs.resolve("gguf:" + basePath + "?threads=1&lora=" + pa + ":0.5," + pb + ":-1.5", CTX);
        assertEquals("base+spec-a@0.5+spec-b@-1.5", m.name());
        LocalModel viaSpec = (LocalModel) m;
        LocalModel direct = base.withAdapters("d", List.of(a.scaled(0.5), LoraAdapter.load(pb).scaled(-1.5)));
        int[] prompt = {3, 4, 5};
        assertEquals(0f, maxDiff(logits(direct, prompt), logits(viaSpec, prompt)), 0f);
        ModelEndpoint one = ModelSpecs.resolve("gguf:" + basePath + "?lora=" + pa + "&name=tuned", CTX);
        assertEquals("tuned", one.name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.resolve("gguf:" + basePath + "?lora=" + pa + ":half", CTX));
        assertTrue(e.getMessage().contains("'half'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpecs.resolve("gguf:" + basePath + "?lora=" + dir.resolve("none.gguf"), CTX));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void adaptedModelsOnOneBaseComposeTheirAdaptersPairByPair() {
        LoraAdapter a = randomAdapter(base, "ca", 2, 4f, 12), b = randomAdapter(base, "cb", 2, 4f, 13);
        LocalModel withA = base.withAdapters("with-a", List.of(a.scaled(0.5))), withB = base.withAdapters("with-b", List.of(b.scaled(1)));
        assertEquals(base.identity(), withA.baseIdentity());
        LocalModel composed = withA.composeAdapters("hub", List.of(withA, withB), new double[] {2, -1});
        // 2 * (A_a, 0.5 B_a) + (-1) * (A_b, B_b), pair by pair
        LoraTensor ta = a.tensors().get("blk.0.attn_v.weight"), tb = b.tensors().get("blk.0.attn_v.weight");
        LoraTensor tc = composed.adapters().get(0).adapter().tensors().get("blk.0.attn_v.weight");
        assertEquals(2 * ta.a()[3] - tb.a()[3], tc.a()[3], 1e-6f);
        assertEquals(2 * 0.5f * ta.b()[5] - tb.b()[5], tc.b()[5], 1e-6f);
        assertEquals(1, composed.adapters().size());
        assertEquals(base.identity(), composed.baseIdentity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withA.composeAdapters("x", List.of(withA, base), new double[] {1, 1}));
        assertTrue(e.getMessage().contains("0 LoRA adapters"), e.getMessage());
    }
}
