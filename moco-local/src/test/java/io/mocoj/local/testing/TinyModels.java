package io.mocoj.local.testing;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufValueType;
import io.mocoj.local.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes small random-weight llama/qwen2/qwen3 GGUF files with a byte-level BPE vocabulary
 * (256 byte tokens, a few merges, chat special tokens) for tests and benchmarks.
 */
public final class TinyModels {
    private TinyModels() {}

    /** The shape of a test model. */
    public record Shape(String arch, int dim, int layers, int heads, int kvHeads, int ffn, int extraVocab, int ctx,
                        boolean tied, float ropeBase) {
        public static Shape llama() { return new Shape("llama", 64, 2, 4, 2, 96, 40, 256, false, 10000f); }
        public static Shape qwen2() { return new Shape("qwen2", 64, 2, 4, 2, 96, 40, 256, true, 1000000f); }
        public static Shape qwen3() { return new Shape("qwen3", 64, 2, 4, 1, 96, 40, 256, true, 1000000f); }
        /** SmolLM2-135M's shape. */
        public static Shape smolLm2() { return new Shape("llama", 576, 30, 9, 3, 1536, 49152 - 256 - SPECIALS.size(), 2048, true, 100000f); }

        public int headDim() { return dim / heads; }
    }

    public static final List<String> SPECIALS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");

