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

    /**
     * The LLM router ({@code zoo:base}, LoRA r8, 40 steps on the dev labels) against the same router
     * untrained (its replies mostly name no model, so those queries go to the best dev model).
     * Measured (60 dev / 60 test): 0.583 → 0.783, +0.200 [+0.033, +0.367]; the best single model
     * ({@code arith}) 0.600, the trained router − it +0.183 [+0.067, +0.317]. At 30 / 30 the
     * interval was [−0.033, +0.500], so 60 items are needed.
     */
    @Test
    void theLlmRouterTrainedOnDevLabelsBeatsTheUntrainedRouterOnTheMix() {
        TrainedMixBenchmark.Result r = TrainedMixBenchmark.llmRouter(Zoo.shipped(), 60, 60, 40, dir.resolve("router"));
        assertTrainedBeatsUntrained(r);
        System.out.println("  trained router − best single (" + r.bestSingle() + "): " + TrainedZooBenchmark.paired(r.vsBestSingle()));
    }

    /**
     * LLM-Blender with its ranker and fuser ({@code team} in the pool, top 1, LoRA r8, 60 SFT steps
     * each on the dev split) against the same blend untrained. Measured (60 dev / 60 test, idle
     * machine): 0.000 → 0.217, +0.217 [+0.100, +0.367] (13 wins, 47 ties, 0 losses); ranker loss
     * 0.285 → 0.227, fuser 2.561 → 0.300. It stays below the best single model ({@code arith},
     * 0.600). At 30 / 30 the interval was [+0.000, +0.333], so 60 items are needed.
     */
    @Test
    void llmBlendersTrainedRankerAndFuserBeatTheUntrainedBlendOnTheMix() {
        assertTrainedBeatsUntrained(TrainedMixBenchmark.llmBlender(Zoo.shipped(), 60, 60, true, true, 60, dir.resolve("blender")));
    }
}
