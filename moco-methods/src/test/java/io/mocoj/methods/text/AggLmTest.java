package io.mocoj.methods.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AggLM: the hard/easy selection against hand counts, and GRPO on a tiny GGUF aggregator that raises its dev reward. */
class AggLmTest {
    @TempDir static Path dir;
    static Path aggregatorFile;

    @BeforeAll
    static void writeModel() throws IOException {
        aggregatorFile = TinyModels.write(dir.resolve("agg.gguf"), new TinyModels.Shape("qwen2", 64, 2, 4, 2, 96, 40, 1024, true, 1000000f), GgmlType.F32, 21);
    }

    static AggLm.SolutionSet set(List<String> answers, double... scores) {
        List<Double> s = new ArrayList<>();
        for (double v : scores) s.add(v);
        return new AggLm.SolutionSet(null, answers, answers, s);
    }

    @Test
    void theMajorityIsTheFirstOfTheMostFrequentAnswersAndHardWhenItIsWrong() {
        assertTrue(AggLm.isHard(List.of("A", "A", "B"), List.of(0.0, 0.0, 1.0)), "majority A is wrong");
        assertFalse(AggLm.isHard(List.of("A", "A", "B"), List.of(1.0, 1.0, 0.0)));
        // a tie A/B: A is seen first, so A is the majority
        assertTrue(AggLm.isHard(List.of("A", "B"), List.of(0.0, 1.0)));
        assertFalse(AggLm.isHard(List.of("B", "A"), List.of(1.0, 0.0)));
        // no answer extracted counts as an answer ("")
        assertTrue(AggLm.isHard(List.of("", "", "C"), List.of(0.0, 0.0, 1.0)));
        assertFalse(AggLm.isHard(List.of("", "C", "C"), List.of(0.0, 1.0, 1.0)));
    }

    @Test
    void allHardSetsAndAsManyEasyOnesAreKept() {
        List<AggLm.SolutionSet> sets = new ArrayList<>();
        for (int i = 0; i < 7; i++) sets.add(set(List.of("A", "A", "B"), 1, 1, 0)); // easy
        for (int i = 0; i < 2; i++) sets.add(set(List.of("A", "B", "B"), 1, 0, 0)); // hard
        AggLm.Selection s = AggLm.select(sets, 5);
        assertEquals(2, s.hard());
        assertEquals(7, s.easy());
        assertEquals(2, s.easyKept());
        assertEquals(4, s.training().size());
        assertEquals(List.of(sets.get(7), sets.get(8)), s.training().subList(0, 2), "the hard sets first, in order");
        AggLm.Selection fewEasy = AggLm.select(sets.subList(5, 9), 5);
        assertEquals(2, fewEasy.easyKept(), "2 easy sets and 2 hard: all kept");
        assertEquals(AggLm.select(sets, 5).training(), s.training(), "the easy sample is seeded");
    }

    /**
     * Scores 1 when the first byte of the response has the parity the example asks for ("even"/"odd").
     * The untrained tiny aggregator (seed 21) puts about half its mass on odd first bytes at
     * temperature 2 (measured 0.44-0.49 on these prompts), so GRPO has a signal to learn from.
     */
    static final class ParityEvaluator implements io.mocoj.task.Evaluator {
        @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
        @Override public String prompt(Example e) { return e.input(); }
        @Override public String extractAnswer(Example e, String response) {
            if (response.isEmpty()) return "";
            return (response.getBytes(java.nio.charset.StandardCharsets.UTF_8)[0] & 1) == 0 ? "even" : "odd";
        }
        @Override public io.mocoj.task.Score score(Example e, String response) {
            String a = extractAnswer(e, response);
            return io.mocoj.task.Score.of(a.equals(e.answers().get(0)) ? 1 : 0, a);
        }
    }

    static Task parityTask(int dev, int test) {
        List<Example> d = new ArrayList<>(), t = new ArrayList<>();
        for (int i = 0; i < dev; i++) d.add(new Example("dev-" + i, "q" + i + ": write one character", Map.of(), List.of("odd"), Map.of()));
        for (int i = 0; i < test; i++) t.add(new Example("test-" + i, "t" + i + ": write one character", Map.of(), List.of("odd"), Map.of()));
        return new Task("parity", TaskType.EXACT_MATCH, d, t);
    }

    /** A pool model that is wrong ("b", even) on question q, sample j when {@code wrong} says so, and right ("a", odd) otherwise. */
    static ModelEndpoint scripted(String name, java.util.function.BiPredicate<Integer, Integer> wrong, long runSeed) {
        return ScriptedModel.text(name, r -> {
            String user = r.messages().get(r.messages().size() - 1).text();
            int q = Integer.parseInt(user.substring(1, user.indexOf(':')));
            int j = (int) (r.seed().orElse(runSeed) - runSeed);
            return wrong.test(q, j) ? "b" : "a";
        });
    }

    static final long SEED = 3;
    static final GenerationSettings ONE_TOKEN = new GenerationSettings(1, 2.0, 1.0, 1, SEED);

    static List<ModelEndpoint> pool() {
        return List.of(scripted("m1", (q, j) -> q % 3 == 0, SEED), scripted("m2", (q, j) -> (q + j) % 2 == 0, SEED),
                scripted("m3", (q, j) -> q % 2 == 0 && j == 1, SEED));
    }

