package io.mocoj.local.internal.tensor;

import io.mocoj.local.gguf.GgmlType;
import java.nio.ByteBuffer;

/**
 * Encoding, decoding and dot products for the ggml block formats this engine computes with
 * (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q6_K). Block layouts follow ggml's definitions:
 * <ul>
 *   <li>Q8_0: 32 values = f16 scale d, 32 × int8 q; x = d·q.</li>
 *   <li>Q4_0: 32 values = f16 d, 16 bytes; byte j holds q[j] (low nibble) and q[j+16] (high); x = d·(q−8).</li>
 *   <li>Q4_1: 32 values = f16 d, f16 m, 16 bytes of nibbles as Q4_0; x = d·q + m.</li>
 *   <li>Q5_0 / Q5_1: as Q4_0 / Q4_1 plus 4 bytes (after the scales) holding the fifth bit of each
 *       value (bit j for value j); Q5_0: x = d·(q−16), Q5_1: x = d·q + m.</li>
 *   <li>Q4_K: 256 values = f16 d, f16 dmin, 12 bytes of packed 6-bit scales/mins for 8 sub-blocks
 *       of 32, 128 bytes of nibbles; x = d·sc·q − dmin·m.</li>
 *   <li>Q6_K: 256 values = 128 bytes low nibbles, 64 bytes high 2-bit pairs, 16 × int8 scales, f16 d;
 *       x = d·sc·(q−32).</li>
 * </ul>
 * All buffers are little-endian and addressed absolutely (positions are never changed).
 */
public final class GgmlCodec {
    private GgmlCodec() {}

    public static float f16(short bits) { return Float.float16ToFloat(bits); }

    public static short toF16(float v) { return Float.floatToFloat16(v); }

    public static float bf16(short bits) { return Float.intBitsToFloat((bits & 0xFFFF) << 16); }

