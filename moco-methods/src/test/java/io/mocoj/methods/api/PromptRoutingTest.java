package io.mocoj.methods.api;

import static io.mocoj.methods.testing.Reports.Z99;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptRoutingTest {
    private static final List<String> DOMAINS = List.of("algebra", "law", "medicine");
    private static final double EXPERT = 0.9, NOVICE = 0.4, SKILL = 0.9;

    /**
     * Three simulated specialists, each right with probability 0.9 on its own domain and 0.4
     * elsewhere; domains equally frequent. A single model scores (0.9 + 0.4 + 0.4)/3 = 0.5667.
     * The simulated router (routing skill 0.9, see docs/simulated-models.md) picks the model whose
     * description names the example's domain with probability 0.9 and a uniformly random listed
     * model otherwise, so routing scores 0.9·0.9 + 0.1·0.5667 = 0.8667.
     */
    @Test
    void routingToDomainSpecialistsBeatsEverySingleModel() {
        int n = 3000;
        Task task = McqTasks.generate("domains", 300, n, DOMAINS, 31);
        List<ModelEndpoint> pool = DOMAINS.stream().<ModelEndpoint>map(d -> SimulatedModel.builder(task).name("expert-" + d)
                .accuracy(NOVICE).groupAccuracy(d, EXPERT).routingSkill(SKILL).seed(23).build()).toList();
        List<String> descriptions = DOMAINS.stream().map(d -> "a specialist in " + d + " questions").toList();
        RunReport r = MoCo.run().models(pool).method(Methods.promptRouting().modelDescriptions(descriptions))
                .task(task).seed(2).baselines(true).execute();

        double single = (EXPERT + 2 * NOVICE) / 3;
        double expected = SKILL * EXPERT + (1 - SKILL) * single;
        assertEquals(expected, r.meanScore(), Z99 * Math.sqrt(expected * (1 - expected) / n), "routing accuracy");
        assertEquals(3, r.baselines().size());
        for (RunReport.Baseline b : r.baselines()) {
            // each single model's accuracy is ≈ 0.5667 (the simulated model's own tests check its accuracy)
            assertTrue(r.meanScore() > b.summary().interval().high(), "routing beats " + b.model() + " beyond its 95% interval");
        }
        String router = (String) Reports.runEvent(r, "router").get("model");
        assertTrue(router.startsWith("sim:expert-"), router);
        Map<String, Object> routed = Reports.runEvent(r, "routed_to");
        assertEquals(n, routed.values().stream().mapToInt(v -> ((Number) v).intValue()).sum());
        for (int i = 0; i < n; i++) {
            assertEquals(false, Reports.exampleEvent(r, i, "route").get("fallback_to_router"), "the router always names a model");
        }
    }

    private static Task smallTask() {
        return McqTasks.generate("small", 2, 4, List.of("algebra"), 5);
    }

    @Test
    void theChosenModelAnswersByNameOrNumberAndUnparseableRepliesFallBackToTheRouter() {
        // "r" is right on dev (best dev model → router); it names models by name, by number, or not at all
        ScriptedModel router = ScriptedModel.text("r", req -> {
            String p = req.lastUserText();
            if (!p.endsWith("Reply with the model's number only.")) {
                return p.contains("[id:dev-") ? "r: gold" : "r answers";
            }
            if (p.contains("[id:test-0]")) return "Model 2";
            if (p.contains("[id:test-1]")) return "I would ask beta.";
            if (p.contains("[id:test-2]")) return "No idea, sorry.";
            return "1";
        });
        ScriptedModel beta = ScriptedModel.text("beta", req -> "beta answers");
        ScriptedModel gamma = ScriptedModel.text("gamma", req -> "gamma answers");
        Task task = smallTask();
        // make the router's dev answers right: reply with the gold letter on dev
        ScriptedModel scoredRouter = ScriptedModel.text("r", req -> {
            String p = req.lastUserText();
            if (p.contains("[id:dev-")) {
                String id = p.replaceAll("(?s).*\\[id:(dev-\\d+)].*", "$1");
                return task.dev().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow().answer();
            }
            return router.generate(req).text();
        });
        RunReport r = MoCo.run().models(beta, scoredRouter, gamma)
                .method(Methods.promptRouting().modelDescriptions(List.of("b", "r", "g")))
                .task(task).evaluator(new LetterEvaluator()).execute();
        assertEquals("r", Reports.runEvent(r, "router").get("model"));
        assertEquals("r answers", r.examples().get(0).output(), "'Model 2' is the second model, r");
        assertEquals("beta answers", r.examples().get(1).output(), "named by name");
        assertEquals("r answers", r.examples().get(2).output(), "unparseable: the router answers itself");
        assertEquals(true, Reports.exampleEvent(r, 2, "route").get("fallback_to_router"));
        assertEquals(false, Reports.exampleEvent(r, 0, "route").get("fallback_to_router"));
        assertEquals("beta answers", r.examples().get(3).output(), "'1' is the first model");
    }

    @Test
    void descriptionsMustBeGivenOnePerModel() {
        Task task = smallTask();
        List<ModelEndpoint> pool = List.of(ScriptedModel.text("a", q -> "A"), ScriptedModel.text("b", q -> "B"), ScriptedModel.text("c", q -> "C"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(pool)
                .method(Methods.promptRouting()).task(task).evaluator(new LetterEvaluator()).build());
        assertTrue(missing.getMessage().contains("needs hyperparameter 'model_descriptions'")
                && missing.getMessage().contains("a list of 3 strings"), missing.getMessage());
        IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(pool)
                .method(Methods.promptRouting().modelDescriptions(List.of("x", "y"))).task(task).evaluator(new LetterEvaluator()).build());
        assertTrue(wrongLength.getMessage().contains("has 2 entries but the pool has 3 models (a, b, c)"), wrongLength.getMessage());
        IllegalArgumentException notAList = assertThrows(IllegalArgumentException.class,
                () -> Methods.promptRouting().with("model_descriptions", "one string"));
        assertTrue(notAList.getMessage().contains("'model_descriptions'") && notAList.getMessage().contains("\"one string\""),
                notAList.getMessage());
    }

    /**
     * The router's picks are a choice, not a score, so calibration orders queries by "picked the
     * strong model" and then a seeded uniform draw, a continuous score: calibrated to a strong
     * share of 0.5 (above the ≈ 1/3 the router picks the last, strong model for), the dev queries
     * meet it within one query, and the test share lies in the 99% interval around 0.5 (dev
     * threshold and test sampling errors added). Every strong pick of the router on test goes to
     * the strong model (the threshold lies among the other queries' draws).
     */
    @Test
    void calibratedPromptRoutingMeetsTheStrongShare() {
        int dev = 300, test = 400;
        Task task = McqTasks.generate("domains", dev, test, DOMAINS, 33);
        List<ModelEndpoint> pool = DOMAINS.stream().<ModelEndpoint>map(d -> SimulatedModel.builder(task).name("expert-" + d)
                .accuracy(NOVICE).groupAccuracy(d, EXPERT).routingSkill(SKILL).seed(23).build()).toList();
        List<String> descriptions = DOMAINS.stream().map(d -> "a specialist in " + d + " questions").toList();
        double share = 0.5;
        RunReport r = MoCo.run().models(pool).method(Methods.promptRouting().modelDescriptions(descriptions)
                .calibrate(io.mocoj.methods.toolbox.CalibrationTarget.strongShare(share))).task(task).seed(2).execute();
        Map<String, Object> cal = Reports.runEvent(r, "calibration");
        String strong = (String) cal.get("strong_model");
        assertEquals(pool.get(2).name(), strong, "without prices the last model is the strong one");
        double devShare = ((Number) ((Map<?, ?>) cal.get("chosen")).get("strong_share")).doubleValue();
        assertTrue(Math.abs(devShare - share) * dev <= 1, "dev strong share " + devShare);
        int toStrong = ((Number) Reports.runEvent(r, "routed_to").get(strong)).intValue();
        assertEquals(share, toStrong / (double) test, Z99 * Math.sqrt(share * (1 - share) * (1.0 / test + 1.0 / dev)), "test strong share");
        for (int i = 0; i < test; i++) {
            Map<String, Object> route = Reports.exampleEvent(r, i, "route");
            if (strong.equals(route.get("router_pick"))) assertEquals(strong, route.get("model"), "example " + i);
        }
    }
}
