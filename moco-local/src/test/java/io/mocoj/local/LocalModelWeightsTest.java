package io.mocoj.local;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufFile;
import io.mocoj.local.gguf.GgufValueType;
import io.mocoj.local.gguf.GgufWriter;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.model.Capability;
import io.mocoj.model.DecodingSession;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelWeightsTest {
    @TempDir static Path dir;
    static Path file;
    static LocalModel model;
    static final int[] PROMPT = {10, 20, 30, 40};

    @BeforeAll
    static void load() throws IOException {
        file = TinyModels.write(dir.resolve("tiny.gguf"), TinyModels.Shape.llama(), GgmlType.F32, 5);
        model = LocalModel.load(file, LocalModelOptions.builder().threads(2).build());
    }

    static float[] logits(LocalModel m) {
        try (DecodingSession s = m.newSession()) {
            s.append(PROMPT);
            return s.logits();
        }
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    @Test
    void describesItself() {
        assertEquals("tiny", model.name());
        assertEquals(java.util.Set.of(Capability.TEXT, Capability.LOGPROBS, Capability.LOGITS, Capability.WEIGHTS, Capability.TRAIN), model.capabilities());
        assertEquals("llama", model.architecture());
        assertEquals(256, model.contextLength());
        assertEquals(299, model.tokenizer().vocabularySize());
    }

    @Test
    void exposesTensorsInFileOrderWithRowMajorShapes() throws IOException {
        List<String> names = model.tensorNames();
        assertEquals("token_embd.weight", names.get(0));
        assertEquals(3 + 2 * 9, names.size());
        assertArrayEquals(new int[] {299, 64}, model.shape("token_embd.weight"));
        assertArrayEquals(new int[] {96, 64}, model.shape("blk.0.ffn_up.weight"));
        assertArrayEquals(new int[] {32, 64}, model.shape("blk.1.attn_k.weight"));
        assertArrayEquals(new int[] {64}, model.shape("output_norm.weight"));
        // values equal the raw file data (row r, column c at r * cols + c)
        GgufFile f = GgufFile.open(file);
        float[] k = model.tensor("blk.1.attn_k.weight");
        var data = f.data("blk.1.attn_k.weight");
        assertEquals(data.window(0).getFloat((5 * 64 + 7) * 4), k[5 * 64 + 7]);
        k[0] = 1234f;
        assertNotEquals(1234f, model.tensor("blk.1.attn_k.weight")[0], "tensor() returns a fresh copy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.shape("nope"));
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void topKIsPartOfTheIdentitySoSampledAnswersAreNotSharedInTheCache() {
        LocalModel again = LocalModel.load(file, LocalModelOptions.builder().threads(1).contextLength(64).build());
        LocalModel topK = LocalModel.load(file, LocalModelOptions.builder().threads(2).topK(5).build());
        assertEquals(model.identity(), again.identity(), "threads and ctx change no output, so the identity stays");
        assertNotEquals(model.identity(), topK.identity(), "top_k changes sampled outputs");
        assertEquals(model.identity(), topK.withAdapters("x", java.util.List.of()).baseIdentity());
    }

    @Test
    void withTensorsReplacesOnlyWhatIsGiven() {
        float[] base = logits(model);
        float[] up = model.tensor("blk.0.ffn_up.weight");
        for (int i = 0; i < up.length; i++) up[i] *= 2;
        LocalModel changed = model.withTensors("changed", Map.of("blk.0.ffn_up.weight", up));
        assertEquals("changed", changed.name());
        assertEquals(model.architectureFingerprint(), changed.architectureFingerprint());
        assertNotEquals(model.identity(), changed.identity());
        assertArrayEquals(up, changed.tensor("blk.0.ffn_up.weight"));
        assertArrayEquals(model.tensor("blk.1.ffn_up.weight"), changed.tensor("blk.1.ffn_up.weight"));
        assertTrue(maxDiff(base, logits(changed)) > 1e-3, "changed weights change the logits");
        // replacing a tensor by itself keeps the logits exactly
        LocalModel same = model.withTensors("same", Map.of("blk.0.ffn_up.weight", model.tensor("blk.0.ffn_up.weight")));
        assertArrayEquals(base, logits(same));
        assertThrows(IllegalArgumentException.class, () -> model.withTensors("bad", Map.of("blk.0.ffn_up.weight", new float[3])));
        assertThrows(IllegalArgumentException.class, () -> model.withTensors("bad", Map.of("missing", new float[3])));
    }

    @Test
    void savesAndReloads() {
        float[] base = logits(model);
        Path f32 = dir.resolve("saved-f32.gguf");
        model.save(f32, GgmlType.F32);
        LocalModel again = LocalModel.load(f32, LocalModelOptions.builder().threads(1).build());
        assertArrayEquals(base, logits(again), "F32 save is lossless");
        assertEquals(model.architectureFingerprint(), again.architectureFingerprint());
        assertEquals(model.vocabularyFingerprint(), again.vocabularyFingerprint());
        assertEquals(model.metadata().get("tokenizer.ggml.tokens"), again.metadata().get("tokenizer.ggml.tokens"));

        Path q8 = dir.resolve("saved-q8.gguf");
        model.save(q8, GgmlType.Q8_0);
        LocalModel quant = LocalModel.load(q8, LocalModelOptions.defaults());
        assertEquals(GgmlType.Q8_0, quant.tensorType("blk.0.attn_q.weight"));
        assertEquals(GgmlType.F32, quant.tensorType("blk.0.attn_norm.weight"));
        double diff = maxDiff(base, logits(quant));
        double scale = 0;
        for (float v : base) scale = Math.max(scale, Math.abs(v));
        // 8-bit blocks of Gaussian weights: rounding error ~ (2.2 sigma / 127) / sqrt(12) ~ 0.5% of sigma per weight
        float[] w = model.tensor("blk.0.attn_q.weight"), wq = quant.tensor("blk.0.attn_q.weight");
        double err = 0, norm = 0;
        for (int i = 0; i < w.length; i++) { err += (w[i] - wq[i]) * (w[i] - wq[i]); norm += w[i] * w[i]; }
        double rel = Math.sqrt(err / norm);
        assertTrue(rel > 0.002 && rel < 0.01, "Q8_0 relative weight error " + rel);
        // ... which a random two-layer network turns into logits within a few percent of their range
        assertTrue(diff > 0 && diff < 0.1 * scale, "Q8_0 logits close to F32, diff " + diff + " at scale " + scale);

        Path f16 = dir.resolve("saved-f16.gguf");
        model.save(f16, GgmlType.F16);
        assertTrue(maxDiff(base, logits(LocalModel.load(f16, LocalModelOptions.defaults()))) < 0.01);
        assertThrows(IllegalArgumentException.class, () -> model.save(dir.resolve("x.gguf"), GgmlType.Q4_K));
    }

    @Test
    void resolvesGgufSpecs() {
        ModelEndpoint e = ModelSpecs.resolve("gguf:" + file + "?threads=1&ctx=128&name=mini&top_k=5",
                new SpecContext(Optional.empty(), 1));
        LocalModel m = assertInstanceOf(LocalModel.class, e);
        assertEquals("mini", m.name());
        assertEquals(128, m.contextLength());
        assertEquals(1, m.options().threads());
        assertEquals(5, m.options().topK());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.resolve("gguf:" + file + "?thread=2", new SpecContext(Optional.empty(), 1)));
        assertTrue(bad.getMessage().contains("thread"));
        bad = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecs.resolve("gguf:/no/such/model.gguf", new SpecContext(Optional.empty(), 1)));
        assertTrue(bad.getMessage().contains("does not exist"));
        assertTrue(bad.getMessage().contains("give the path of a downloaded .gguf model"), bad.getMessage());
    }

    @Test
    void resultsDoNotDependOnThreadsOrBatching() {
        float[] two = logits(model);
        LocalModel one = LocalModel.load(file, LocalModelOptions.builder().threads(1).prefillBatch(1).build());
        assertArrayEquals(two, logits(one), "bit-identical with 1 thread and token-by-token prefill");
    }

    @Test
    void contextLimitIsEnforced() {
        LocalModel small = LocalModel.load(file, LocalModelOptions.builder().contextLength(6).build());
        try (DecodingSession s = small.newSession()) {
            s.append(1, 2, 3, 4, 5, 6);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.append(7));
            assertTrue(e.getMessage().contains("context length 6"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> small.newSession().logits());
        }
    }

    @Test
    void rejectsUnsupportedOrInconsistentModels() throws IOException {
        Path other = dir.resolve("gemma.gguf");
        GgufFile f = GgufFile.open(file);
        new GgufWriter().copyMetadata(f).putString("general.architecture", "gemma").write(other);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalModel.load(other, LocalModelOptions.defaults()));
        assertTrue(e.getMessage().contains("gemma") && e.getMessage().contains("not supported"), e.getMessage());

        Path noVocab = dir.resolve("novocab.gguf");
        new GgufWriter().copyMetadata(f).remove("tokenizer.ggml.model").write(noVocab);
        e = assertThrows(IllegalArgumentException.class, () -> LocalModel.load(noVocab, LocalModelOptions.defaults()));
        assertTrue(e.getMessage().contains(noVocab.toString()) && e.getMessage().contains("tokenizer"), e.getMessage());

        Path noTensors = dir.resolve("empty.gguf");
        new GgufWriter().copyMetadata(f).write(noTensors);
        e = assertThrows(IllegalArgumentException.class, () -> LocalModel.load(noTensors, LocalModelOptions.defaults()));
        assertTrue(e.getMessage().contains("token_embd.weight"), e.getMessage());

        Path wrongShape = dir.resolve("shape.gguf");
        GgufWriter w = new GgufWriter().copyMetadata(f).put("llama.feed_forward_length", GgufValueType.UINT32, 128L);
        for (var t : f.tensors()) w.addTensor(t.name(), GgmlType.F32, t.dimensions(), () -> model.tensor(t.name()));
        w.write(wrongShape);
        e = assertThrows(IllegalArgumentException.class, () -> LocalModel.load(wrongShape, LocalModelOptions.defaults()));
        assertTrue(e.getMessage().contains("ffn_gate.weight") && e.getMessage().contains("128"), e.getMessage());

        Path q5 = dir.resolve("iq4.gguf");
        GgufWriter w2 = new GgufWriter().copyMetadata(f);
        for (var t : f.tensors()) {
            if (t.name().equals("blk.0.ffn_up.weight")) {
                w2.addEncodedTensor(t.name(), GgmlType.IQ4_NL, t.dimensions(), () -> java.nio.ByteBuffer.allocate((int) GgmlType.IQ4_NL.bytesFor(t.elementCount())));
            } else {
                w2.addTensor(t.name(), GgmlType.F32, t.dimensions(), () -> model.tensor(t.name()));
            }
        }
        w2.write(q5);
        e = assertThrows(IllegalArgumentException.class, () -> LocalModel.load(q5, LocalModelOptions.defaults()));
        assertTrue(e.getMessage().contains("blk.0.ffn_up.weight (IQ4_NL)"), e.getMessage());
    }
}
