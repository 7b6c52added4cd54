package io.mocoj.zoo.internal;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufValueType;
import io.mocoj.local.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a Llama-architecture GGUF with freshly initialised F32 weights (the starting point of
 * pretraining): matrices N(0, 0.02²), the two residual output projections scaled by
 * 1/√(2·layers) as in GPT-2, norm weights 1, output tied to the token embedding.
 */
public final class RandomInit {
    private RandomInit() {}

    /** The shape of a zoo model. */
    public record Shape(int dim, int layers, int heads, int kvHeads, int ffn, int ctx) {
        public int headDim() { return dim / heads; }
    }

    public static void write(Path file, String name, Shape s, Map<String, Object> tokenizer, long seed) throws IOException {
        GgufWriter w = new GgufWriter();
        String a = "llama";
        w.putString("general.architecture", a);
        w.putString("general.name", name);
        w.putUInt32(a + ".context_length", s.ctx());
        w.putUInt32(a + ".embedding_length", s.dim());
        w.putUInt32(a + ".block_count", s.layers());
        w.putUInt32(a + ".feed_forward_length", s.ffn());
        w.putUInt32(a + ".attention.head_count", s.heads());
        w.putUInt32(a + ".attention.head_count_kv", s.kvHeads());
        w.putUInt32(a + ".rope.dimension_count", s.headDim());
        w.putFloat32(a + ".rope.freq_base", 10000f);
        w.putFloat32(a + ".attention.layer_norm_rms_epsilon", 1e-5);
        w.putUInt32(a + ".vocab_size", ((List<?>) tokenizer.get("tokenizer.ggml.tokens")).size());
        w.putUInt32("general.file_type", 0);
        putTokenizer(w, tokenizer);
        int vocab = ((List<?>) tokenizer.get("tokenizer.ggml.tokens")).size();
        Random r = new Random(seed);
        float std = 0.02f, resid = std / (float) Math.sqrt(2.0 * s.layers());
        int hd = s.headDim();
        w.addTensor("token_embd.weight", GgmlType.F32, new long[] {s.dim(), vocab}, gaussian(r, s.dim() * vocab, std));
        w.addTensor("output_norm.weight", GgmlType.F32, new long[] {s.dim()}, ones(s.dim()));
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", GgmlType.F32, new long[] {s.dim()}, ones(s.dim()));
            w.addTensor(p + "attn_q.weight", GgmlType.F32, new long[] {s.dim(), s.heads() * hd}, gaussian(r, s.dim() * s.heads() * hd, std));
            w.addTensor(p + "attn_k.weight", GgmlType.F32, new long[] {s.dim(), s.kvHeads() * hd}, gaussian(r, s.dim() * s.kvHeads() * hd, std));
            w.addTensor(p + "attn_v.weight", GgmlType.F32, new long[] {s.dim(), s.kvHeads() * hd}, gaussian(r, s.dim() * s.kvHeads() * hd, std));
            w.addTensor(p + "attn_output.weight", GgmlType.F32, new long[] {s.heads() * hd, s.dim()}, gaussian(r, s.dim() * s.heads() * hd, resid));
            w.addTensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {s.dim()}, ones(s.dim()));
            w.addTensor(p + "ffn_gate.weight", GgmlType.F32, new long[] {s.dim(), s.ffn()}, gaussian(r, s.dim() * s.ffn(), std));
            w.addTensor(p + "ffn_up.weight", GgmlType.F32, new long[] {s.dim(), s.ffn()}, gaussian(r, s.dim() * s.ffn(), std));
            w.addTensor(p + "ffn_down.weight", GgmlType.F32, new long[] {s.ffn(), s.dim()}, gaussian(r, s.dim() * s.ffn(), resid));
        }
        w.write(file);
    }

    /** Adds tokenizer metadata (as {@link BpeTrainer#metadata} makes it) to a writer. */
    public static void putTokenizer(GgufWriter w, Map<String, Object> tokenizer) {
        for (Map.Entry<String, Object> e : tokenizer.entrySet()) {
            Object v = e.getValue();
            if (v instanceof String str) w.putString(e.getKey(), str);
            else if (v instanceof Boolean b) w.putBool(e.getKey(), b);
            else if (v instanceof Long l) w.putUInt32(e.getKey(), l);
            else if (e.getKey().endsWith("token_type")) w.putArray(e.getKey(), GgufValueType.INT32, (List<?>) v);
            else w.putArray(e.getKey(), GgufValueType.STRING, (List<?>) v);
        }
    }

    private static float[] gaussian(Random r, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian() * scale;
        return v;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }
}
