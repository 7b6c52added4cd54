package io.mocoj.methods.logit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.toolbox.LockStepDecoding;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.LogitsModel;
import io.mocoj.task.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogitMethodsTest {
    @TempDir static Path dir;
    static LocalModel a, b, other;
    static final Task TASK = McqTasks.generate("t", 3, 2, List.of("x"), 1);
    static final List<ChatMessage> PROMPT = List.of(ChatMessage.user("the answer is"));

    @BeforeAll
    static void load() throws IOException {
        LocalModelOptions o = LocalModelOptions.builder().threads(1).build();
        a = LocalModel.load(TinyModels.write(dir.resolve("a.gguf"), TinyModels.Shape.llama(), GgmlType.F32, 1), o);
        b = LocalModel.load(TinyModels.write(dir.resolve("b.gguf"), TinyModels.Shape.llama(), GgmlType.Q8_0, 2), o);
        other = LocalModel.load(TinyModels.write(dir.resolve("other.gguf"),
                new TinyModels.Shape("llama", 64, 2, 4, 2, 96, 50, 256, false, 10000f), GgmlType.F32, 3), o);
    }

    static LockStepDecoding.Settings greedy(int n) { return new LockStepDecoding.Settings(n, 0, 1, 1, List.of()); }

    /** log p of every token after prompt + tokens, computed with a fresh session of one model. */
    static float[] logp(LocalModel m, List<Integer> tokens) {
        try (LocalModel.Session s = m.newSession()) {
            s.append(m.encodeChat(PROMPT, true));
            for (int t : tokens) s.append(t);
            return s.logProbabilities();
        }
    }

    @Test
    void fusionOfAModelWithItselfIsTheModel() {
        List<float[]> own = new ArrayList<>(), fused = new ArrayList<>();
        LockStepDecoding.Result alone = LockStepDecoding.decode(List.of(a), PROMPT, LockStepDecoding::meanProbability, greedy(12),
                (i, lp, t) -> own.add(lp));
        LockStepDecoding.Result twice = LockStepDecoding.decode(List.of(a, a), PROMPT, LockStepDecoding::meanProbability, greedy(12),
                (i, lp, t) -> fused.add(lp));
        assertEquals(alone.text(), twice.text());
        for (int s = 0; s < own.size(); s++) for (int t = 0; t < own.get(s).length; t++) assertEquals(own.get(s)[t], fused.get(s)[t], 2e-6f);
        // and the model alone decodes exactly what its own greedy generate writes
        String generated = a.generate(GenerationRequest.builder().messages(PROMPT).temperature(0).maxTokens(12).build()).text();
        assertEquals(generated, alone.text());
    }

    @Test
    void fusionOfTwoModelsIsTheAverageOfTheirDistributionsAtEveryStep() {
        List<Integer> chosen = new ArrayList<>();
        int[] checked = {0};
        LockStepDecoding.decode(List.of(a, b), PROMPT, LockStepDecoding::meanProbability, greedy(10), (step, lp, token) -> {
            float[] pa = logp(a, chosen), pb = logp(b, chosen);
            int best = 0;
            for (int t = 0; t < lp.length; t++) {
                double avg = 0.5 * (Math.exp(pa[t]) + Math.exp(pb[t]));
                assertEquals(avg, Math.exp(lp[t]), 1e-6, "step " + step + " token " + t);
                if (avg > 0.5 * (Math.exp(pa[best]) + Math.exp(pb[best]))) best = t;
            }
            assertEquals(best, token, "greedy picks the most likely token of the average");
            chosen.add(token);
            checked[0]++;
        });
        assertTrue(checked[0] >= 1);
    }

    @Test
    void contrastiveDecodesFromTheBestModelPushedAwayFromTheWorst() {
        List<Integer> chosen = new ArrayList<>();
        LockStepDecoding.Combiner contrast = lps -> {
            float[] s = lps.get(0).clone();
            for (int t = 0; t < s.length; t++) s[t] += 0.2f * (lps.get(0)[t] - lps.get(1)[t]);
            return s;
        };
        LockStepDecoding.decode(List.of(a, b), PROMPT, contrast, greedy(6), (step, lp, token) -> {
            float[] pa = logp(a, chosen), pb = logp(b, chosen);
            double z = 0;
            for (int t = 0; t < pa.length; t++) z += Math.exp(1.2 * pa[t] - 0.2 * pb[t]);
            for (int t = 0; t < pa.length; t += 37) assertEquals(Math.exp(1.2 * pa[t] - 0.2 * pb[t]) / z, Math.exp(lp[t]), 1e-6);
            chosen.add(token);
        });
    }

    @Test
    void methodsRunEndToEndAndRefuseBadPools() {
        GenerationSettings s = new GenerationSettings(6, 0, 1, 1, 42);
        RunReport fused = MoCo.run().models(a, b).method(Methods.logitFusion()).task(TASK).evaluator(new LetterEvaluator())
                .settings(s).baselines(false).execute();
        assertEquals(2, fused.examples().size());
        assertTrue(fused.examples().stream().noneMatch(RunReport.ExampleResult::failed));
        RunReport contrast = MoCo.run().models(a, b).method(Methods.logitContrastive()).task(TASK).evaluator(new LetterEvaluator())
                .settings(s).baselines(false).execute();
        assertTrue(contrast.examples().stream().noneMatch(RunReport.ExampleResult::failed));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(a, b)
                .method(Methods.logitContrastive().k(0)).task(TASK).evaluator(new LetterEvaluator()).build());
        assertTrue(e.getMessage().contains("'k'") && e.getMessage().contains("k >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(a, b).method(Methods.logitContrastive().k(2))
                .task(TASK).evaluator(new LetterEvaluator()).build());
        assertTrue(e.getMessage().contains("at least 4 models"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(a, other).method(Methods.logitFusion())
                .task(TASK).evaluator(new LetterEvaluator()).build());
        assertTrue(e.getMessage().contains("'" + a.name() + "'") && e.getMessage().contains("'" + other.name() + "'")
                && e.getMessage().contains("vocabularies"), e.getMessage());
    }
}
