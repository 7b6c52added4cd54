package io.mocoj.methods.text;

import static io.mocoj.methods.testing.Reports.Z99;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.methods.toolbox.Tie;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.sim.FailureMode;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MajorityVoteTest {

    /**
     * Expected accuracy of plurality voting by three independent models, each right with
     * probability p and otherwise uniform over the 3 wrong options of 4, ties broken uniformly at
     * random among the tied answers: enumerate all 4³ answer triples (option 0 is correct).
     */
    static double expectedMajorityAccuracy(double p) {
        double expected = 0;
        for (int a = 0; a < 4; a++) for (int b = 0; b < 4; b++) for (int c = 0; c < 4; c++) {
            int[] triple = {a, b, c};
            double prob = 1;
            for (int x : triple) prob *= x == 0 ? p : (1 - p) / 3;
            int[] counts = new int[4];
            for (int x : triple) counts[x]++;
            int top = 0, leaders = 0;
            for (int k : counts) top = Math.max(top, k);
            for (int k : counts) if (k == top) leaders++;
            double winCorrect = counts[0] == top ? 1.0 / leaders : 0;
            expected += prob * winCorrect;
        }
        return expected;
    }

    @Test
    void analyticValueMatchesTheHandCount() {
        // all right 0.216 + two right 3·0.36·0.4 = 0.432 + one right with the two wrong ones different
        // (3·0.6·0.16·2/3) and the three-way tie won 1/3 of the time = 0.064  →  0.712
        assertEquals(0.712, expectedMajorityAccuracy(0.6), 1e-12);
    }

    @Test
    void threeIndependent60PercentSimulatedModelsReachTheAnalyticAccuracy() {
        int n = 3000;
        Task task = McqTasks.generate("mcq", 0, n, List.of("general"), 11);
        // simulated models: right with probability 0.6, otherwise uniform over the 3 other letters, independent by name
        List<ModelEndpoint> pool = List.of("m1", "m2", "m3").stream()
                .<ModelEndpoint>map(name -> SimulatedModel.builder(task).name(name).accuracy(0.6).seed(17).build()).toList();
        RunReport report = MoCo.run().models(pool).method(Methods.majorityVote()).task(task)
                .seed(5).baselines(true).execute();

        double expected = expectedMajorityAccuracy(0.6);
        double halfWidth = Z99 * Math.sqrt(expected * (1 - expected) / n);
        assertEquals(expected, report.meanScore(), halfWidth, "majority-vote accuracy vs analytic 0.712");
        for (RunReport.Baseline b : report.baselines()) {
            assertEquals(0.6, b.summary().mean(), Z99 * Math.sqrt(0.24 / n), "single model " + b.model());
        }
        assertEquals(0, report.summary().failed());
        assertTrue(report.usesSimulatedModels());
    }

    /** Each model always answers its own letter; the output names the model so we can see whose response won. */
    private static ScriptedModel fixed(String name, String letter) {
        return ScriptedModel.text(name, r -> name + " says " + letter);
    }

    private static Task tieTask(String devGold, int testSize) {
        Map<String, String> choices = Map.of("A", "a", "B", "b", "C", "c", "D", "d");
        List<Example> dev = List.of(Example.multipleChoice("d0", "dev question 0", choices, devGold),
                Example.multipleChoice("d1", "dev question 1", choices, devGold));
        List<Example> test = new ArrayList<>();
        for (int i = 0; i < testSize; i++) test.add(Example.multipleChoice("t" + i, "test question " + i, choices, "A"));
        return new Task("ties", TaskType.MULTIPLE_CHOICE, dev, test);
    }

    private static RunReport run(List<ModelEndpoint> pool, Tie tie, Task task, long seed) {
        return MoCo.run().models(pool).method(Methods.majorityVote().tie(tie)).task(task)
                .evaluator(new LetterEvaluator()).seed(seed).execute();
    }

    @Test
    void devBasedTieGoesToTheBestDevModelAmongTheTied() {
        List<ModelEndpoint> pool = List.of(fixed("m0", "A"), fixed("m1", "A"), fixed("m2", "B"), fixed("m3", "B"), fixed("m4", "C"));
        // dev gold B: m2 and m3 are right (m2 first in pool order); A and B tie 2–2 on test
        RunReport r = run(pool, Tie.DEV_BASED, tieTask("B", 3), 1);
        for (RunReport.ExampleResult e : r.examples()) assertEquals("m2 says B", e.output());
        Map<String, Object> vote = Reports.exampleEvent(r, 0, "vote");
        assertEquals("B", vote.get("winner"));
        assertEquals(true, vote.get("tied"));
        assertEquals("m2", vote.get("output_from"));

        // dev gold C: the best dev model (m4) is not among the tied, so the next best decides: m0 (pool order) → A
        RunReport r2 = run(pool, Tie.DEV_BASED, tieTask("C", 3), 1);
        for (RunReport.ExampleResult e : r2.examples()) assertEquals("m0 says A", e.output());
    }

    @Test
    void clearMajorityIgnoresTheTieRule() {
        List<ModelEndpoint> pool = List.of(fixed("m0", "C"), fixed("m1", "A"), fixed("m2", "A"));
        RunReport r = run(pool, Tie.DEV_BASED, tieTask("C", 2), 1);
        for (RunReport.ExampleResult e : r.examples()) assertEquals("m1 says A", e.output());
        assertEquals(false, Reports.exampleEvent(r, 0, "vote").get("tied"));
    }

    @Test
    void randomTieIsUniformAndReproducible() {
        List<ModelEndpoint> pool = List.of(fixed("m0", "A"), fixed("m1", "B"), fixed("m2", "C"));
        int n = 1500;
        RunReport r = run(pool, Tie.RANDOM, tieTask("A", n), 9);
        Map<String, Integer> wins = new HashMap<>();
        for (RunReport.ExampleResult e : r.examples()) wins.merge(e.output(), 1, Integer::sum);
        double sd = Math.sqrt(n * (1.0 / 3) * (2.0 / 3));
        for (String out : List.of("m0 says A", "m1 says B", "m2 says C")) {
            assertEquals(n / 3.0, wins.getOrDefault(out, 0), Z99 * sd, "wins of " + out + ": " + wins);
        }
        // the test score is the share of A wins (gold A)
        assertEquals(wins.get("m0 says A") / (double) n, r.meanScore(), 1e-12);

        List<String> again = run(pool, Tie.RANDOM, tieTask("A", n), 9).examples().stream().map(RunReport.ExampleResult::output).toList();
        assertEquals(r.examples().stream().map(RunReport.ExampleResult::output).toList(), again, "same seed, same winners");
        List<String> other = run(pool, Tie.RANDOM, tieTask("A", n), 10).examples().stream().map(RunReport.ExampleResult::output).toList();
        assertNotEquals(again, other, "another seed breaks ties differently");
    }

    @Test
    void randomTieNeedsNoDevEvaluation() {
        List<ModelEndpoint> pool = List.of(fixed("m0", "A"), fixed("m1", "B"));
        RunReport r = run(pool, Tie.RANDOM, tieTask("A", 4), 1);
        assertEquals(4, Reports.calls(r, "m0"), "only the 4 test calls, no dev calls");
    }

    @Test
    void refusesTaskTypesWithoutDiscreteAnswers() {
        Task coding = new Task("code", TaskType.CODING, List.of(), List.of(Example.freeText("1", "write f", "")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoCo.run()
                .models(fixed("m0", "A")).method(Methods.majorityVote()).task(coding).evaluator(new LetterEvaluator() {
                    @Override public TaskType taskType() { return TaskType.CODING; }
                }).build());
        assertTrue(e.getMessage().contains("text_majority_vote") && e.getMessage().contains("coding"), e.getMessage());
    }

    @Test
    void aFailingModelCastsNoVoteAndTheOthersDecide() {
        Task task = McqTasks.generate("mcq", 0, 30, List.of("general"), 12);
        ModelEndpoint broken = SimulatedModel.builder(task).name("broken").failure(FailureMode.AUTH).build();
        ModelEndpoint right1 = SimulatedModel.builder(task).name("right1").accuracy(1.0).build();
        ModelEndpoint right2 = SimulatedModel.builder(task).name("right2").accuracy(1.0).build();
        // by default the run stops (see RunEngineTest / PoolHealthTest); allowed to go on, it says it is degraded
        RunReport r = MoCo.run().models(broken, right1, right2).method(Methods.majorityVote()).task(task)
                .onModelFailure(io.mocoj.ModelFailurePolicy.CONTINUE).execute();
        assertEquals("degraded", r.status());
        assertEquals("sim:broken", r.degraded().get(0).model());
        assertEquals(0, r.summary().failed());
        assertEquals(1.0, r.meanScore(), 1e-12);
        assertEquals(List.of("sim:broken"), Reports.exampleEvent(r, 0, "vote").get("failed_models"));
        assertEquals("sim:right1", Reports.exampleEvent(r, 0, "vote").get("output_from"));
    }
}
