package io.mocoj.methods.weight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.methods.testing.VectorModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The weight methods on {@link VectorModel}s (simulated: dev score = a known function of the
 * weights), so every expected outcome is computed by hand from the positions.
 */
class WeightMethodsTest {
    static final Task TASK = McqTasks.generate("t", 20, 10, List.of("x"), 5);
    static final float[] OPT = {0.5f, 0.5f};

    static VectorModel m(String name, float... theta) { return VectorModel.of(name, TASK, OPT, 2.0, theta); }

    static RunReport run(CollaborationMethod method, ModelEndpoint... models) {
        return MoCo.run().models(models).method(method).task(TASK).evaluator(new LetterEvaluator()).baselines(false).execute();
    }

    @SuppressWarnings("unchecked")
    static List<Number> numbers(Object o) { return (List<Number>) o; }

    @Test
    void greedySoupKeepsOnlyIngredientsThatDoNotLowerTheDevScore() {
        // distances to the optimum: a 0.5, b 0.5, c 2.5 (quality 0): avg(a, b) = (0.5, 0.5) is perfect; adding c hurts
        VectorModel a = m("a", 1f, 0.5f), b = m("b", 0f, 0.5f), c = m("c", 3f, 0.5f);
        RunReport r = run(Methods.greedySoup(), c, a, b);
        Map<String, Object> soup = Reports.runEvent(r, "greedy_soup");
        assertEquals(List.of("a", "b"), soup.get("ingredients"));
        assertEquals(1.0, ((Number) soup.get("dev_score")).doubleValue());
        @SuppressWarnings("unchecked") List<Map<String, Object>> steps = (List<Map<String, Object>>) soup.get("steps");
        assertEquals(2, steps.size());
        assertEquals(true, steps.get(0).get("kept"));
        assertEquals(false, steps.get(1).get("kept"));
        // avg(a, b, c) = (4/3, 0.5): distance 5/6, quality 1 - 5/12 -> 12/20 right (round(0.5833 * 20) = 12)
        assertEquals(0.6, ((Number) steps.get(1).get("dev_score")).doubleValue(), 1e-12);
        assertEquals(1.0, r.meanScore(), 1e-12, "the perfect soup answers every test example");
    }

    @Test
    void expoExtrapolatesFromWorstToBest() {
        // radius 0.5: quality 1 - 2 * distance. worst (-0.1, .5) at distance 0.6, mid (0.2, .5) 0.3, best (0.4, .5) 0.1;
        // best + alpha (best - worst) = (0.4 + 0.5 alpha, .5)
        VectorModel worst = VectorModel.of("worst", TASK, OPT, 0.5, -0.1f, 0.5f), mid = VectorModel.of("mid", TASK, OPT, 0.5, 0.2f, 0.5f),
                best = VectorModel.of("best", TASK, OPT, 0.5, 0.4f, 0.5f);
        // alpha 0.25: distance 0.025, quality 0.95: round(9.5) = 10 of 10 test examples
        RunReport fixed = run(Methods.expo().alpha(0.25), mid, worst, best);
        assertEquals(1.0, fixed.meanScore(), 1e-12);
        assertEquals(0.25, ((Number) Reports.runEvent(fixed, "expo").get("alpha")).doubleValue());
        // optimised over 0.1..0.5: distances .05, 0, .05, .1, .15 -> dev 18, 20, 18, 16, 14 of 20: alpha 0.2 wins
        RunReport opt = run(Methods.expo().alphaMode("optimized"), mid, worst, best);
        assertEquals(0.2, ((Number) Reports.runEvent(opt, "expo").get("alpha")).doubleValue(), 1e-12);
        assertEquals(1.0, opt.meanScore(), 1e-12);
    }

