package io.mocoj.local;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose matrices are stored as Q4_K, Q6_K and Q4_0 (random blocks with small scales):
 * the engine's products on the quantised data (batched and single-token paths) must agree with the
 * naive reference computed from the dequantised tensors, up to the activation quantisation ggml
 * also applies. (Exact agreement with llama.cpp is checked in LlamaCppEngineFixturesTest.)
 */
class LocalModelKQuantTest {
    @TempDir Path dir;

    @Test
    void kQuantModelMatchesTheReference() throws IOException {
        TinyModels.Shape shape = new TinyModels.Shape("llama", 256, 2, 4, 2, 256, 40, 128, false, 10000f);
        Path f32 = TinyModels.write(dir.resolve("base.gguf"), shape, GgmlType.F32, 3);
        Path quant = TinyModels.writeKQuant(f32, dir.resolve("kquant.gguf"), 4);
        LocalModel m = LocalModel.load(quant, LocalModelOptions.builder().threads(2).halfPrecisionCache(false).prefillBatch(4).build());
        assertEquals(GgmlType.Q4_K, m.tensorType("blk.0.attn_q.weight"));
        assertEquals(GgmlType.Q6_K, m.tensorType("blk.1.ffn_down.weight"));
        assertEquals(GgmlType.Q4_0, m.tensorType("blk.0.attn_output.weight"));
        ReferenceForward ref = new ReferenceForward(m);
        int[] tokens = {3, 99, 200, 7, 260, 11};
        try (LocalModel.Session s = m.newSession()) {
            s.append(java.util.Arrays.copyOf(tokens, 5)); // batched: decoded rows
            s.append(tokens[5]);                           // single token: products on the blocks
            double[] expected = ref.logits(tokens);
            float[] got = s.logits();
            double scale = 0, diff = 0;
            for (int i = 0; i < got.length; i++) {
                scale = Math.max(scale, Math.abs(expected[i]));
                diff = Math.max(diff, Math.abs(got[i] - expected[i]));
            }
            assertTrue(scale > 0.1, "non-trivial logits, scale " + scale);
            // the engine quantises activations to Q8_K / Q8_0 as ggml does; the reference keeps them exact
            assertTrue(diff <= 3e-2 * Math.max(1, scale), "max diff " + diff + " at scale " + scale);
        }
    }
}
