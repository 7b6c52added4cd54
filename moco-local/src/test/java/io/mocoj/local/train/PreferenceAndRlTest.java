package io.mocoj.local.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.GenerationRequest;
import io.mocoj.train.RewardFunction;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.train.TrainingProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPO raises the chosen-minus-rejected margin on held-out pairs; GRPO learns a verifiable toy rule
 * and applies it to held-out prompts. Both are measured with moco-local's inference engine (sessions and
 * sampling), independently of the training graph.
 */
class PreferenceAndRlTest {
    @TempDir static Path dir;
    static LocalModel model;

    @BeforeAll
    static void load() throws IOException {
        model = LocalModel.load(TinyModels.write(dir.resolve("tiny.gguf"), TinyModels.Shape.qwen2(), GgmlType.F32, 11),
                LocalModelOptions.builder().threads(2).build());
    }

    /** Σ log p(completion tokens | prompt) under {@code m}, through a decoding session. */
    static double logProb(LocalModel m, String prompt, String completion) {
        int[] p = m.encodeChat(List.of(ChatMessage.user(prompt)), true);
        int[] full = m.encodeChat(List.of(ChatMessage.user(prompt), ChatMessage.assistant(completion)), false);
        double s = 0;
        try (LocalModel.Session session = m.newSession()) {
            session.append(p);
            for (int i = p.length; i < full.length; i++) {
                s += session.logProbabilities()[full[i]];
                session.append(full[i]);
            }
        }
        return s;
    }

    static double margin(LocalModel policy, List<TrainingExample.Preference> pairs) {
        double sum = 0;
        for (TrainingExample.Preference p : pairs) {
            sum += (logProb(policy, p.prompt(), p.chosen()) - logProb(model, p.prompt(), p.chosen()))
                    - (logProb(policy, p.prompt(), p.rejected()) - logProb(model, p.prompt(), p.rejected()));
        }
        return sum / pairs.size();
    }

    @Test
    void dpoRaisesTheMarginOnHeldOutPairs() {
        String[] topics = {"cats", "rain", "music", "tea", "maps", "bikes", "clocks", "snow", "books", "trees", "boats", "bread"};
        List<TrainingExample.Preference> pairs = new ArrayList<>();
        for (String t : topics) pairs.add(new TrainingExample.Preference("Do you like " + t + "?", "yes, I like " + t, "no"));
        List<TrainingExample> train = new ArrayList<>(pairs.subList(0, 9));
        List<TrainingExample.Preference> heldOut = pairs.subList(9, 12);
        List<TrainingProgress> events = new ArrayList<>();
        TrainingConfig c = TrainingConfig.builder().objective(TrainingObjective.DPO).lora(LoraConfig.of(8).withDropout(0))
                .learningRate(5e-3).dpoBeta(0.1).steps(30).batchTokens(200).microBatchTokens(128).threads(2).seed(5).build();
        TrainingResult r = Trainer.train(model, train, c, events::add);
        double before = margin(model, heldOut), after = margin(r.model(), heldOut);
        assertTrue(Math.abs(before) < 1e-9, "the untrained policy is the reference: " + before);
        assertTrue(after > 5, "held-out margin after DPO: " + after);
        assertTrue(events.get(events.size() - 1).metrics().get("margin") > events.get(0).metrics().get("margin"));
    }

    /** Reward 1 when the completion starts with the expected digit, else 0. */
    static final RewardFunction FIRST_CHAR = (e, text) -> !text.isEmpty() && text.charAt(0) == e.answer().charAt(0) ? 1 : 0;

    /** Mean reward per prompt of 16 completions sampled at temperature 1 (inference engine, not the training graph). */
    static double[] rewardPerPrompt(LocalModel m, List<TrainingExample.Prompt> prompts) {
        double[] out = new double[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            TrainingExample.Prompt p = prompts.get(i);
            List<String> texts = m.generate(GenerationRequest.builder().user(p.prompt()).temperature(1).maxTokens(1).samples(16).seed(99).build()).samples();
            for (String t : texts) out[i] += FIRST_CHAR.reward(p, t) / texts.size();
        }
        return out;
    }

