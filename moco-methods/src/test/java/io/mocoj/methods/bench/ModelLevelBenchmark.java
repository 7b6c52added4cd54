package io.mocoj.methods.bench;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.methods.toolbox.LockStepDecoding;
import io.mocoj.methods.toolbox.merge.GeneralizedTaskArithmetic;
import io.mocoj.methods.toolbox.merge.MergeMethods;
import io.mocoj.methods.toolbox.merge.ReferenceTaskArithmetic;
import io.mocoj.methods.toolbox.merge.WeightMerge;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.LogitsModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Merge throughput and lock-step decoding speed on SmolLM2-135M-shaped random models (see
 * docs/performance.md). Merge GB/s counts the F32 bytes of every input tensor read (N models plus
 * the base for task-vector methods) per second of {@link WeightMerge#stream}, including
 * dequantisation of Q8_0 inputs; it is set against a plain array copy and {@code a + b} over heap
 * arrays of the same size in the same run. Decoding compares logit fusion and contrastive decoding
 * over 2 and 3 models with one model decoding alone.
 *
 * <pre>java -Xmx3g -cp … io.mocoj.methods.bench.ModelLevelBenchmark [dir] [threads] [decodeTokens]</pre>
 */
public final class ModelLevelBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"), "mocoj-merge-bench");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 24; // 0: merges only
        Files.createDirectories(dir);
        TinyModels.Shape shape = TinyModels.Shape.smolLm2();
        LocalModelOptions o = LocalModelOptions.builder().threads(threads).contextLength(512).build();
        for (GgmlType type : List.of(GgmlType.F32, GgmlType.Q8_0)) {
            List<LocalModel> models = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                Path p = dir.resolve("smol-" + type + "-" + k + ".gguf");
                if (!Files.exists(p)) TinyModels.write(p, shape, type, 100 + k);
                models.add(LocalModel.load(p, o.toBuilder().name("m" + k).build()));
            }
            long params = 0;
            for (String t : models.get(0).tensorNames()) {
                long n = 1;
                for (int d : models.get(0).shape(t)) n *= d;
                params += n;
            }
            reference(params);
            LocalModel base = models.get(2);
            List<LocalModel> inputs = models.subList(0, 2);
            for (int rep = 0; rep < 2; rep++) {
                merge(type, "average (linear)", WeightMerge.using(MergeMethods.byName("linear")).threads(threads), inputs, params, 2);
                merge(type, "ties (density 0.2)", WeightMerge.using(MergeMethods.byName("ties", Map.of("density", 0.2))).base(base)
                        .threads(threads), inputs, params, 3);
                merge(type, "dare_linear (density 0.5)", WeightMerge.using(MergeMethods.byName("dare_linear", Map.of("density", 0.5)))
                        .base(base).threads(threads).seed(1), inputs, params, 3);
                if (rep == 1) { // the kernel before fusion, same inputs, same run
                    merge(type, "ties (density 0.2), previous kernel", WeightMerge.using(new ReferenceTaskArithmetic(
                            (GeneralizedTaskArithmetic) MergeMethods.byName("ties", Map.of("density", 0.2)))).base(base).threads(threads),
                            inputs, params, 3);
                    merge(type, "dare_linear (density 0.5), previous kernel", WeightMerge.using(new ReferenceTaskArithmetic(
                            (GeneralizedTaskArithmetic) MergeMethods.byName("dare_linear", Map.of("density", 0.5)))).base(base)
                            .threads(threads).seed(1), inputs, params, 3);
                }
            }
            if (type == GgmlType.Q8_0 && tokens > 0) decode(models, tokens);
        }
        System.out.printf("load average: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
    }

    static double gbps(long bytes, long nanos) { return bytes / (nanos / 1e9) / 1e9; }

    /** A plain array copy and a + b over heap arrays of {@code params} floats (in chunks of 1 << 26). */
    static void reference(long params) {
        int chunk = (int) Math.min(params, 1 << 26);
        float[] a = new float[chunk], b = new float[chunk], c = new float[chunk];
        for (int i = 0; i < chunk; i++) { a[i] = i; b[i] = -i; }
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            for (long done = 0; done < params; done += chunk) System.arraycopy(a, 0, c, 0, (int) Math.min(chunk, params - done));
            long t1 = System.nanoTime();
            for (long done = 0; done < params; done += chunk) {
                int n = (int) Math.min(chunk, params - done);
                for (int i = 0; i < n; i++) c[i] = a[i] + b[i];
            }
            long t2 = System.nanoTime();
            System.out.printf("reference: copy %.2f GB/s read, a+b %.2f GB/s read (%d floats)%n",
                    gbps(params * 4, t1 - t0), gbps(params * 8, t2 - t1), params);
        }
    }

    static void merge(GgmlType type, String what, WeightMerge merge, List<LocalModel> inputs, long params, int modelsRead) {
        long t0 = System.nanoTime();
        long[] n = {0};
        merge.stream(inputs, (name, values) -> n[0] += values.length);
        long t = System.nanoTime() - t0;
        System.out.printf("merge %s %s: %.2f s, %.2f GB/s of F32 input data (%d models x %d floats)%n", type, what, t / 1e9,
                gbps((long) modelsRead * params * 4, t), modelsRead, n[0]);
    }

    static void decode(List<LocalModel> models, int tokens) {
        List<ChatMessage> prompt = List.of(ChatMessage.user("Write a sentence about the sea."));
        LockStepDecoding.Settings greedy = new LockStepDecoding.Settings(tokens, 0, 1, 1, List.of());
        LockStepDecoding.Combiner contrast = lps -> {
            float[] s = lps.get(0).clone();
            for (int t = 0; t < s.length; t++) s[t] += 0.2f * (lps.get(0)[t] - lps.get(1)[t]);
            return s;
        };
        for (int rep = 0; rep < 2; rep++) {
            for (int n = 1; n <= 3; n++) {
                List<LogitsModel> pool = new ArrayList<>(models.subList(0, n));
                long t0 = System.nanoTime();
                LockStepDecoding.Result r = LockStepDecoding.decode(pool, prompt, LockStepDecoding::meanProbability, greedy, null);
                long t = System.nanoTime() - t0;
                System.out.printf("fusion of %d model(s): %d tokens in %.2f s = %.2f tokens/s (prefill included)%n", n, r.tokens(), t / 1e9,
                        r.tokens() / (t / 1e9));
                if (n == 2) {
                    t0 = System.nanoTime();
                    r = LockStepDecoding.decode(pool, prompt, contrast, greedy, null);
                    t = System.nanoTime() - t0;
                    System.out.printf("contrastive (k=1, 2 models): %d tokens in %.2f s = %.2f tokens/s%n", r.tokens(), t / 1e9,
                            r.tokens() / (t / 1e9));
                }
            }
        }
    }
}
