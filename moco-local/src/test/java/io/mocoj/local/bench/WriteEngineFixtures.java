package io.mocoj.local.bench;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the engine's own llama.cpp comparison fixtures (architectures and options the tokenizer
 * fixtures do not cover) to {@code src/test/resources/engine-fixtures}:
 * <ul>
 *   <li>{@code tiny-qwen3-f32.gguf}: qwen3 (per-head q/k RMS norm, NEOX rope, 4 query heads on 1 KV head)</li>
 *   <li>{@code tiny-llama-ropescale-f32.gguf}: llama with linear rope scaling (factor 2) and
 *       llama3-style frequency factors ({@code rope_freqs.weight})</li>
 *   <li>{@code tiny-qwen2-f16.gguf}: qwen2 with F16 matrices</li>
 *   <li>{@code tiny-llama-kquant.gguf}: llama with random Q4_K, Q6_K and Q4_0 matrices</li>
 *   <li>{@code tiny-llama-q4km.gguf}: the same F32 weights quantised by {@code KQuantizer} (Q4_K_M mixture)</li>
 *   <li>{@code tiny-llama-q5.gguf}: llama with random Q5_0, Q5_1 and Q4_1 matrices</li>
 * </ul>
 * Then {@code node tools/llamacpp-bench/logits.mjs <file>} records llama.cpp's output next to each.
 */
public final class WriteEngineFixtures {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/engine-fixtures");
        Files.createDirectories(dir);
        TinyModels.write(dir.resolve("tiny-qwen3-f32.gguf"), TinyModels.Shape.qwen3(), GgmlType.F32, 31);
        TinyModels.Shape llama = TinyModels.Shape.llama();
        TinyModels.write(dir.resolve("tiny-llama-ropescale-f32.gguf"), llama, GgmlType.F32, 32, w -> {
            w.putString("llama.rope.scaling.type", "linear");
            w.putFloat32("llama.rope.scaling.factor", 2.0);
            float[] factors = new float[llama.headDim() / 2];
            for (int i = 0; i < factors.length; i++) factors[i] = 1f + i * 0.5f; // lower frequencies slowed down more
            w.addTensor("rope_freqs.weight", GgmlType.F32, new long[] {factors.length}, factors);
        });
        TinyModels.write(dir.resolve("tiny-qwen2-f16.gguf"), TinyModels.Shape.qwen2(), GgmlType.F16, 35);
        Path base = Files.createTempFile("kquant-base", ".gguf");
        TinyModels.write(base, new TinyModels.Shape("llama", 256, 2, 4, 2, 256, 40, 256, false, 10000f), GgmlType.F32, 33);
        TinyModels.writeKQuant(base, dir.resolve("tiny-llama-kquant.gguf"), 34);
        io.mocoj.local.testing.KQuantizer.write(base, dir.resolve("tiny-llama-q4km.gguf"), "Q4_K_M");
        TinyModels.writeRandomQuant(base, dir.resolve("tiny-llama-q5.gguf"), 36, name ->
                name.contains("attn_q") || name.contains("attn_k") || name.startsWith("token") ? GgmlType.Q5_0
                        : name.contains("attn_v") || name.contains("ffn_gate") ? GgmlType.Q4_1 : GgmlType.Q5_1);
        Files.delete(base);
    }
}
