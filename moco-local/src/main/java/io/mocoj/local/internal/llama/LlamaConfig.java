package io.mocoj.local.internal.llama;

import java.util.List;
import java.util.Map;

/**
 * Hyper-parameters of a llama-family transformer, all read from GGUF metadata
 * ({@code <arch>.embedding_length}, {@code <arch>.block_count}, …).
 *
 * @param architecture   {@code llama}, {@code qwen2} or {@code qwen3}
 * @param dim            embedding width
 * @param layers         number of transformer blocks
 * @param heads          query heads
 * @param kvHeads        key/value heads (grouped-query attention when fewer than {@code heads})
 * @param headDim        width of one key/query head
 * @param valueHeadDim   width of one value head
 * @param ffnDim         feed-forward hidden width
 * @param contextLength  the context length the model was trained with
 * @param rmsEps         RMS-norm epsilon
 * @param ropeBase       rope frequency base
 * @param ropeFreqScale  rope frequency scale (1 / linear scaling factor)
 * @param ropeDims       number of rotated dimensions per head
 * @param ropeNeox       true for NEOX-style rope (pairs i, i+d/2), false for adjacent pairs
 */
public record LlamaConfig(String architecture, int dim, int layers, int heads, int kvHeads, int headDim,
                          int valueHeadDim, int ffnDim, int contextLength, float rmsEps, float ropeBase,
                          float ropeFreqScale, int ropeDims, boolean ropeNeox) {

    /** Architectures this engine runs. */
    public static final List<String> SUPPORTED = List.of("llama", "qwen2", "qwen3");

    public int qDim() { return heads * headDim; }

    public int kvDim() { return kvHeads * headDim; }

    public int vDim() { return kvHeads * valueHeadDim; }

    /** Reads the configuration; errors name the file (via {@code source}) and the missing or bad key. */
    public static LlamaConfig fromMetadata(Map<String, Object> md, String source) {
        Object archValue = md.get("general.architecture");
        if (!(archValue instanceof String arch)) {
            throw new IllegalArgumentException(source + ": metadata general.architecture is missing; not a model file?");
        }
        if (!SUPPORTED.contains(arch)) {
            throw new IllegalArgumentException(source + ": architecture '" + arch + "' is not supported (supported: " + SUPPORTED + ")");
        }
        int dim = intKey(md, arch + ".embedding_length", source, null);
        int layers = intKey(md, arch + ".block_count", source, null);
        int heads = intKey(md, arch + ".attention.head_count", source, null);
        int kvHeads = intKey(md, arch + ".attention.head_count_kv", source, heads);
        int headDim = intKey(md, arch + ".attention.key_length", source, heads > 0 ? dim / heads : 0);
        int valueHeadDim = intKey(md, arch + ".attention.value_length", source, headDim);
        int ffn = intKey(md, arch + ".feed_forward_length", source, null);
        int ctx = intKey(md, arch + ".context_length", source, null);
        float eps = (float) doubleKey(md, arch + ".attention.layer_norm_rms_epsilon", source, null);
        float base = (float) doubleKey(md, arch + ".rope.freq_base", source, 10000.0);
        int ropeDims = intKey(md, arch + ".rope.dimension_count", source, headDim);
        Object scalingType = md.get(arch + ".rope.scaling.type");
        if (scalingType != null && !(scalingType.equals("none") || scalingType.equals("linear"))) {
            throw new IllegalArgumentException(source + ": rope scaling type '" + scalingType
                    + "' is not supported (supported: none, linear; llama3-style scaling via rope_freqs.weight)");
        }
        double factor = doubleKey(md, arch + ".rope.scaling.factor", source, 0.0);
        float freqScale = factor == 0.0 ? 1f : (float) (1.0 / factor);
        if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0 || ffn <= 0 || ctx <= 0) {
            throw new IllegalArgumentException(source + ": hyper-parameters must be positive (embedding_length=" + dim
                    + ", block_count=" + layers + ", head_count=" + heads + ", head_count_kv=" + kvHeads + ", key_length="
                    + headDim + ", feed_forward_length=" + ffn + ", context_length=" + ctx + ")");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(source + ": head_count " + heads + " is not a multiple of head_count_kv " + kvHeads);
        }
        if (ropeDims <= 0 || ropeDims > headDim || ropeDims % 2 != 0) {
            throw new IllegalArgumentException(source + ": rope.dimension_count " + ropeDims + " must be even and at most the head size " + headDim);
        }
        boolean neox = !arch.equals("llama");
        return new LlamaConfig(arch, dim, layers, heads, kvHeads, headDim, valueHeadDim, ffn, ctx, eps, base, freqScale, ropeDims, neox);
    }

    private static int intKey(Map<String, Object> md, String key, String source, Integer fallback) {
        Object v = md.get(key);
        if (v == null) {
            if (fallback == null) throw new IllegalArgumentException(source + ": metadata " + key + " is missing");
            return fallback;
        }
        if (v instanceof List<?> list) {
            // some files store per-layer values; this engine needs them equal
            if (list.isEmpty() || !list.stream().allMatch(list.get(0)::equals)) {
                throw new IllegalArgumentException(source + ": metadata " + key + " varies per layer, which is not supported");
            }
            v = list.get(0);
        }
        if (!(v instanceof Long l)) throw new IllegalArgumentException(source + ": metadata " + key + " should be an integer, is " + v);
        if (l < 0 || l > Integer.MAX_VALUE) throw new IllegalArgumentException(source + ": metadata " + key + " = " + l + " is out of range");
        return (int) (long) l;
    }

    private static double doubleKey(Map<String, Object> md, String key, String source, Double fallback) {
        Object v = md.get(key);
        if (v == null) {
            if (fallback == null) throw new IllegalArgumentException(source + ": metadata " + key + " is missing");
            return fallback;
        }
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(source + ": metadata " + key + " should be a number, is " + v);
    }
}
