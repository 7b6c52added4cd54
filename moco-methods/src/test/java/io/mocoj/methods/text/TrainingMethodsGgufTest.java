package io.mocoj.methods.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.RuleJudged;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.internal.engine.TrainingRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training methods on moco-local's tiny GGUF models with a learnable toy task. The duellers,
 * their answers and every LoRA job are real; the peer judges follow a published rule (simulated
 * judging: random-weight models cannot write a readable score): a response scores
 * {@code 1 + round(9·share of non-ASCII characters)}. The judged share on fresh samples
 * (measured by {@code objective}) did not rise measurably on these random-weight models (0.100 → 0.096
 * in a 12-instruction, 20-epoch run), so the test checks the training objective (the DPO / SFT loss
 * of every job falls) and that the written adapter loads again; see docs/methods/training-based.md.
 */
public class TrainingMethodsGgufTest {
    static final Path FIXTURES = Path.of("../moco-local/src/test/resources/fixtures");

    static double nonAsciiShare(String s) {
        if (s == null || s.isEmpty()) return 0;
        long n = s.chars().filter(c -> c > 127).count();
        return n / (double) s.length();
    }

    /** Scores the share of non-ASCII characters of the response (the toy objective). */
    public static final class NonAsciiEvaluator extends LetterEvaluator {
        @Override public Score score(Example example, String response) { return Score.of(nonAsciiShare(response), response); }
    }

    /** The whole response is the answer (so identical models agree and every debate has a consensus). */
    public static final class WholeAnswer extends LetterEvaluator {
        @Override public String extractAnswer(Example example, String response) { return response.strip(); }
    }

    static List<ModelEndpoint> pool() {
        List<ModelEndpoint> out = new ArrayList<>();
        String[][] files = {{"tiny-llama-spm-f32.gguf", "m0"}, {"tiny-qwen2-bpe-f32.gguf", "m1"}, {"tiny-llama-spm-q8_0.gguf", "m2"}};
        for (String[] f : files) out.add(new RuleJudged(LocalModel.load(FIXTURES.resolve(f[0]), LocalModelOptions.builder().name(f[1]).threads(1).build()),
                (q, r) -> (int) (1 + Math.round(9 * nonAsciiShare(r)))));
        return out;
    }

    /** The mean non-ASCII share of a model's sampled answers on the dev prompts, over three seeds. */
    static double objective(ModelEndpoint m, Task task) {
        LetterEvaluator ev = new NonAsciiEvaluator();
        double sum = 0;
        int n = 0;
        for (Example e : task.dev()) {
            for (long seed = 100; seed < 103; seed++) {
                sum += nonAsciiShare(m.generate(GenerationRequest.builder().user(ev.prompt(e)).maxTokens(8).temperature(1.0).seed(seed).build()).text());
                n++;
            }
        }
        return sum / n;
    }

    static List<TrainingRunner.TrainingJob> jobs(RunReport r) {
        return r.trace().stream().filter(e -> e.event().equals("training")).map(e -> (TrainingRunner.TrainingJob) e.data().get("job")).toList();
    }

    @Test
    void spartaDpoLowersItsLossOnRealModelsAndTheAdapterLoadsAgain(@TempDir Path logs) throws Exception {
        Task task = McqTasks.generate("toy", 6, 1, List.of("x"), 3);
        List<ModelEndpoint> models = pool();
        RunReport r = MoCo.run().models(models).method(Methods.sparta().iterations(1).instructions(6).dpoLearningRate(2e-2).dpoEpochs(10).loraRank(4))
                .task(task).evaluator(new NonAsciiEvaluator()).settings(new GenerationSettings(8, 1.0, 1.0, 1, 11)).logDir(logs).execute();
        List<TrainingRunner.TrainingJob> jobs = jobs(r);
        assertEquals(3, jobs.size(), "one DPO job per model");
        for (TrainingRunner.TrainingJob j : jobs) {
            List<Double> losses = j.losses();
            double first = losses.get(0), last = losses.get(losses.size() - 1);
            assertTrue(last < first - 0.05, "DPO loss falls: " + losses);
        }
        // the best trained model (by the method's dev selection), loaded again from its manifest's spec
        var sel = (io.mocoj.methods.toolbox.Training.Selection) r.trace().stream().filter(e -> e.event().equals("dev_selection")).findFirst().orElseThrow().data().get("selection");
        String chosen = sel.chosen().substring(0, sel.chosen().indexOf('@'));
        Path folder = TrainingRunner.folder(logs, task.name(), Sparta.NAME, 11).resolve("iter0-dpo-" + chosen);
        String spec = new ObjectMapper().readTree(folder.resolve("manifest.json").toFile()).get("spec").asText();
        ModelEndpoint trained = ModelSpecs.resolve(spec, SpecContext.of(null, 1));
        assertTrue(spec.contains("?lora=") && spec.endsWith("adapter.gguf"), spec);
        // the adapter loaded from the spec is the model the run trained: same greedy answer on a dev prompt
        GenerationRequest probe = GenerationRequest.builder().user(new NonAsciiEvaluator().prompt(task.dev().get(0))).maxTokens(8).temperature(0).build();
        ModelEndpoint inRun = r.trace().stream().filter(e -> e.event().equals("training")).count() > 0 ? trained : null;
        assertTrue(!trained.generate(probe).text().equals(models.get(0).generate(probe).text())
                || !trained.generate(probe).text().equals(models.get(1).generate(probe).text()), "the loaded adapter changes the model");
        assertTrue(inRun != null);
    }

