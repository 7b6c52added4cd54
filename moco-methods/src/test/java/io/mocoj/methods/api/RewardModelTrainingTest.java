package io.mocoj.methods.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.TokenUsage;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reward_model_name} of the switcher training and of the LLM router (simulated pools,
 * labelled so): the reward model's 1-10 ratings, not the task's evaluator, decide the SFT labels.
 * The rule the scripted reward model follows is written here, so the expected labels follow from it
 * by hand, independently of the methods' code.
 */
class RewardModelTrainingTest {
    @TempDir static Path dir;

    /** The share of an answer's words that start with {@code prefix}. */
    static double share(String answer, String prefix) {
        String[] w = answer.isBlank() ? new String[0] : answer.trim().split(" ");
        int n = 0;
        for (String s : w) if (s.startsWith(prefix)) n++;
        return w.length == 0 ? 0 : (double) n / w.length;
    }

    /** Task evaluator: the share of words by "bad" (so the task prefers the writer "bad"). */
    static final class BadShare implements io.mocoj.task.Evaluator {
        @Override public TaskType taskType() { return TaskType.MULTIPLE_CHOICE; }
        @Override public String prompt(Example e) { return e.input(); }
        @Override public String extractAnswer(Example e, String response) { return response; }
        @Override public io.mocoj.task.Score score(Example e, String response) { return io.mocoj.task.Score.of(share(response, "bad"), ""); }
    }

    /**
     * A writer ("bad0", "good1", … as SwitchGenerationTest's) that, asked to rate a response, rates it
     * {@code 1 + round(9 · share of "good" words)} as JSON.
     */
    static ModelEndpoint writerAndRater(String name) {
        return new ScriptedModel(name, EnumSet.of(Capability.TEXT), req -> {
            String p = req.lastUserText();
            if (p.startsWith("Rate the response")) {
                String resp = p.substring(p.indexOf("\nResponse: ") + "\nResponse: ".length());
                return new Generation("{\"score\": " + (1 + Math.round(9 * share(resp, "good"))) + "}", FinishReason.STOP, new TokenUsage(10, 5),
                        List.of(), List.of());
            }
            return SwitchGenerationTest.writer(name, -1).generate(req);
        });
    }

