package io.mocoj.local.train;

import io.mocoj.local.LocalModel;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufFile;
import io.mocoj.local.gguf.GgufTensorInfo;
import io.mocoj.local.gguf.GgufWriter;
import io.mocoj.local.internal.tensor.MappedMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trained LoRA adapters in llama.cpp's GGUF adapter layout ({@code general.type = adapter},
 * {@code adapter.type = lora}, {@code adapter.lora.alpha}, tensors {@code <base>.lora_a} with
 * ggml shape [in, rank] and {@code <base>.lora_b} with [rank, out}), so {@code llama-cli --lora}
 * and node-llama-cpp load them. The effective weight is {@code W + (alpha / rank) · B A}.
 *
 * <p>This is a minimal writer/reader for what the trainer produces; the general adapter support of
 * moco-local (loading adapters of any origin, {@code gguf:...?lora=}) lives in
 * {@code io.mocoj.local.lora}.
 */
public final class LoraAdapter {
    /** One adapted tensor: {@code a} is rank × in, {@code b} is out × rank, both row-major. */
    public record Pair(int rank, int in, int out, float[] a, float[] b) {}

    private final String architecture;
    private final double alpha;
    private final Map<String, Pair> pairs;

    public LoraAdapter(String architecture, double alpha, Map<String, Pair> pairs) {
        this.architecture = architecture;
        this.alpha = alpha;
        this.pairs = Collections.unmodifiableMap(new LinkedHashMap<>(pairs));
    }

    public String architecture() { return architecture; }

    public double alpha() { return alpha; }

    /** Base tensor name (e.g. {@code blk.0.attn_q.weight}) → its pair. */
    public Map<String, Pair> pairs() { return pairs; }

    /** {@code B A · alpha/rank} for one tensor, row-major out × in. */
    public float[] delta(String tensor) {
        Pair p = pairs.get(tensor);
        float s = (float) (alpha / p.rank());
        float[] d = new float[p.out() * p.in()];
        for (int o = 0; o < p.out(); o++) {
            for (int r = 0; r < p.rank(); r++) {
                float bor = p.b()[o * p.rank() + r] * s;
                int ao = r * p.in();
                for (int i = 0; i < p.in(); i++) d[o * p.in() + i] += bor * p.a()[ao + i];
            }
        }
        return d;
    }

    /** A new in-memory model with the adapters merged into its weights ({@code W + s·BA}, F32). */
    public LocalModel mergeInto(LocalModel base, String name) {
        return apply(base, name, 1f);
    }

    /** The inverse of {@link #mergeInto}: subtracts the adapters again (up to float rounding). */
    public LocalModel unmergeFrom(LocalModel merged, String name) {
        return apply(merged, name, -1f);
    }

    private LocalModel apply(LocalModel m, String name, float sign) {
        if (!m.architecture().equals(architecture)) {
            throw new IllegalArgumentException("adapter for " + architecture + " cannot be applied to a " + m.architecture() + " model");
        }
        Map<String, float[]> replaced = new LinkedHashMap<>();
        for (String t : pairs.keySet()) {
            float[] w = m.tensor(t);
            float[] d = delta(t);
            if (w.length != d.length) throw new IllegalArgumentException("adapter tensor " + t + " does not fit the model's shape");
            for (int i = 0; i < w.length; i++) w[i] += sign * d[i];
            replaced.put(t, w);
        }
        return m.withTensors(name, replaced);
    }

    /** Writes the adapter GGUF (F32 tensors). */
    public void save(Path path) {
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", architecture);
        w.putString("general.type", "adapter");
        w.putString("adapter.type", "lora");
        w.putFloat32("adapter.lora.alpha", alpha);
        for (Map.Entry<String, Pair> e : pairs.entrySet()) {
            Pair p = e.getValue();
            w.addTensor(e.getKey() + ".lora_a", GgmlType.F32, new long[] {p.in(), p.rank()}, p.a());
            w.addTensor(e.getKey() + ".lora_b", GgmlType.F32, new long[] {p.rank(), p.out()}, p.b());
        }
        try {
            w.write(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write adapter " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads an adapter written by {@link #save} (or llama.cpp's converter, F32/F16 tensors). */
    public static LoraAdapter load(Path path) {
        try {
            GgufFile f = GgufFile.open(path);
            if (!"adapter".equals(f.metadata().get("general.type")) || !"lora".equals(f.metadata().get("adapter.type"))) {
                throw new IllegalArgumentException(path + " is not a LoRA adapter (general.type=adapter, adapter.type=lora)");
            }
            Object alpha = f.metadata().get("adapter.lora.alpha");
            Map<String, Pair> pairs = new LinkedHashMap<>();
            for (GgufTensorInfo t : f.tensors()) {
                if (!t.name().endsWith(".lora_a")) continue;
                String base = t.name().substring(0, t.name().length() - ".lora_a".length());
                GgufTensorInfo tb = f.tensor(base + ".lora_b");
                if (tb == null) throw new IllegalArgumentException(path + ": " + t.name() + " has no matching .lora_b");
                int in = (int) t.dimensions()[0], rank = (int) t.dimensions()[1], out = (int) tb.dimensions()[1];
                pairs.put(base, new Pair(rank, in, out, new MappedMatrix(f.data(t.name())).toFloats(),
                        new MappedMatrix(f.data(tb.name())).toFloats()));
            }
            if (pairs.isEmpty()) throw new IllegalArgumentException(path + ": the adapter has no lora_a/lora_b tensors");
            int rank = pairs.values().iterator().next().rank();
            double a = alpha instanceof Number n ? n.doubleValue() : rank;
            return new LoraAdapter(String.valueOf(f.metadata().get("general.architecture")), a, pairs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read adapter " + path + ": " + e.getMessage(), e);
        }
    }
}
