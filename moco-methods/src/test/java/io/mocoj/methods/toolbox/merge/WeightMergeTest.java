package io.mocoj.methods.toolbox.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.model.WeightsModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Merge arithmetic against hand computations, with the models stored as F32, F16 and Q8_0. The
 * tensor under test ({@value #T}, 64×64) holds small integers, which all three types store
 * exactly: every Q8_0 block of 32 values carries a ±127 (identical in every model, so its task
 * vector is 0), making the block scale exactly 1. Expected values are written out by hand here.
 */
class WeightMergeTest {
    static final String T = "blk.0.attn_q.weight";
    static final int N = 64 * 64;

    @TempDir Path dir;

    /** A stored model whose tensor {@value #T} is {@code values} (others: a fixed random model). */
    LocalModel stored(GgmlType type, String name, float[] values) throws IOException {
        Path template = dir.resolve("template-" + type + ".gguf");
        if (!template.toFile().exists()) TinyModels.write(template, TinyModels.Shape.llama(), type, 3);
        LocalModel t = LocalModel.load(template, LocalModelOptions.builder().threads(1).build());
        Path file = dir.resolve(name + "-" + type + ".gguf");
        t.withTensors(name, Map.of(T, values)).save(file, type);
        LocalModel m = LocalModel.load(file, LocalModelOptions.builder().threads(1).name(name).build());
        assertEquals(type, m.tensorType(T));
        assertArrayEquals(values, m.tensor(T), "the test values must be stored exactly");
        return m;
    }

    /** Zeros except the Q8_0 scale anchors (127 at the first element of each block of 32) and the given entries. */
    static float[] tensor(float... positionValuePairs) {
        float[] v = new float[N];
        for (int b = 0; b < N; b += 32) v[b] = 127;
        for (int i = 0; i < positionValuePairs.length; i += 2) v[(int) positionValuePairs[i]] = positionValuePairs[i + 1];
        return v;
    }

    static float[] merged(WeightMerge merge, List<? extends WeightsModel> models) {
        return merge.threads(2).merge("merged", models).tensor(T);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0"})
    void tiesElectsTheSignOfTheWeightedSumAndAveragesTheAgreeingValues(GgmlType type) throws IOException {
        LocalModel base = stored(type, "base", tensor(1, 10, 2, 10, 3, 10, 4, 10));
        // task vectors at positions 1..4:       m1          m2          m3
        //   1: +3, -1, -1 -> sum +1, sign +      keep m1 only               -> 10 + 3 = 13
        //   2: -4, +1, +2 -> sum -1, sign -      keep m1 only               -> 10 - 4 = 6
        //   3: +2, +2,  0 -> sign +              mean of 2, 2 (m3 is 0)     -> 12
        //   4: -1, +1,  0 -> sum 0 counts as +   keep m2                    -> 11
        LocalModel m1 = stored(type, "m1", tensor(1, 13, 2, 6, 3, 12, 4, 9));
        LocalModel m2 = stored(type, "m2", tensor(1, 9, 2, 11, 3, 12, 4, 11));
        LocalModel m3 = stored(type, "m3", tensor(1, 9, 2, 12, 3, 10, 4, 10));
        float[] out = merged(WeightMerge.using(MergeMethods.byName("ties", Map.of("density", 1.0))).base(base), List.of(m1, m2, m3));
        assertEquals(13f, out[1]);
        assertEquals(6f, out[2]);
        assertEquals(12f, out[3]);
        assertEquals(11f, out[4]);
        assertEquals(127f, out[32]);
        assertEquals(0f, out[5]);
        // with weights (1, 3, 3) position 1 elects -: (3*-1 + 3*-1) / 6 = -1 -> 9; position 4: 3*+1 wins -> 11
        float[] weighted = merged(WeightMerge.using(MergeMethods.byName("ties", Map.of("density", 1.0))).base(base).weights(1, 3, 3),
                List.of(m1, m2, m3));
        assertEquals(9f, weighted[1]);
        assertEquals(11f, weighted[4]);
        // MoCo's dare_ties at density 1: same election, agreeing weighted values summed (not averaged)
        float[] summed = merged(WeightMerge.using(MergeMethods.byName("dare_ties")).base(base).weights(0.5, 0.25, 0.25),
                List.of(m1, m2, m3));
        assertEquals(10 + 0.5f * 3, summed[1]);             // sum 1.5 - .25 - .25 = +1: only m1
        assertEquals(10 + 0.5f * 2 + 0.25f * 2, summed[3]);
        // trimming to the largest 1/4096 of each task vector keeps only each model's biggest change
        float[] trimmed = merged(WeightMerge.using(MergeMethods.byName("ties", Map.of("density", 1.0 / N))).base(base),
                List.of(m1, m2, m3));
        assertEquals(6f, trimmed[2]);   // m1's -4 is its largest; m3's +2 at position 2 is its largest (tie with nothing larger)
        assertEquals(10f, trimmed[1]);  // m1's +3 was trimmed (smaller than its -4)
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0"})
    void darePreservesTheExpectedValue(GgmlType type) throws IOException {
        // base 0, task vector 8 everywhere except the anchors; density 1/4 keeps each value with probability 1/4 and rescales it to 32
        float[] fine = tensor();
        for (int i = 0; i < N; i++) if (i % 32 != 0) fine[i] = 8;
        LocalModel base = stored(type, "base", tensor());
        LocalModel m = stored(type, "m", fine);
        float[] out = merged(WeightMerge.using(MergeMethods.byName("dare_linear", Map.of("density", 0.25))).base(base).seed(11).weights(1),
                List.of(m));
        int kept = 0, changed = N - N / 32;
        for (int i = 0; i < N; i++) {
            if (i % 32 == 0) continue;
            assertTrue(out[i] == 0 || out[i] == 32, "value " + out[i]);
            if (out[i] == 32) kept++;
        }
        BinomialDistribution kept99 = BinomialDistribution.of(changed, 0.25);
        assertTrue(kept >= kept99.inverseCumulativeProbability(0.005) && kept <= kept99.inverseCumulativeProbability(0.995),
                "kept " + kept + " of " + changed);
        // hence the mean change 32 * kept / changed is 8 within the same interval
        // and the draw depends on the seed only, not on threads
        assertArrayEquals(out, WeightMerge.using(MergeMethods.byName("dare_linear", Map.of("density", 0.25))).base(base).seed(11)
                .weights(1).threads(1).merge("again", List.of(m)).tensor(T));
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0"})
    void slerpOfOrthogonalTensorsFollowsTheGreatCircle(GgmlType type) throws IOException {
        // a: 127 at 32k (the anchors), b: the anchors moved to 32k+1 (and zero at 32k): orthogonal, equal norms
        float[] bValues = new float[N];
        for (int i = 0; i < N; i += 32) bValues[i + 1] = 127;
        LocalModel a = stored(type, "a", tensor());
        LocalModel b = stored(type, "b", bValues);
        // theta = pi/2: sin((1-t) pi/2) a + sin(t pi/2) b
        float[] half = merged(WeightMerge.using(MergeMethods.byName("slerp")), List.of(a, b));
        assertEquals(127 * Math.sqrt(0.5), half[0], 1e-4);
        assertEquals(127 * Math.sqrt(0.5), half[1], 1e-4);
        float[] third = merged(WeightMerge.using(MergeMethods.byName("slerp", Map.of("t", 1.0 / 3))), List.of(a, b));
        assertEquals(127 * Math.sin(Math.PI / 3), third[0], 1e-4);   // sin(2/3 * pi/2)
        assertEquals(127 * 0.5, third[1], 1e-4);                    // sin(1/3 * pi/2)
        assertEquals(0f, third[2]);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0"})
    void extrapolationAndAveragesAreWeightedSums(GgmlType type) throws IOException {
        LocalModel worst = stored(type, "worst", tensor(1, 4, 2, -6));
        LocalModel best = stored(type, "best", tensor(1, 10, 2, -2));
        // ExPO: best + alpha (best - worst) = (1 + alpha) best - alpha worst, alpha 0.5
        float[] expo = merged(WeightMerge.using(MergeMethods.byName("linear")).weights(1.5, -0.5), List.of(best, worst));
        assertEquals(13f, expo[1]);
        assertEquals(0f, expo[2]);
        assertEquals(127f, expo[0]);
        float[] avg = merged(WeightMerge.using(MergeMethods.byName("linear")), List.of(best, worst));
        assertEquals(7f, avg[1]);
        assertEquals(-4f, avg[2]);
        // task arithmetic with lambda 2 over base worst: worst + 2 * (best - worst)
        float[] ta = merged(WeightMerge.using(MergeMethods.byName("task_arithmetic", Map.of("lambda", 2.0))).base(worst).weights(1),
                List.of(best));
        assertEquals(16f, ta[1]);
        assertEquals(2f, ta[2]);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "Q8_0"})
    void mergedModelsRequantiseOnSave(GgmlType type) throws IOException {
        LocalModel a = stored(type, "a", tensor(1, 4));
        LocalModel b = stored(type, "b", tensor(1, 10));
        LocalModel merged = (LocalModel) WeightMerge.using(MergeMethods.byName("linear")).merge("avg", List.of(a, b));
        Path file = dir.resolve("avg.gguf");
        merged.save(file, GgmlType.Q8_0);
        LocalModel back = LocalModel.load(file, LocalModelOptions.builder().threads(1).build());
        assertEquals(GgmlType.Q8_0, back.tensorType(T));
        assertEquals(7f, back.tensor(T)[1]);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0"})
    void modelStockAndBreadcrumbsFollowTheirFormulas(GgmlType type) throws IOException {
        LocalModel base = stored(type, "base", tensor());
        // task vectors (only positions 1, 2): m1 = (4, 0), m2 = (0, 4): orthogonal, cos 0 -> t = 0 -> the base
        LocalModel m1 = stored(type, "m1", tensor(1, 4));
        LocalModel m2 = stored(type, "m2", tensor(2, 4));
        float[] stock = merged(WeightMerge.using(MergeMethods.byName("model_stock")).base(base), List.of(m1, m2));
        assertEquals(0f, stock[1]);
        assertEquals(0f, stock[2]);
        // identical task vectors (cos 1): t = 2 / (1 + 1) = 1 -> their average
        LocalModel m3 = stored(type, "m3", tensor(1, 4));
        assertEquals(4f, merged(WeightMerge.using(MergeMethods.byName("model_stock")).base(base), List.of(m1, m3))[1]);
        // breadcrumbs: the largest value of each task vector (gamma 1/N) is dropped, the next density share kept
        LocalModel m4 = stored(type, "m4", tensor(1, 9, 2, 5, 3, 1));
        float[] crumbs = merged(WeightMerge.using(MergeMethods.byName("breadcrumbs", Map.of("gamma", 1.0 / N, "density", 1.0 / N)))
                .base(base).weights(1), List.of(m4));
        assertEquals(0f, crumbs[1]);   // the outlier 9 is dropped
        assertEquals(5f, crumbs[2]);   // kept
        assertEquals(0f, crumbs[3]);   // below the kept share
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32"})
    void mismatchedArchitecturesAreRefusedNamingTheTensorAndBothShapes(GgmlType type) throws IOException {
        LocalModel a = stored(type, "a", tensor());
        Path wide = TinyModels.write(dir.resolve("wide.gguf"), new TinyModels.Shape("llama", 64, 2, 4, 2, 128, 40, 256, false, 10000f), type, 1);
        LocalModel b = LocalModel.load(wide, LocalModelOptions.builder().threads(1).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightMerge.using(MergeMethods.byName("linear")).merge("x", List.of(a, b)));
        assertTrue(e.getMessage().contains("blk.0.ffn_gate.weight") && e.getMessage().contains("[96, 64]")
                && e.getMessage().contains("[128, 64]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeightMerge.using(MergeMethods.byName("ties")).merge("x", List.of(a)));
        assertTrue(e.getMessage().contains("base"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MergeMethods.byName("tie"));
        assertTrue(e.getMessage().contains("ties"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MergeMethods.byName("slerp", Map.of("density", 0.5)));
        assertTrue(e.getMessage().contains("density") && e.getMessage().contains("[t]"), e.getMessage());
    }
}
