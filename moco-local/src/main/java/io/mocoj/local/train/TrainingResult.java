package io.mocoj.local.train;

import io.mocoj.local.LocalModel;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.lora.LoraAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a local training run produced.
 *
 * @param base        the model training started from (unchanged)
 * @param name        the trained model's name
 * @param adapter     the trained adapters (null for full fine-tuning)
 * @param fullWeights the trained tensors by GGUF name (null for LoRA)
 * @param losses      the loss of every step run in this process
 * @param steps       optimiser steps of the whole run
 * @param resumedAt   the step a checkpoint resumed from (0: started fresh)
 */
public record TrainingResult(LocalModel base, String name, LoraAdapter adapter, Map<String, float[]> fullWeights,
                             List<Double> losses, int steps, int resumedAt) {

    /** The trained model as a new in-memory endpoint (adapters merged into F32 copies of the targeted tensors). */
    public LocalModel model() {
        return adapter != null ? adapter.mergeInto(base, name) : base.withTensors(name, fullWeights);
    }

    /**
     * Writes the result into {@code dir}: {@code adapter.gguf} for LoRA (load it with
     * {@code llama-cli -m BASE --lora adapter.gguf}), {@code model.gguf} (as {@code type}) for full
     * fine-tuning. Returns the written file.
     */
    public Path save(Path dir, GgmlType type) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        if (adapter != null) {
            Path p = dir.resolve("adapter.gguf");
            adapter.save(p);
            return p;
        }
        Path p = dir.resolve("model.gguf");
        model().save(p, type);
        return p;
    }

    /** Writes the merged model (base + adapters, or the fully fine-tuned one) as {@code dir/model.gguf}. */
    public Path saveMerged(Path dir, GgmlType type) {
        Path p = dir.resolve("model.gguf");
        model().save(p, type);
        return p;
    }
}