    @Test
    void dareTiesMergesTaskVectorsAgainstTheBase() {
        // base (0, 0); task vectors (1.5, 0) and (0, 1.5) with weights 1/3 each (the base's own is 0): sum (0.5, 0.5)
        VectorModel base = m("base", 0f, 0f), x = m("x", 1.5f, 0f), y = m("y", 0f, 1.5f);
        RunReport r = run(Methods.dareTies().baseModelName("base"), base, x, y);
        assertEquals(1.0, r.meanScore(), 1e-12);
        assertEquals(List.of(1 / 3.0, 1 / 3.0, 1 / 3.0), Reports.runEvent(r, "dare_ties").get("weights"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(x, y)
                .method(Methods.dareTies()).task(TASK).evaluator(new LetterEvaluator()).build());
        assertTrue(e.getMessage().contains("base_model_name"), e.getMessage());
    }

    @Test
    void optimisedDareTiesAndModelSwarmsNeverLoseTheirGlobalBest() {
        VectorModel base = m("base", 0f, 0f), x = m("x", 2f, 0f), y = m("y", 0f, 2f), z = m("z", -1f, -1f);
        RunReport dt = run(Methods.dareTies().baseModelName("base").mode("optimized"), base, x, y, z);
        List<Number> history = numbers(Reports.runEvent(dt, "dare_ties").get("global_best_history"));
        assertTrue(history.size() >= 1);
        for (int i = 1; i < history.size(); i++) assertTrue(history.get(i).doubleValue() >= history.get(i - 1).doubleValue(), history.toString());
        RunReport swarm = run(Methods.modelSwarms(), x, y, z);
        List<Number> h = numbers(Reports.runEvent(swarm, "model_swarms").get("global_best_history"));
        for (int i = 1; i < h.size(); i++) assertTrue(h.get(i).doubleValue() >= h.get(i - 1).doubleValue(), h.toString());
        // the swarm's first round scores the models themselves: its best is at least the best single model's
        double bestSingle = List.of(x, y, z).stream().mapToDouble(VectorModel::expectedDevScore).max().orElseThrow();
        assertEquals(bestSingle, h.get(0).doubleValue(), 1e-12);
        assertTrue(h.get(h.size() - 1).doubleValue() >= bestSingle);
    }

    @Test
    void poolsWithoutWeightsOrOfMixedArchitecturesAreRefusedBeforeAnyCall() {
        VectorModel a = m("a", 1f, 0f), wide = VectorModel.of("wide", TASK, new float[3], 2, 1f, 2f, 3f);
        ScriptedModel text = ScriptedModel.text("text-only", r -> "A");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(a, text)
                .method(Methods.greedySoup()).task(TASK).evaluator(new LetterEvaluator()).build());
        assertTrue(e.getMessage().contains("text-only") && e.getMessage().contains("WEIGHTS"), e.getMessage());
        for (CollaborationMethod method : List.<CollaborationMethod>of(Methods.greedySoup(), Methods.expo(), Methods.modelSwarms(),
                Methods.dareTies().baseModelName("a"))) {
            e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(a, wide).method(method).task(TASK)
                    .evaluator(new LetterEvaluator()).build());
            assertTrue(e.getMessage().contains("theta") && e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        }
    }

    @Test
    void loraHubImprovesOverUniformWeightsTowardsAKnownOptimum() {
        // adapters e1, e2, e3; the optimum (0.5, 0.5, 0) is reached at w = (0.5, 0.5, 0); uniform w = 1/3 each is 0.41 away
        float[] opt = {0.5f, 0.5f, 0f};
        VectorModel a = VectorModel.of("a", TASK, opt, 1.0, 1, 0, 0), b = VectorModel.of("b", TASK, opt, 1.0, 0, 1, 0),
                c = VectorModel.of("c", TASK, opt, 1.0, 0, 0, 1);
        RunReport r = run(Methods.loraHub().maxInferenceStep(60).devSamples(20), a, b, c);
        Map<String, Object> hub = Reports.runEvent(r, "lorahub");
        double objective = ((Number) hub.get("objective")).doubleValue();
        VectorModel uniform = a.composeAdapters("u", List.of(a, b, c), new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0});
        double uniformObjective = 1 - uniform.expectedDevScore() + 0.05 / 3;
        assertTrue(objective < uniformObjective, objective + " vs uniform " + uniformObjective);
        // the reported objective is that of the reported weights, recomputed by hand
        List<Number> w = numbers(hub.get("weights"));
        double[] wd = w.stream().mapToDouble(Number::doubleValue).toArray();
        VectorModel found = a.composeAdapters("f", List.of(a, b, c), wd);
        double l1 = java.util.Arrays.stream(wd).map(Math::abs).average().orElseThrow();
        assertEquals(1 - found.expectedDevScore() + 0.05 * l1, objective, 1e-9);
        for (double x : wd) assertTrue(Math.abs(x) <= 1.5, "bounded weight " + x);
        // LoRA methods refuse models that are not adapters on one base
        ScriptedModel text = ScriptedModel.text("plain", q -> "A");
        VectorModel wide = VectorModel.of("wide", TASK, new float[2], 1.0, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MoCo.run().models(a, wide).method(Methods.loraHub()).task(TASK).evaluator(new LetterEvaluator()).build());
        assertTrue(e.getMessage().contains("different base models"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MoCo.run().models(a, text).method(Methods.loraHub()).task(TASK).evaluator(new LetterEvaluator()).build());
        assertTrue(e.getMessage().contains("plain"), e.getMessage());
    }

    @Test
    void modelSwarmsFastMergeCombinesAdapters() {
        VectorModel x = m("x", 2f, 0f), y = m("y", 0f, 2f), z = m("z", -1f, -1f);
        RunReport swarm = run(Methods.modelSwarms().with("fast_merge_flag", true), x, y, z);
        List<Number> h = numbers(Reports.runEvent(swarm, "model_swarms").get("global_best_history"));
        for (int i = 1; i < h.size(); i++) assertTrue(h.get(i).doubleValue() >= h.get(i - 1).doubleValue(), h.toString());
        List<Number> c = numbers(Reports.runEvent(swarm, "model_swarms").get("coefficients"));
        VectorModel best = x.composeAdapters("b", List.of(x, y, z), c.stream().mapToDouble(Number::doubleValue).toArray());
        assertEquals(best.expectedDevScore(), h.get(h.size() - 1).doubleValue(), 1e-12, "the reported best is the best position's score");
    }
}
