package io.mocoj.cli;

import io.mocoj.local.LocalModel;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.train.LoraConfig;
import io.mocoj.local.train.Trainer;
import io.mocoj.local.train.TrainingConfig;
import io.mocoj.local.train.TrainingResult;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.RewardFunction;
import io.mocoj.train.TrainableModel;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.train.TrainingProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code moco train --model SPEC --data FILE.jsonl --out DIR}: fine-tunes a model and writes the
 * adapter ({@code DIR/adapter.gguf}) or the model ({@code DIR/model.gguf}). Local {@code gguf:}
 * models train in-process; models whose spec resolves to a {@link TrainableModel} (e.g. a remote
 * fine-tuning API) are trained through it.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fine-tunes a model (SFT, DPO or GRPO; LoRA or full) on JSONL rows and writes the result as GGUF into --out.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "SPEC", description = "the model to train, e.g. gguf:/models/SmolLM2-135M-Instruct.gguf?threads=2")
    String model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "JSONL rows: {prompt,completion}, {messages}, {prompt,chosen,rejected} or {prompt,answer}")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (adapter.gguf or model.gguf, checkpoints/)")
    Path outDir;

    @Option(names = "--objective", defaultValue = "sft", paramLabel = "NAME", description = "sft, dpo or grpo (default sft)")
    String objective;

    @Option(names = "--lora", defaultValue = "16", paramLabel = "RANK", description = "LoRA rank; 0 = full fine-tuning (default 16)")
    int lora;

    @Option(names = "--lora-alpha", paramLabel = "X", description = "LoRA alpha (default 2 x rank)")
    Double loraAlpha;

    @Option(names = "--lora-dropout", defaultValue = "0.05", paramLabel = "P", description = "LoRA dropout (default 0.05)")
    double loraDropout;

    @Option(names = "--lora-targets", defaultValue = "q,k,v,o,gate,up,down", paramLabel = "LIST", description = "projections with adapters (default all)")
    String loraTargets;

    @Option(names = "--steps", defaultValue = "0", paramLabel = "N", description = "optimiser steps (default: --epochs passes over the data)")
    int steps;

    @Option(names = "--epochs", defaultValue = "1", paramLabel = "N", description = "passes over the data when --steps is not given")
    int epochs;

    @Option(names = "--lr", defaultValue = "0", paramLabel = "X", description = "peak learning rate (default 2e-4 with LoRA, 2e-5 full)")
    double lr;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "NAME", description = "cosine, linear or constant after warm-up")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "N", description = "warm-up steps")
    int warmup;

    @Option(names = "--batch-tokens", defaultValue = "4096", paramLabel = "N", description = "tokens per optimiser step")
    int batchTokens;

    @Option(names = "--micro-batch-tokens", defaultValue = "1024", paramLabel = "N", description = "tokens per forward/backward pass (gradients accumulate)")
    int microBatchTokens;

    @Option(names = "--max-length", defaultValue = "0", paramLabel = "N", description = "longest sequence (default: the model's context)")
    int maxLength;

    @Option(names = "--beta", defaultValue = "0.1", paramLabel = "X", description = "DPO beta")
    double beta;

    @Option(names = "--group-size", defaultValue = "4", paramLabel = "N", description = "GRPO completions per prompt")
    int groupSize;

    @Option(names = "--max-completion-tokens", defaultValue = "64", paramLabel = "N", description = "GRPO: longest sampled completion")
    int maxCompletion;

    @Option(names = "--reward", defaultValue = "exact", paramLabel = "NAME", description = "GRPO reward against each row's \"answer\": exact or contains")
    String reward;

    @Option(names = "--checkpoint-every", defaultValue = "50", paramLabel = "N", description = "checkpoint every N steps into DIR/checkpoints; a rerun resumes (0 = off)")
    int checkpointEvery;

    @Option(names = "--merged", paramLabel = "TYPE", description = "also write the merged model as DIR/model.gguf (f32, f16 or q8_0)")
    String merged;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: the model's)")
    Integer threads;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "seed of data order, initialisation, dropout and sampling")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainingObjective obj = parseObjective(objective);
        if (!Files.isRegularFile(data)) throw new IllegalArgumentException("--data " + data + " does not exist or is not a file");
        List<TrainingExample> rows = TrainingExample.readJsonl(data);
        RewardFunction rf = obj == TrainingObjective.GRPO ? parseReward(reward) : null;
        if (lora < 0) throw new IllegalArgumentException("--lora must be >= 0 (0 = full fine-tuning), not " + lora);
        ModelEndpoint endpoint = ModelSpecs.resolve(model, SpecContext.of(null, seed));
        Consumer<TrainingProgress> progress = p -> err.printf(Locale.ROOT, "%s%n", line(p));
        if (endpoint instanceof LocalModel local) {
            TrainingConfig.Builder b = TrainingConfig.builder().objective(obj).steps(steps).epochs(epochs).learningRate(lr)
                    .schedule(parseSchedule(schedule)).warmupSteps(warmup).batchTokens(batchTokens).microBatchTokens(microBatchTokens)
                    .maxLength(maxLength).dpoBeta(beta).groupSize(groupSize).maxCompletionTokens(maxCompletion).reward(rf)
                    .threads(threads != null ? threads : local.options().threads()).seed(seed);
            if (lora > 0) {
                LoraConfig lc = LoraConfig.of(lora).withDropout(loraDropout).withTargets(targets(loraTargets));
                b.lora(loraAlpha != null ? lc.withAlpha(loraAlpha) : lc);
            } else {
                b.fullFineTuning();
            }
            if (checkpointEvery > 0) b.checkpointEvery(checkpointEvery).checkpointDir(outDir.resolve("checkpoints"));
            TrainingResult r = Trainer.train(local, rows, b.build(), progress);
            if (r.resumedAt() > 0) out.println("resumed from the checkpoint at step " + r.resumedAt());
            Path written = r.save(outDir, GgmlType.F16);
            out.println("wrote " + written + (r.adapter() != null ? " (LoRA rank " + lora + "; llama.cpp: --lora " + written + ")" : ""));
            if (merged != null) out.println("wrote " + r.saveMerged(outDir, parseType(merged)));
            if (!r.losses().isEmpty()) {
                out.printf(Locale.ROOT, "steps %d, loss %.4f -> %.4f%n", r.steps(), r.losses().get(0), r.losses().get(r.losses().size() - 1));
            }
            return 0;
        }
        if (endpoint instanceof TrainableModel t) {
            ModelEndpoint result = t.fineTune(FineTuneRequest.builder(obj, rows).steps(steps).epochs(epochs).learningRate(lr)
                    .loraRank(lora).seed(seed).outputDir(outDir).reward(rf).listener(progress).build());
            out.println("fine-tuned model: " + result.name());
            return 0;
        }
        throw new IllegalArgumentException("model '" + model + "' cannot be trained (it has no TRAIN capability); use a gguf: model"
                + " or a fine-tuning API spec");
    }

    static String line(TrainingProgress p) {
        int width = 30, done = (int) ((long) width * p.step() / Math.max(1, p.totalSteps()));
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < width; i++) sb.append(i < done ? '#' : '.');
        sb.append(String.format(Locale.ROOT, "] step %d/%d loss %.4f lr %.2e", p.step(), p.totalSteps(), p.loss(), p.learningRate()));
        if (!Double.isNaN(p.tokensPerSecond())) sb.append(String.format(Locale.ROOT, " %.0f tok/s", p.tokensPerSecond()));
        p.metrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.3f", k, v)));
        sb.append(" eta ").append(p.eta().toSeconds()).append('s');
        return sb.toString();
    }

    private static TrainingObjective parseObjective(String s) {
        TrainingObjective o;
        try {
            o = TrainingObjective.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--objective must be sft, dpo or grpo, not '" + s + "'");
        }
        if (o == TrainingObjective.DEFERRAL) {
            throw new IllegalArgumentException("--objective deferral needs a mentor model's token scores, which `moco train` does not have;"
                    + " it is Co-LLM's joint training: run api_collm from a config (examples/configs/api_collm.json)");
        }
        return o;
    }

    private static TrainingConfig.Schedule parseSchedule(String s) {
        try {
            return TrainingConfig.Schedule.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--schedule must be cosine, linear or constant, not '" + s + "'");
        }
    }

    private static RewardFunction parseReward(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "exact" -> RewardFunction.exactAnswer();
            case "contains" -> RewardFunction.containsAnswer();
            default -> throw new IllegalArgumentException("--reward must be exact or contains, not '" + s + "'");
        };
    }

    private static GgmlType parseType(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f32" -> GgmlType.F32;
            case "f16" -> GgmlType.F16;
            case "q8_0" -> GgmlType.Q8_0;
            default -> throw new IllegalArgumentException("--merged must be f32, f16 or q8_0, not '" + s + "'");
        };
    }

    private static java.util.Set<LoraConfig.Target> targets(String list) {
        java.util.Set<LoraConfig.Target> t = java.util.EnumSet.noneOf(LoraConfig.Target.class);
        for (String s : list.split(",")) if (!s.isBlank()) t.add(LoraConfig.Target.parse(s));
        return t;
    }
}
