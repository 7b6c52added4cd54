package io.mocoj.methods.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * api_switch_generation without a selector: a tiny GGUF switcher is trained on scored random
 * rollouts. The score of an answer is the share of its patches written by model "good", so every
 * rollout whose next patch "good" wrote scores higher on average and the SFT label is "2"; the
 * trained switcher then picks "good" far more often than the untrained one (whose replies name no
 * model, so writers are drawn at random).
 */
class SwitcherTrainingTest {
    @TempDir static Path dir;

    /** The share of the answer's words written by "good" (the writers write "good0", "bad1", ...). */
    static final class GoodShare implements io.mocoj.task.Evaluator {
        @Override public TaskType taskType() { return TaskType.MULTIPLE_CHOICE; }
        @Override public String prompt(Example e) { return e.input(); }
        @Override public String extractAnswer(Example e, String response) { return response; }
        @Override public io.mocoj.task.Score score(Example e, String response) {
            String[] w = response.isBlank() ? new String[0] : response.trim().split(" ");
            int good = 0;
            for (String s : w) if (s.startsWith("good")) good++;
            return io.mocoj.task.Score.of(w.length == 0 ? 0 : (double) good / w.length, "");
        }
    }

    /** The switcher's base: a tiny random qwen2 GGUF model with a 1024-token context (the selector prompts are long). */
    static Path selectorModel(Path dir, long seed) throws java.io.IOException {
        return TinyModels.write(dir.resolve("switcher.gguf"), new TinyModels.Shape("qwen2", 64, 2, 4, 2, 96, 40, 1024, true, 1000000f),
                GgmlType.F32, seed);
    }

    /**
     * A patch as long as the answer (one round): MoCo's rule (a prefix of at least one patch) leaves
     * nothing to continue, so the method refuses; with {@code min_prefix_patches} 0 every prefix is
     * empty, each rollout is one whole answer by a random writer ("good0" scores 1, "bad0" 0), and
     * a row is labelled "good" unless none of its 8 rollouts was written by "good" (probability
     * 1/256 per row; with the fixed seed none of the 6 is).
     */
    @Test
    void withEmptyPrefixesTheSwitcherIsTrainedOnTheFirstWritersChoice() throws Exception {
        Path sel = selectorModel(java.nio.file.Files.createDirectories(dir.resolve("first")), 62);
        Task task = McqTasks.generate("sw", 4, 2, List.of("x"), 4);
        GenerationSettings s = new GenerationSettings(6, 0.0, 1.0, 1, 5);
        var method = Methods.switchGeneration().patchSize(6).with("selector_base_model", "gguf:" + sel + "?threads=2&name=switcher")
                .with("training_instance_num", 6).with("rollout_per_instance", 8).with("selector_lora_rank", 8)
                .with("selector_sft_learning_rate", 1e-2).with("selector_sft_max_steps", 2);
        RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> MoCo.run()
                .models(SwitchGenerationTest.writer("bad", -1), SwitchGenerationTest.writer("good", -1)).method(method).task(task)
                .evaluator(new GoodShare()).settings(s).seed(5).baselines(false).execute());
        assertTrue(String.valueOf(refused.getMessage()).contains("no training prefix") || String.valueOf(refused.getCause()).contains("no training prefix"),
                String.valueOf(refused));
        assertTrue((refused.getMessage() + " " + refused.getCause()).contains("set min_prefix_patches to 0"), String.valueOf(refused));
        RunReport r = MoCo.run().models(SwitchGenerationTest.writer("bad", -1), SwitchGenerationTest.writer("good", -1))
                .method(method.with("min_prefix_patches", 0)).task(task).evaluator(new GoodShare()).settings(s).seed(5)
                .logDir(dir.resolve("first-logs")).baselines(false).execute();
        var data = Reports.runEvent(r, "switcher_data");
        assertEquals(6, ((Number) data.get("rows")).intValue());
        assertEquals(java.util.Map.of("bad", 0, "good", 6), data.get("labels"));
        assertEquals(0, ((Number) data.get("tied_rows")).intValue());
        var first = io.mocoj.methods.testing.TrainingJobs.of(r, "switcher").firstExample();
        assertTrue(first.get("prompt").toString().contains("Answer so far: (nothing yet)"), first.toString());
        assertEquals("2", first.get("completion"));
    }

    @Test
    void theSwitcherTrainedOnScoredRolloutsPicksTheBetterWriter() throws Exception {
        Path sel = selectorModel(dir, 61);
        Task task = McqTasks.generate("sw", 4, 4, List.of("x"), 4);
        GenerationSettings s = new GenerationSettings(6, 0.0, 1.0, 1, 5);
        var method = Methods.switchGeneration().patchSize(1).with("selector_base_model", "gguf:" + sel + "?threads=2&name=switcher")
                .with("training_instance_num", 6).with("rollout_per_instance", 4).with("selector_lora_rank", 8)
                .with("selector_sft_learning_rate", 1e-2);
        RunReport untrained = MoCo.run().models(SwitchGenerationTest.writer("bad", -1), SwitchGenerationTest.writer("good", -1))
                .method(method.with("selector_sft_max_steps", 1).with("selector_sft_learning_rate", 1e-9)).task(task).evaluator(new GoodShare())
                .settings(s).seed(5).baselines(false).execute();
        RunReport trained = MoCo.run().models(SwitchGenerationTest.writer("bad", -1), SwitchGenerationTest.writer("good", -1))
                .method(method.with("selector_sft_max_steps", 30)).task(task).evaluator(new GoodShare()).settings(s).seed(5)
                .logDir(dir.resolve("logs")).baselines(false).execute();
        assertEquals(6, ((Number) Reports.runEvent(trained, "switcher_data").get("rows")).intValue());
        List<?> losses = io.mocoj.methods.testing.TrainingJobs.of(trained, "switcher").losses();
        assertTrue(((Number) losses.get(losses.size() - 1)).doubleValue() < ((Number) losses.get(0)).doubleValue() / 2, losses.toString());
        System.out.println("switcher untrained " + untrained.summary().mean() + " trained " + trained.summary().mean());
        assertTrue(trained.summary().mean() > untrained.summary().mean() + 0.2, // measured 0.71 -> 1.00
                "good share untrained " + untrained.summary().mean() + ", trained " + trained.summary().mean());
    }
}
