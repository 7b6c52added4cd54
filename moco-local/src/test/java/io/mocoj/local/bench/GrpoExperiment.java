package io.mocoj.local.bench;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.local.train.LoraConfig;
import io.mocoj.local.train.Trainer;
import io.mocoj.local.train.TrainingConfig;
import io.mocoj.local.train.TrainingResult;
import io.mocoj.model.GenerationRequest;
import io.mocoj.train.RewardFunction;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * GRPO settings on the task "answer with the first of two digits" (100 prompts {@code "a b"}, 70
 * trained, 30 held out), after a short SFT warm-up on random digits that teaches the format only;
 * prints the mean reward (16 samples per prompt) on the train and held-out prompts. The table in
 * docs/training.md comes from this program. Mode {@code sft} trains on the right answers instead
 * (the capacity check).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... io.mocoj.local.bench.GrpoExperiment LR BETA GROUP STEPS PROMPTS_PER_STEP TEMPERATURE [grpo|sft] [RANK]
 * </pre>
 * {@code -Dseed=N} changes the GRPO seed (default 7).
 */
public final class GrpoExperiment {
    static final RewardFunction FIRST = (e, text) -> !text.isEmpty() && text.charAt(0) == e.answer().charAt(0) ? 1 : 0;

    public static void main(String[] args) throws Exception {
        double lr = Double.parseDouble(args[0]), beta = Double.parseDouble(args[1]);
        int group = Integer.parseInt(args[2]), steps = Integer.parseInt(args[3]), pps = Integer.parseInt(args[4]);
        double temp = Double.parseDouble(args[5]);
        String mode = args.length > 6 ? args[6] : "grpo";
        int rank = args.length > 7 ? Integer.parseInt(args[7]) : 8;
        Path dir = Files.createTempDirectory("grpo");
        LocalModel model = LocalModel.load(TinyModels.write(dir.resolve("tiny.gguf"), TinyModels.Shape.qwen2(), GgmlType.F32, 11),
                LocalModelOptions.builder().threads(2).build());
        List<TrainingExample.Prompt> all = new ArrayList<>();
        for (int a = 0; a <= 9; a++) for (int b = 0; b <= 9; b++) all.add(new TrainingExample.Prompt(a + " " + b, String.valueOf(a)));
        Collections.shuffle(all, new Random(3));
        List<TrainingExample.Prompt> train = all.subList(0, 70), held = all.subList(70, 100);
        List<TrainingExample> format = new ArrayList<>();
        Random fr = new Random(4);
        for (TrainingExample.Prompt p : train) format.add(new TrainingExample.Completion(p.prompt(), String.valueOf(fr.nextInt(10))));
        long t0 = System.nanoTime();
        TrainingConfig sft = TrainingConfig.builder().objective(TrainingObjective.SFT).lora(LoraConfig.of(rank).withDropout(0))
                .learningRate(1e-2).steps(10).batchTokens(4096).microBatchTokens(2048).threads(2).seed(1).build();
        LocalModel warm = Trainer.train(model, format, sft, null).model();
        System.out.printf("warm-up %.1fs: train %.3f held %.3f%n", (System.nanoTime() - t0) / 1e9, reward(warm, train), reward(warm, held));
        t0 = System.nanoTime();
        TrainingResult r;
        if (mode.equals("sft")) {
            List<TrainingExample> right = new ArrayList<>();
            for (TrainingExample.Prompt p : train) right.add(new TrainingExample.Completion(p.prompt(), p.answer()));
            r = Trainer.train(warm, right, TrainingConfig.builder().objective(TrainingObjective.SFT).lora(LoraConfig.of(rank).withDropout(0))
                    .learningRate(lr).steps(steps).batchTokens(pps * 30).microBatchTokens(2048).threads(2).seed(7).build(), null);
        } else {
            TrainingConfig c = TrainingConfig.builder().objective(TrainingObjective.GRPO).lora(LoraConfig.of(rank).withDropout(0))
                    .learningRate(lr).klBeta(beta).temperature(temp).reward(FIRST).groupSize(group).promptsPerStep(pps).maxCompletionTokens(1)
                    .steps(steps).threads(2).seed(Long.getLong("seed", 7)).build();
            r = Trainer.train(warm, new ArrayList<>(train), c, p -> {
                if (p.step() % 20 == 0) System.out.printf("  step %d reward %.3f%n", p.step(), p.metrics().get("reward"));
            });
        }
        LocalModel m = r.model();
        for (int i = 0; i < 3; i++) System.out.println("  " + held.get(i) + " -> " + m.generate(GenerationRequest.builder().user(held.get(i).prompt()).temperature(1).maxTokens(3).samples(8).seed(9).build()).samples());
        System.out.printf("%s lr %s beta %s group %d steps %d pps %d T %s: %.1fs train %.3f held %.3f%n", mode, lr, beta, group, steps, pps, temp,
                (System.nanoTime() - t0) / 1e9, reward(m, train), reward(m, held));
    }

    static double reward(LocalModel m, List<TrainingExample.Prompt> prompts) {
        double s = 0;
        int n = 0;
        for (TrainingExample.Prompt p : prompts) {
            for (String t : m.generate(GenerationRequest.builder().user(p.prompt()).temperature(1).maxTokens(1).samples(16).seed(99).build()).samples()) {
                s += FIRST.reward(p, t);
                n++;
            }
        }
        return s / n;
    }
}
