package io.mocoj.methods.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.local.train.LoraConfig;
import io.mocoj.local.train.Trainer;
import io.mocoj.local.train.TrainingConfig;
import io.mocoj.local.train.TrainingResult;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.Reports;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LLM-Blender's ranker and fuser fine-tuned on dev, on tiny GGUF models: model "knows" was taught the
 * answers (SFT before the run), model "guess" was not. The ranker learns from the dev pairs which
 * answer is better and the fuser learns to write the reference; both lower their training loss and
 * the blended test score (test = the dev questions, a memorisation toy) rises against the untrained
 * ranker and fuser.
 */
class LlmBlenderTrainingTest {
    @TempDir static Path dir;


    @Test
    void rankerAndFuserTrainedOnDevLowerTheirLossAndRaiseTheScore() throws Exception {
        TinyModels.Shape shape = new TinyModels.Shape("qwen2", 64, 2, 4, 2, 96, 40, 1024, true, 1000000f);
        LocalModel base = LocalModel.load(TinyModels.write(dir.resolve("g.gguf"), shape, GgmlType.F32, 41),
                LocalModelOptions.builder().name("guess").threads(2).build());
        String[] words = {"red", "sun", "cat", "map"};
        List<Example> dev = new ArrayList<>();
        List<TrainingExample> answers = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            dev.add(new Example("q" + i, "q" + i, Map.of(), List.of(words[i]), Map.of()));
            answers.add(new TrainingExample.Completion("q" + i, words[i]));
        }
        TrainingResult taught = Trainer.train(base, answers, TrainingConfig.builder().objective(TrainingObjective.SFT)
                .lora(LoraConfig.of(8).withDropout(0)).learningRate(1e-2).steps(30).threads(2).seed(1).build(), null);
        LocalModel knows = new TrainingResult(taught.base(), "knows", taught.adapter(), taught.fullWeights(), taught.losses(), taught.steps(),
                taught.resumedAt()).model();
        Task task = new Task("words", TaskType.EXACT_MATCH, dev, dev);
        GenerationSettings greedy = new GenerationSettings(4, 0.0, 1.0, 1, 5);
        var method = Methods.llmBlender().topK(2).ranker("guess").fuser("guess").with("ranker_max_response_length", 2)
                .with("fuser_max_response_length", 4).with("sft_lora_rank", 8).with("sft_max_steps", 60)
                .with("ranker_sft_learning_rate", 1e-2).with("fuser_sft_learning_rate", 1e-2);
        RunReport untrained = MoCo.run().models(base, knows).method(method).task(task).evaluator(new io.mocoj.methods.testing.ExactWordEvaluator()).settings(greedy).seed(5)
                .baselines(false).execute();
        RunReport trained = MoCo.run().models(base, knows).method(method.with("train_ranker_on_dev", true).with("train_fuser_on_dev", true))
                .task(task).evaluator(new io.mocoj.methods.testing.ExactWordEvaluator()).settings(greedy).seed(5).logDir(dir.resolve("logs")).baselines(false).execute();
        assertEquals(4, ((Number) Reports.runEvent(trained, "ranker_training_data").get("rows")).intValue(), "one pair per dev question, scores 0 and 1");
        assertEquals(4, ((Number) Reports.runEvent(trained, "fuser_training_data").get("rows")).intValue());
        for (String role : List.of("ranker", "fuser")) {
            List<?> losses = io.mocoj.methods.testing.TrainingJobs.of(trained, role).losses();
            double first = ((Number) losses.get(0)).doubleValue(), last = ((Number) losses.get(losses.size() - 1)).doubleValue();
            assertTrue(last < first / 2, role + " loss " + first + " -> " + last);
        }
        System.out.println("blender untrained " + untrained.summary().mean() + " trained " + trained.summary().mean());
        assertTrue(trained.summary().mean() >= untrained.summary().mean() + 0.5,
                "blended score untrained " + untrained.summary().mean() + ", trained " + trained.summary().mean());
    }
}