    /** GPT-2's byte-to-character map of byte-level BPE. */
    public static String byteChar(int b) {
        if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)) return String.valueOf((char) b);
        int n = 0;
        for (int x = 0; x < b; x++) {
            if (!((x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174 && x <= 255))) n++;
        }
        return String.valueOf((char) (256 + n));
    }

    /** The tokenizer metadata of a byte-level vocabulary padded to {@code 256 + extra + specials} tokens. */
    public static Map<String, Object> vocabulary(int extra) {
        List<String> tokens = new ArrayList<>();
        List<Long> types = new ArrayList<>();
        for (int b = 0; b < 256; b++) { tokens.add(byteChar(b)); types.add(1L); }
        List<String> merges = new ArrayList<>();
        String[][] pairs = {{"Ġ", "t"}, {"h", "e"}, {"Ġt", "he"}, {"i", "n"}, {"a", "n"}, {"e", "r"}, {"o", "n"}, {"Ġ", "a"}};
        for (String[] p : pairs) {
            if (tokens.size() - 256 >= extra) break;
            merges.add(p[0] + " " + p[1]);
            tokens.add(p[0] + p[1]);
            types.add(1L);
        }
        for (int i = 0; tokens.size() < 256 + extra; i++) { tokens.add("[PAD" + i + "]"); types.add(5L); }
        for (String s : SPECIALS) { tokens.add(s); types.add(3L); }
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", "gpt2");
        md.put("tokenizer.ggml.pre", "qwen2");
        md.put("tokenizer.ggml.tokens", tokens);
        md.put("tokenizer.ggml.token_type", types);
        md.put("tokenizer.ggml.merges", merges);
        md.put("tokenizer.ggml.bos_token_id", (long) tokens.indexOf("<|endoftext|>"));
        md.put("tokenizer.ggml.eos_token_id", (long) tokens.indexOf("<|im_end|>"));
        md.put("tokenizer.ggml.add_bos_token", false);
        md.put("tokenizer.chat_template", "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}");
        return md;
    }

    /** Writes a random model of this shape with every matrix in {@code type}. */
    public static Path write(Path file, Shape s, GgmlType type, long seed) throws IOException {
        return write(file, s, type, seed, w -> {});
    }

    /** Like {@link #write(Path, Shape, GgmlType, long)}, letting {@code extra} add metadata and tensors last. */
    public static Path write(Path file, Shape s, GgmlType type, long seed, java.util.function.Consumer<GgufWriter> extra)
            throws IOException {
        GgufWriter w = new GgufWriter();
        String a = s.arch();
        w.putString("general.architecture", a);
        w.putString("general.name", "tiny-" + a);
        w.putUInt32(a + ".context_length", s.ctx());
        w.putUInt32(a + ".embedding_length", s.dim());
        w.putUInt32(a + ".block_count", s.layers());
        w.putUInt32(a + ".feed_forward_length", s.ffn());
        w.putUInt32(a + ".attention.head_count", s.heads());
        w.putUInt32(a + ".attention.head_count_kv", s.kvHeads());
        w.putUInt32(a + ".rope.dimension_count", s.headDim());
        w.putFloat32(a + ".rope.freq_base", s.ropeBase());
        w.putFloat32(a + ".attention.layer_norm_rms_epsilon", 1e-6);
        if (a.equals("qwen3")) {
            w.putUInt32(a + ".attention.key_length", s.headDim());
            w.putUInt32(a + ".attention.value_length", s.headDim());
        }
        w.putUInt32("general.file_type", type == GgmlType.F32 ? 0 : type == GgmlType.F16 ? 1 : 7);
        Map<String, Object> vocab = vocabulary(s.extraVocab());
        for (Map.Entry<String, Object> e : vocab.entrySet()) {
            Object v = e.getValue();
            if (v instanceof String str) w.putString(e.getKey(), str);
            else if (v instanceof Boolean b) w.putBool(e.getKey(), b);
            else if (v instanceof Long l) w.putUInt32(e.getKey(), l);
            else if (e.getKey().endsWith("token_type")) w.putArray(e.getKey(), GgufValueType.INT32, (List<?>) v);
            else w.putArray(e.getKey(), GgufValueType.STRING, (List<?>) v);
        }
        int vocabSize = 256 + s.extraVocab() + SPECIALS.size();
        Random r = new Random(seed);
        int hd = s.headDim();
        w.addTensor("token_embd.weight", type, new long[] {s.dim(), vocabSize}, () -> gaussian(r, s.dim() * vocabSize, 0.5f));
        w.addTensor("output_norm.weight", GgmlType.F32, new long[] {s.dim()}, () -> around1(r, s.dim()));
        if (!s.tied()) w.addTensor("output.weight", type, new long[] {s.dim(), vocabSize}, () -> gaussian(r, s.dim() * vocabSize, 0.5f / (float) Math.sqrt(s.dim())));
        float inScale = 1f / (float) Math.sqrt(s.dim());
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", GgmlType.F32, new long[] {s.dim()}, () -> around1(r, s.dim()));
            w.addTensor(p + "attn_q.weight", type, new long[] {s.dim(), s.heads() * hd}, () -> gaussian(r, s.dim() * s.heads() * hd, inScale * 2));
            w.addTensor(p + "attn_k.weight", type, new long[] {s.dim(), s.kvHeads() * hd}, () -> gaussian(r, s.dim() * s.kvHeads() * hd, inScale * 2));
            w.addTensor(p + "attn_v.weight", type, new long[] {s.dim(), s.kvHeads() * hd}, () -> gaussian(r, s.dim() * s.kvHeads() * hd, inScale));
            if (a.equals("qwen2")) {
                w.addTensor(p + "attn_q.bias", GgmlType.F32, new long[] {s.heads() * hd}, () -> gaussian(r, s.heads() * hd, 0.3f));
                w.addTensor(p + "attn_k.bias", GgmlType.F32, new long[] {s.kvHeads() * hd}, () -> gaussian(r, s.kvHeads() * hd, 0.3f));
                w.addTensor(p + "attn_v.bias", GgmlType.F32, new long[] {s.kvHeads() * hd}, () -> gaussian(r, s.kvHeads() * hd, 0.3f));
            }
            if (a.equals("qwen3")) {
                w.addTensor(p + "attn_q_norm.weight", GgmlType.F32, new long[] {hd}, () -> around1(r, hd));
                w.addTensor(p + "attn_k_norm.weight", GgmlType.F32, new long[] {hd}, () -> around1(r, hd));
            }
            w.addTensor(p + "attn_output.weight", type, new long[] {s.heads() * hd, s.dim()}, () -> gaussian(r, s.dim() * s.heads() * hd, inScale));
            w.addTensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {s.dim()}, () -> around1(r, s.dim()));
            w.addTensor(p + "ffn_gate.weight", type, new long[] {s.dim(), s.ffn()}, () -> gaussian(r, s.dim() * s.ffn(), inScale));
            w.addTensor(p + "ffn_up.weight", type, new long[] {s.dim(), s.ffn()}, () -> gaussian(r, s.dim() * s.ffn(), inScale));
            w.addTensor(p + "ffn_down.weight", type, new long[] {s.ffn(), s.dim()}, () -> gaussian(r, s.dim() * s.ffn(), 1f / (float) Math.sqrt(s.ffn())));
        }
        extra.accept(w);
        w.write(file);
        return file;
    }

    /** Random blocks of a quantised type with small fixed scales (for types the writer cannot encode). */
    public static java.nio.ByteBuffer randomBlocks(GgmlType type, long elements, Random r) {
        int bytes = (int) type.bytesFor(elements);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] raw = new byte[bytes];
        r.nextBytes(raw);
        b.put(0, raw);
        for (int at = 0; at < bytes; at += type.blockBytes()) {
            switch (type) {
                case Q4_K -> { b.putShort(at, Float.floatToFloat16(0.0005f)); b.putShort(at + 2, Float.floatToFloat16(0.0003f)); }
                case Q6_K -> b.putShort(at + 208, Float.floatToFloat16(0.0001f));
                case Q4_0, Q5_0 -> b.putShort(at, Float.floatToFloat16(0.02f));
                case Q4_1, Q5_1 -> { b.putShort(at, Float.floatToFloat16(0.02f)); b.putShort(at + 2, Float.floatToFloat16(-0.1f)); }
                default -> throw new IllegalArgumentException("no random blocks for " + type);
            }
        }
        return b;
    }

    /**
     * Rewrites an F32 model with its matrices as random Q4_K (q, k, v, gate, up), Q6_K (down,
     * output, embeddings) and Q4_0 (attention output) blocks; vectors stay F32. Rows must be
     * multiples of 256.
     */
    public static Path writeKQuant(Path f32Model, Path out, long seed) throws IOException {
        return writeRandomQuant(f32Model, out, seed, name -> name.contains("attn_output") ? GgmlType.Q4_0
                : name.contains("ffn_down") || name.startsWith("output") || name.startsWith("token") ? GgmlType.Q6_K
                : GgmlType.Q4_K);
    }

    /** Rewrites an F32 model with each matrix as random blocks of the type {@code typeOf} picks by name. */
    public static Path writeRandomQuant(Path f32Model, Path out, long seed, java.util.function.Function<String, GgmlType> typeOf)
            throws IOException {
        io.mocoj.local.gguf.GgufFile base = io.mocoj.local.gguf.GgufFile.open(f32Model);
        GgufWriter w = new GgufWriter().copyMetadata(base);
        Random r = new Random(seed);
        for (io.mocoj.local.gguf.GgufTensorInfo t : base.tensors()) {
            if (t.dimensions().length == 1) {
                w.addEncodedTensor(t.name(), GgmlType.F32, t.dimensions(), () -> base.data(t.name()).window(0).duplicate().rewind());
                continue;
            }
            GgmlType type = typeOf.apply(t.name());
            java.nio.ByteBuffer data = randomBlocks(type, t.elementCount(), r);
            w.addEncodedTensor(t.name(), type, t.dimensions(), () -> data.duplicate().rewind());
        }
        w.write(out);
        return out;
    }

    private static float[] gaussian(Random r, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian() * scale;
        return v;
    }

    private static float[] around1(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = 1f + (float) r.nextGaussian() * 0.1f;
        return v;
    }
}
