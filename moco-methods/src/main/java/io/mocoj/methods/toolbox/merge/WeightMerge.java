package io.mocoj.methods.toolbox.merge;

import io.mocoj.model.WeightsModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

/**
 * Merges {@link WeightsModel}s tensor by tensor with a {@link MergeMethod}: each tensor of every
 * model (and of the base) is read as floats (dequantised from whatever type it is stored in),
 * merged on {@code threads} threads in fixed pieces, and handed on before the next tensor is read,
 * so merging N models holds N copies of one tensor, never N models. Architectures are checked
 * before anything is read. Results do not depend on the number of threads.
 *
 * <p>The merged model ({@link #merge}) keeps its tensors in F32 on the heap; save it (for a local
 * model: {@code LocalModel.save(path, type)}) to requantise to F16 or Q8_0.
 */
public final class WeightMerge {
    private final MergeMethod method;
    private final double[] weights;
    private final WeightsModel base;
    private final long seed;
    private final int threads;

    private WeightMerge(MergeMethod method, double[] weights, WeightsModel base, long seed, int threads) {
        this.method = Objects.requireNonNull(method, "method");
        this.weights = weights;
        this.base = base;
        this.seed = seed;
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        this.threads = threads;
    }

    /** A merge with {@code method}, equal weights 1/N, no base, seed 0, all processors. */
    public static WeightMerge using(MergeMethod method) {
        return new WeightMerge(method, null, null, 0, Runtime.getRuntime().availableProcessors());
    }

    /** One weight per model (default: 1/N each). */
    public WeightMerge weights(double... w) { return new WeightMerge(method, w.clone(), base, seed, threads); }

    /** The base model task vectors are taken against (required by {@link MergeMethod#needsBase()}). */
    public WeightMerge base(WeightsModel b) { return new WeightMerge(method, weights, b, seed, threads); }

    /** Seed of random methods (DARE). */
    public WeightMerge seed(long s) { return new WeightMerge(method, weights, base, s, threads); }

    public WeightMerge threads(int t) { return new WeightMerge(method, weights, base, seed, t); }

    public MergeMethod method() { return method; }

    /**
     * The merged model, named {@code name}, built on the base (or the first model) with every
     * tensor replaced.
     */
    public WeightsModel merge(String name, List<? extends WeightsModel> models) {
        Map<String, float[]> merged = new LinkedHashMap<>();
        stream(models, merged::put);
        return (base != null ? base : models.get(0)).adoptTensors(name, merged); // the arrays are ours: no second copy
    }

    /** Merges every tensor and gives each, in file order, to {@code sink} (which may keep the array). */
    public void stream(List<? extends WeightsModel> models, BiConsumer<String, float[]> sink) {
        double[] w = check(models);
        ForkJoinPool pool = threads > 1 ? new ForkJoinPool(threads) : null;
        try {
            TensorJob.Ranges ranges = (n, body) -> {
                int chunks = (n + TensorJob.CHUNK - 1) / TensorJob.CHUNK;
                if (pool == null || chunks == 1) {
                    for (int c = 0; c < chunks; c++) body.run(c, c * TensorJob.CHUNK, Math.min(n, (c + 1) * TensorJob.CHUNK));
                } else {
                    pool.submit(() -> IntStream.range(0, chunks).parallel()
                            .forEach(c -> body.run(c, c * TensorJob.CHUNK, Math.min(n, (c + 1) * TensorJob.CHUNK)))).join();
                }
            };
            for (String tensor : models.get(0).tensorNames()) {
                float[][] inputs = read(models, tensor, pool);
                float[] b = method.needsBase() ? base.tensor(tensor) : null;
                float[] out = new float[inputs[0].length];
                method.merge(new TensorJob(tensor, inputs, b, w, out, seed * 0x9E3779B97F4A7C15L + tensor.hashCode(), ranges));
                sink.accept(tensor, out);
            }
        } finally {
            if (pool != null) pool.shutdown();
        }
    }

    private static float[][] read(List<? extends WeightsModel> models, String tensor, ForkJoinPool pool) {
        if (pool == null || models.size() == 1) return models.stream().map(m -> m.tensor(tensor)).toArray(float[][]::new);
        List<ForkJoinTask<float[]>> tasks = models.stream().map(m -> pool.submit(() -> m.tensor(tensor))).toList();
        return tasks.stream().map(ForkJoinTask::join).toArray(float[][]::new);
    }

    /** Validates the pool against the method; returns the weights to use. */
    private double[] check(List<? extends WeightsModel> models) {
        if (models.size() < method.minModels() || models.size() > method.maxModels()) {
            throw new IllegalArgumentException("merge method " + method.name() + " needs "
                    + (method.minModels() == method.maxModels() ? "exactly " + method.minModels()
                    : "at least " + method.minModels()) + " models, got " + models.size());
        }
        if (method.needsBase() && base == null) {
            throw new IllegalArgumentException("merge method " + method.name() + " takes task vectors against a base model; give one"
                    + " (in a config: base_model_name)");
        }
        double[] w = weights;
        if (w == null) {
            w = new double[models.size()];
            Arrays.fill(w, 1.0 / models.size());
        }
        if (w.length != models.size()) {
            throw new IllegalArgumentException("merge needs one weight per model: " + models.size() + " models, " + w.length + " weights");
        }
        for (double x : w) if (!Double.isFinite(x)) throw new IllegalArgumentException("merge weights must be finite, were " + Arrays.toString(w));
        List<WeightsModel> all = new java.util.ArrayList<>(models);
        if (base != null) all.add(0, base);
        Architectures.checkSame(all);
        return w;
    }
}
