package io.mocoj.methods.toolbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParticleSwarmTest {
    static double[] each(List<double[]> xs, java.util.function.ToDoubleFunction<double[]> f) {
        return xs.stream().mapToDouble(f).toArray();
    }

    @Test
    void findsTheMaximumOfASmoothBowlAndItsGlobalBestNeverDecreases() {
        double[] target = {0.3, -0.7, 0.5};
        ParticleSwarm pso = ParticleSwarm.builder().dimensions(3).particles(12).iterations(60).bounds(-1, 1).build();
        ParticleSwarm.Result r = pso.maximise(xs -> each(xs, x -> {
            double s = 0;
            for (int d = 0; d < 3; d++) s -= (x[d] - target[d]) * (x[d] - target[d]);
            return s;
        }), new SplittableRandom(7));
        assertEquals(61, r.history().size());
        assertEquals(61 * 12, r.evaluations());
        for (int t = 1; t < r.history().size(); t++) {
            assertTrue(r.history().get(t).globalBestValue() >= r.history().get(t - 1).globalBestValue(), "monotone at " + t);
            double bestThisIteration = java.util.Arrays.stream(r.history().get(t).values()).max().orElseThrow();
            assertTrue(r.history().get(t).globalBestValue() >= bestThisIteration);
        }
        assertArrayEquals(target, r.best(), 0.05);
        assertEquals(r.history().get(60).globalBestValue(), r.bestValue());
    }

    @Test
    void staysInsideTheBoxAndIsReproducibleForASeed() {
        ParticleSwarm pso = ParticleSwarm.builder().dimensions(2).particles(5).iterations(10).bounds(0, 1).build();
        java.util.function.Function<List<double[]>, double[]> f = xs -> each(xs, x -> {
            for (double v : x) assertTrue(v >= 0 && v <= 1, "inside [0, 1]: " + v);
            return x[0] + x[1]; // maximum on the corner (1, 1)
        });
        ParticleSwarm.Result a = pso.maximise(f, new SplittableRandom(3));
        ParticleSwarm.Result b = pso.maximise(f, new SplittableRandom(3));
        assertArrayEquals(a.best(), b.best());
        assertTrue(a.bestValue() > 1.8, "near the corner: " + a.bestValue());
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ParticleSwarm.builder().particles(0).build());
        assertThrows(IllegalArgumentException.class, () -> ParticleSwarm.builder().bounds(1, 1).build());
        assertThrows(IllegalArgumentException.class, () -> ParticleSwarm.builder().inertia(-1).build());
    }
}
