package io.mocoj.local.lora;

import io.mocoj.local.LocalModel;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufFile;
import io.mocoj.local.gguf.GgufTensorInfo;
import io.mocoj.local.gguf.GgufWriter;
import io.mocoj.local.internal.tensor.MappedMatrix;
import io.mocoj.model.WeightsModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A LoRA adapter in llama.cpp's GGUF adapter format: metadata {@code general.type = adapter},
 * {@code adapter.type = lora}, {@code adapter.lora.alpha}, {@code general.architecture} of the
 * base, and tensor pairs {@code <base tensor>.lora_a} / {@code <base tensor>.lora_b}.
 *
 * <p>Applied with a user scale {@code s}, a pair changes its base matrix by
 * {@code s · alpha / rank · B·A} (just {@code s · B·A} when alpha is 0), exactly as llama.cpp
 * scales adapters. Immutable; {@link #load} reads every pair into the heap (adapters are small).
 *
 * <p>This is moco-local's one adapter type: {@code gguf:...?lora=} specs load it, the trainer
 * ({@code io.mocoj.local.train.Trainer}) produces it, and {@link #save} writes it for llama.cpp
 * ({@code llama-cli --lora}, node-llama-cpp).
 */
public final class LoraAdapter {
    private final String name;
    private final String architecture;
    private final float alpha;
    private final Map<String, LoraTensor> tensors;
    private GgmlType storedType = GgmlType.F32;

    private LoraAdapter(String name, String architecture, float alpha, Map<String, LoraTensor> tensors) {
        this.name = Objects.requireNonNull(name, "name");
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        if (!Float.isFinite(alpha)) throw new IllegalArgumentException("LoRA adapter " + name + ": alpha must be finite, was " + alpha);
        this.alpha = alpha;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        if (tensors.isEmpty()) throw new IllegalArgumentException("LoRA adapter " + name + " has no lora_a/lora_b tensor pairs");
    }

    /**
     * An adapter built in memory.
     *
     * @param architecture the base model's {@code general.architecture} ({@code llama}, {@code qwen2}, …)
     * @param alpha        LoRA alpha (0: no {@code alpha / rank} factor)
     */
    public static LoraAdapter of(String name, String architecture, float alpha, List<LoraTensor> tensors) {
        Map<String, LoraTensor> byName = new LinkedHashMap<>();
        for (LoraTensor t : tensors) {
            if (byName.put(t.baseTensor(), t) != null) {
                throw new IllegalArgumentException("LoRA adapter " + name + ": two pairs for tensor " + t.baseTensor());
            }
        }
        return new LoraAdapter(name, architecture, alpha, byName);
    }

    /**
     * Reads an adapter file.
     *
     * @throws UncheckedIOException     when the file cannot be read
     * @throws IllegalArgumentException when it is not a LoRA adapter (wrong {@code general.type} or
     *                                  {@code adapter.type}, unpaired or misshapen tensors)
     */
    public static LoraAdapter load(Path path) {
        GgufFile file;
        try {
            file = GgufFile.open(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read LoRA adapter " + path + ": " + e.getMessage(), e);
        }
        Object type = file.metadata().get("general.type");
        if (!"adapter".equals(type)) {
            throw new IllegalArgumentException(path + " is not an adapter file: general.type is " + (type == null ? "missing" : "'" + type + "'")
                    + ", a LoRA adapter has 'adapter' (convert one with llama.cpp's convert_lora_to_gguf.py)");
        }
        Object adapterType = file.metadata().get("adapter.type");
        if (!"lora".equals(adapterType)) {
            throw new IllegalArgumentException(path + ": adapter.type is " + (adapterType == null ? "missing" : "'" + adapterType + "'")
                    + "; only 'lora' adapters are supported");
        }
        Object arch = file.metadata().get("general.architecture");
        if (!(arch instanceof String architecture)) throw new IllegalArgumentException(path + ": general.architecture is missing");
        Object a = file.metadata().get("adapter.lora.alpha");
        float alpha = a instanceof Number n ? n.floatValue() : 0f;
        Map<String, GgufTensorInfo> as = new LinkedHashMap<>(), bs = new LinkedHashMap<>();
        for (GgufTensorInfo t : file.tensors()) {
            if (t.name().endsWith(".lora_a")) as.put(t.name().substring(0, t.name().length() - 7), t);
            else if (t.name().endsWith(".lora_b")) bs.put(t.name().substring(0, t.name().length() - 7), t);
            else throw new IllegalArgumentException(path + ": tensor " + t.name() + " is neither a .lora_a nor a .lora_b tensor");
        }
        List<LoraTensor> pairs = new ArrayList<>();
        for (Map.Entry<String, GgufTensorInfo> e : as.entrySet()) {
            String base = e.getKey();
            GgufTensorInfo ta = e.getValue(), tb = bs.remove(base);
            if (tb == null) throw new IllegalArgumentException(path + ": " + base + ".lora_a has no matching " + base + ".lora_b");
            long[] da = ta.dimensions(), db = tb.dimensions();
            if (da.length != 2 || db.length != 2) {
                throw new IllegalArgumentException(path + ": the LoRA tensors of " + base + " must be 2-D, are "
                        + Arrays.toString(da) + " and " + Arrays.toString(db));
            }
            // ggml dimensions, innermost first: lora_a [in, rank], lora_b [rank, out]
            if (da[1] != db[0]) {
                throw new IllegalArgumentException(path + ": " + base + ".lora_a has rank " + da[1] + " but lora_b has " + db[0]
                        + " (ggml dimensions " + Arrays.toString(da) + " and " + Arrays.toString(db) + "; lora_a may be transposed)");
            }
            pairs.add(new LoraTensor(base, (int) da[1], (int) da[0], (int) db[1],
                    new MappedMatrix(file.data(ta.name())).toFloats(), new MappedMatrix(file.data(tb.name())).toFloats()));
        }
        if (!bs.isEmpty()) throw new IllegalArgumentException(path + ": " + bs.keySet().iterator().next() + ".lora_b has no matching lora_a");
        String name = path.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
        LoraAdapter adapter = of(name, architecture, alpha, pairs);
        boolean half = file.tensors().stream().allMatch(t -> t.type() == GgmlType.F16);
        adapter.storedType = half ? GgmlType.F16 : GgmlType.F32;
        return adapter;
    }

    /** Writes this adapter as a GGUF adapter file llama.cpp loads ({@code type} F32 or F16). */
    public void save(Path path, GgmlType type) {
        if (type != GgmlType.F32 && type != GgmlType.F16) throw new IllegalArgumentException("LoRA tensors are written as F32 or F16, not " + type);
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", architecture);
        w.putString("general.type", "adapter");
        w.putString("general.name", name);
        w.putString("adapter.type", "lora");
        w.putFloat32("adapter.lora.alpha", alpha);
        for (LoraTensor t : tensors.values()) {
            w.addTensor(t.baseTensor() + ".lora_a", type, new long[] {t.in(), t.rank()}, t.a());
            w.addTensor(t.baseTensor() + ".lora_b", type, new long[] {t.rank(), t.out()}, t.b());
        }
        try {
            w.write(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write LoRA adapter " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes this adapter with F32 tensors. */
    public void save(Path path) { save(path, GgmlType.F32); }

    public String name() { return name; }

    /** The base model's architecture ({@code general.architecture}). */
    public String architecture() { return architecture; }

    public float alpha() { return alpha; }

    /**
     * The type the pairs were stored in: F16 when every tensor of the file was F16 (then, as in
     * llama.cpp, activations are rounded to F16 before the adapter's products), else F32.
     */
    public GgmlType storedType() { return storedType; }

    /** The pairs by base tensor name, in file order. */
    public Map<String, LoraTensor> tensors() { return tensors; }

    /** The factor {@code B·A} is multiplied by for this pair at user scale {@code scale} (llama.cpp's rule). */
    public float effectiveScale(LoraTensor t, double scale) {
        return (float) (alpha != 0 ? scale * alpha / t.rank() : scale);
    }

    /** The same adapter with {@code B} multiplied by {@code scale}, so that scale 1 applies it as this one at {@code scale}. */
    public LoraAdapter withScaleFolded(double scale) {
        List<LoraTensor> out = new ArrayList<>();
        for (LoraTensor t : tensors.values()) {
            float[] b = t.b().clone();
            for (int i = 0; i < b.length; i++) b[i] *= (float) scale;
            out.add(new LoraTensor(t.baseTensor(), t.rank(), t.in(), t.out(), t.a(), b));
        }
        return of(name, architecture, alpha, out);
    }

    /**
     * A new in-memory model with this adapter (at scale 1) merged into F32 copies of the changed
     * weights: {@code W + alpha/rank · B·A}. Same as {@code base.mergeAdapters(newName, List.of(scaled(1)))}.
     */
    public LocalModel mergeInto(LocalModel base, String newName) {
        return base.mergeAdapters(newName, List.of(scaled(1)));
    }

    /** The inverse of {@link #mergeInto}: subtracts the adapter again (up to float rounding). */
    public LocalModel unmergeFrom(LocalModel merged, String newName) {
        return merged.mergeAdapters(newName, List.of(scaled(-1)));
    }

    /** The dense update this adapter makes to {@code tensor} at scale 1 ({@code out × in}, row-major). */
    public float[] delta(String tensor) {
        LoraTensor t = tensors.get(tensor);
        if (t == null) throw new IllegalArgumentException("LoRA adapter " + name + " does not change tensor " + tensor);
        return t.delta(effectiveScale(t, 1));
    }

    /** A copy under another name. */
    public LoraAdapter named(String newName) { return new LoraAdapter(newName, architecture, alpha, tensors); }

    /**
     * Checks that this adapter fits {@code base}: same architecture, every pair names a 2-D tensor
     * of the base with shape {@code [out, in]}. Throws naming the first mismatch.
     *
     * @param baseArchitecture the base model's {@code general.architecture}
     */
    public void checkFits(WeightsModel base, String baseArchitecture) {
        if (!architecture.equals(baseArchitecture)) {
            throw new IllegalArgumentException("LoRA adapter " + name + " is for architecture '" + architecture + "' but model "
                    + base.name() + " is '" + baseArchitecture + "': use an adapter trained for this base model");
        }
        List<String> names = base.tensorNames();
        for (LoraTensor t : tensors.values()) {
            if (!names.contains(t.baseTensor())) {
                throw new IllegalArgumentException("LoRA adapter " + name + " changes tensor " + t.baseTensor() + ", which model "
                        + base.name() + " does not have: the adapter was made for another base model");
            }
            int[] shape = base.shape(t.baseTensor());
            if (shape.length != 2 || shape[0] != t.out() || shape[1] != t.in()) {
                throw new IllegalArgumentException("LoRA adapter " + name + " changes tensor " + t.baseTensor() + " as shape ["
                        + t.out() + ", " + t.in() + "] but model " + base.name() + " has it as " + Arrays.toString(shape)
                        + ": the adapter was made for another base model");
            }
            if (t.baseTensor().equals("token_embd.weight")) {
                throw new IllegalArgumentException("LoRA adapter " + name + " changes token_embd.weight, which is not supported"
                        + " (llama.cpp stores that pair transposed); merge it into the base with another tool first");
            }
        }
    }

    /**
     * A weighted sum of adapters taken pair by pair: {@code A = Σ wᵢ Aᵢ}, {@code B = Σ wᵢ Bᵢ}
     * (LoraHub's composition and Model Swarms' fast merge; not the same as applying each adapter
     * with its weight, which sums {@code wᵢ BᵢAᵢ}). The adapters must have the same pairs, ranks
     * and alpha.
     */
    public static LoraAdapter weightedSum(String name, List<LoraAdapter> adapters, double[] weights) {
        if (adapters.isEmpty() || adapters.size() != weights.length) {
            throw new IllegalArgumentException("weightedSum needs one weight per adapter, got " + adapters.size() + " adapters and "
                    + weights.length + " weights");
        }
        LoraAdapter first = adapters.get(0);
        for (LoraAdapter other : adapters) {
            if (!other.architecture.equals(first.architecture) || other.alpha != first.alpha
                    || !other.tensors.keySet().equals(first.tensors.keySet())) {
                throw new IllegalArgumentException("LoRA adapters " + first.name + " and " + other.name
                        + " cannot be combined pair by pair: they differ in architecture, alpha or the tensors they change");
            }
        }
        List<LoraTensor> out = new ArrayList<>();
        for (LoraTensor t0 : first.tensors.values()) {
            float[] a = new float[t0.a().length], b = new float[t0.b().length];
            for (int k = 0; k < adapters.size(); k++) {
                LoraTensor t = adapters.get(k).tensors.get(t0.baseTensor());
                if (t.rank() != t0.rank() || t.in() != t0.in() || t.out() != t0.out()) {
                    throw new IllegalArgumentException("LoRA adapters " + first.name + " and " + adapters.get(k).name + " differ in the rank or"
                            + " shape of " + t0.baseTensor() + " (" + t0 + " vs " + t + ")");
                }
                float w = (float) weights[k];
                for (int i = 0; i < a.length; i++) a[i] += w * t.a()[i];
                for (int i = 0; i < b.length; i++) b[i] += w * t.b()[i];
            }
            out.add(new LoraTensor(t0.baseTensor(), t0.rank(), t0.in(), t0.out(), a, b));
        }
        return of(name, first.architecture, first.alpha, out);
    }

    /** An adapter applied with a user scale (1 = as trained). */
    public record Scaled(LoraAdapter adapter, double scale) {
        public Scaled {
            Objects.requireNonNull(adapter, "adapter");
            if (!Double.isFinite(scale)) throw new IllegalArgumentException("LoRA scale must be finite, was " + scale);
        }
    }

    /** This adapter at user scale {@code scale}. */
    public Scaled scaled(double scale) { return new Scaled(this, scale); }

    @Override
    public String toString() { return "LoraAdapter[" + name + ", " + architecture + ", alpha " + alpha + ", " + tensors.size() + " pairs]"; }
}
