package io.mocoj.methods.bench;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wall time and tokens trained of the training-based methods of tm-agg (docs/performance.md) on
 * SmolLM2-135M-shaped random GGUF models, a 100-example dev split and 2 threads. The trained model
 * is the SmolLM2-shaped one; where the method only needs the other models' texts (AggLM's solvers,
 * LLM-Blender's and the routers' candidates, the switcher's writers) they are scripted models, so the
 * numbers measure the training and the method's own decoding, not the solvers. Each training is capped
 * at {@code steps} optimiser steps (a full epoch of 100 GRPO prompts takes hours on 2 cores).
 *
 * <pre>java -Xmx6g -cp … io.mocoj.methods.bench.TrainedCollaborationBenchmark [dir] [steps] [methods, comma-separated; default all]</pre>
 */
public final class TrainedCollaborationBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"), "mocoj-training-bench");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Files.createDirectories(dir);
        java.util.function.Predicate<String> want = m -> args.length < 3 || List.of(args[2].split(",")).contains(m);
        TinyModels.Shape shape = TinyModels.Shape.smolLm2();
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            Path p = dir.resolve("smol-" + k + ".gguf");
            if (!Files.exists(p)) TinyModels.write(p, shape, GgmlType.F32, 200 + k);
            files.add(p);
        }
        LocalModel smol = LocalModel.load(files.get(0), LocalModelOptions.builder().threads(2).contextLength(1024).name("smol").build());
        LocalModel mentor = LocalModel.load(files.get(1), LocalModelOptions.builder().threads(2).contextLength(1024).name("smol-mentor").build());
        List<Example> dev = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < 100; i++) dev.add(new Example("d" + i, "Question " + i + ": what is " + i + " + 1?", Map.of(), List.of(String.valueOf(i + 1)), Map.of()));
        for (int i = 0; i < 4; i++) test.add(new Example("t" + i, "Question " + (100 + i) + ": what is " + (100 + i) + " + 1?", Map.of(), List.of(String.valueOf(i + 101)), Map.of()));
        Task task = new Task("bench", TaskType.EXACT_MATCH, dev, test);
        List<ModelEndpoint> scripted = List.of(solver("s1", 2), solver("s2", 3), solver("s3", 5));
        GenerationSettings s = new GenerationSettings(8, 0.7, 1.0, 1, 7);
        System.out.printf("load average %.2f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<ModelEndpoint> withSmol = List.of(smol, scripted.get(1), scripted.get(2));
        if (want.test("text_agglm")) bench("text_agglm (GRPO, group 4, 8-token completions)", task, scripted, s, dir,
                Methods.aggLm().aggregator("gguf:" + files.get(0) + "?threads=2&ctx=1024&name=agg").maxSteps(steps).with("lora_rank", 64), "aggregator");
        if (want.test("api_collm")) bench("api_collm (generator SFT + head)", task, List.of(smol, mentor), s, dir,
                Methods.coLlm().with("sft_max_steps", steps).with("head_steps", 50).with("training_num", 100), "generator");
        if (want.test("text_llm_blender")) bench("text_llm_blender (ranker + fuser SFT)", task, withSmol, s, dir,
                Methods.llmBlender().ranker("smol").fuser("smol").with("train_ranker_on_dev", true).with("train_fuser_on_dev", true)
                        .with("sft_max_steps", steps).with("ranker_max_response_length", 2), "ranker", "fuser");
        if (want.test("api_trained_router")) bench("api_trained_router (LLM router SFT)", task, scripted, s, dir,
                Methods.trainedRouter().with("router_base_model", "gguf:" + files.get(0) + "?threads=2&ctx=1024&name=router")
                        .with("router_sft_max_steps", steps), "router");
        if (want.test("api_switch_generation")) bench("api_switch_generation (switcher SFT on 20 prefixes x 4 rollouts)", task, scripted, new GenerationSettings(8, 0.7, 1.0, 1, 7), dir,
                Methods.switchGeneration().patchSize(2).with("selector_base_model", "gguf:" + files.get(0) + "?threads=2&ctx=1024&name=switcher")
                        .with("training_instance_num", 20).with("rollout_per_instance", 4).with("selector_sft_max_steps", steps), "switcher");
    }

    /** Answers "i+1" to question i, except a wrong number when i % k == 0 (k = 2, 3, 5: the majority is wrong on i % 6 == 0 and more). */
    static ModelEndpoint solver(String name, int k) {
        return ScriptedModel.text(name, r -> {
            String q = r.messages().get(r.messages().size() - 1).text();
            int at = q.indexOf("Question ");
            if (at < 0) return "1";
            int i = Integer.parseInt(q.substring(at + 9, q.indexOf(':', at)));
            return String.valueOf(i % k == 0 ? i + 2 : i + 1);
        });
    }

    static void bench(String label, Task task, List<ModelEndpoint> pool, GenerationSettings s, Path dir, CollaborationMethod method,
                      String... purposes) {
        long t0 = System.nanoTime();
        RunReport r = MoCo.run().models(pool).method(method).task(task).settings(s).seed(7).logDir(dir.resolve("logs")).baselines(false).execute();
        double wall = (System.nanoTime() - t0) / 1e9;
        StringBuilder b = new StringBuilder();
        for (String p : purposes) {
            var t = io.mocoj.methods.testing.TrainingJobs.of(r, p);
            b.append(String.format(java.util.Locale.ROOT, " | %s: %d rows, %d steps, %d tokens, %.1f s, loss %.3f -> %.3f", p, t.examples(),
                    t.steps(), t.tokens(), t.seconds(), t.losses().get(0), t.losses().get(t.losses().size() - 1)));
        }
        System.out.printf(java.util.Locale.ROOT, "%s: run %.1f s%s%n", label, wall, b);
    }
}
