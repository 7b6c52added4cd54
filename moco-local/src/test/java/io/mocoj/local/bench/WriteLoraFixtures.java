package io.mocoj.local.bench;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyAdapters;
import io.mocoj.local.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the LoRA fixtures compared with llama.cpp in {@code LlamaCppLoraFixturesTest} to
 * {@code src/test/resources/lora-fixtures}: a llama base in F32 and the same base in Q8_0,
 * adapter {@code a} (rank 4, alpha 8, F32) and adapter {@code b} (rank 2, alpha 0, F16). Then, for
 * each base, {@code node tools/llamacpp-bench/lora-logits.mjs <base>.gguf <base>+a0.5+b-1.llamacpp.json
 * lora-a.gguf:0.5 lora-b.gguf:-1} records llama.cpp's output with both adapters applied at
 * inference, and {@code lora-logits.mjs <base>.gguf <base>.llamacpp.json} without them.
 */
public final class WriteLoraFixtures {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/lora-fixtures");
        Files.createDirectories(dir);
        Path base = TinyModels.write(dir.resolve("tiny-llama-base-f32.gguf"), TinyModels.Shape.llama(), GgmlType.F32, 41);
        LocalModel m = LocalModel.load(base, LocalModelOptions.defaults());
        m.save(dir.resolve("tiny-llama-base-q8_0.gguf"), GgmlType.Q8_0);
        TinyAdapters.random(m, "a", 4, 8f, 42).save(dir.resolve("lora-a.gguf"), GgmlType.F32);
        TinyAdapters.random(m, "b", 2, 0f, 43).save(dir.resolve("lora-b.gguf"), GgmlType.F16);
    }
}
