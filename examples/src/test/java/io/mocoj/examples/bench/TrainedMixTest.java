package io.mocoj.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.eval.PairedComparison;
import io.mocoj.zoo.Zoo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training options of the LLM router, the switcher, LLM-Blender's ranker and fuser and AggLM's
 * aggregator on the zoo's specialists {@code arith}, {@code reverse}, {@code sort} over the
 * mixed-skill task {@code zoo_mix}, at CI size ({@link TrainedMixBenchmark} runs the same larger;
 * docs/methods/training-based.md has both). Fixed seeds; trained against untrained is paired over
 * the same test items with a 99% bootstrap interval, which must lie above 0; every training loss must fall.
 */
class TrainedMixTest {
    @TempDir static Path dir;

    static void assertTrainedBeatsUntrained(TrainedMixBenchmark.Result r) {
        System.out.println("zoo_mix " + r.row() + "\n  " + TrainedZooBenchmark.paired(r.gain()) + "; " + r.notes());
        PairedComparison g = r.gain();
        assertEquals(r.test(), g.pairs());
        for (Map.Entry<String, List<Double>> e : r.losses().entrySet()) {
            List<Double> l = e.getValue();
            assertTrue(l.get(l.size() - 1) < l.get(0), r.method() + ": the " + e.getKey() + "'s training loss did not fall: " + l);
        }
        assertTrue(g.low() > 0, r.method() + ": trained − untrained " + TrainedZooBenchmark.paired(g));
    }

    @Test
    void theLlmRouterTrainedOnDevLabelsBeatsTheUntrainedRouterOnTheMix() {
        assertTrainedBeatsUntrained(TrainedMixBenchmark.llmRouter(Zoo.shipped(), 30, 30, 30, dir.resolve("router")));
    }
}