    /** Mean parity reward of 32 samples (temperature 2) per dev aggregation prompt. */
    static double meanReward(ModelEndpoint aggregator, Task task, List<ModelEndpoint> pool) {
        ParityEvaluator ev = new ParityEvaluator();
        double sum = 0;
        int n = 0;
        for (Example e : task.dev()) {
            List<String> solutions = new ArrayList<>();
            for (ModelEndpoint m : pool) solutions.add(m.generate(GenerationRequest.builder().user(e.input()).seed(SEED).build()).text());
            Generation g = aggregator.generate(GenerationRequest.builder().user(AggLm.aggregationPrompt(e.input(), solutions))
                    .temperature(2).maxTokens(1).samples(32).seed(99).build());
            for (String s : g.samples()) { sum += ev.score(e, s).value(); n++; }
        }
        return sum / n;
    }

    @Test
    void selectionCountsOnAScriptedPoolAndGrpoRaisesTheAggregatorsDevReward() throws IOException {
        Task task = parityTask(6, 2);
        Path logs = dir.resolve("logs");
        String spec = "gguf:" + aggregatorFile + "?threads=2&name=agg";
        RunReport r = MoCo.run().models(pool()).method(Methods.aggLm().aggregator(spec).sampleSize(2).groupSize(4).maxSteps(30)
                        .with("learning_rate", 2e-2).with("lora_rank", 8).with("lora_alpha", 16.0).with("lora_dropout", 0.0))
                .task(task).evaluator(new ParityEvaluator()).settings(ONE_TOKEN).seed(SEED).logDir(logs).execute();

        // hand count (see the rules of pool()): hard sets q0j0, q0j1, q3j1; the other 9 are easy
        Map<String, Object> data = Reports.runEvent(r, "agglm_data");
        assertEquals(12, ((Number) data.get("solution_sets")).intValue());
        assertEquals(3, ((Number) data.get("hard")).intValue());
        assertEquals(9, ((Number) data.get("easy")).intValue());
        assertEquals(3, ((Number) data.get("easy_kept")).intValue());
        assertEquals(6, ((Number) data.get("training_prompts")).intValue());

        var training = io.mocoj.methods.testing.TrainingJobs.of(r, "aggregator");
        assertEquals(30, training.losses().size());
        List<?> rewards = (List<?>) Reports.runEvent(r, "agglm_rewards").get("mean_reward_per_step");
        double early = 0, late = 0;
        for (int i = 0; i < 5; i++) { early += ((Number) rewards.get(i)).doubleValue() / 5; late += ((Number) rewards.get(rewards.size() - 1 - i)).doubleValue() / 5; }
        assertTrue(late > early, "GRPO's sampled reward rises during training: first steps " + early + ", last steps " + late);
        String trainedSpec = training.spec();
        Path manifest = Path.of(training.directory()).resolve("manifest.json");
        String m = Files.readString(manifest);
        for (String key : List.of("\"method\" : \"text_agglm\"", "\"objective\" : \"grpo\"", "\"sha256\"", "\"rows\" : 6", "\"lora_targets\"")) {
            assertTrue(m.contains(key), key + " in " + m);
        }

        // the adapter loads as a gguf: spec and samples more even first bytes than the untrained aggregator
        ModelEndpoint untrained = ModelSpecs.resolve(spec, new SpecContext(Optional.empty(), 0));
        ModelEndpoint trained = ModelSpecs.resolve(trainedSpec, new SpecContext(Optional.empty(), 0));
        double before = meanReward(untrained, task, pool()), after = meanReward(trained, task, pool());
        System.out.println("agglm dev reward before " + before + " after " + after);
        assertTrue(after > before + 0.15, "dev reward before " + before + ", after " + after);
    }

    @Test
    void grpoSamplesAtGrpoTemperatureWhenGivenElseAtTheRunsTemperature() throws IOException {
        Task task = parityTask(6, 2);
        String spec = "gguf:" + aggregatorFile + "?threads=2&name=agg";
        for (Double t : java.util.Arrays.asList(null, 1.25)) {
            var method = Methods.aggLm().aggregator(spec).sampleSize(2).groupSize(2).maxSteps(1).with("lora_rank", 4);
            if (t != null) method = method.with("grpo_temperature", t);
            RunReport r = MoCo.run().models(pool()).method(method).task(task).evaluator(new ParityEvaluator()).settings(ONE_TOKEN)
                    .seed(SEED).logDir(dir.resolve("logs-t" + t)).execute();
            String m = Files.readString(Path.of(io.mocoj.methods.testing.TrainingJobs.of(r, "aggregator").directory()).resolve("manifest.json"));
            String expected = "\"temperature\" : " + (t == null ? ONE_TOKEN.temperature() : t);
            assertTrue(m.contains(expected), expected + " in " + m);
        }
    }

    @Test
    void aModelThatCannotTrainIsRefusedBeforeAnyCall() {
        Task task = parityTask(2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(pool())
                .method(Methods.aggLm()).task(task).evaluator(new ParityEvaluator()).settings(ONE_TOKEN).seed(SEED).execute());
        assertTrue(e.getMessage().contains("'m1'") && e.getMessage().contains("TRAIN"), e.getMessage());
    }
}