    static List<String> completions(Path dataJsonl) throws Exception {
        List<String> out = new ArrayList<>();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(dataJsonl)) if (!line.isBlank()) out.add(json.readTree(line).get("completion").asText());
        return out;
    }

    @Test
    void theSwitchersLabelsFollowTheRewardModelNotTheTaskScore() throws Exception {
        Path sel = SwitcherTrainingTest.selectorModel(dir, 62);
        Task task = McqTasks.generate("rm", 4, 1, List.of("x"), 4);
        GenerationSettings s = new GenerationSettings(6, 0.0, 1.0, 1, 5);
        var method = Methods.switchGeneration().patchSize(1).with("selector_base_model", "gguf:" + sel + "?threads=2&name=switcher")
                .with("training_instance_num", 6).with("rollout_per_instance", 8).with("selector_lora_rank", 4).with("selector_sft_max_steps", 1);
        List<ModelEndpoint> pool = List.of(writerAndRater("bad"), writerAndRater("good"));
        RunReport byTask = MoCo.run().models(pool).method(method).task(task).evaluator(new BadShare()).settings(s).seed(5)
                .logDir(dir.resolve("task")).baselines(false).execute();
        RunReport byReward = MoCo.run().models(pool).method(method.with("reward_model_name", "good")).task(task).evaluator(new BadShare())
                .settings(s).seed(5).logDir(dir.resolve("reward")).baselines(false).execute();
        // the rollouts are the same (same seeds); a rollout's first new patch by "good" raises its good share, so the rater's mean
        // is higher for "good" (label 2) and the task's for "bad" (label 1), on every prefix with both kinds of rollout
        List<String> task1 = completions(dir.resolve("task/training/rm-api_switch_generation-seed5/switcher/data.jsonl"));
        List<String> reward2 = completions(dir.resolve("reward/training/rm-api_switch_generation-seed5/switcher/data.jsonl"));
        assertEquals(task1.size(), reward2.size());
        assertTrue(task1.stream().filter("1"::equals).count() >= task1.size() - 1, "task labels " + task1);
        assertTrue(reward2.stream().filter("2"::equals).count() >= reward2.size() - 1, "reward-model labels " + reward2);
        Map<String, Object> data = Reports.runEvent(byReward, "switcher_data");
        assertEquals("reward model good", data.get("reward"));
        assertEquals(0, ((Number) data.get("unscored_rollouts")).intValue());
        assertEquals("task evaluator", Reports.runEvent(byTask, "switcher_data").get("reward"));
    }

    @Test
    void theRoutersTiesGoToTheAnswerTheRewardModelRatesHigher() throws Exception {
        Path router = TinyModels.write(dir.resolve("router.gguf"), new TinyModels.Shape("qwen2", 64, 2, 4, 2, 96, 40, 1024, true, 1000000f),
                GgmlType.F32, 52);
        List<Example> dev = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < 6; i++) dev.add(new Example("d" + i, "q" + i, Map.of(), List.of("ok"), Map.of()));
        test.add(new Example("t0", "q9", Map.of(), List.of("ok"), Map.of()));
        Task task = new Task("tie", TaskType.EXACT_MATCH, dev, test);
        // both answer "ok" to every query (a tie on the task's score); the rater prefers an answer with "good" in it
        ModelEndpoint plain = ScriptedModel.text("plain", r -> "ok"), good = ScriptedModel.text("good", r -> "ok good");
        ModelEndpoint rater = writerAndRater("rater");
        var method = Methods.trainedRouter().with("router_base_model", "gguf:" + router + "?threads=2&name=router").with("router_sft_max_steps", 1)
                .with("router_lora_rank", 4);
        io.mocoj.task.Evaluator firstWord = new io.mocoj.task.Evaluator() { // 1 when the answer starts with "ok"
            @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
            @Override public String prompt(Example x) { return x.input(); }
            @Override public String extractAnswer(Example x, String response) { return response; }
            @Override public io.mocoj.task.Score score(Example x, String response) { return io.mocoj.task.Score.of(response.startsWith("ok") ? 1 : 0, ""); }
        };
        GenerationSettings s = new GenerationSettings(4, 0.0, 1.0, 1, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(plain, good).method(method).task(task).evaluator(firstWord)
                .settings(s).seed(2).baselines(false).execute());
        assertTrue(e.getMessage().contains("scored alike"), e.getMessage()); // without a reward model a full tie has no label
        RunReport r = MoCo.run().models(plain, good, rater).method(method.with("reward_model_name", "rater")).task(task).evaluator(firstWord)
                .settings(s).seed(2).logDir(dir.resolve("router")).baselines(false).execute();
        Map<String, Object> data = Reports.runEvent(r, "llm_router_data");
        assertEquals(6, ((Number) data.get("rows")).intValue(), "with a reward model every dev query is a row, as MoCo");
        // "plain" and "good" tie at 1 (the rater's own answer "rater0" scores 0); the rater rates "ok" 1 + round(9 * 0) = 1 and
        // "ok good" 1 + round(9 * 1/2) = 6, so every label is model 2 (without it the tie would go to model 1, first in the dev order)
        List<String> labels = completions(dir.resolve("router/training/tie-api_trained_router-seed2/router/data.jsonl"));
        assertEquals(List.of("2", "2", "2", "2", "2", "2"), labels);
        assertEquals(12, ((Number) data.get("reward_ratings")).intValue());
        var refused = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(plain, good)
                .method(Methods.trainedRouter().with("reward_model_name", "good")).task(task).execute());
        assertTrue(refused.getMessage().contains("router_base_model"), refused.getMessage());
    }
}
