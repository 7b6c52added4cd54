package io.mocoj.methods.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.toolbox.Topology;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Heterogeneous Swarms has no closed form for what the search finds, so this checks invariants a
 * wrong implementation breaks (global best monotone, a tree into one end node, exact dev cost),
 * and, for the graph it found, the test accuracy against the enumeration over that graph.
 */
class HeterogeneousSwarmsTest {
    static final int N = 2000;
    static final double[] P = {0.45, 0.6, 0.75};

    @Test
    void searchIsMonotoneTheGraphIsATreeAndItsTestAccuracyMatchesTheEnumeration() {
        Task task = McqTasks.generate("swarm", 40, N, List.of("general"), 8);
        List<ModelEndpoint> models = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            models.add(SimulatedModel.builder(task).name("m" + i).accuracy(P[i]).persuadability(0.6).seed(9).build());
        }
        RunReport r = MoCo.run().models(models).method(Methods.heterogeneousSwarms()).task(task).seed(2).baselines(false).execute();
        assertEquals(0, r.summary().failed());
        Map<String, Object> swarm = Reports.runEvent(r, "swarm");
        @SuppressWarnings("unchecked") List<Double> best = (List<Double>) swarm.get("global_best_by_iteration");
        assertEquals(5, best.size(), "max_iterations 5: the start and four updates");
        for (int t = 1; t < best.size(); t++) assertTrue(best.get(t) >= best.get(t - 1), "global best monotone: " + best);
        @SuppressWarnings("unchecked") List<HeterogeneousSwarms.Candidate> candidates = (List<HeterogeneousSwarms.Candidate>) swarm.get("candidates");
        assertEquals(25, candidates.size(), "population 5 × 5 iterations");
        double top = candidates.stream().mapToDouble(HeterogeneousSwarms.Candidate::devScore).max().orElseThrow();
        assertEquals(top, best.get(best.size() - 1), 1e-12);
        for (HeterogeneousSwarms.Candidate c : candidates) assertTree(c.graph());

        HeterogeneousSwarms.Candidate chosen = (HeterogeneousSwarms.Candidate) swarm.get("best");
        assertEquals(top, chosen.devScore(), 1e-12);
        Topology g = Topology.ofMatrix(chosen.graph());
        List<List<Integer>> predecessors = new ArrayList<>();
        for (int j = 0; j < 3; j++) predecessors.add(g.inNeighbours(j));
        List<Integer> order = g.topologicalOrder();
        double expected = TeamOdds.dag(P, new double[] {0.6, 0.6, 0.6}, order, predecessors, order.get(2));
        assertEquals(expected, r.meanScore(), Reports.Z99 * Math.sqrt(expected * (1 - expected) / N), "graph " + chosen.graph());

        // dev: 3 models × 25 graphs × ⌊0.25·40⌋ examples; test: one call per model and example
        long calls = models.stream().mapToLong(m -> Reports.calls(r, m.name())).sum();
        assertEquals(3L * 25 * 10 + 3L * N, calls);
    }

    /** Every node but one has exactly one out-edge, the end node none, and there is no cycle. */
    static void assertTree(List<List<Integer>> rows) {
        int ends = 0;
        for (int i = 0; i < rows.size(); i++) {
            int out = rows.get(i).stream().mapToInt(Integer::intValue).sum();
            assertTrue(out <= 1 && rows.get(i).get(i) == 0, "one out-edge per node, no self-loop: " + rows);
            if (out == 0) ends++;
        }
        assertEquals(1, ends, "one end node: " + rows);
        assertEquals(rows.size(), Topology.ofMatrix(rows).topologicalOrder().size());
    }
}
