package io.mocoj.local.internal.tensor.simd;

import io.mocoj.local.internal.tensor.HalfKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link HalfKernels} with the Vector API. The Vector API has no float-to-half conversion, so the
 * rounding is done in float lanes: adding and subtracting {@code M = ±2^(e+13)} (e the value's
 * binary exponent, at least -14 so that half-precision subnormals keep their fixed spacing
 * 2^-24) leaves exactly the value rounded to 11 significant bits, ties to even, because the sum's
 * float spacing is the half spacing of the value; results above the largest half (65504) become
 * infinite and the sign of zero is kept. This equals {@code float16ToFloat(floatToFloat16(x))} for
 * every float (checked over all 2^32 bit patterns when written; the test checks a sample).
 */
public final class VectorHalfKernels implements HalfKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int SIGN = 0x80000000, EXP = 0x7F800000;
    private static final int MIN_M = 0x3F000000; // 2^-1 = 2^(-14+13)
    private static final int MAX_M = 0x4E000000; // 2^29: every larger value rounds to infinity anyway

    /** Each lane rounded to the nearest half-precision number. */
    static FloatVector roundToHalf(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector sign = bits.and(SIGN);
        IntVector m = bits.and(EXP).add(13 << 23).max(MIN_M).min(MAX_M).or(sign);
        FloatVector mv = m.reinterpretAsFloats();
        FloatVector r = x.add(mv).sub(mv);
        r = r.blend(Float.POSITIVE_INFINITY, r.compare(VectorOperators.GT, 65504f));
        r = r.blend(Float.NEGATIVE_INFINITY, r.compare(VectorOperators.LT, -65504f));
        return r.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    @Override
    public void madHalf(float[] acc, int accOff, float[] v, int vOff, float s, int n) {
        int i = 0;
        if (I.length() == S.length()) {
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                FloatVector a = FloatVector.fromArray(S, acc, accOff + i);
                FloatVector p = FloatVector.fromArray(S, v, vOff + i).mul(s);
                roundToHalf(a.add(p)).intoArray(acc, accOff + i);
            }
        }
        for (; i < n; i++) acc[accOff + i] = HalfKernels.half(acc[accOff + i] + v[vOff + i] * s);
    }

    @Override
    public void roundToHalf(float[] src, float[] dst, int n) {
        int i = 0;
        if (I.length() == S.length()) {
            for (int bound = S.loopBound(n); i < bound; i += S.length()) roundToHalf(FloatVector.fromArray(S, src, i)).intoArray(dst, i);
        }
        for (; i < n; i++) dst[i] = HalfKernels.half(src[i]);
    }

    @Override
    public void scaleHalf(float[] acc, int accOff, float s, int n) {
        int i = 0;
        if (I.length() == S.length()) {
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                roundToHalf(FloatVector.fromArray(S, acc, accOff + i).mul(s)).intoArray(acc, accOff + i);
            }
        }
        for (; i < n; i++) acc[accOff + i] = HalfKernels.half(acc[accOff + i] * s);
    }
}