    /** Rounds to bfloat16 (nearest even), as ggml does; NaN stays NaN. */
    public static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 64);
        return (short) ((bits + (0x7fff + ((bits >>> 16) & 1))) >>> 16);
    }

    /** Whether this engine can compute with tensors of this type. */
    public static boolean supports(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q6_K -> true;
            default -> false;
        };
    }

    /** Whether {@link #encode} can write this type. */
    public static boolean canEncode(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0 -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes {@code n} values (a multiple of the block size) into {@code dst} at byte {@code at}. */
    public static void encode(GgmlType type, float[] src, int off, int n, ByteBuffer dst, int at) {
        switch (type) {
            case F32 -> { for (int i = 0; i < n; i++) dst.putFloat(at + 4 * i, src[off + i]); }
            case F16 -> { for (int i = 0; i < n; i++) dst.putShort(at + 2 * i, toF16(src[off + i])); }
            case BF16 -> { for (int i = 0; i < n; i++) dst.putShort(at + 2 * i, toBf16(src[off + i])); }
            case Q8_0 -> { for (int b = 0; b < n / 32; b++) encodeQ8_0(src, off + 32 * b, dst, at + 34 * b); }
            case Q4_0 -> { for (int b = 0; b < n / 32; b++) encodeQ4_0(src, off + 32 * b, dst, at + 18 * b); }
            default -> throw new UnsupportedOperationException("cannot write tensors of type " + type
                    + " (writable: F32, F16, BF16, Q8_0, Q4_0)");
        }
    }

    private static void encodeQ8_0(float[] x, int off, ByteBuffer dst, int at) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[off + j]));
        float d = amax / 127f;
        float id = d != 0 ? 1f / d : 0f;
        dst.putShort(at, toF16(d));
        for (int j = 0; j < 32; j++) dst.put(at + 2 + j, (byte) roundHalfAway(x[off + j] * id));
    }

    /** C's {@code roundf}: halves round away from zero. */
    static int roundHalfAway(float v) {
        return v < 0 ? -Math.round(-v) : Math.round(v);
    }

    private static void encodeQ4_0(float[] x, int off, ByteBuffer dst, int at) {
        float amax = 0, max = 0;
        for (int j = 0; j < 32; j++) {
            float v = x[off + j];
            if (Math.abs(v) > amax) { amax = Math.abs(v); max = v; }
        }
        float d = max / -8f;
        float id = d != 0 ? 1f / d : 0f;
        dst.putShort(at, toF16(d));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[off + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[off + j + 16] * id + 8.5f));
            dst.put(at + 2 + j, (byte) (lo | (hi << 4)));
        }
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes {@code n} values (a multiple of the block size) starting at byte {@code at}. */
    public static void decode(GgmlType type, ByteBuffer src, int at, float[] dst, int off, int n) {
        switch (type) {
            case F32 -> { for (int i = 0; i < n; i++) dst[off + i] = src.getFloat(at + 4 * i); }
            case F16 -> { for (int i = 0; i < n; i++) dst[off + i] = f16(src.getShort(at + 2 * i)); }
            case BF16 -> { for (int i = 0; i < n; i++) dst[off + i] = bf16(src.getShort(at + 2 * i)); }
            case Q8_0 -> {
                for (int b = 0; b < n / 32; b++) {
                    int p = at + 34 * b;
                    float d = f16(src.getShort(p));
                    for (int j = 0; j < 32; j++) dst[off + 32 * b + j] = d * src.get(p + 2 + j);
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < n / 32; b++) {
                    int p = at + 18 * b;
                    float d = f16(src.getShort(p));
                    int o = off + 32 * b;
                    for (int j = 0; j < 16; j++) {
                        int q = src.get(p + 2 + j) & 0xFF;
                        dst[o + j] = d * ((q & 0xF) - 8);
                        dst[o + j + 16] = d * ((q >>> 4) - 8);
                    }
                }
            }
            case Q4_1 -> {
                for (int b = 0; b < n / 32; b++) {
                    int p = at + 20 * b;
                    float d = f16(src.getShort(p)), m = f16(src.getShort(p + 2));
                    int o = off + 32 * b;
                    for (int j = 0; j < 16; j++) {
                        int q = src.get(p + 4 + j) & 0xFF;
                        dst[o + j] = (q & 0xF) * d + m;
                        dst[o + j + 16] = (q >>> 4) * d + m;
                    }
                }
            }
            case Q5_0, Q5_1 -> {
                boolean withMin = type == GgmlType.Q5_1;
                int bytes = withMin ? 24 : 22;
                for (int b = 0; b < n / 32; b++) {
                    int p = at + bytes * b;
                    float d = f16(src.getShort(p));
                    float m = withMin ? f16(src.getShort(p + 2)) : 0f;
                    int hp = p + (withMin ? 4 : 2);
                    int qh = src.getInt(hp); // bit j: 5th bit of value j
                    int qs = hp + 4;
                    int o = off + 32 * b;
                    for (int j = 0; j < 16; j++) {
                        int q = src.get(qs + j) & 0xFF;
                        int lo = (q & 0xF) | (((qh >>> j) & 1) << 4);
                        int hi = (q >>> 4) | (((qh >>> (j + 16)) & 1) << 4);
                        if (withMin) {
                            dst[o + j] = lo * d + m;
                            dst[o + j + 16] = hi * d + m;
                        } else {
                            dst[o + j] = (lo - 16) * d;
                            dst[o + j + 16] = (hi - 16) * d;
                        }
                    }
                }
            }
            case Q4_K -> { for (int b = 0; b < n / 256; b++) decodeQ4_K(src, at + 144 * b, dst, off + 256 * b); }
            case Q6_K -> { for (int b = 0; b < n / 256; b++) decodeQ6_K(src, at + 210 * b, dst, off + 256 * b); }
            default -> throw new UnsupportedOperationException("tensors of type " + type + " are not supported");
        }
    }

    /** The 6-bit scale and min of sub-block {@code j} (0..7) of a Q4_K block whose scales start at {@code s}. */
    static int q4kScale(ByteBuffer b, int s, int j) {
        if (j < 4) return b.get(s + j) & 63;
        return (b.get(s + j + 4) & 0xF) | (((b.get(s + j - 4) & 0xFF) >>> 6) << 4);
    }

    static int q4kMin(ByteBuffer b, int s, int j) {
        if (j < 4) return b.get(s + j + 4) & 63;
        return ((b.get(s + j + 4) & 0xFF) >>> 4) | (((b.get(s + j) & 0xFF) >>> 6) << 4);
    }

    private static void decodeQ4_K(ByteBuffer src, int p, float[] y, int off) {
        float d = f16(src.getShort(p));
        float dmin = f16(src.getShort(p + 2));
        int scales = p + 4;
        int qs = p + 16;
        for (int chunk = 0; chunk < 4; chunk++) {
            float d1 = d * q4kScale(src, scales, 2 * chunk), m1 = dmin * q4kMin(src, scales, 2 * chunk);
            float d2 = d * q4kScale(src, scales, 2 * chunk + 1), m2 = dmin * q4kMin(src, scales, 2 * chunk + 1);
            int q = qs + 32 * chunk;
            int o = off + 64 * chunk;
            for (int l = 0; l < 32; l++) {
                int v = src.get(q + l) & 0xFF;
                y[o + l] = d1 * (v & 0xF) - m1;
                y[o + 32 + l] = d2 * (v >>> 4) - m2;
            }
        }
    }

    private static void decodeQ6_K(ByteBuffer src, int p, float[] y, int off) {
        float d = f16(src.getShort(p + 208));
        for (int half = 0; half < 2; half++) {
            int ql = p + 64 * half;
            int qh = p + 128 + 32 * half;
            int sc = p + 192 + 8 * half;
            int o = off + 128 * half;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int lo0 = src.get(ql + l) & 0xFF, lo32 = src.get(ql + l + 32) & 0xFF, h = src.get(qh + l) & 0xFF;
                int q1 = ((lo0 & 0xF) | ((h & 3) << 4)) - 32;
                int q2 = ((lo32 & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                int q3 = ((lo0 >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                int q4 = ((lo32 >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                y[o + l] = d * src.get(sc + is) * q1;
                y[o + l + 32] = d * src.get(sc + is + 2) * q2;
                y[o + l + 64] = d * src.get(sc + is + 4) * q3;
                y[o + l + 96] = d * src.get(sc + is + 6) * q4;
            }
        }
    }

    // ---------------------------------------------------------------- dot products

    /** Dot product of {@code n} encoded values starting at byte {@code at} with {@code x[xOff..xOff+n)}. */
    public static float dot(GgmlType type, ByteBuffer w, int at, float[] x, int xOff, int n) {
        return switch (type) {
            case F32 -> {
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int i = 0;
                for (; i + 3 < n; i += 4) {
                    int p = at + 4 * i;
                    s0 += w.getFloat(p) * x[xOff + i];
                    s1 += w.getFloat(p + 4) * x[xOff + i + 1];
                    s2 += w.getFloat(p + 8) * x[xOff + i + 2];
                    s3 += w.getFloat(p + 12) * x[xOff + i + 3];
                }
                for (; i < n; i++) s0 += w.getFloat(at + 4 * i) * x[xOff + i];
                yield (s0 + s1) + (s2 + s3);
            }
            case F16 -> {
                float s = 0;
                for (int i = 0; i < n; i++) s += f16(w.getShort(at + 2 * i)) * x[xOff + i];
                yield s;
            }
            case BF16 -> {
                float s = 0;
                for (int i = 0; i < n; i++) s += bf16(w.getShort(at + 2 * i)) * x[xOff + i];
                yield s;
            }
            case Q8_0 -> {
                float s = 0;
                for (int b = 0; b < n / 32; b++) {
                    int p = at + 34 * b;
                    int xo = xOff + 32 * b;
                    float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                    for (int j = 0; j < 32; j += 4) {
                        a0 += w.get(p + 2 + j) * x[xo + j];
                        a1 += w.get(p + 3 + j) * x[xo + j + 1];
                        a2 += w.get(p + 4 + j) * x[xo + j + 2];
                        a3 += w.get(p + 5 + j) * x[xo + j + 3];
                    }
                    s += f16(w.getShort(p)) * ((a0 + a1) + (a2 + a3));
                }
                yield s;
            }
            case Q4_0 -> {
                float s = 0;
                for (int b = 0; b < n / 32; b++) {
                    int p = at + 18 * b;
                    int xo = xOff + 32 * b;
                    float a = 0;
                    for (int j = 0; j < 16; j++) {
                        int q = w.get(p + 2 + j) & 0xFF;
                        a += ((q & 0xF) - 8) * x[xo + j] + ((q >>> 4) - 8) * x[xo + j + 16];
                    }
                    s += f16(w.getShort(p)) * a;
                }
                yield s;
            }
            case Q4_K -> {
                float s = 0;
                for (int b = 0; b < n / 256; b++) s += dotQ4_K(w, at + 144 * b, x, xOff + 256 * b);
                yield s;
            }
            case Q6_K -> {
                float s = 0;
                for (int b = 0; b < n / 256; b++) s += dotQ6_K(w, at + 210 * b, x, xOff + 256 * b);
                yield s;
            }
            case Q4_1, Q5_0, Q5_1 -> {
                float[] tmp = new float[n];
                decode(type, w, at, tmp, 0, n);
                float s = 0;
                for (int i = 0; i < n; i++) s += tmp[i] * x[xOff + i];
                yield s;
            }
            default -> throw new UnsupportedOperationException("tensors of type " + type + " are not supported");
        };
    }

    private static float dotQ4_K(ByteBuffer w, int p, float[] x, int xo) {
        float d = f16(w.getShort(p));
        float dmin = f16(w.getShort(p + 2));
        int scales = p + 4;
        int qs = p + 16;
        float sum = 0, minSum = 0;
        for (int chunk = 0; chunk < 4; chunk++) {
            int q = qs + 32 * chunk;
            int o = xo + 64 * chunk;
            float a1 = 0, a2 = 0, x1 = 0, x2 = 0;
            for (int l = 0; l < 32; l++) {
                int v = w.get(q + l) & 0xFF;
                float xa = x[o + l], xb = x[o + 32 + l];
                a1 += (v & 0xF) * xa;
                a2 += (v >>> 4) * xb;
                x1 += xa;
                x2 += xb;
            }
            sum += q4kScale(w, scales, 2 * chunk) * a1 + q4kScale(w, scales, 2 * chunk + 1) * a2;
            minSum += q4kMin(w, scales, 2 * chunk) * x1 + q4kMin(w, scales, 2 * chunk + 1) * x2;
        }
        return d * sum - dmin * minSum;
    }

    private static float dotQ6_K(ByteBuffer w, int p, float[] x, int xo) {
        float d = f16(w.getShort(p + 208));
        float total = 0;
        for (int half = 0; half < 2; half++) {
            int ql = p + 64 * half;
            int qh = p + 128 + 32 * half;
            int sc = p + 192 + 8 * half;
            int o = xo + 128 * half;
            float[] acc = new float[8];
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int lo0 = w.get(ql + l) & 0xFF, lo32 = w.get(ql + l + 32) & 0xFF, h = w.get(qh + l) & 0xFF;
                acc[is] += (((lo0 & 0xF) | ((h & 3) << 4)) - 32) * x[o + l];
                acc[is + 2] += (((lo32 & 0xF) | (((h >>> 2) & 3) << 4)) - 32) * x[o + l + 32];
                acc[is + 4] += (((lo0 >>> 4) | (((h >>> 4) & 3) << 4)) - 32) * x[o + l + 64];
                acc[is + 6] += (((lo32 >>> 4) | (((h >>> 6) & 3) << 4)) - 32) * x[o + l + 96];
            }
            for (int k = 0; k < 8; k++) total += w.get(sc + k) * acc[k];
        }
        return d * total;
    }
}
