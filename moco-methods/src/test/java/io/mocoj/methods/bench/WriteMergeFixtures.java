package io.mocoj.methods.bench;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.methods.toolbox.merge.MergeMethods;
import io.mocoj.methods.toolbox.merge.WeightMerge;
import io.mocoj.model.WeightsModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the merge fixtures compared with llama.cpp in {@code LlamaCppMergeFixturesTest} to
 * {@code src/test/resources/merge-fixtures}: a random F32 llama base, two "fine-tunes" (the base
 * plus Gaussian changes of scale 0.05 on every matrix, stored as Q8_0), and three merges of them
 * written by {@link LocalModel#save}: TIES (density 0.5, against the base) as F32, DARE-TIES
 * (density 0.5, weights 0.6/0.4, seed 7) as Q8_0, and their linear average as F16. Then
 * {@code node ../moco-local/tools/llamacpp-bench/logits.mjs src/test/resources/merge-fixtures/merged-*.gguf}
 * records llama.cpp's output next to each merged file.
 */
public final class WriteMergeFixtures {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/merge-fixtures");
        Files.createDirectories(dir);
        LocalModel base = LocalModel.load(TinyModels.write(dir.resolve("base-f32.gguf"), TinyModels.Shape.llama(), GgmlType.F32, 60),
                LocalModelOptions.defaults());
        for (int k = 1; k <= 2; k++) {
            Random r = new Random(60 + k);
            Map<String, float[]> changed = new LinkedHashMap<>();
            for (String t : base.tensorNames()) {
                if (base.shape(t).length != 2) continue;
                float[] w = base.tensor(t);
                for (int i = 0; i < w.length; i++) w[i] += (float) (r.nextGaussian() * 0.05);
                changed.put(t, w);
            }
            base.withTensors("ft" + k, changed).save(dir.resolve("ft" + k + "-q8_0.gguf"), GgmlType.Q8_0);
        }
        for (Merge m : merges(dir)) {
            ((LocalModel) m.merge().merge(m.name(), inputs(dir))).save(dir.resolve(m.name() + ".gguf"), m.type());
        }
    }

    /** One fixture merge: how it is made and the type it is saved in. */
    public record Merge(String name, GgmlType type, WeightMerge merge) {}

    static LocalModel load(Path p) { return LocalModel.load(p, LocalModelOptions.defaults()); }

    /** The two fine-tunes. */
    public static List<WeightsModel> inputs(Path dir) {
        return List.of(load(dir.resolve("ft1-q8_0.gguf")), load(dir.resolve("ft2-q8_0.gguf")));
    }

    /** The three fixture merges over the files in {@code dir}. */
    public static List<Merge> merges(Path dir) {
        LocalModel base = load(dir.resolve("base-f32.gguf"));
        return List.of(
                new Merge("merged-ties-f32", GgmlType.F32, WeightMerge.using(MergeMethods.byName("ties", Map.of("density", 0.5))).base(base)),
                new Merge("merged-dare-ties-q8_0", GgmlType.Q8_0, WeightMerge.using(MergeMethods.byName("dare_ties", Map.of("density", 0.5)))
                        .base(base).weights(0.6, 0.4).seed(7)),
                new Merge("merged-average-f16", GgmlType.F16, WeightMerge.using(MergeMethods.byName("linear"))));
    }
}