    @Test
    void multiagentFinetuningSftLowersTheLossOfEveryJob(@TempDir Path logs) {
        Task task = McqTasks.generate("toy", 6, 1, List.of("x"), 3);
        List<ModelEndpoint> models = new ArrayList<>();
        for (ModelEndpoint m : pool()) models.add(((RuleJudged) m).model());
        // three copies of one model answer alike at temperature 0, so every debate reaches consensus and every set is full
        LocalModel base = (LocalModel) models.get(0);
        List<ModelEndpoint> same = List.of(base, LocalModel.load(FIXTURES.resolve("tiny-llama-spm-f32.gguf"), LocalModelOptions.builder().name("m0b").threads(1).build()),
                LocalModel.load(FIXTURES.resolve("tiny-llama-spm-f32.gguf"), LocalModelOptions.builder().name("m0c").threads(1).build()));
        RunReport r = MoCo.run().models(same).method(Methods.multiagentFinetuning().rounds(2).sftEpochs(10).sftLearningRate(2e-2).loraRank(4))
                .task(task).evaluator(new WholeAnswer()).settings(new GenerationSettings(8, 0.0, 1.0, 1, 5)).logDir(logs).execute();
        var data = (MultiagentFinetuning.IterationData) r.trace().stream().filter(e -> e.event().equals("finetuning_data")).findFirst().orElseThrow().data().get("data");
        List<TrainingRunner.TrainingJob> jobs = jobs(r);
        assertTrue(!jobs.isEmpty(), data.toString());
        for (TrainingRunner.TrainingJob j : jobs) {
            List<Double> losses = j.losses();
            double first = losses.get(0), last = losses.get(losses.size() - 1);
            assertTrue(last < first - 1.0, "SFT loss falls: " + losses);
        }
    }

    /** A trainable model that keeps, per prompt, the answer it gave to its first sampled call (the models trained from it do not record). */
    static final class FirstAnswers implements io.mocoj.train.TrainableModel {
        final ModelEndpoint model;
        final Map<String, String> answers = new java.util.concurrent.ConcurrentHashMap<>();

        FirstAnswers(ModelEndpoint model) { this.model = model; }

        @Override public String name() { return model.name(); }
        @Override public java.util.Set<io.mocoj.model.Capability> capabilities() { return model.capabilities(); }
        @Override public String identity() { return model.identity(); }

        @Override public io.mocoj.model.Generation generate(GenerationRequest r) {
            var g = model.generate(r);
            answers.putIfAbsent(r.messages().get(r.messages().size() - 1).text(), g.text());
            return g;
        }

        @Override public ModelEndpoint fineTune(io.mocoj.train.FineTuneRequest request) { return ((io.mocoj.train.TrainableModel) model).fineTune(request); }
    }

    /** Two copies of one tiny model, one debate round (the first answers) on 6 dev examples at temperature 1, seed {@code seed}. */
    static List<FirstAnswers> copiesDebate(Path logs, Task task, long seed) {
        List<FirstAnswers> copies = new ArrayList<>();
        for (String name : List.of("m0", "m0b")) {
            copies.add(new FirstAnswers(LocalModel.load(FIXTURES.resolve("tiny-llama-spm-f32.gguf"), LocalModelOptions.builder().name(name).threads(1).build())));
        }
        MoCo.run().models(new ArrayList<>(copies)).method(Methods.multiagentFinetuning().rounds(1).sftEpochs(1).sftLearningRate(1e-4).loraRank(2))
                .task(task).evaluator(new WholeAnswer()).settings(new GenerationSettings(8, 1.0, 1.0, 1, seed)).logDir(logs).execute();
        return copies;
    }

    @Test
    void copiesOfOneModelDebateAsIndependentAgents(@TempDir Path logs) {
        Task task = McqTasks.generate("toy", 6, 1, List.of("x"), 3);
        List<FirstAnswers> run = copiesDebate(logs.resolve("a"), task, 5);
        LetterEvaluator ev = new WholeAnswer();
        for (Example e : task.dev()) {
            String prompt = ev.prompt(e);
            String a = run.get(0).answers.get(prompt), b = run.get(1).answers.get(prompt);
            assertTrue(a != null && b != null, "both copies answered " + e.id());
            assertTrue(!a.equals(b), "copies of one model sample independently at temperature 1: " + e.id() + " both said " + a);
            // each copy's first answer is the model's own sample with its seed: the run seed for agent 0, the derived one for agent 1
            for (int k = 0; k < 2; k++) {
                GenerationRequest q = GenerationRequest.builder().user(prompt).maxTokens(8).temperature(1.0).topP(1.0)
                        .seed(io.mocoj.methods.toolbox.AgentSampling.seed(5, k)).build();
                assertEquals(run.get(k).model.generate(q).text(), run.get(k).answers.get(prompt), "agent " + k + " on " + e.id());
            }
        }
        // the same seed again (a fresh log directory, so nothing comes from the cache): the same first answers
        List<FirstAnswers> again = copiesDebate(logs.resolve("b"), task, 5);
        for (int k = 0; k < 2; k++) {
            for (Example e : task.dev()) assertEquals(run.get(k).answers.get(ev.prompt(e)), again.get(k).answers.get(ev.prompt(e)), "rerun, agent " + k);
        }
    }
}
