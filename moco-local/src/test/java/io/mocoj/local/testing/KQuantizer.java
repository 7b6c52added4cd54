package io.mocoj.local.testing;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufFile;
import io.mocoj.local.gguf.GgufTensorInfo;
import io.mocoj.local.gguf.GgufWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Quantises real-valued (F32) weights to ggml's K-quant blocks, so benchmark and test files hold
 * what a quantiser produces rather than random bits. Block layouts are ggml's (see GgmlCodec);
 * the scale choice is a plain min/max (Q4_K) or max-magnitude (Q6_K) rule per sub-block with the
 * sub-block scales quantised against a per-block half-precision scale, then every value rounded to
 * the nearest level of its sub-block with the stored (rounded) scales, as ggml's second pass does.
 * (ggml additionally searches for the scale minimising the squared error; this quantiser does not.)
 *
 * <pre>
 * java -cp ... io.mocoj.local.testing.KQuantizer in-f32.gguf out.gguf Q4_K|Q6_K|Q4_K_M
 * </pre>
 * {@code Q4_K_M} is llama.cpp's mixture in spirit: Q6_K for the embeddings / output layer and for
 * {@code attn_v} and {@code ffn_down} of the first half of the layers, Q4_K for the other matrices.
 */
public final class KQuantizer {
    private KQuantizer() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: KQuantizer <in-f32.gguf> <out.gguf> Q4_K|Q6_K|Q4_K_M");
            System.exit(2);
        }
        write(Path.of(args[0]), Path.of(args[1]), args[2]);
    }

    /** Rewrites an F32 model with every matrix quantised as {@code scheme} says; vectors stay F32. */
    public static Path write(Path f32Model, Path out, String scheme) throws IOException {
        GgufFile base = GgufFile.open(f32Model);
        long layers = ((Number) base.metadata().get(base.metadata().get("general.architecture") + ".block_count")).longValue();
        Function<String, GgmlType> typeOf = switch (scheme) {
            case "Q4_K" -> name -> GgmlType.Q4_K;
            case "Q6_K" -> name -> GgmlType.Q6_K;
            case "Q4_K_M" -> name -> {
                if (name.startsWith("token_embd") || name.startsWith("output")) return GgmlType.Q6_K;
                if (name.contains("attn_v") || name.contains("ffn_down")) {
                    int layer = Integer.parseInt(name.split("\\.")[1]);
                    return layer < (layers + 1) / 2 ? GgmlType.Q6_K : GgmlType.Q4_K;
                }
                return GgmlType.Q4_K;
            };
            default -> throw new IllegalArgumentException("unknown scheme " + scheme + " (Q4_K, Q6_K or Q4_K_M)");
        };
        GgufWriter w = new GgufWriter().copyMetadata(base);
        for (GgufTensorInfo t : base.tensors()) {
            if (t.type() != GgmlType.F32) throw new IllegalArgumentException(t.name() + " is " + t.type() + ", not F32");
            ByteBuffer src = base.data(t.name()).window(0).duplicate().order(ByteOrder.LITTLE_ENDIAN);
            if (t.dimensions().length == 1) {
                w.addEncodedTensor(t.name(), GgmlType.F32, t.dimensions(), () -> src.duplicate().rewind());
                continue;
            }
            GgmlType type = typeOf.apply(t.name());
            int n = Math.toIntExact(t.elementCount());
            w.addEncodedTensor(t.name(), type, t.dimensions(), () -> {
                float[] x = new float[n];
                src.duplicate().order(ByteOrder.LITTLE_ENDIAN).rewind().asFloatBuffer().get(x);
                return quantize(type, x);
            });
        }
        w.write(out);
        return out;
    }

    /** {@code x} (a multiple of 256 values) as Q4_K or Q6_K blocks. */
    public static ByteBuffer quantize(GgmlType type, float[] x) {
        if (x.length % 256 != 0) throw new IllegalArgumentException(x.length + " values are not whole 256-value blocks");
        ByteBuffer out = ByteBuffer.allocate((int) type.bytesFor(x.length)).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < x.length / 256; b++) {
            switch (type) {
                case Q4_K -> q4k(x, 256 * b, out, 144 * b);
                case Q6_K -> q6k(x, 256 * b, out, 210 * b);
                default -> throw new IllegalArgumentException("not a K-quant this quantiser writes: " + type);
            }
        }
        return out;
    }

    private static float f16(float v) { return Float.float16ToFloat(Float.floatToFloat16(v)); }

    /**
     * Q4_K: value = d·sc_j·q − dmin·m_j, q in 0..15, sc_j and m_j 6-bit, per sub-block j of 32; d and
     * dmin half precision; 12 bytes of packed scales/mins, then 128 bytes of nibbles (bytes
     * {@code 32c + l} hold value l of sub-block 2c low and of sub-block 2c+1 high).
     */
    private static void q4k(float[] x, int o, ByteBuffer out, int p) {
        float[] scale = new float[8], min = new float[8];
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; j++) {
            float lo = 0, hi = 0; // the range always includes 0 (mins are stored as non-negative offsets)
            for (int i = 0; i < 32; i++) {
                lo = Math.min(lo, x[o + 32 * j + i]);
                hi = Math.max(hi, x[o + 32 * j + i]);
            }
            scale[j] = (hi - lo) / 15;
            min[j] = -lo;
            maxScale = Math.max(maxScale, scale[j]);
            maxMin = Math.max(maxMin, min[j]);
        }
        float d = f16(maxScale / 63), dmin = f16(maxMin / 63);
        int[] sc = new int[8], m = new int[8];
        for (int j = 0; j < 8; j++) {
            sc[j] = d == 0 ? 0 : Math.min(63, Math.round(scale[j] / d));
            m[j] = dmin == 0 ? 0 : Math.min(63, Math.round(min[j] / dmin));
        }
        out.putShort(p, Float.floatToFloat16(d));
        out.putShort(p + 2, Float.floatToFloat16(dmin));
        for (int j = 0; j < 4; j++) {
            out.put(p + 4 + j, (byte) ((sc[j] & 63) | ((sc[j + 4] >> 4) << 6)));
            out.put(p + 8 + j, (byte) ((m[j] & 63) | ((m[j + 4] >> 4) << 6)));
            out.put(p + 12 + j, (byte) ((sc[j + 4] & 0xF) | ((m[j + 4] & 0xF) << 4)));
        }
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) {
                int lo = level(x[o + 64 * c + l], d * sc[2 * c], dmin * m[2 * c], 15);
                int hi = level(x[o + 64 * c + 32 + l], d * sc[2 * c + 1], dmin * m[2 * c + 1], 15);
                out.put(p + 16 + 32 * c + l, (byte) (lo | (hi << 4)));
            }
        }
    }

    /** The nearest level q in 0..top of {@code v ≈ step·q − offset} (0 when the step is 0). */
    private static int level(float v, float step, float offset, int top) {
        if (step == 0) return 0;
        return Math.max(0, Math.min(top, Math.round((v + offset) / step)));
    }

    /**
     * Q6_K: value = d·sc_k·(q − 32), q in 0..63, sc_k int8 per sub-block k of 16; 128 bytes of low
     * nibbles, 64 bytes of high bit pairs, 16 scales, half-precision d (ggml's interleaving: within
     * each half of 128 values, low-nibble byte l holds values l and l+64, byte l+32 values l+32 and
     * l+96, high byte l the top bits of l, l+32, l+64, l+96).
     */
    private static void q6k(float[] x, int o, ByteBuffer out, int p) {
        float[] scale = new float[16];
        float maxAbs = 0;
        for (int k = 0; k < 16; k++) {
            float big = 0;
            for (int i = 0; i < 16; i++) if (Math.abs(x[o + 16 * k + i]) > Math.abs(big)) big = x[o + 16 * k + i];
            scale[k] = big / -32; // the largest magnitude lands on level -32, the end with room
            maxAbs = Math.max(maxAbs, Math.abs(scale[k]));
        }
        float d = f16(maxAbs / 127);
        int[] q = new int[256];
        for (int k = 0; k < 16; k++) {
            int sc = d == 0 ? 0 : Math.max(-128, Math.min(127, Math.round(scale[k] / d)));
            out.put(p + 192 + k, (byte) sc);
            float step = d * sc;
            for (int i = 0; i < 16; i++) {
                q[16 * k + i] = step == 0 ? 32 : Math.max(0, Math.min(63, Math.round(x[o + 16 * k + i] / step) + 32));
            }
        }
        out.putShort(p + 208, Float.floatToFloat16(d));
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int q1 = q[128 * h + l], q2 = q[128 * h + 32 + l], q3 = q[128 * h + 64 + l], q4 = q[128 * h + 96 + l];
                out.put(p + 64 * h + l, (byte) ((q1 & 0xF) | ((q3 & 0xF) << 4)));
                out.put(p + 64 * h + 32 + l, (byte) ((q2 & 0xF) | ((q4 & 0xF) << 4)));
                out.put(p + 128 + 32 * h + l, (byte) ((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6)));
            }
        }
    }
}
