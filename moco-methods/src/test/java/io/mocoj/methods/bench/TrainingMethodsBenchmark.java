package io.mocoj.methods.bench;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.internal.engine.TrainingRunner;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.text.TrainingMethodsGgufTest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Wall time and tokens trained of the training-based text methods (docs/performance.md): three
 * random-weight models of one shape, a generated multiple-choice task with {@code dev} dev examples
 * and 10 test examples, {@code threads} threads per model, one iteration, LoRA rank 8. It measures
 * cost at the most training each method's rules produce: SPARTA's peer judges (random models cannot
 * write a readable score) score a response {@code 1 + (hash mod 10)}, so almost no duel ties;
 * multiagent finetuning's answers are all read as the same answer, so every debate reaches
 * consensus, every dev example is in every generation set and half of them in every critic set.
 *
 * {@code maxSteps} (0: no cap) caps every training job at that many optimiser steps ({@code max_steps}), so that the
 * SmolLM2-135M shape finishes in minutes; tokens per second then give the cost of the full budget.
 *
 * <pre>java -Xmx4g -cp … io.mocoj.methods.bench.TrainingMethodsBenchmark [tiny|small|smol] [dev] [threads] [dir] [maxSteps] [method...]</pre>
 */
public final class TrainingMethodsBenchmark {
    public static void main(String[] args) throws Exception {
        String shapeName = args.length > 0 ? args[0] : "tiny";
        int dev = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path dir = Path.of(args.length > 3 ? args[3] : System.getProperty("java.io.tmpdir"), "mocoj-train-methods-bench");
        Files.createDirectories(dir);
        int maxSteps = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        List<String> only = args.length > 5 ? List.of(args).subList(5, args.length) : List.of();
        TinyModels.Shape shape = switch (shapeName) {
            case "tiny" -> TinyModels.Shape.llama();
            case "small" -> new TinyModels.Shape("llama", 256, 4, 4, 2, 512, 2000, 1024, true, 10000f);
            case "smol" -> TinyModels.Shape.smolLm2();
            default -> throw new IllegalArgumentException("shape tiny, small or smol");
        };
        List<LocalModel> models = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Path p = dir.resolve(shapeName + "-" + k + ".gguf");
            if (!Files.exists(p)) TinyModels.write(p, shape, GgmlType.F32, 300 + k);
            models.add(LocalModel.load(p, LocalModelOptions.builder().name("m" + k).threads(threads).build()));
        }
        Task task = McqTasks.generate("bench", dev, 10, List.of("x"), 9);
        System.out.printf(Locale.ROOT, "shape %s, dev %d, threads %d, max_steps %d, load %s%n", shapeName, dev, threads, maxSteps, load());
        List<ModelEndpoint> judged = new ArrayList<>();
        for (LocalModel m : models) judged.add(new io.mocoj.methods.testing.RuleJudged(m, (q, r) -> 1 + Math.floorMod(r.hashCode(), 10)));
        if (selected(only, "text_multiagent_finetuning")) run("text_multiagent_finetuning", new ArrayList<>(models), Methods.multiagentFinetuning().rounds(2)
                .sftLearningRate(1e-3).loraRank(8).with("max_steps", maxSteps), task, new AllAgree(), dir, 0.7);
        if (selected(only, "text_sparta")) run("text_sparta", judged, Methods.sparta().iterations(1).instructions(dev).dpoLearningRate(1e-3).loraRank(8)
                .with("max_steps", maxSteps), task, new TrainingMethodsGgufTest.NonAsciiEvaluator(), dir, 1.0);
        if (selected(only, "stackelberg_dpo")) run("text_sparta_stackelberg", judged, Methods.spartaStackelberg().iterations(1).with("num_instructions", dev)
                .with("dpo_learning_rate", 1e-3).with("lora_rank", 8).with("max_steps", maxSteps), task, new TrainingMethodsGgufTest.NonAsciiEvaluator(), dir, 1.0);
        if (selected(only, "stackelberg_grpo")) run("text_sparta_stackelberg (grpo)", judged, Methods.spartaStackelberg().iterations(1).trainingAlgorithm("grpo")
                .with("num_instructions", maxSteps > 0 ? dev : Math.min(dev, 12)).with("num_duels_per_iteration", maxSteps > 0 ? dev : Math.min(dev, 12))
                .with("grpo_learning_rate", 1e-4).with("lora_rank", 8).with("grpo_max_completion_length", 8).with("max_steps", maxSteps), task,
                new TrainingMethodsGgufTest.NonAsciiEvaluator(), dir, 1.0);
    }

    private static boolean selected(List<String> only, String name) {
        return only.isEmpty() || only.contains(name);
    }

    private static void run(String label, List<ModelEndpoint> pool, CollaborationMethod method, Task task, io.mocoj.task.Evaluator ev,
                            Path dir, double temperature) {
        long t0 = System.nanoTime();
        RunReport r = MoCo.run().models(pool).method(method).task(task).evaluator(ev).baselines(false)
                .settings(new GenerationSettings(8, temperature, 1.0, 1, 7)).logDir(dir.resolve("logs-" + System.nanoTime())).execute();
        double wall = (System.nanoTime() - t0) / 1e9;
        long tokens = 0, steps = 0, jobs = 0;
        double trainSeconds = 0;
        for (var e : r.trace()) {
            if (!e.event().equals("training")) continue;
            var j = (TrainingRunner.TrainingJob) e.data().get("job");
            tokens += j.tokens();
            steps += j.steps();
            trainSeconds += j.seconds();
            jobs++;
        }
        System.out.printf(Locale.ROOT, "%-32s wall %7.1f s  training %7.1f s  jobs %2d  steps %4d  tokens trained ≈%8d  (%.0f tokens/s)  load %s%n",
                label, wall, trainSeconds, jobs, steps, tokens, tokens / Math.max(trainSeconds, 1e-9), load());
    }

    /** Every response reads as the same answer. */
    static final class AllAgree extends io.mocoj.methods.testing.LetterEvaluator {
        @Override public String extractAnswer(io.mocoj.task.Example example, String response) { return "x"; }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