    /**
     * "Answer with the first of two digits" on 100 prompts {@code "a b"}: 70 train GRPO, 30 are held
     * out. Every first digit is equally common, so no constant answer does well (the best constant
     * is right for the most frequent held-out first digit, at most a few in 30), and the held-out
     * prompts were never rewarded: scoring well on them needs the learnt rule. A short SFT warm-up
     * on random digits teaches the answer format only (about one sample in ten is right); GRPO then
     * learns from the reward alone. Measured: held-out mean reward 0.077 before, 0.581 after (99%
     * lower bound 0.304; 0.585 with GRPO seed 8), best constant 0.167 (5 of the 30 held-out prompts).
     */
    @Test
    void grpoLearnsARuleThatNoConstantAnswerSatisfies() {
        List<TrainingExample.Prompt> all = new ArrayList<>();
        for (int a = 0; a <= 9; a++) for (int b = 0; b <= 9; b++) all.add(new TrainingExample.Prompt(a + " " + b, String.valueOf(a)));
        Collections.shuffle(all, new Random(3));
        List<TrainingExample.Prompt> train = all.subList(0, 70), heldOut = all.subList(70, 100);
        Random digits = new Random(4);
        List<TrainingExample> format = new ArrayList<>();
        for (TrainingExample.Prompt p : train) format.add(new TrainingExample.Completion(p.prompt(), String.valueOf(digits.nextInt(10))));
        TrainingConfig sft = TrainingConfig.builder().objective(TrainingObjective.SFT).lora(LoraConfig.of(8).withDropout(0))
                .learningRate(1e-2).steps(10).batchTokens(4096).microBatchTokens(2048).threads(2).seed(1).build();
        LocalModel warm = Trainer.train(model, format, sft, null).model();
        // 16 prompts x 8 completions per step: with fewer prompts per step (3) or a higher learning rate (1e-2) the policy
        // collapses onto one digit for every prompt, after which every group's rewards are equal and the advantages are 0
        TrainingConfig c = TrainingConfig.builder().objective(TrainingObjective.GRPO).lora(LoraConfig.of(8).withDropout(0))
                .learningRate(3e-3).klBeta(0.04).reward(FIRST_CHAR).groupSize(8).promptsPerStep(16).maxCompletionTokens(1)
                .steps(100).threads(2).seed(7).build();
        TrainingResult r = Trainer.train(warm, new ArrayList<>(train), c, null);

        int[] count = new int[10];
        for (TrainingExample.Prompt p : heldOut) count[p.answer().charAt(0) - '0']++;
        double bestConstant = java.util.Arrays.stream(count).max().getAsInt() / (double) heldOut.size();
        double before = mean(rewardPerPrompt(warm, heldOut)), after = mean(rewardPerPrompt(r.model(), heldOut));
        // Hoeffding, 99% one-sided, over the 30 held-out prompts' mean rewards (each in [0, 1]; samples of one prompt are not independent)
        double halfWidth = Math.sqrt(Math.log(100) / (2 * heldOut.size()));
        assertTrue(before < 0.2, "the warm-up teaches the format, not the rule: " + before);
        assertTrue(after - halfWidth > bestConstant, "held-out mean reward " + after + " (99% lower bound " + (after - halfWidth)
                + ") must beat the best constant answer " + bestConstant + " (before GRPO: " + before + ")");
        // and the greedy answers are not one digit: they follow the prompts
        java.util.Set<String> greedy = new java.util.HashSet<>();
        for (TrainingExample.Prompt p : heldOut) greedy.add(r.model().generate(GenerationRequest.builder().user(p.prompt()).temperature(0).maxTokens(1).build()).text());
        assertTrue(greedy.size() >= 5, "greedy held-out answers " + greedy);
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }
}
