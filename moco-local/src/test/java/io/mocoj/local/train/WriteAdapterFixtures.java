package io.mocoj.local.train;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains small LoRA adapters on two engine fixtures and writes them as
 * {@code <fixture>.lora.gguf}; {@code tools/llamacpp-bench/train-adapter-logits.mjs} then records
 * llama.cpp's distribution with each adapter applied ({@code LlamaCppAdapterTest} compares).
 * Run from moco-local/: {@code java -cp … io.mocoj.local.train.WriteAdapterFixtures src/test/resources/engine-fixtures}.
 */
public final class WriteAdapterFixtures {
    private WriteAdapterFixtures() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/engine-fixtures");
        List<TrainingExample> data = List.of(new TrainingExample.Completion("Say hi.", "hello there"),
                new TrainingExample.Completion("Count.", "1 2 3 4"));
        for (String f : new String[] {"tiny-qwen3-f32", "tiny-llama-ropescale-f32"}) {
            LocalModel m = LocalModel.load(dir.resolve(f + ".gguf"), LocalModelOptions.builder().threads(2).build());
            TrainingConfig c = TrainingConfig.builder().objective(TrainingObjective.SFT).lora(LoraConfig.of(4).withAlpha(8).withDropout(0))
                    .learningRate(2e-2).steps(10).threads(2).seed(17).build();
            Trainer.train(m, data, c, null).adapter().save(dir.resolve(f + ".lora.gguf"));
            System.out.println("wrote " + dir.resolve(f + ".lora.gguf"));
        }
    }
}
