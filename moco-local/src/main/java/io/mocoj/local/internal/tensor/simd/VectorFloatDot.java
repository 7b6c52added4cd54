package io.mocoj.local.internal.tensor.simd;

import io.mocoj.local.internal.tensor.FloatDot;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatDot} with the Vector API (SIMD). Loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}.
 */
public final class VectorFloatDot implements FloatDot {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Bytes with as many lanes as {@link #S} (for byte-to-float conversion), or null when 32 is not a multiple. */
    private static final VectorSpecies<Byte> B = 32 % S.length() == 0 && S.length() >= 8
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * 8)) : null;

    @Override
    public void decodeQ8_0(byte[] src, int blocks, float[] dst, int off) {
        if (B == null) {
            FloatDot.super.decodeQ8_0(src, blocks, dst, off);
            return;
        }
        int step = S.length();
        for (int b = 0; b < blocks; b++) {
            int p = 34 * b;
            float d = Float.float16ToFloat((short) ((src[p] & 0xFF) | (src[p + 1] << 8)));
            for (int j = 0; j < 32; j += step) {
                FloatVector v = (FloatVector) ByteVector.fromArray(B, src, p + 2 + j).convertShape(VectorOperators.B2F, S, 0);
                v.mul(d).intoArray(dst, off + 32 * b + j);
            }
        }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int step = S.length();
        int bound = S.loopBound(n);
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
        int i = 0;
        for (; i + step < bound; i += 2 * step) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(S, a, aOff + i + step).fma(FloatVector.fromArray(S, b, bOff + i + step), acc1);
        }
        for (; i < bound; i += step) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
        }
        // lanes summed in a fixed order: reduceLanes may associate differently before and after JIT
        // compilation, which would make results depend on warm-up
        float[] lanes = new float[step];
        acc0.add(acc1).intoArray(lanes, 0);
        float s = 0;
        for (float v : lanes) s += v;
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** Lanes per vector on this machine. */
    public static int lanes() { return S.length(); }
}
