package io.mocoj.methods.toolbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ParticleSwarm} with MoCo's Model Swarms update rule (formerly ModelSwarmOptimizer; same assertions). */
class ParticleSwarmModelSwarmsRuleTest {
    /** Utility with its maximum 0 at (1, -2, 0.5). */
    static double utility(double[] x) {
        return -((x[0] - 1) * (x[0] - 1) + (x[1] + 2) * (x[1] + 2) + (x[2] - 0.5) * (x[2] - 0.5));
    }

    /** MoCo's coefficients (inertia 0.2, cognitive 0.3, social 0.4, repel 0.05, step 0.5 × 0.95 ≥ 0.1, restart patience 3). */
    static ParticleSwarm modelSwarms(int patience, boolean weightRandomness) {
        return ParticleSwarm.builder().rule(ParticleSwarm.Rule.MODEL_SWARMS).inertia(0.2).cognitive(0.3).social(0.4).repel(0.05)
                .step(0.5, 0.95, 0.1).patience(patience).restartPatience(3).weightRandomness(weightRandomness).build();
    }

    @Test
    void globalBestNeverWorsensAndApproachesTheOptimum() {
        SplittableRandom r = new SplittableRandom(3);
        List<double[]> x = new ArrayList<>(), v = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            x.add(new double[] {r.nextDouble(-4, 4), r.nextDouble(-4, 4), r.nextDouble(-4, 4)});
            v.add(new double[] {r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)});
        }
        double start = x.stream().mapToDouble(ParticleSwarmModelSwarmsRuleTest::utility).max().orElseThrow();
        ParticleSwarm.Search swarm = modelSwarms(50, true).start(x, v, new SplittableRandom(4));
        double[] best = swarm.optimize(60, ps -> ps.stream().mapToDouble(ParticleSwarmModelSwarmsRuleTest::utility).toArray());
        List<Double> h = swarm.globalBestHistory();
        for (int i = 1; i < h.size(); i++) assertTrue(h.get(i) >= h.get(i - 1), h.toString());
        assertEquals(start, h.get(0), 0, "the first update scores the initial positions");
        assertEquals(utility(best), swarm.globalBestScore(), 0);
        assertTrue(swarm.globalBestScore() > start, "improves on the best starting particle");
        assertTrue(swarm.globalBestScore() > start / 2, "at least halves the gap to the optimum: " + start + " -> " + swarm.globalBestScore());
    }

    @Test
    void stopsWhenTheGlobalBestStallsForPatienceUpdates() {
        ParticleSwarm.Search swarm = modelSwarms(2, false).start(List.of(new double[] {0}, new double[] {1}),
                List.of(new double[] {1}, new double[] {-1}), new SplittableRandom(1));
        int rounds = 0;
        while (!swarm.update(new double[] {1, 1})) rounds++;   // a flat utility never improves
        assertEquals(2, rounds, "patience 2: the third update sees no gain over two updates back");
    }
}
