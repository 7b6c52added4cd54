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
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPO raises the chosen-minus-rejected margin on held-out pairs; GRPO raises the mean reward of a
 * verifiable toy task. Both are measured with moco-local's inference engine (sessions and
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

    /** Reward 1 when the completion starts with the right sum, else 0. */
    static final RewardFunction SUM = (e, text) -> !text.isEmpty() && text.charAt(0) == e.answer().charAt(0) ? 1 : 0;

    static double meanReward(LocalModel m, List<TrainingExample.Prompt> prompts) {
        double s = 0;
        int n = 0;
        for (TrainingExample.Prompt p : prompts) {
            List<String> texts = m.generate(GenerationRequest.builder().user(p.prompt()).temperature(1).maxTokens(2).samples(16).seed(99).build()).samples();
            for (String t : texts) {
                s += SUM.reward(p, t);
                n++;
            }
        }
        return s / n;
    }

    /**
     * Sums of two digits (0..2 + 0..2). The random model first learns, by SFT, to answer with some
     * digit (every digit equally often, so about one answer in ten is right); GRPO then has to
     * find the right one from the reward alone.
     */
    @Test
    void grpoRaisesTheMeanRewardOfAVerifiableTask() {
        List<TrainingExample.Prompt> prompts = new ArrayList<>();
        List<TrainingExample> format = new ArrayList<>();
        for (int a = 0; a <= 2; a++) {
            for (int b = 0; b <= 2; b++) {
                prompts.add(new TrainingExample.Prompt(a + "+" + b + "=", String.valueOf(a + b)));
                for (int d = 0; d <= 9; d++) format.add(new TrainingExample.Completion(a + "+" + b + "=", String.valueOf(d)));
            }
        }
        TrainingConfig sft = TrainingConfig.builder().objective(TrainingObjective.SFT).lora(LoraConfig.of(8).withDropout(0))
                .learningRate(1e-2).steps(15).batchTokens(8192).microBatchTokens(1024).threads(2).seed(1).build();
        LocalModel warm = Trainer.train(model, format, sft, null).model();
        TrainingConfig c = TrainingConfig.builder().objective(TrainingObjective.GRPO).lora(LoraConfig.of(8).withDropout(0))
                .learningRate(2e-3).reward(SUM).groupSize(8).promptsPerStep(3).maxCompletionTokens(1).steps(80).threads(2).seed(7).build();
        List<TrainingProgress> events = new ArrayList<>();
        TrainingResult r = Trainer.train(warm, new ArrayList<>(prompts), c, events::add);
        double before = meanReward(warm, prompts), after = meanReward(r.model(), prompts);
        assertTrue(before > 0.03 && before < 0.25, "after the format warm-up about one digit in ten is right: " + before);
        // measured: 0.04 before, 0.33 after: the policy settles on the most frequent sum (2, right for three of
        // the nine prompts); it does not learn the whole table in 80 steps
        assertTrue(after > before + 0.2, "mean reward before " + before + ", after " + after);
    }
}
