package io.mocoj.methods.api;

import static io.mocoj.methods.testing.Reports.Z99;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.DomainTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.toolbox.CalibrationTarget;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ModelPricing;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The trained router on simulated per-domain specialists (docs/simulated-models.md: a simulated
 * model answers an example of group g correctly with its accuracy for g, independently per model
 * and example). Three domains, equally frequent; each specialist is right with probability 0.9 on
 * its domain and 0.4 elsewhere. So a single model scores (0.9 + 2·0.4)/3 = 0.567, routing query q
 * to model m scores 0.9 if m is q's specialist else 0.4, and the oracle router (right whenever any
 * model is) scores 1 − 0.1·0.6² = 0.964.
 */
class TrainedRouterTest {
    static final List<String> DOMAINS = List.of("algebra", "law", "medicine");
    static final double EXPERT = 0.9, NOVICE = 0.4;
    static final double SINGLE = (EXPERT + 2 * NOVICE) / 3, ORACLE = 1 - (1 - EXPERT) * (1 - NOVICE) * (1 - NOVICE);

    static List<ModelEndpoint> specialists(Task task) {
        return DOMAINS.stream().<ModelEndpoint>map(d -> SimulatedModel.builder(task).name("expert-" + d)
                .accuracy(NOVICE).groupAccuracy(d, EXPERT).seed(17).build()).toList();
    }

    /** The expected accuracy of the run's actual routing decisions under the sim rules. */
    static double expectedFromRouting(RunReport r, Task task) {
        double sum = 0;
        for (int i = 0; i < task.test().size(); i++) {
            String model = (String) Reports.exampleEvent(r, i, "route").get("model");
            String domain = (String) task.test().get(i).fields().get("domain");
            sum += model.equals("sim:expert-" + domain) ? EXPERT : NOVICE;
        }
        return sum / task.test().size();
    }

    static RunReport run(Task task, CollaborationMethod method) {
        return MoCo.run().models(specialists(task)).method(method).task(task).seed(4).execute();
    }

    @Test
    void routesEachDomainToItsSpecialistBeatingEverySingleModelAndStayingBelowTheOracle() {
        Task task = DomainTasks.generate("domains", 240, 300, DOMAINS, 12);
        int n = task.test().size();
        for (String classifier : List.of("logistic", "knn")) {
            RunReport r = run(task, Methods.trainedRouter().classifier(classifier));
            double expected = expectedFromRouting(r, task);
            assertTrue(expected > 0.8, classifier + ": most queries go to their specialist (expected accuracy " + expected + ")");
            double sd = Math.sqrt(expected * (1 - expected) / n);
            assertEquals(expected, r.meanScore(), Z99 * sd, classifier + ": accuracy agrees with the sim rules for its routing");
            double singleSd = Math.sqrt(SINGLE * (1 - SINGLE) / n);
            assertTrue(r.meanScore() > SINGLE + Z99 * singleSd, classifier + " beats every single model: " + r.meanScore());
            assertTrue(r.meanScore() < ORACLE - Z99 * Math.sqrt(ORACLE * (1 - ORACLE) / n), classifier + " stays below the oracle");
            Map<String, Object> routed = Reports.runEvent(r, "routed_to");
            assertEquals(n, routed.values().stream().mapToInt(v -> ((Number) v).intValue()).sum());
            Map<String, Object> cal = Reports.runEvent(r, "calibration");
            double oracle = ((Number) ((Map<?, ?>) cal.get("oracle")).get("quality")).doubleValue();
            assertEquals(ORACLE, oracle, Z99 * Math.sqrt(ORACLE * (1 - ORACLE) / 240), "dev oracle");
        }
    }

    /** The same data as the test above (its embeddings are cached), with the dev labels permuted across queries. */
    @Test
    void aRouterTrainedOnShuffledLabelsDoesNotBeatTheBestSingleModel() {
        Task task = DomainTasks.generate("domains", 240, 300, DOMAINS, 12);
        RunReport r = run(task, Methods.trainedRouter().shuffleLabels(true));
        double singleSd = Math.sqrt(SINGLE * (1 - SINGLE) / task.test().size());
        assertTrue(r.meanScore() < SINGLE + Z99 * singleSd, "shuffled labels: " + r.meanScore());
        assertEquals(true, Reports.runEvent(r, "router").get("shuffled_labels"));
    }

