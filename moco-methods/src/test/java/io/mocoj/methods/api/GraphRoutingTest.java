package io.mocoj.methods.api;

import static io.mocoj.methods.api.TrainedRouterTest.DOMAINS;
import static io.mocoj.methods.api.TrainedRouterTest.ORACLE;
import static io.mocoj.methods.api.TrainedRouterTest.SINGLE;
import static io.mocoj.methods.testing.Reports.Z99;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.DomainTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.toolbox.CalibrationTarget;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GraphRouter on the simulated per-domain specialists of {@link TrainedRouterTest} (three
 * domains; each model right with probability 0.9 on its own, 0.4 elsewhere: a single model
 * scores 0.567, the oracle router 0.964), with MoCo's default hyperparameters.
 */
class GraphRoutingTest {
    static final List<String> DESCRIPTIONS = DOMAINS.stream().map(d -> "an expert in " + d).toList();

    /** Learning rate 1e-2 for 150 epochs: learns the specialists' domains in a fraction of the default 500 epochs at 1e-4. */
    static GraphRouting fast(GraphRouting m) { return m.with("learning_rate", 1e-2).with("train_epochs", 150); }

    static RunReport run(Task task, GraphRouting method, List<ModelEndpoint> models) {
        return MoCo.run().models(models).method(method).task(task).seed(4).execute();
    }

    /**
     * At MoCo's defaults (learning rate 1e-4, 500 epochs) the GNN learns part of the routing; at
     * learning rate 1e-2 (150 epochs) nearly all of it. Either way: above every single model, below the oracle,
     * and the score within the 99% interval of what the sim rules give for the routing it chose.
     */
    @Test
    void routesDomainsToSpecialistsBeatingEverySingleModelAndStayingBelowTheOracle() {
        Task task = DomainTasks.generate("domains", 240, 300, DOMAINS, 12);
        int n = task.test().size();
        GraphRouting defaults = Methods.graphRouting().modelDescriptions(DESCRIPTIONS);
        for (GraphRouting method : List.of(defaults, fast(defaults))) {
            RunReport r = run(task, method, TrainedRouterTest.specialists(task));
            String label = "learning_rate " + method.hyperparameters().getDouble("learning_rate");
            double expected = TrainedRouterTest.expectedFromRouting(r, task);
            double sd = Math.sqrt(expected * (1 - expected) / n);
            assertEquals(expected, r.meanScore(), Z99 * sd, label + ": accuracy agrees with the sim rules for its routing");
            assertTrue(r.meanScore() > SINGLE + Z99 * Math.sqrt(SINGLE * (1 - SINGLE) / n), label + " beats every single model: " + r.meanScore());
            assertTrue(r.meanScore() < ORACLE - Z99 * Math.sqrt(ORACLE * (1 - ORACLE) / n), label + " stays below the oracle: " + r.meanScore());
            if (method != defaults) assertTrue(expected > 0.85, label + ": nearly every query goes to its specialist (" + expected + ")");
            Map<String, Object> graph = Reports.runEvent(r, "graph");
            assertEquals(240, graph.get("query_nodes"));
            assertEquals(720, graph.get("edges"));
            assertEquals(192, graph.get("train_queries"));
            assertEquals(24, graph.get("validation_queries"));
            Map<String, Object> routed = Reports.runEvent(r, "routed_to");
            assertEquals(n, routed.values().stream().mapToInt(v -> ((Number) v).intValue()).sum());
        }
    }

    /**
     * Two priced models (TrainedRouterTest.priced: weak, price 1, right 0.8 / 0.4 on algebra /
     * law; strong, price 10, 0.5 / 0.9). Cost First's utility is 0.2·score − 0.8·cost, cost
     * divided by the largest dev cost: the strong model's is at most 0.2 − 0.8·c with c near 1,
     * the weak model's at least −0.8·c/10 (the same prompts at a tenth of the price), so the weak
     * model is every query's label, and every test query goes to it.
     * Calibrated to a strong share of 0.3, the held-out dev queries (20% of dev) meet the share
     * within one query and the test share lies in the 99% interval around 0.3 (dev threshold's and
     * test's sampling errors added).
     */
    @Test
    void costFirstPrefersTheCheapModelAndCalibrationMeetsTheStrongShare() {
        int test = 400;
        Task task = DomainTasks.generate("two", 300, test, List.of("algebra", "law"), 21);
        List<ModelEndpoint> pool = List.of(TrainedRouterTest.priced(task, "weak", 0.8, 0.4, 1, 3),
                TrainedRouterTest.priced(task, "strong", 0.5, 0.9, 10, 4));
        GraphRouting base = Methods.graphRouting().modelDescriptions(List.of("a cheap generalist", "an expensive expert in law"))
                .with("learning_rate", 1e-2).with("train_epochs", 100);
        RunReport cheap = run(task, base.scenario("Cost First"), pool);
        assertEquals(test, ((Number) Reports.runEvent(cheap, "routed_to").get("sim:weak")).intValue(), "Cost First: all to the cheap model");

        double share = 0.3;
        RunReport r = run(task, base.calibrate(CalibrationTarget.strongShare(share)), pool);
        Map<String, Object> cal = Reports.runEvent(r, "calibration");
        assertEquals("sim:strong", cal.get("strong_model"));
        double devShare = ((Number) ((Map<?, ?>) cal.get("chosen")).get("strong_share")).doubleValue();
        int heldOut = 60;
        assertTrue(Math.abs(devShare * heldOut - share * heldOut) <= 1, "held-out dev strong share " + devShare);
        double testShare = ((Number) Reports.runEvent(r, "routed_to").get("sim:strong")).intValue() / (double) test;
        assertEquals(share, testShare, Z99 * Math.sqrt(share * (1 - share) * (1.0 / heldOut + 1.0 / test)), "test strong share");
        assertTrue(((List<?>) cal.get("curve")).size() > 2);
    }

    /** The faster learner of the test above on the same data, with the dev outcomes permuted across queries. */
    @Test
    void aRouterTrainedOnShuffledOutcomesDoesNotBeatTheBestSingleModel() {
        Task task = DomainTasks.generate("domains", 240, 300, DOMAINS, 12);
        RunReport r = run(task, fast(Methods.graphRouting().modelDescriptions(DESCRIPTIONS)).shuffleLabels(true), TrainedRouterTest.specialists(task));
        double singleSd = Math.sqrt(SINGLE * (1 - SINGLE) / task.test().size());
        assertTrue(r.meanScore() < SINGLE + Z99 * singleSd, "shuffled outcomes: " + r.meanScore());
        assertEquals(true, Reports.runEvent(r, "graph").get("shuffled_labels"));
    }

    @Test
    void refusedBeforeAnyCall() {
        Task task = DomainTasks.generate("domains", 3, 3, DOMAINS, 12);
        var e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(TrainedRouterTest.specialists(task))
                .method(Methods.graphRouting()).task(task).build());
        assertTrue(e.getMessage().contains("model_descriptions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.graphRouting().with("in_edges", 2));
        assertTrue(e.getMessage().contains("in_edges"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.graphRouting().with("scenario", "Cheap"));
        assertTrue(e.getMessage().contains("Performance First"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.graphRouting().with("split_ratio", List.of(0.5, 0.1)));
        assertTrue(e.getMessage().contains("split_ratio"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(TrainedRouterTest.specialists(task))
                .method(Methods.graphRouting().modelDescriptions(DESCRIPTIONS).calibrate(CalibrationTarget.costPer1k(1))).task(task).build());
        assertTrue(e.getMessage().contains("needs every model's price"), e.getMessage());
    }
}
