package io.mocoj.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.eval.PairedComparison;
import io.mocoj.zoo.Zoo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training-based collaboration on the zoo's trained models, at CI size (the benchmark program
 * {@link TrainedZooBenchmark} runs the same at 100 dev / 100 test items; docs/methods/training-based.md
 * has its numbers). Fixed seeds; the paired intervals are 99% bootstrap intervals over the same test items.
 */
class TrainedZooTest {
    @TempDir static Path dir;

    static String show(PairedComparison c) { return TrainedZooBenchmark.paired(c); }

    /**
     * Co-LLM with generator {@code weak} (which never reverses a sequence) and mentor {@code reverse}:
     * the generator's SFT and both head phases lower their losses, the trained head's marginal
     * likelihood beats the σ = ½ head and the generator alone, the collaboration at threshold 0.5
     * beats the trained generator alone (threshold 1, which by definition never defers) with a 99%
     * interval above 0, and the deferral rate is 1 at threshold 0, 0 at threshold 1 and falls in between.
     */
    @Test
    void coLlmOnTheZooBeatsItsGeneratorAndItsDeferralRateFollowsTheThreshold() {
        double[] th = {0.0, 0.25, 0.5, 0.75, 1.0};
        TrainedZooBenchmark.CoLlmResult r = TrainedZooBenchmark.coLlm(Zoo.shipped(), 40, 40, th, 20, dir.resolve("collm"));
        List<Double> sft = r.sftLosses(), bce = r.labelLosses(), marginal = r.marginalLosses();
        System.out.printf("zoo collm: sft %s -> %s, bce %s -> %s, marginal %s -> %s, nll %.3f / %.3f / %.3f, rates %s, scores %s%n", sft.get(0),
                sft.get(sft.size() - 1), bce.get(0), bce.get(bce.size() - 1), marginal.get(0), marginal.get(marginal.size() - 1), r.nllTrainedHead(),
                r.nllUntrainedHead(), r.nllGeneratorAlone(), Arrays.toString(r.rates()),
                Arrays.toString(java.util.stream.IntStream.range(0, th.length).mapToDouble(r::mean).toArray()));
        assertTrue(sft.get(sft.size() - 1) < sft.get(0), "generator SFT loss " + sft);
        assertTrue(bce.get(bce.size() - 1) < bce.get(0) && marginal.get(marginal.size() - 1) <= marginal.get(0), "head losses");
        assertTrue(r.nllTrainedHead() < r.nllUntrainedHead() && r.nllTrainedHead() < r.nllGeneratorAlone(),
                "NLL " + r.nllTrainedHead() + " vs " + r.nllUntrainedHead() + " / " + r.nllGeneratorAlone());
        PairedComparison vsGenerator = r.compare(2, 4);
        System.out.println("zoo collm 0.5 - generator alone: " + show(vsGenerator) + "; 0.5 - mentor alone: " + show(r.compare(2, 0)));
        assertTrue(vsGenerator.low() > 0, "collaboration - generator alone " + show(vsGenerator));
        assertEquals(1.0, r.rates()[0], 1e-12);
        assertEquals(0.0, r.rates()[4], 1e-12);
        for (int k = 1; k < th.length; k++) assertTrue(r.rates()[k] <= r.rates()[k - 1], "rate by threshold " + Arrays.toString(r.rates()));
    }

    /**
     * The LLM router (zoo:base fine-tuned) between {@code reverse} and {@code kbqa} on a mix of both
     * skills: SFT lowers its loss, and the trained router's score beats the untrained one's (whose
     * replies name no model, so every query goes to the best dev model) with a 99% interval above 0.
     */
    @Test
    void theLlmRouterTrainedOnZooDevLabelsBeatsTheUntrainedRouter() {
        TrainedZooBenchmark.RouterResult r = TrainedZooBenchmark.llmRouter(Zoo.shipped(), 16, 20, 30, dir.resolve("router"));
        System.out.println("zoo llm router: losses " + r.losses().get(0) + " -> " + r.losses().get(r.losses().size() - 1) + ", " + r.data()
                + ", untrained " + TrainedZooBenchmark.mean(r.untrained()) + " trained " + TrainedZooBenchmark.mean(r.trained()) + ": " + show(r.compare()));
        assertTrue(r.losses().get(r.losses().size() - 1) < r.losses().get(0) / 2, "router losses " + r.losses());
        assertTrue(r.compare().low() > 0, "trained - untrained " + show(r.compare()));
    }
}