    /**
     * Two models: "weak" (price 1) right with 0.8 on algebra and 0.4 on law, "strong" (price 10)
     * 0.5 / 0.9. Calibrated to a strong share of 0.3, the dev operating point sends 0.3·n_dev ± 1
     * queries to the strong model; on test the share lies in the 99% interval around 0.3 whose
     * variance adds the dev threshold's sampling error to the test's binomial error.
     */
    @Test
    void calibrationMeetsTheStrongShareOnDevWithinOneQueryAndOnTestWithinTheBinomialInterval() {
        Task task = DomainTasks.generate("two", 300, 400, List.of("algebra", "law"), 21);
        ModelEndpoint weak = priced(task, "weak", 0.8, 0.4, 1, 3), strong = priced(task, "strong", 0.5, 0.9, 10, 4);
        double share = 0.3;
        RunReport r = MoCo.run().models(weak, strong).method(Methods.trainedRouter().calibrate(CalibrationTarget.strongShare(share)))
                .task(task).seed(4).execute();
        Map<String, Object> cal = Reports.runEvent(r, "calibration");
        assertEquals("sim:strong", cal.get("strong_model"), "the most expensive model is the strong one");
        double devShare = ((Number) ((Map<?, ?>) cal.get("chosen")).get("strong_share")).doubleValue();
        assertTrue(Math.abs(devShare * 300 - share * 300) <= 1, "dev strong share " + devShare);
        int toStrong = ((Number) Reports.runEvent(r, "routed_to").get("sim:strong")).intValue();
        double testShare = toStrong / 400.0;
        double sd = Math.sqrt(share * (1 - share) * (1.0 / 300 + 1.0 / 400));
        assertEquals(share, testShare, Z99 * sd, "test strong share");
        assertTrue(((List<?>) cal.get("curve")).size() > 2);
        assertTrue(((Map<?, ?>) cal.get("single_models")).containsKey("sim:weak"));
    }

    @Test
    void costBudgetPicksTheMostStrongUseWithinBudget() {
        Task task = DomainTasks.generate("two", 300, 400, List.of("algebra", "law"), 21); // the calibration test's data: embeddings cached
        ModelEndpoint weak = priced(task, "weak", 0.8, 0.4, 1, 3), strong = priced(task, "strong", 0.5, 0.9, 10, 4);
        RunReport probe = MoCo.run().models(weak, strong).method(Methods.trainedRouter()).task(task).seed(4).execute();
        Map<?, ?> singles = (Map<?, ?>) Reports.runEvent(probe, "calibration").get("single_models");
        double cheap = ((Number) ((Map<?, ?>) singles.get("sim:weak")).get("cost_per_1k")).doubleValue();
        double dear = ((Number) ((Map<?, ?>) singles.get("sim:strong")).get("cost_per_1k")).doubleValue();
        double budget = cheap + 0.5 * (dear - cheap);
        RunReport r = MoCo.run().models(weak, strong).method(Methods.trainedRouter().calibrate(CalibrationTarget.costPer1k(budget)))
                .task(task).seed(4).execute();
        Map<?, ?> chosen = (Map<?, ?>) Reports.runEvent(r, "calibration").get("chosen");
        assertTrue(((Number) chosen.get("cost_per_1k")).doubleValue() <= budget + 1e-9);
        for (Object o : (List<?>) Reports.runEvent(r, "calibration").get("curve")) {
            Map<?, ?> p = (Map<?, ?>) o;
            if (((Number) p.get("cost_per_1k")).doubleValue() <= budget) {
                assertTrue(((Number) p.get("strong_share")).doubleValue() <= ((Number) chosen.get("strong_share")).doubleValue() + 1e-12);
            }
        }
    }

    /** A simulated model right with probability {@code algebra} on algebra and {@code law} on law, at {@code price} per million tokens. */
    static ModelEndpoint priced(Task task, String name, double algebra, double law, double price, long seed) {
        return SimulatedModel.builder(task).name(name).accuracy(law).groupAccuracy("algebra", algebra)
                .pricing(ModelPricing.perMillionTokens(price, price)).seed(seed).build();
    }

    @Test
    void refusedBeforeAnyCall() {
        Task task = DomainTasks.generate("domains", 3, 3, DOMAINS, 12);
        var e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(specialists(task))
                .method(Methods.trainedRouter().with("router_base_model", "Qwen/Qwen2.5-7B-Instruct")).task(task).build());
        assertTrue(e.getMessage().contains("router_base_model 'Qwen/Qwen2.5-7B-Instruct' is neither a model of the pool"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(specialists(task))
                .method(Methods.trainedRouter().with("router_base_model", specialists(task).get(0).name())).task(task).build());
        assertTrue(e.getMessage().contains("cannot train (no capability TRAIN)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.trainedRouter().with("calibrate", Map.of("strong_share", 1.5)));
        assertTrue(e.getMessage().contains("'calibrate'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.trainedRouter().with("calibrate", Map.of("share", 0.5)));
        assertTrue(e.getMessage().contains("strong_share"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(specialists(task))
                .method(Methods.trainedRouter().calibrate(CalibrationTarget.costPer1k(1))).task(task).build());
        assertTrue(e.getMessage().contains("needs every model's price"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.trainedRouter().with("embedding_model", "BAAI/bge-small"));
        assertTrue(e.getMessage().contains("in-jar"), e.getMessage());
    }
}
