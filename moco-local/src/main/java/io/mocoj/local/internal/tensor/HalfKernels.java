package io.mocoj.local.internal.tensor;

/**
 * Updates of a float accumulator whose every value is kept at IEEE half precision (rounded to
 * nearest, ties to even, after each operation), as ggml's F16 arithmetic does in the attention
 * kernel of an F16 KV cache. Implementations give bit-identical results.
 */
public interface HalfKernels {
    /** {@code acc[i] = half(acc[i] + v[i] * s)} for {@code i < n} (a product, then a sum: no fused multiply-add). */
    default void madHalf(float[] acc, int accOff, float[] v, int vOff, float s, int n) {
        for (int i = 0; i < n; i++) acc[accOff + i] = half(acc[accOff + i] + v[vOff + i] * s);
    }

    /** {@code acc[i] = half(acc[i] * s)} for {@code i < n}. */
    default void scaleHalf(float[] acc, int accOff, float s, int n) {
        for (int i = 0; i < n; i++) acc[accOff + i] = half(acc[accOff + i] * s);
    }

    /** {@code dst[i] = half(src[i])} for {@code i < n}: activations rounded as ggml rounds them for F16 weights. */
    default void roundToHalf(float[] src, float[] dst, int n) {
        for (int i = 0; i < n; i++) dst[i] = half(src[i]);
    }

    /** {@code v} rounded to the nearest half-precision number. */
    static float half(float v) { return Float.float16ToFloat(Float.floatToFloat16(v)); }

    /** Half-precision bits to floats: {@code dst[dstOff + i] = float(src[srcOff + i])} (a loop the JIT vectorises). */
    static void toFloat(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = Float.float16ToFloat(src[srcOff + i]);
    }

    /** Floats to half-precision bits (rounded to nearest). */
    static void toHalf(float[] src, int srcOff, short[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = Float.floatToFloat16(src[srcOff + i]);
    }

    /** Plain Java ({@link Float#floatToFloat16} per value). */
    HalfKernels SCALAR = new HalfKernels() { };
}
